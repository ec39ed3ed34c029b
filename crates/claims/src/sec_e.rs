//! Section (e): ReLU units can die — born dead at initialisation, killed by a large learning rate, and dead for good.

use burn::module::Param;
use burn::prelude::*;
use burn::tensor::Gradients;
use serde::{Deserialize, Serialize};
use zoo_datasets::DataSource;
use zoo_models::init::layer_rng;
use zoo_models::{ActivationKind, InitScheme, Mlp, MlpConfig};
use zoo_report::{Figure, Heatmap};
use zoo_train::{OptimizerKind, Run, TrainConfig, host};

use crate::data::prepared;
use crate::figures::{chart, line, per_seed, reference};
use crate::harness::Context;
use crate::{Claim, ClaimError, Finding, Measure};

/// e1: born dead.
pub const E1: Claim = Claim {
    id: "e1",
    lesson: "ReLU networks can be born dead: the whole network outputs a constant",
    experiment: "He init, zero bias, 1-D input (grid of 21 points in [−1, 1]), widths {2,3,4,5,10} × depths \
                 {2,5,10,20,50} hidden layers, 2000 networks per cell and seed, forward pass on the host in f64 with \
                 the weights MlpConfig::init draws (InitScheme::sample on layer_rng(net seed, layer)); net seed = \
                 (seed << 32) + index",
    threshold: "P(constant output) rises with depth and falls with width; width 2 depth 10 in [0.85, 0.95]; width 10 \
                depth 10 ≤ 0.02; leaky ReLU 0; death at x = 1 within ±0.03 of 1 − (1 − 2^−N)^L in every cell",
    anchor: "Lu, Shin, Su & Karniadakis 2019 \"Dying ReLU and Initialization\": collapse > 90 % at width 2, ≈ 60 % at \
             width 3, > 10 % at width 5, < 1 % at width 10, depth 10",
    run: e1,
};

/// e3: dead for good.
pub const E3: Claim = Claim {
    id: "e3",
    lesson: "A dead ReLU unit never recovers: its incoming weights get no gradient",
    experiment: "ReLU 2-16-16-2 (He) on moons, inputs clipped to |x| ≤ 3; the first-layer unit with the smallest \
                 ‖w‖₁ gets bias −10; plain SGD minibatch 32 at lr 0.01, 0.1 and 0.3 (every rate, not tuned)",
    threshold: "the unit's incoming weights and bias get a gradient of exactly 0.0 at every step, and are bitwise \
                unchanged at the end, while the other units learn",
    anchor: "the chain rule: ∂L/∂w = x·ReLU′(z)·δ with ReLU′(z ≤ 0) = 0",
    run: e3,
};

const WIDTHS: [usize; 5] = [2, 3, 4, 5, 10];
const DEPTHS: [usize; 5] = [2, 5, 10, 20, 50];

/// Per depth of `DEPTHS`: [output constant over the grid (ReLU), dead at x = 1 (ReLU), constant (leaky ReLU)].
type Counts = [[usize; 3]; 5];

fn e1(ctx: &Context) -> Result<Finding, ClaimError> {
    let seeds = ctx.seeds(10, 3);
    let nets = ctx.pick(2000, 1000);
    let items: Vec<(u64, usize)> = seeds.iter().flat_map(|s| WIDTHS.iter().map(move |w| (*s, *w))).collect();
    let counts: Vec<Counts> = ctx.parallel(&items, |(seed, width)| {
        let mut counts = [[0usize; 3]; 5];
        for index in 0..nets as u64 {
            let net = (seed << 32).wrapping_add(index);
            let relu = collapse(net, *width, ActivationKind::Relu);
            let leaky = collapse(net, *width, ActivationKind::LeakyRelu { slope: 0.01 });
            for d in 0..DEPTHS.len() {
                counts[d][0] += usize::from(relu[d].0);
                counts[d][1] += usize::from(relu[d].1);
                counts[d][2] += usize::from(leaky[d].0);
            }
        }
        counts
    });
    // Pooled probability over seeds of cell (w, d) and quantity q, and its per-seed values.
    let per_seed = |w: usize, d: usize, q: usize| -> Vec<f64> {
        (0..seeds.len()).map(|s| counts[s * WIDTHS.len() + w][d][q] as f64 / nets as f64).collect()
    };
    let pooled = |w: usize, d: usize, q: usize| per_seed(w, d, q).iter().sum::<f64>() / seeds.len() as f64;
    let mut measured = Vec::new();
    let (mut monotone, mut worst_gap, mut leaky_constant) = (true, 0.0f64, 0.0f64);
    for (w, width) in WIDTHS.iter().enumerate() {
        for (d, depth) in DEPTHS.iter().enumerate() {
            measured.push(Measure::new(format!("P(constant) width {width} depth {depth}"), per_seed(w, d, 0)));
            measured.push(Measure::new(format!("P(dead at x=1) width {width} depth {depth}"), per_seed(w, d, 1)));
            let formula = 1.0 - (1.0 - 0.5f64.powi(*width as i32)).powi(*depth as i32);
            worst_gap = worst_gap.max((pooled(w, d, 1) - formula).abs());
            leaky_constant = leaky_constant.max(pooled(w, d, 2));
            monotone &= d == 0 || pooled(w, d, 0) >= pooled(w, d - 1, 0);
            monotone &= w == 0 || pooled(w, d, 0) <= pooled(w - 1, d, 0);
        }
    }
    let leaky: Vec<f64> = (0..seeds.len())
        .map(|s| (0..WIDTHS.len()).flat_map(|w| counts[s * WIDTHS.len() + w].iter().map(|c| c[2] as f64)).sum())
        .collect();
    measured.push(Measure::new("constant leaky-ReLU networks (all cells)", leaky));
    let (narrow, wide) = (pooled(0, 2, 0), pooled(4, 2, 0));
    let holds =
        monotone && (0.85..=0.95).contains(&narrow) && wide <= 0.02 && leaky_constant == 0.0 && worst_gap <= 0.03;
    let reason = format!(
        "P(constant) pooled over {} networks per cell: width 2 depth 10 {narrow:.3}, width 3 {:.3}, width 5 {:.3}, \
         width 10 {wide:.4}; monotone in depth and width: {monotone}; leaky ReLU constant: {leaky_constant}; death at \
         x = 1 within {worst_gap:.4} of 1 − (1 − 2^−N)^L in all 25 cells",
        nets * seeds.len(),
        pooled(1, 2, 0),
        pooled(3, 2, 0),
    );
    let heatmap = Heatmap {
        title: "P(output constant): ReLU nets born dead (pooled over seeds)".into(),
        x_label: "width".into(),
        y_label: "depth (hidden layers)".into(),
        x_ticks: WIDTHS.iter().map(usize::to_string).collect(),
        y_ticks: DEPTHS.iter().map(usize::to_string).collect(),
        values: DEPTHS
            .iter()
            .enumerate()
            .flat_map(|(d, _)| (0..WIDTHS.len()).map(move |w| (w, d)))
            .map(|(w, d)| pooled(w, d, 0))
            .collect(),
        value_label: "P(constant)".into(),
        log_color: false,
        curve: None,
    };
    let dead_lines = WIDTHS
        .iter()
        .enumerate()
        .flat_map(|(w, width)| {
            let measured = DEPTHS.iter().enumerate().map(|(d, depth)| (*depth as f64, pooled(w, d, 1))).collect();
            let formula = DEPTHS
                .iter()
                .map(|depth| (*depth as f64, 1.0 - (1.0 - 0.5f64.powi(*width as i32)).powi(*depth as i32)))
                .collect();
            [line(format!("width {width}"), measured), reference(format!("formula, width {width}"), formula)]
        })
        .collect();
    let dead = chart(
        "P(dead at x = 1) measured (solid) and 1 − (1 − 2^−N)^L (dashed)",
        "depth L (hidden layers)",
        "P(dead at x = 1)",
        (true, false),
        dead_lines,
    );
    let mut finding = Finding::new(holds, reason, measured, &seeds)
        .on("1-d grid of 21 points in [−1, 1]")
        .with_figures(vec![Figure::Heatmap(heatmap), Figure::Lines(dead)]);
    finding.precision = "f64".into();
    Ok(finding)
}

/// For one network seed and width, per depth of `DEPTHS`: (output constant over the grid, dead at x = 1).
/// The depth-L network is the first L hidden layers of the depth-50 one (layer ℓ uses `layer_rng(net, ℓ)`, as
/// `MlpConfig::init` does), with its output layer drawn from `layer_rng(net, L)`.
fn collapse(net: u64, width: usize, activation: ActivationKind) -> [(bool, bool); 5] {
    const GRID: usize = 21;
    let xs: Vec<f64> = (0..GRID).map(|i| i as f64 / 10.0 - 1.0).collect();
    let act = |z: f64| match activation {
        ActivationKind::LeakyRelu { slope } if z <= 0.0 => slope * z,
        _ => z.max(0.0),
    };
    let first = InitScheme::HeNormal.sample(1, width, activation, &mut layer_rng(net, 0));
    // Activations, row-major [GRID, width].
    let mut a: Vec<f64> = xs.iter().flat_map(|x| first.iter().map(move |w| act(x * w))).collect();
    let mut next = vec![0.0; a.len()];
    let mut out = [(true, true); 5];
    let mut next_depth = 0;
    for layer in 1..=DEPTHS[4] {
        if DEPTHS[next_depth] == layer {
            let v = InitScheme::HeNormal.sample(width, 1, activation, &mut layer_rng(net, layer));
            let outputs: Vec<f64> = a.chunks(width).map(|row| row.iter().zip(&v).map(|(x, w)| x * w).sum()).collect();
            let constant = outputs.iter().all(|o| *o == outputs[0]);
            let dead = a[(GRID - 1) * width..].iter().all(|x| *x == 0.0);
            out[next_depth] = (constant, dead);
            next_depth += 1;
            if next_depth == DEPTHS.len() {
                break;
            }
        }
        if a.iter().all(|x| *x == 0.0) {
            // Dead everywhere: every deeper network is dead too (its first layers are these).
            break;
        }
        let w = InitScheme::HeNormal.sample(width, width, activation, &mut layer_rng(net, layer));
        next.fill(0.0);
        for (row, out) in a.chunks(width).zip(next.chunks_mut(width)) {
            for (x, weights) in row.iter().zip(w.chunks(width)).filter(|(x, _)| **x != 0.0) {
                out.iter_mut().zip(weights).for_each(|(o, w)| *o += x * w);
            }
            out.iter_mut().for_each(|o| *o = act(*o));
        }
        std::mem::swap(&mut a, &mut next);
    }
    out
}

fn e3(ctx: &Context) -> Result<Finding, ClaimError> {
    let seeds = ctx.seeds(10, 3);
    let rates: &[f64] = ctx.pick(&[0.01, 0.1, 0.3], &[0.1]);
    let steps = ctx.pick(300, 100);
    let trials: Vec<(f64, u64)> = rates.iter().flat_map(|r| seeds.iter().map(move |s| (*r, *s))).collect();
    let runs: Vec<Forced> = ctx.try_parallel(&trials, |(lr, seed)| {
        ctx.unit("e3 forced dead", &(lr, seed, steps), || forced_dead(*lr, *seed, steps, &ctx.device))
    })?;
    // Runs are (rate, seed) pairs: the figure's x is the run's seed, its rates one after the other.
    let runs_seeds: Vec<u64> = trials.iter().map(|(_, seed)| *seed).collect();
    let forced = Measure::new("largest |gradient| of the forced unit", runs.iter().map(|r| r.forced_grad).collect());
    let others = Measure::new("largest |gradient| of the other units", runs.iter().map(|r| r.other_grad).collect());
    let drift = Measure::new("change of the forced unit's parameters", runs.iter().map(|r| r.drift).collect());
    let learned = Measure::new("loss decrease", runs.iter().map(|r| r.loss_drop).collect());
    let premise = runs.iter().all(|r| r.bound < 10.0);
    let holds = premise && forced.max == 0.0 && drift.max == 0.0 && others.min > 0.0 && learned.min > 0.0;
    let reason = format!(
        "{} runs × {steps} steps: forced unit's largest gradient {:e}, parameter change {:e}; other units' largest \
         gradient {:.3e}–{:.3e}, loss fell by {:.3}–{:.3}; max over runs of 3‖w‖₁ − 10 = {:.2} (< 0: dead for every input)",
        runs.len(),
        forced.max,
        drift.max,
        others.min,
        others.max,
        learned.min,
        learned.max,
        runs.iter().map(|r| r.bound - 10.0).fold(f64::NEG_INFINITY, f64::max),
    );
    let figure = per_seed(
        "largest |gradient| per run: the forced-dead unit (0) and the other units",
        "largest |gradient|",
        &[&forced, &others],
        &runs_seeds,
        false,
    );
    Ok(Finding::new(holds, reason, vec![forced, drift, others, learned], &seeds)
        .on("moons, |x| ≤ 3")
        .with_figures(vec![figure]))
}

/// What one forced-dead run saw.
#[derive(Serialize, Deserialize)]
struct Forced {
    #[serde(with = "zoo_train::float")]
    forced_grad: f64,
    #[serde(with = "zoo_train::float")]
    other_grad: f64,
    #[serde(with = "zoo_train::float")]
    drift: f64,
    #[serde(with = "zoo_train::float")]
    loss_drop: f64,
    /// 3‖w‖₁ of the forced unit: its pre-activation is at most this minus 10.
    #[serde(with = "zoo_train::float")]
    bound: f64,
}

fn forced_dead(lr: f64, seed: u64, steps: usize, device: &Device) -> Result<Forced, ClaimError> {
    let config = TrainConfig::new(
        DataSource::Moons { n: 400, noise: 0.1 },
        MlpConfig::new(2, vec![16, 16], 0).with_activation(ActivationKind::Relu).with_init(InitScheme::HeNormal),
    )
    .with_seed(seed)
    .with_optimizer(OptimizerKind::Sgd)
    .with_lr(lr)
    .with_batch_size(Some(32))
    .with_epochs(steps)
    .with_probe_every(0);
    let mut data = prepared(&config);
    data.split.train.features.iter_mut().for_each(|x| *x = x.clamp(-3.0, 3.0));
    let mut run = Run::new(&config, &data, device)?;
    let autodiff = device.clone().autodiff();
    let model = run.model_mut();
    let width = model.layers[0].weight.dims()[1];
    let w0 = host(model.layers[0].weight.val().inner());
    let norm1 = |j: usize| (0..2).map(|i| f64::from(w0[i * width + j].abs())).sum::<f64>();
    let unit = (0..width).min_by(|a, b| norm1(*a).total_cmp(&norm1(*b))).unwrap_or(0);
    let mut bias = model.layers[0].bias.as_ref().map_or(vec![0.0; width], |b| host(b.val().inner()));
    bias[unit] = -10.0;
    model.layers[0].bias = Some(Param::from_tensor(Tensor::from_data(TensorData::new(bias, [width]), &autodiff)));
    let column = |w: &[f32]| -> Vec<f32> { (0..2).map(|i| w[i * width + unit]).collect() };
    let start = (column(&w0), -10.0f32);
    let (mut forced_grad, mut other_grad, mut losses) = (0.0f64, 0.0f64, Vec::new());
    'training: while let Some(batches) = run.next_epoch() {
        for batch in batches {
            let (x, y) = run.batch(&batch);
            // Every update: the largest |gradient| into the forced unit and into the others, before the step.
            let inspect = |model: &Mlp, grads: &Gradients| {
                let gw = model.layers[0].weight.val().grad(grads).map(host).unwrap_or_default();
                let gb = model.layers[0].bias.as_ref().and_then(|b| b.val().grad(grads)).map(host).unwrap_or_default();
                for (i, g) in gw.iter().enumerate() {
                    let target = if i % width == unit { &mut forced_grad } else { &mut other_grad };
                    *target = target.max(f64::from(g.abs()));
                }
                for (j, g) in gb.iter().enumerate() {
                    let target = if j == unit { &mut forced_grad } else { &mut other_grad };
                    *target = target.max(f64::from(g.abs()));
                }
            };
            let loss = run.step_with(x, y, |model, x| model.forward(x), inspect);
            losses.push(f64::from(loss.into_scalar::<f32>()));
            if run.updates() == steps {
                break 'training;
            }
        }
    }
    let model = run.model();
    let w_end = host(model.layers[0].weight.val().inner());
    let b_end = model.layers[0].bias.as_ref().map_or(vec![0.0; width], |b| host(b.val().inner()));
    let drift = column(&w_end)
        .iter()
        .zip(&start.0)
        .map(|(a, b)| f64::from((a - b).abs()))
        .fold(f64::from((b_end[unit] - start.1).abs()), f64::max);
    let mean = |l: &[f64]| l.iter().sum::<f64>() / l.len().max(1) as f64;
    let window = losses.len().min(20);
    Ok(Forced {
        forced_grad,
        other_grad,
        drift,
        loss_drop: mean(&losses[..window]) - mean(&losses[losses.len() - window..]),
        bound: 3.0 * norm1(unit),
    })
}
