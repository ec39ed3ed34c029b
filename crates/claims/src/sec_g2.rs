//! Section (g), claim g2: a constant initialisation other than zero keeps every hidden unit identical, so the
//! trained layer *is* one unit: the network equals its fold (one hidden unit carrying the common row, the output
//! weights summed) in every prediction. Random init and dropout break the symmetry.

use burn::module::Param;
use burn::prelude::*;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde::{Deserialize, Serialize};
use zoo_datasets::DataSource;
use zoo_models::{ActivationKind, InitScheme, Mlp, MlpConfig};
use zoo_report::Figure;
use zoo_train::{DeviceSet, Prepared, Run, TrainConfig, host, row_spread};

use crate::data::prepared;
use crate::figures::{chart, line, tuning};
use crate::harness::{Context, LR_GRID, final_loss, test_acc, tune};
use crate::{Claim, ClaimError, Finding, Measure, fmt};

/// g2: a constant other than zero.
pub const G2: Claim = Claim {
    id: "g2",
    lesson: "A constant initialisation keeps all units identical: the layer acts as one unit",
    experiment: "tanh 2-16-1 on circles (400, noise 0.05, factor 0.5), every weight 0.5, zero biases, SGD momentum 0.9 \
                 minibatch 32, 60 epochs (quick: 40), lr tuned per arm on the final training loss over the whole grid \
                 0.003–10 (quick: 0.1–0.3); the trained net is compared, on every test example, with its fold: one \
                 hidden unit carrying unit 1's row and bias, its output weight the sum of the 16; a Xavier-initialised (gain 1) \
                 2-16-1 beside it; the constant net trained again with inverted dropout (p = 0.5, host-seeded masks) on \
                 the hidden layer; row spread of W₁ logged every epoch",
    threshold: "in every seed: after training all rows of W₁ (and the hidden biases) bitwise identical, and the net and \
                its fold predict the same class on every test example (largest |logit difference| reported); with \
                dropout the rows differ by > 1e-3; Xavier median test accuracy ≥ 98 %",
    anchor: "deeplearning.ai course 2 week 1: \"the weights W[l] should be initialized randomly to break symmetry\"",
    run: g2,
};

/// What one constant-initialised net showed, trained plainly and with dropout.
#[derive(Serialize, Deserialize)]
struct Symmetry {
    /// Every row of W₁ and every hidden bias bitwise equal to unit 1's after plain training.
    identical: bool,
    /// Largest |logit of the net − logit of its fold| over the test set.
    #[serde(with = "zoo_train::float")]
    logit_gap: f64,
    /// Test examples whose predicted class differs between the net and its fold.
    mismatches: usize,
    /// Test accuracy of the plainly trained net.
    #[serde(with = "zoo_train::float")]
    test_acc: f64,
    /// Row spread of W₁ before training and after every epoch, trained plainly.
    #[serde(with = "zoo_train::float::vec")]
    spread: Vec<f64>,
    /// The same with dropout on the hidden layer.
    #[serde(with = "zoo_train::float::vec")]
    dropout_spread: Vec<f64>,
}

fn g2(ctx: &Context) -> Result<Finding, ClaimError> {
    let seeds = ctx.seeds(5, 2);
    let epochs = ctx.pick(60, 40);
    let config = |init| {
        let model = MlpConfig::new(2, vec![16], 1).with_activation(ActivationKind::Tanh).with_init(init);
        TrainConfig::new(DataSource::Circles { n: 400, noise: 0.05, factor: 0.5 }, model)
            .with_epochs(epochs)
            .with_eval_every(epochs)
            .with_probe_every(0)
    };
    let arms = vec![
        ("constant 0.5".to_string(), config(InitScheme::Constant { value: 0.5 })),
        ("xavier".to_string(), config(InitScheme::XavierNormal)),
    ];
    let grid = ctx.pick(&LR_GRID[..], &LR_GRID[3..5]);
    let data = |seed: u64| prepared(&arms[0].1.clone().with_seed(seed));
    let tuned = tune(ctx, &arms, grid, &seeds, &data, final_loss)?;
    let xavier = tuned[1].measure("test accuracy", test_acc);
    let constant = arms[0].1.clone().with_lr(tuned[0].rate.lr);
    let runs: Vec<Symmetry> = ctx.try_parallel(&seeds, |seed| {
        let config = constant.clone().with_seed(*seed);
        ctx.unit("g2 symmetry and fold", &config, || symmetry(&config, &data(*seed), &ctx.device))
    })?;
    let of = |name: &str, f: fn(&Symmetry) -> f64| Measure::new(name, runs.iter().map(f).collect());
    let identical = of("rows of W1 bitwise identical (1 = yes)", |r| f64::from(u8::from(r.identical)));
    let spread = of("row spread constant 0.5", |r| r.spread.last().copied().unwrap_or(f64::NAN));
    let gap = of("largest |logit difference| net vs fold", |r| r.logit_gap);
    let mismatches = of("test predictions differing from the fold", |r| r.mismatches as f64);
    let accuracy = of("test accuracy constant 0.5", |r| r.test_acc);
    let dropout = of("row spread constant 0.5 with dropout", |r| r.dropout_spread.last().copied().unwrap_or(f64::NAN));
    let holds = identical.all(|v| v == 1.0)
        && mismatches.all(|v| v == 0.0)
        && dropout.all(|s| s > 1e-3)
        && xavier.median >= 0.98;
    let n = seeds.len();
    let reason = format!(
        "rows of W₁ bitwise identical after training in {}/{n} seeds (spread {:e} max); the net and its width-1 fold \
         differ in {} test predictions (max over seeds), largest |logit difference| {:.2e}; with dropout the rows \
         spread {:.3e}–{:.3e}; median test accuracy constant {:.1} %, Xavier {:.1} %",
        identical.count(|v| v == 1.0),
        spread.max,
        fmt(mismatches.max),
        gap.max,
        dropout.min,
        dropout.max,
        100.0 * accuracy.median,
        100.0 * xavier.median,
    );
    let rates = tuned.iter().map(|t| t.rate.clone()).collect();
    let figures = vec![spread_figure(&runs), tuning("circles: final training loss against learning rate", &tuned)];
    Ok(Finding::new(holds, reason, vec![identical, spread, gap, mismatches, accuracy, xavier, dropout], &seeds)
        .on("circles")
        .with_rates(rates)
        .with_figures(figures))
}

/// Row spread of W₁ against the epoch, median over seeds, with and without dropout (linear: the plain curve is
/// exactly 0 throughout, which a log axis cannot show).
fn spread_figure(runs: &[Symmetry]) -> Figure {
    let curve = |pick: fn(&Symmetry) -> &Vec<f64>| -> Vec<(f64, f64)> {
        let epochs = runs.iter().map(|r| pick(r).len()).min().unwrap_or(0);
        (0..epochs).map(|e| (e as f64, Measure::new("", runs.iter().map(|r| pick(r)[e]).collect()).median)).collect()
    };
    let lines = vec![
        line("constant 0.5", curve(|r| &r.spread)),
        line("constant 0.5 with dropout", curve(|r| &r.dropout_spread)),
    ];
    Figure::Lines(chart(
        "constant init: largest distance between two hidden units' incoming weights (median over seeds)",
        "epoch",
        "row spread of W₁",
        (false, false),
        lines,
    ))
}

/// Trains `config` through a [`Run`] (the updates of `zoo_train::train`) logging the row spread of W₁ every
/// epoch; checks the trained rows bitwise and compares the net with its fold on the test set; then trains it again
/// with dropout.
fn symmetry(config: &TrainConfig, data: &Prepared, device: &Device) -> Result<Symmetry, ClaimError> {
    let mut run = Run::new(config, data, device)?;
    let width = run.model().layers[0].weight.dims()[1];
    let spread_now = |run: &Run| row_spread(&host(run.model().layers[0].weight.val().inner()), width);
    let mut spread = vec![spread_now(&run)];
    while let Some(batches) = run.next_epoch() {
        for batch in batches {
            let (x, y) = run.batch(&batch);
            run.step(x, y);
        }
        spread.push(spread_now(&run));
    }
    let model = run.finish().model;
    let w = host(model.layers[0].weight.val());
    let b = model.layers[0].bias.as_ref().map_or(vec![0.0; width], |b| host(b.val()));
    // Linear's layout is [d_input, width]: each chunk of `width` holds one input's weight into every unit.
    let same = |v: &[f32]| v.chunks(width).all(|r| r.iter().all(|x| x.to_bits() == r[0].to_bits()));
    let identical = same(&w) && same(&b);
    let folded = fold(&model, device);
    let test = DeviceSet::new(&data.split.test, device);
    let (net, fold) = (host(model.forward(test.x.clone())), host(folded.forward(test.x.clone())));
    let logit_gap = net.iter().zip(&fold).map(|(a, b)| f64::from((a - b).abs())).fold(0.0, f64::max);
    let mismatches = net.iter().zip(&fold).filter(|(a, b)| (**a > 0.0) != (**b > 0.0)).count();
    let labels = match &data.split.test.labels {
        zoo_datasets::Labels::Classes { y, .. } => y.clone(),
        zoo_datasets::Labels::Values { .. } => Vec::new(),
    };
    let correct = net.iter().zip(&labels).filter(|(z, y)| u32::from(**z > 0.0) == **y).count();
    Ok(Symmetry {
        identical,
        logit_gap,
        mismatches,
        test_acc: correct as f64 / labels.len().max(1) as f64,
        spread,
        dropout_spread: dropout_spread(config, data, device)?,
    })
}

/// The width-1 network a symmetric `model` folds into: one hidden unit with unit 1's incoming weights and bias, its
/// output weight the sum (in f64) of every hidden unit's output weight, the same output bias.
fn fold(model: &Mlp, device: &Device) -> Mlp {
    let (hidden, output) = (&model.layers[0], &model.layers[1]);
    let [d_input, width] = hidden.weight.dims();
    let w = host(hidden.weight.val());
    let row: Vec<f32> = (0..d_input).map(|i| w[i * width]).collect();
    let bias = hidden.bias.as_ref().map_or(0.0, |b| host(b.val())[0]);
    let out = host(output.weight.val()).iter().map(|v| f64::from(*v)).sum::<f64>() as f32;
    let mut folded = MlpConfig::new(d_input, vec![1], 1).with_activation(model.activation).init_seeded(0, device);
    let tensor1 = |v: Vec<f32>| Param::from_tensor(Tensor::<1>::from_data(TensorData::new(v, [1]), device));
    folded.layers[0].weight = Param::from_tensor(Tensor::from_data(TensorData::new(row, [d_input, 1]), device));
    folded.layers[0].bias = Some(tensor1(vec![bias]));
    folded.layers[1].weight = Param::from_tensor(Tensor::from_data(TensorData::new(vec![out], [1, 1]), device));
    folded.layers[1].bias = output.bias.as_ref().map(|b| tensor1(host(b.val())));
    folded
}

/// Trains `config`'s network through a [`Run`] with inverted dropout (p = ½, masks from a host RNG seeded by the
/// run seed) on its hidden layer; returns the row spread of W₁ before training and after every epoch.
fn dropout_spread(config: &TrainConfig, data: &Prepared, device: &Device) -> Result<Vec<f64>, ClaimError> {
    let mut run = Run::new(config, data, device)?;
    let autodiff = device.clone().autodiff();
    let width = run.model().layers[0].weight.dims()[1];
    let mut rng = StdRng::seed_from_u64(config.seed ^ 0xD20B);
    let spread_now = |run: &Run| row_spread(&host(run.model().layers[0].weight.val().inner()), width);
    let mut spread = vec![spread_now(&run)];
    while let Some(batches) = run.next_epoch() {
        for batch in batches {
            let (x, y) = run.batch(&batch);
            let mask: Vec<f32> =
                (0..batch.len() * width).map(|_| if rng.random_bool(0.5) { 2.0 } else { 0.0 }).collect();
            let mask = Tensor::<2>::from_data(TensorData::new(mask, [batch.len(), width]), &autodiff);
            let dropout = |model: &Mlp, x: Tensor<2>| {
                let hidden = model.activation.forward(model.layers[0].forward(x)) * mask;
                model.layers[1].forward(hidden)
            };
            run.step_with(x, y, dropout, |_, _| {});
        }
        spread.push(spread_now(&run));
    }
    Ok(spread)
}
