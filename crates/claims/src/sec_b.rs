//! Section (b): the sigmoid saturates and kills gradients (vanishing gradients).

use burn::prelude::*;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use zoo_datasets::DataSource;
use zoo_models::{ActivationKind, InitScheme, MlpConfig, loss};
use zoo_report::Figure;
use zoo_train::{OptimizerKind, Prepared, Run, TrainConfig, host, mean, norm, rms, saturated_fraction, std_dev as std};

use crate::data::{normal_inputs, prepared};
use crate::figures::{chart, line, reference, tuning};
use crate::harness::{Context, LR_GRID, test_acc, tune};
use crate::{Claim, ClaimError, Finding, Floats, Measure, named};

/// b1: gradients at initialisation.
pub const B1: Claim = Claim {
    id: "b1",
    lesson: "Sigmoid saturates and kills gradients: the error signal vanishes on its way back",
    experiment: "at initialisation, 10 hidden layers of 64, 256 N(0,1) inputs with random labels, softmax CE: \
                 ρ_δ = rms(δ₁)/rms(δ₁₀) and ‖∂L/∂W₁‖/‖∂L/∂W₁₀‖ for sigmoid+Xavier, ReLU+He, tanh+Xavier \
                 (Xavier-normal, gain 1: σ² = 2/(fan_in + fan_out), which is 1/fan_in on the 64×64 layers)",
    threshold: "in every seed: sigmoid+Xavier ρ_δ < 1e-4 and ‖dW₁‖/‖dW₁₀‖ < 1e-3; ReLU+He ρ_δ in [0.3, 3]; \
                tanh+Xavier ρ_δ in [0.1, 2]",
    anchor: "Glorot & Bengio 2010, eq. 14 and Fig. 8: back-propagated gradients shrink layer by layer; \
             σ′ ≤ ¼ bounds the sigmoid's factor per layer",
    run: b1,
};

/// b2: the CS231n activation-statistics table.
pub const B2: Claim = Claim {
    id: "b2",
    lesson: "With a bad weight scale the activations of a deep tanh net collapse to 0 or saturate at ±1",
    experiment: "tanh, 10 layers of 500, no bias, inputs 1000×500 from N(0,1), at initialisation: per-layer \
                 activation std for weights N(0, 0.01²), N(0, 1), N(0, 1/fan_in); ReLU with He; both gradient ratios",
    threshold: "N(0, 0.01²): every layer's std is 0.20–0.24 × the previous one; N(0, 1): std in [0.97, 0.99] and \
                ≥ 85 % of units saturated in every layer; 1/√fan_in: stds within ±0.03 of 0.627, 0.486, 0.409, \
                0.357, 0.320, 0.293, 0.271, 0.256, 0.243, 0.231; ReLU+He: std in [0.7, 1.0] in all layers \
                (every seed)",
    anchor: "Stanford CS231n lecture 6 (2017) table; He et al. 2015: std 0.01 shrinks the gradient reaching conv2 \
             of a 10-layer net to 1/(1.7×10⁴)",
    run: b2,
};

/// b3: during training (exploratory).
pub const B3: Claim = Claim {
    id: "b3",
    lesson: "During training the top sigmoid layer saturates at 0 early and the sigmoid net ends worse than tanh",
    experiment: "digits (8×8), 5 hidden layers of 128, SGD minibatch 10, lr tuned per arm for test error: \
                 sigmoid with U[±1/√n] vs tanh with Xavier-uniform (gain 1); mean activation per layer on 300 fixed test \
                 examples each epoch (scaled down for time: 15 epochs, rates 0.1–1; Fashion-MNIST not used)",
    threshold: "exploratory: in ≥ 70 % of seeds the top sigmoid layer's mean falls below 0.1 within the first 10 \
                epochs while layers 1–4 stay above 0.5 at that epoch, and sigmoid's final test error exceeds \
                tanh's by ≥ 1 point in ≥ 70 % of seeds",
    anchor: "Glorot & Bengio 2010, Fig. 2 and Table 1 (Shapeset test error 82.61 % sigmoid vs 15.60 % tanh with \
             normalised init; MNIST 2.21 % vs 1.64 %); an independent CIFAR-10 replication confirmed the sigmoid \
             result but not the tanh one",
    run: b3,
};

/// What one backward pass of softmax cross-entropy shows, per layer (input side first, output layer last).
pub(crate) struct Backprop {
    /// Activations aℓ on the host, row-major `[batch, width]` (the last entry: the logits).
    pub a: Vec<Vec<f32>>,
    /// δℓ = ∂L/∂zℓ on the host, row-major `[batch, width]`.
    pub delta: Vec<Vec<f32>>,
    /// ‖∂L/∂Wℓ‖ (Frobenius).
    pub weight_grad_norm: Vec<f64>,
}

/// Builds `config` from `seed`, feeds the row-major `[batch, d_input]` inputs `x`, takes softmax cross-entropy
/// against random labels (seeded) and back-propagates once; reads activations, δ and weight gradients back.
pub(crate) fn backprop(config: &MlpConfig, seed: u64, x: Vec<f32>, device: &Device) -> Backprop {
    let device = device.clone().autodiff();
    let batch = x.len() / config.d_input.max(1);
    let mlp = config.init_seeded(seed, &device);
    let mut rng = StdRng::seed_from_u64(seed ^ 0x1ABE1);
    let labels: Vec<i64> = (0..batch).map(|_| rng.random_range(0..config.d_output as i64)).collect();
    let x = Tensor::<2>::from_data(TensorData::new(x, [batch, config.d_input]), &device);
    let y = Tensor::<1, Int>::from_data(TensorData::new(labels, [batch]), &device);
    let taps = mlp.taps(batch, &device);
    let trace = mlp.forward_tapped(x, &taps);
    let grads = loss::cross_entropy(trace.logits(), y).backward();
    Backprop {
        a: trace.a.iter().map(|a| host(a.clone().inner())).collect(),
        delta: taps.iter().map(|t| t.grad(&grads).map(host).unwrap_or_default()).collect(),
        weight_grad_norm: mlp
            .layers
            .iter()
            .map(|l| l.weight.val().grad(&grads).map_or(0.0, |g| norm(&host(g))))
            .collect(),
    }
}

impl Backprop {
    /// ρ_δ = rms(δ of layer `first`) / rms(δ of layer `last`) (0-based layer indices).
    pub fn rho_delta(&self, first: usize, last: usize) -> f64 {
        rms(&self.delta[first]) / rms(&self.delta[last])
    }

    /// ‖∂L/∂W of layer `first`‖ / ‖∂L/∂W of layer `last`‖.
    pub fn weight_ratio(&self, first: usize, last: usize) -> f64 {
        self.weight_grad_norm[first] / self.weight_grad_norm[last]
    }
}

fn b1(ctx: &Context) -> Result<Finding, ClaimError> {
    let seeds = ctx.seeds(10, 5);
    let (depth, width, batch) = (10, 64, 256);
    let arms = [
        ("sigmoid+xavier", ActivationKind::Sigmoid, InitScheme::XavierNormal),
        ("relu+he", ActivationKind::Relu, InitScheme::HeNormal),
        ("tanh+xavier", ActivationKind::Tanh, InitScheme::XavierNormal),
    ];
    let trials: Vec<(usize, u64)> = (0..arms.len()).flat_map(|a| seeds.iter().map(move |s| (a, *s))).collect();
    let passes = ctx.parallel(&trials, |(a, seed)| {
        let config = MlpConfig::new(width, vec![width; depth], 10).with_activation(arms[*a].1).with_init(arms[*a].2);
        let pass = backprop(&config, *seed, normal_inputs(batch, width, *seed), &ctx.device);
        let deltas: Vec<f64> = pass.delta[..depth].iter().map(|d| rms(d)).collect();
        (
            (pass.rho_delta(0, depth - 1), pass.weight_ratio(0, depth - 1)),
            deltas,
            pass.weight_grad_norm[..depth].to_vec(),
        )
    });
    let ratios: Vec<(f64, f64)> = passes.iter().map(|p| p.0).collect();
    let n = seeds.len();
    // Per arm, layer 1..depth against the median over seeds of rms(δ) (`part` 0) or ‖∂L/∂W‖ (1).
    let layers = |a: usize, part: usize| -> Vec<(f64, f64)> {
        let at = |p: &(_, Vec<f64>, Vec<f64>), l: usize| if part == 0 { p.1[l] } else { p.2[l] };
        (0..depth)
            .map(|l| {
                ((l + 1) as f64, Measure::new("", passes[a * n..(a + 1) * n].iter().map(|p| at(p, l)).collect()).median)
            })
            .collect()
    };
    let figure = |part: usize, title: &str, y: &str| {
        let lines = arms.iter().enumerate().map(|(a, arm)| line(arm.0, layers(a, part))).collect();
        Figure::Lines(chart(title, "hidden layer (1 = input side)", y, (false, true), lines))
    };
    let figures = vec![
        figure(0, "error signal rms(δ) per layer at initialisation (median over seeds)", "rms(δ)"),
        figure(1, "weight gradient ‖∂L/∂W‖ per layer at initialisation (median)", "‖∂L/∂W‖"),
    ];
    let per_arm = |a: usize, pick: fn(&(f64, f64)) -> f64| {
        ratios[a * seeds.len()..(a + 1) * seeds.len()].iter().map(pick).collect()
    };
    let mut measured = Vec::new();
    for (a, (arm, _, _)) in arms.iter().enumerate() {
        measured.push(Measure::new(format!("rho_delta {arm}"), per_arm(a, |r| r.0)));
        measured.push(Measure::new(format!("weight-grad ratio {arm}"), per_arm(a, |r| r.1)));
    }
    let (sig_rho, sig_w, relu_rho, tanh_rho) = (
        named(&measured, "rho_delta sigmoid+xavier")?,
        named(&measured, "weight-grad ratio sigmoid+xavier")?,
        named(&measured, "rho_delta relu+he")?,
        named(&measured, "rho_delta tanh+xavier")?,
    );
    let holds = sig_rho.all(|r| r < 1e-4)
        && sig_w.all(|r| r < 1e-3)
        && relu_rho.all(|r| (0.3..=3.0).contains(&r))
        && tanh_rho.all(|r| (0.1..=2.0).contains(&r));
    let reason = format!(
        "ρ_δ sigmoid max {:.1e} (‖dW₁‖/‖dW₁₀‖ max {:.1e}); ReLU+He {:.2}–{:.2}; tanh+Xavier {:.2}–{:.2} over {} seeds",
        sig_rho.max,
        sig_w.max,
        relu_rho.min,
        relu_rho.max,
        tanh_rho.min,
        tanh_rho.max,
        seeds.len()
    );
    Ok(Finding::new(holds, reason, measured, &seeds).on("N(0,1) inputs, random labels").with_figures(figures))
}

/// The CS231n table for tanh with weights N(0, 1/fan_in), layers 1–10.
const CS231N_XAVIER: [f64; 10] = [0.627, 0.486, 0.409, 0.357, 0.320, 0.293, 0.271, 0.256, 0.243, 0.231];

fn b2(ctx: &Context) -> Result<Finding, ClaimError> {
    let seeds = ctx.seeds(10, 2);
    let (depth, width, batch) = (10, 500, 1000);
    let arms = [
        ("tanh N(0,0.01²)", ActivationKind::Tanh, InitScheme::Normal { std: 0.01 }),
        ("tanh N(0,1)", ActivationKind::Tanh, InitScheme::Normal { std: 1.0 }),
        ("tanh N(0,1/fan_in)", ActivationKind::Tanh, InitScheme::LecunNormal),
        ("relu+he", ActivationKind::Relu, InitScheme::HeNormal),
    ];
    let trials: Vec<(usize, u64)> = (0..arms.len()).flat_map(|a| seeds.iter().map(move |s| (a, *s))).collect();
    let stats = ctx.parallel(&trials, |(a, seed)| {
        let (_, activation, init) = arms[*a];
        let config =
            MlpConfig::new(width, vec![width; depth], 10).with_activation(activation).with_init(init).with_bias(false);
        let x = normal_inputs(batch, width, *seed);
        let input_std = std(&x);
        let pass = backprop(&config, *seed, x, &ctx.device);
        let stds: Vec<f64> = pass.a[..depth].iter().map(|a| std(a)).collect();
        LayerStats {
            ratios: stds.iter().enumerate().map(|(l, s)| s / if l == 0 { input_std } else { stds[l - 1] }).collect(),
            saturated: pass.a[..depth].iter().map(|a| saturated_fraction(activation, a).unwrap_or(0.0)).collect(),
            stds,
            rho: pass.rho_delta(0, depth - 1),
            weight_ratio: pass.weight_ratio(0, depth - 1),
        }
    });
    let n = seeds.len();
    let mut measured = Vec::new();
    let mut checks = Vec::new();
    let mut curves = Vec::new();
    for (a, (arm, _, _)) in arms.iter().enumerate() {
        let of_arm = &stats[a * n..(a + 1) * n];
        let per_layer = |name: &str, pick: fn(&LayerStats) -> &Vec<f64>| -> Vec<Measure> {
            (0..depth)
                .map(|l| {
                    Measure::new(format!("{name} layer {} {arm}", l + 1), of_arm.iter().map(|s| pick(s)[l]).collect())
                })
                .collect()
        };
        let stds = per_layer("activation std", |s| &s.stds);
        curves.push(line(*arm, crate::figures::per_layer(&stds)));
        if a == 2 {
            let table = CS231N_XAVIER.iter().enumerate().map(|(l, s)| ((l + 1) as f64, *s)).collect();
            curves.push(reference("CS231n's table for N(0,1/fan_in)", table));
        }
        let (lo, hi) = extremes(&stds);
        let check = match a {
            0 => {
                let ratios = per_layer("std ratio to previous", |s| &s.ratios);
                let (lo, hi) = extremes(&ratios);
                measured.extend(ratios);
                (lo >= 0.20 && hi <= 0.24, format!("N(0,0.01²) std ratios {lo:.3}–{hi:.3}"))
            }
            1 => {
                let saturated = per_layer("saturated share", |s| &s.saturated);
                let (sat, _) = extremes(&saturated);
                measured.extend(saturated);
                (
                    lo >= 0.97 && hi <= 0.99 && sat >= 0.85,
                    format!("N(0,1) std {lo:.3}–{hi:.3}, saturated ≥ {:.1} %", 100.0 * sat),
                )
            }
            2 => {
                let off = stds
                    .iter()
                    .zip(CS231N_XAVIER)
                    .flat_map(|(m, table)| m.per_seed.iter().map(move |v| (v - table).abs()))
                    .fold(0.0, f64::max);
                (off <= 0.03, format!("1/√fan_in largest deviation from the CS231n table {off:.3}"))
            }
            _ => (lo >= 0.7 && hi <= 1.0, format!("ReLU+He std {lo:.3}–{hi:.3}")),
        };
        measured.extend(stds);
        measured.push(Measure::new(format!("rho_delta {arm}"), of_arm.iter().map(|s| s.rho).collect()));
        measured
            .push(Measure::new(format!("weight-grad ratio {arm}"), of_arm.iter().map(|s| s.weight_ratio).collect()));
        checks.push(check);
    }
    let holds = checks.iter().all(|c| c.0);
    let reason: Vec<String> = checks.into_iter().map(|c| c.1).collect();
    let figure = chart(
        "activation std per layer, 10 tanh layers of 500 (median over seeds)",
        "hidden layer",
        "std of the activations",
        (false, true),
        curves,
    );
    Ok(Finding::new(holds, reason.join("; "), measured, &seeds)
        .on("N(0,1) inputs 1000×500")
        .with_figures(vec![Figure::Lines(figure)]))
}

/// One b2 network's hidden layers at initialisation.
struct LayerStats {
    /// Activation std per layer.
    stds: Vec<f64>,
    /// Each layer's std over the previous one's (layer 1: over the input's).
    ratios: Vec<f64>,
    /// Saturated share per layer (0 for ReLU).
    saturated: Vec<f64>,
    /// ρ_δ between the first and the last hidden layer.
    rho: f64,
    /// ‖∂L/∂W₁‖ / ‖∂L/∂W₁₀‖.
    weight_ratio: f64,
}

/// The smallest and largest value over every seed of every measure.
fn extremes(measures: &[Measure]) -> (f64, f64) {
    measures.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), m| (lo.min(m.min), hi.max(m.max)))
}

fn b3(ctx: &Context) -> Result<Finding, ClaimError> {
    let seeds = ctx.seeds(5, 2);
    let epochs = ctx.pick(15, 3);
    let early = 10.min(epochs);
    let base = |activation, init| {
        let model = MlpConfig::new(64, vec![128; 5], 0).with_activation(activation).with_init(init);
        TrainConfig::new(DataSource::Digits, model)
            .with_optimizer(OptimizerKind::Sgd)
            .with_batch_size(Some(10))
            .with_epochs(epochs)
            .with_eval_every(epochs)
    };
    let arms = vec![
        ("sigmoid+glorot-standard".to_string(), base(ActivationKind::Sigmoid, InitScheme::GlorotStandard)),
        ("tanh+xavier".to_string(), base(ActivationKind::Tanh, InitScheme::XavierUniform)),
    ];
    let grid = ctx.pick(&LR_GRID[3..6], &LR_GRID[3..5]);
    let data = |seed| prepared(&arms[0].1.clone().with_seed(seed));
    let tuned = tune(ctx, &arms, grid, &seeds, &data, |r| -test_acc(r))?;
    let error = |t: usize| tuned[t].measure("test error", |r| 1.0 - test_acc(r));
    let (sigmoid, tanh) = (error(0), error(1));
    let rates: Vec<_> = tuned.iter().map(|t| t.rate.clone()).collect();
    // The sigmoid arm again at its chosen rate, logging the mean activation of every hidden layer each epoch.
    let sigmoid_config = arms[0].1.clone().with_lr(tuned[0].rate.lr);
    let logs = ctx.try_parallel(&seeds, |seed| {
        let config = sigmoid_config.clone().with_seed(*seed);
        let log: Vec<Floats> =
            ctx.unit("b3 activation log", &config, || activation_log(&config, &data(*seed), &ctx.device))?;
        Ok(log.into_iter().map(|means| means.0).collect::<Vec<_>>())
    })?;
    // Per seed: the early epoch where the top layer's mean is lowest, that mean, and the lowest lower-layer mean then.
    let pattern: Vec<(f64, f64, f64)> = logs
        .iter()
        .map(|log| {
            let epoch = (1..=early.min(log.len() - 1)).min_by(|x, y| log[*x][4].total_cmp(&log[*y][4])).unwrap_or(0);
            (epoch as f64, log[epoch][4], log[epoch][..4].iter().copied().fold(f64::INFINITY, f64::min))
        })
        .collect();
    let top = Measure::new("sigmoid top-layer lowest early mean", pattern.iter().map(|p| p.1).collect());
    let lower = Measure::new("sigmoid layers 1-4 lowest mean at that epoch", pattern.iter().map(|p| p.2).collect());
    let at = Measure::new("sigmoid epoch of the lowest top-layer mean", pattern.iter().map(|p| p.0).collect());
    let (top_low, lower_high) =
        (pattern.iter().filter(|p| p.1 < 0.1).count(), pattern.iter().filter(|p| p.2 > 0.5).count());
    let saturating = pattern.iter().filter(|p| p.1 < 0.1 && p.2 > 0.5).count();
    let worse = sigmoid.per_seed.iter().zip(&tanh.per_seed).filter(|(s, t)| **s - **t >= 0.01).count();
    let n = seeds.len();
    let holds = saturating * 10 >= 7 * n && worse * 10 >= 7 * n;
    let reason = format!(
        "top sigmoid layer mean < 0.1 within {early} epochs in {top_low}/{n} seeds (median lowest {:.3}), layers 1–4 all \
         > 0.5 then in {lower_high}/{n} (median lowest {:.3}), both in {saturating}/{n}; test error sigmoid {:.1} % vs tanh \
         {:.1} % (median), sigmoid worse by ≥ 1 point in {worse}/{n} seeds",
        top.median,
        lower.median,
        100.0 * sigmoid.median,
        100.0 * tanh.median
    );
    let mut measured = vec![sigmoid, tanh, top, lower, at];
    let last = logs.iter().map(|log| log.last().cloned().unwrap_or_default()).collect::<Vec<_>>();
    measured.extend((0..5).map(|l| {
        Measure::new(
            format!("sigmoid final mean activation layer {}", l + 1),
            last.iter().map(|m| m.get(l).copied().unwrap_or(f64::NAN)).collect(),
        )
    }));
    let epochs_logged = logs.iter().map(Vec::len).min().unwrap_or(0);
    let layer_curve = |l: usize| -> Vec<(f64, f64)> {
        (0..epochs_logged)
            .map(|e| (e as f64, Measure::new("", logs.iter().map(|log| log[e][l]).collect()).median))
            .collect()
    };
    let lines = (0..5).map(|l| line(format!("layer {}", l + 1), layer_curve(l))).collect();
    let mean_figure = chart(
        "sigmoid net: mean activation per layer during training (median)",
        "epoch",
        "mean activation",
        (false, false),
        lines,
    );
    let figures = vec![Figure::Lines(mean_figure), tuning("digits: final loss against learning rate", &tuned)];
    let finding =
        Finding::new(holds, reason.clone(), measured, &seeds).on("digits").with_rates(rates).with_figures(figures);
    Ok(if tanh_failed(&finding) {
        finding.inconclusive(format!("the tanh reference did not train: {reason}"))
    } else {
        finding
    })
}

fn tanh_failed(finding: &Finding) -> bool {
    finding.measure("test error tanh+xavier").is_none_or(|m| m.median > 0.5)
}

/// Trains `config` through a [`Run`] (the updates of `zoo_train::train`) and returns, for epoch 0..=epochs, the
/// mean activation of every hidden layer on the first 300 test examples.
fn activation_log(config: &TrainConfig, data: &Prepared, device: &Device) -> Result<Vec<Floats>, ClaimError> {
    let mut run = Run::new(config, data, device)?;
    let (probe, _) = run.test_set().range(0, run.test_set().len.min(300));
    let means = |model: &zoo_models::Mlp| {
        let trace = model.valid().forward_traced(probe.clone());
        Floats(trace.a[..trace.a.len() - 1].iter().map(|a| mean(&host(a.clone()))).collect())
    };
    let mut log = vec![means(run.model())];
    while let Some(batches) = run.next_epoch() {
        for batch in batches {
            let (x, y) = run.batch(&batch);
            run.step(x, y);
        }
        log.push(means(run.model()));
    }
    Ok(log)
}
