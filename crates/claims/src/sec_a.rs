//! Section (a): without a non-linear activation, a deep network is a linear model.

use burn::prelude::*;
use zoo_datasets::DataSource;
use zoo_models::{ActivationKind, BiasInit, InitScheme, MlpConfig};
use zoo_report::Figure;
use zoo_train::{OptimizerKind, TrainConfig};

use crate::data::{best_linear_accuracy, prepared};
use crate::figures::{boundaries, chart, line, per_layer, trained_plane, tuning};
use crate::harness::{Context, LR_GRID, final_loss, test_acc, train_acc, tune};
use crate::{Claim, ClaimError, Finding, Measure};

/// a1: the algebra.
pub const A1: Claim = Claim {
    id: "a1",
    lesson: "Without a non-linear activation, a deep network is a linear model",
    experiment: "identity MLPs of depth 1–10 vs their folded affine map W_eff·x + b_eff on 1000 random inputs",
    threshold: "max relative difference ≤ 1e-4 (f32) at every depth and seed",
    anchor: "linear algebra: a product of affine maps is affine",
    run: a1,
};

/// a2: XOR.
pub const A2: Claim = Claim {
    id: "a2",
    lesson: "A linear model cannot learn XOR; one non-linear hidden layer can",
    experiment: "XOR (4 points, BCE), identity MLPs depth 1–5 width 8 vs tanh 2-8-1, full-batch GD, 5000 steps",
    threshold: "identity: loss ≥ 0.692 and accuracy ≤ 75 % in every seed (accuracy not counted where the loss is within 1e-6 of ln 2: all outputs ½, every prediction a tie); tanh: loss < 0.05 and 100 % in ≥ 90 % of seeds",
    anchor: "the affine optimum on XOR is ln 2 = 0.693 (Minsky & Papert 1969)",
    run: a2,
};

/// a3: real-looking data.
pub const A3: Claim = Claim {
    id: "a3",
    lesson: "Non-linear activations let a network fit data a linear model cannot",
    experiment: "origin-centred circles (400, noise 0.05, factor 0.5) and the classic two-spirals (600, arm 1 = arm 0 \
                 rotated by π, 2 turns, radius 0.2 → 1, noise 0.02; Lang & Witbrock 1988): identity (Xavier-normal, \
                 gain 1) vs tanh (Xavier-normal, gain 1) vs ReLU (He) MLP with two hidden layers of 16, minibatch 32, \
                 lr tuned; beside each data set its best linear accuracy (logistic model, full-batch gradient descent \
                 to convergence, training set)",
    threshold: "identity test accuracy ≤ 60 %; tanh or ReLU ≥ 97 % (median over seeds)",
    anchor: "deeplearning.ai course 1 week 3: logistic regression 47 % vs one tanh hidden layer of 4 units 90 %",
    run: a3,
};

fn a1(ctx: &Context) -> Result<Finding, ClaimError> {
    let seeds = ctx.seeds(10, 3);
    let device = ctx.device.clone();
    let depths: Vec<usize> = (1..=10).collect();
    let errors: Vec<Vec<f64>> =
        ctx.parallel(&depths, |depth| seeds.iter().map(|seed| fold_error(*depth, *seed, &device)).collect());
    let measured: Vec<Measure> =
        depths.iter().zip(errors).map(|(d, e)| Measure::new(format!("relative error depth {d}"), e)).collect();
    let worst = measured.iter().map(|m| m.max).fold(0.0, f64::max);
    let max: Vec<(f64, f64)> = measured.iter().enumerate().map(|(d, m)| ((d + 1) as f64, m.max)).collect();
    let figure = chart(
        "a stack of linear layers is one linear map: |network − folded map| / |folded map|",
        "depth (layers)",
        "relative difference",
        (false, false),
        vec![line("median over seeds", per_layer(&measured)), line("largest", max)],
    );
    Ok(Finding::new(
        worst <= 1e-4,
        format!("largest relative difference over depths 1–10: {worst:.2e}"),
        measured,
        &seeds,
    )
    .with_figures(vec![Figure::Lines(figure)]))
}

/// Max |network − folded| / max |folded| over 1000 inputs, the folded map computed in f64 on the host.
fn fold_error(depth: usize, seed: u64, device: &Device) -> f64 {
    let config = MlpConfig::new(8, vec![16; depth - 1], 4)
        .with_activation(ActivationKind::Identity)
        .with_init(InitScheme::XavierNormal)
        .with_bias_init(BiasInit::Constant { value: 0.1 });
    let mlp = config.init_seeded(seed, device);
    let (mut w, mut b): (Vec<Vec<f64>>, Vec<f64>) =
        ((0..8).map(|i| (0..8).map(|j| f64::from(u8::from(i == j))).collect()).collect(), vec![0.0; 8]);
    for layer in &mlp.layers {
        let [fan_in, fan_out] = layer.weight.dims();
        let lw: Vec<f64> = layer.weight.val().into_data().iter::<f64>().collect();
        let lb: Vec<f64> =
            layer.bias.as_ref().map_or(vec![0.0; fan_out], |p| p.val().into_data().iter::<f64>().collect());
        let mul = |row: &[f64]| {
            (0..fan_out).map(|j| (0..fan_in).map(|k| row[k] * lw[k * fan_out + j]).sum::<f64>()).collect::<Vec<f64>>()
        };
        w = w.iter().map(|row| mul(row)).collect();
        b = mul(&b).iter().zip(&lb).map(|(x, y)| x + y).collect();
    }
    let x = crate::data::uniform_inputs(1000, 8, seed);
    let out: Vec<f64> = mlp
        .forward(Tensor::<2>::from_data(TensorData::new(x.clone(), [1000, 8]), device))
        .into_data()
        .iter::<f64>()
        .collect();
    let (mut diff, mut scale) = (0.0f64, 0.0f64);
    for n in 0..1000 {
        for j in 0..4 {
            let folded = b[j] + (0..8).map(|i| f64::from(x[n * 8 + i]) * w[i][j]).sum::<f64>();
            diff = diff.max((out[n * 4 + j] - folded).abs());
            scale = scale.max(folded.abs());
        }
    }
    diff / scale
}

fn a2(ctx: &Context) -> Result<Finding, ClaimError> {
    let seeds = ctx.seeds(10, 3);
    let steps = ctx.pick(5000, 1000);
    let base = |hidden: Vec<usize>, activation| {
        let model = MlpConfig::new(2, hidden, 1).with_activation(activation).with_init(InitScheme::XavierNormal);
        TrainConfig::new(DataSource::Xor, model)
            .with_optimizer(OptimizerKind::Sgd)
            .with_batch_size(None)
            .with_epochs(steps)
            .with_eval_every(steps)
            .with_test_fraction(0.0)
            .with_standardize(false)
    };
    let mut arms: Vec<(String, TrainConfig)> = (1..=5)
        .map(|depth| (format!("identity depth {depth}"), base(vec![8; depth - 1], ActivationKind::Identity)))
        .collect();
    arms.push(("tanh 2-8-1".to_string(), base(vec![8], ActivationKind::Tanh)));
    let grid = ctx.pick(&LR_GRID[..], &LR_GRID[3..6]);
    let tuned = tune(ctx, &arms, grid, &seeds, &|seed| prepared(&arms[0].1.clone().with_seed(seed)), final_loss)?;
    let mut measured = Vec::new();
    let mut linear_ok = true;
    for arm in &tuned[..5] {
        let loss = arm.measure("loss", final_loss);
        let acc = arm.measure("accuracy", train_acc);
        // At the affine optimum every output is σ(0) = ½: each prediction is a tie decided by float noise in
        // the logits (|z| ~ 1e-8), so accuracy is only meaningful where the loss is away from ln 2.
        let decided = |i: usize| (loss.per_seed[i] - std::f64::consts::LN_2).abs() > 1e-6;
        linear_ok &= loss.all(|l| l >= 0.692) && (0..seeds.len()).all(|i| !decided(i) || acc.per_seed[i] <= 0.75);
        measured.extend([loss, acc]);
    }
    let tanh = &tuned[5];
    let (loss, acc) = (tanh.measure("loss", final_loss), tanh.measure("accuracy", train_acc));
    let solved = (0..seeds.len()).filter(|i| loss.per_seed[*i] < 0.05 && acc.per_seed[*i] >= 1.0).count();
    let tanh_ok = solved * 10 >= 9 * seeds.len();
    let worst_linear = measured.iter().step_by(2).map(|m| m.min).fold(f64::INFINITY, f64::min);
    let reason = format!(
        "identity nets: lowest loss {worst_linear:.4} (ln 2 = 0.6931); tanh 2-8-1 solved XOR in {solved}/{} seeds (median loss {:.4})",
        seeds.len(),
        loss.median
    );
    measured.extend([loss, acc]);
    let rates = tuned.iter().map(|t| t.rate.clone()).collect();
    let figure = tuning("XOR: final loss against learning rate (identity nets stay at ln 2)", &tuned);
    Ok(Finding::new(linear_ok && tanh_ok, reason, measured, &seeds)
        .on("xor")
        .with_rates(rates)
        .with_figures(vec![figure]))
}

fn a3(ctx: &Context) -> Result<Finding, ClaimError> {
    let seeds = ctx.seeds(5, 2);
    let epochs = ctx.pick(200, 60);
    let sources = [
        ("circles", DataSource::Circles { n: 400, noise: 0.05, factor: 0.5 }),
        ("two-spirals", DataSource::TwoSpirals { n: 600, turns: 2.0, noise: 0.02 }),
    ];
    let grid = ctx.pick(&LR_GRID[..], &LR_GRID[2..5]);
    let mut measured = Vec::new();
    let mut rates = Vec::new();
    let mut holds = true;
    let mut reason = Vec::new();
    let mut figures = Vec::new();
    for (name, source) in sources {
        let arms: Vec<(String, TrainConfig)> = [ActivationKind::Identity, ActivationKind::Tanh, ActivationKind::Relu]
            .into_iter()
            .map(|activation| {
                let init =
                    if activation == ActivationKind::Relu { InitScheme::HeNormal } else { InitScheme::XavierNormal };
                let model = MlpConfig::new(2, vec![16, 16], 2).with_activation(activation).with_init(init);
                let config = TrainConfig::new(source.clone(), model)
                    .with_epochs(epochs)
                    .with_eval_every(epochs)
                    .with_batch_size(Some(32));
                (format!("{} on {name}", activation.name()), config)
            })
            .collect();
        let tuned = tune(ctx, &arms, grid, &seeds, &|seed| prepared(&arms[0].1.clone().with_seed(seed)), final_loss)?;
        let accs: Vec<Measure> = tuned.iter().map(|t| t.measure("test accuracy", test_acc)).collect();
        let baseline = Measure::new(
            format!("best linear training accuracy on {name}"),
            ctx.try_parallel(&seeds, |seed| best_linear_accuracy(&prepared(&arms[0].1.clone().with_seed(*seed)), ctx))?,
        );
        let identity = accs[0].median;
        let best = accs[1].median.max(accs[2].median);
        holds &= identity <= 0.60 && best >= 0.97;
        reason.push(format!(
            "{name}: linear {:.1} %, identity {:.1} %, tanh {:.1} %, relu {:.1} %",
            100.0 * baseline.median,
            100.0 * identity,
            100.0 * accs[1].median,
            100.0 * accs[2].median
        ));
        measured.push(baseline);
        measured.extend(accs);
        let data = prepared(&arms[0].1.clone().with_seed(seeds[0]));
        let panels = arms
            .iter()
            .zip(&tuned)
            .map(|((arm, config), t)| {
                let config = config.clone().with_lr(t.rate.lr).with_seed(seeds[0]);
                Ok((format!("{arm} (lr {})", t.rate.lr), trained_plane(ctx, &config, &data)?))
            })
            .collect::<Result<Vec<_>, ClaimError>>()?;
        figures.push(boundaries(&format!("{name}: decision boundaries, seed {}", seeds[0]), &data, panels));
        figures.push(tuning(&format!("{name}: final loss against learning rate"), &tuned));
        rates.extend(tuned.into_iter().map(|t| t.rate));
    }
    let reason =
        format!("median accuracy (linear: best logistic model, training set; nets: test) — {}", reason.join("; "));
    Ok(Finding::new(holds, reason, measured, &seeds).on("circles, two-spirals").with_rates(rates).with_figures(figures))
}
