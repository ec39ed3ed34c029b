//! Section (c): the sigmoid is not zero-centred, so updates zig-zag; tanh is preferred.

use burn::prelude::*;
use zoo_datasets::{Data, DataSource, Labels, Split, Standardizer, synthetic};
use zoo_models::{ActivationKind, InitScheme, MlpConfig};
use zoo_report::Figure;
use zoo_train::{OptimizerKind, Prepared, Run, TrainConfig};

use crate::data::{normal_inputs, prepared};
use crate::figures::{chart, line, loss_curves, per_seed, reference, tuning};
use crate::harness::{Context, LR_GRID, epochs_to_target, tune};
use crate::sec_b::backprop;
use crate::{ChosenRate, Claim, ClaimError, Finding, Floats, Measure, fmt, named};

/// c1: the mechanism.
pub const C1: Claim = Claim {
    id: "c1",
    lesson: "When a layer's inputs are all positive (sigmoid outputs), every weight into a unit moves the same way",
    experiment: "at initialisation, 32 N(0,1) inputs → 64 → 64 → 10, softmax CE on random labels, 256 examples: \
                 share of per-example weight-gradient rows of layer 2 (the 64 weights into one unit) that are \
                 single-signed, for sigmoid vs tanh hidden units; also for minibatch sums (B = 32)",
    threshold: "per-example rows: 100 % single-signed with sigmoid inputs, < 1 % with tanh inputs (width 64), in every seed",
    anchor: "LeCun et al. 1998, Efficient BackProp §4.3: all-positive inputs force the weights of a unit to change \
             in the same direction (zig-zag)",
    run: c1,
};

/// c2: the input offset.
pub const C2: Claim = Claim {
    id: "c2",
    lesson: "Inputs that are not centred slow gradient descent down",
    experiment: "logistic regression on 2 standardised moons features (400, noise 0.1) shifted by +c, c ∈ {0, 0.5, …, \
                 3}, full-batch GD from zero weights at η = 1/L, L = λ_max(E[x̃x̃ᵀ])/4 with x̃ = (x, 1) from the shifted \
                 data (the largest step the descent lemma guarantees; λ_max of the 3×3 matrix in f64 on the host; no \
                 rate grid): steps after which the loss stays within 1e-4 of the optimum (Newton's method in f64) up \
                 to a cap of 50 000 steps (quick: 20 000); a run not within at the cap counts as not reached (∞)",
    threshold: "the median steps over seeds non-decreasing in c, and median steps(c=3) / median steps(c=0) ≥ 20",
    anchor: "LeCun et al. 1998, Efficient BackProp §4.3 (inputs should be shifted to zero mean)",
    run: c2,
};

/// c3: the centring control.
pub const C3: Claim = Claim {
    id: "c3",
    lesson: "Zero-centred activations train faster: tanh is preferred to the sigmoid",
    experiment: "circles, 2 hidden layers of 16, SGD minibatch 16, Xavier-normal (gain 1), lr tuned per arm (0.003–10, \
                 on epochs to the training target): epochs (fractional: training accuracy checked after every update) \
                 to 98 % training accuracy (budget 150) for σ, σ − ½ (same derivative, zero-centred) and tanh",
    threshold: "σ − ½ reaches the target in fewer epochs than σ in ≥ 70 % of seeds, and median epochs(tanh) ≤ \
                median epochs(σ − ½)",
    anchor: "LeCun et al. 1998, Efficient BackProp §4.3–4.4 (\"symmetric sigmoids such as hyperbolic tangent often \
             converge faster than the standard logistic function\")",
    run: c3,
};

fn c1(ctx: &Context) -> Result<Finding, ClaimError> {
    let seeds = ctx.seeds(10, 5);
    let (d_input, width, batch, minibatch) = (32, 64, 256, 32);
    let arms = [("sigmoid", ActivationKind::Sigmoid), ("tanh", ActivationKind::Tanh)];
    let trials: Vec<(usize, u64)> = (0..arms.len()).flat_map(|a| seeds.iter().map(move |s| (a, *s))).collect();
    let shares = ctx.parallel(&trials, |(a, seed)| {
        let config = MlpConfig::new(d_input, vec![width, width], 10)
            .with_activation(arms[*a].1)
            .with_init(InitScheme::XavierNormal);
        let pass = backprop(&config, *seed, normal_inputs(batch, d_input, *seed), &ctx.device);
        // Layer 2's inputs are the first hidden layer's activations; its units' errors are δ₂.
        let (input, delta) = (&pass.a[0], &pass.delta[1]);
        let per_example = single_signed_share(input, delta, width, width, 1);
        let summed = single_signed_share(input, delta, width, width, minibatch);
        (per_example, summed)
    });
    let n = seeds.len();
    let of = |a: usize, pick: fn(&(f64, f64)) -> f64| shares[a * n..(a + 1) * n].iter().map(pick).collect();
    let measured = vec![
        Measure::new("single-signed share per example sigmoid", of(0, |s| s.0)),
        Measure::new("single-signed share per example tanh", of(1, |s| s.0)),
        Measure::new("single-signed share minibatch-32 sum sigmoid", of(0, |s| s.1)),
        Measure::new("single-signed share minibatch-32 sum tanh", of(1, |s| s.1)),
    ];
    let per_example = |arm: &str| named(&measured, &format!("single-signed share per example {arm}"));
    let summed = |arm: &str| named(&measured, &format!("single-signed share minibatch-32 sum {arm}"));
    let (sigmoid, tanh) = (per_example("sigmoid")?, per_example("tanh")?);
    let (sigmoid_sum, tanh_sum) = (summed("sigmoid")?, summed("tanh")?);
    let holds = sigmoid.all(|s| s >= 1.0) && tanh.all(|s| s < 0.01);
    let reason = format!(
        "single-signed per-example rows: sigmoid {:.2} %–{:.2} %, tanh {:.2} %–{:.2} % over {n} seeds; \
         minibatch-32 sums: sigmoid {:.1} %, tanh {:.1} % (median)",
        100.0 * sigmoid.min,
        100.0 * sigmoid.max,
        100.0 * tanh.min,
        100.0 * tanh.max,
        100.0 * sigmoid_sum.median,
        100.0 * tanh_sum.median
    );
    let shares: Vec<&Measure> = measured.iter().collect();
    let figure = per_seed("share of weight-gradient rows with a single sign", "share of rows", &shares, &seeds, false);
    Ok(Finding::new(holds, reason, measured, &seeds).on("N(0,1) inputs, random labels").with_figures(vec![figure]))
}

/// Share of single-signed gradient rows of a layer with `inputs` row-major `[batch, d_in]` and unit errors `delta`
/// `[batch, units]`: the gradient of unit j's incoming weights over a group of `group` examples is
/// Σ_b input[b, ·]·δ[b, j]; a row is single-signed when no two of its entries have opposite signs (0 fits both).
fn single_signed_share(inputs: &[f32], delta: &[f32], d_in: usize, units: usize, group: usize) -> f64 {
    let batch = delta.len() / units.max(1);
    let (mut single, mut rows) = (0usize, 0usize);
    for start in (0..batch).step_by(group.max(1)) {
        let examples = start..(start + group).min(batch);
        for j in 0..units {
            let entry = |i: usize| {
                examples.clone().map(|b| f64::from(inputs[b * d_in + i]) * f64::from(delta[b * units + j])).sum::<f64>()
            };
            let (pos, neg) = (0..d_in).map(entry).fold((false, false), |(p, n), g| (p || g > 0.0, n || g < 0.0));
            single += usize::from(!(pos && neg));
            rows += 1;
        }
    }
    single as f64 / rows.max(1) as f64
}

/// The offsets c of c2.
const OFFSETS: [f64; 7] = [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0];

fn c2(ctx: &Context) -> Result<Finding, ClaimError> {
    let seeds = ctx.seeds(10, 3);
    let offsets = OFFSETS;
    let cap = ctx.pick(50_000, 20_000);
    let trials: Vec<(u64, f64)> = seeds.iter().flat_map(|s| offsets.iter().map(move |c| (*s, *c))).collect();
    // Per (seed, c): [steps until the loss stays within 1e-4 of the optimum (∞: not by the cap), η = 1/L].
    let results: Vec<Floats> = ctx.try_parallel(&trials, |(seed, c)| {
        ctx.unit("c2 steps at 1/L", &(seed, c, cap), || {
            let data = shifted_moons(*seed, *c)?;
            let optimum = newton_optimum(&data.features, &class_ids(&data));
            let lr = 4.0 / largest_eigenvalue(&second_moment(&data.features));
            let steps = steps_to_stay(&data, lr, optimum, cap, &ctx.device)?;
            Ok(Floats(vec![steps.map_or(f64::INFINITY, |s| s as f64), lr]))
        })
    })?;
    let k = offsets.len();
    let mut measured = Vec::new();
    let mut rates = Vec::new();
    for (i, c) in offsets.iter().enumerate() {
        let of_c: Vec<&Floats> = (0..seeds.len()).map(|s| &results[s * k + i]).collect();
        measured.push(Measure::new(format!("steps to optimum c={c}"), of_c.iter().map(|r| r.0[0]).collect()));
        let lr = Measure::new(format!("1/L c={c}"), of_c.iter().map(|r| r.0[1]).collect());
        rates.push(ChosenRate { arm: format!("c={c} (1/L, median over seeds)"), lr: lr.median, at_grid_edge: false });
    }
    let medians: Vec<f64> = measured.iter().map(|m| m.median).collect();
    let monotone = medians.windows(2).all(|w| w[0] <= w[1]);
    let steps = |c: f64| named(&measured, &format!("steps to optimum c={c}"));
    let (centred, farthest) = (steps(offsets[0])?.clone(), steps(offsets[k - 1])?.clone());
    let ratio = farthest.median / centred.median;
    let per_seed_ratio = Measure::new(
        "steps(c=3)/steps(c=0) per seed",
        (0..seeds.len()).map(|s| farthest.per_seed[s] / centred.per_seed[s]).collect(),
    );
    let holds = monotone && ratio >= 20.0;
    let not_reached: usize = measured.iter().map(|m| m.count(f64::is_infinite)).sum();
    let reason = format!(
        "median steps for c = {}: {} (cap {cap}; runs not within 1e-4 by the cap: {not_reached}); medians monotone in \
         c: {monotone}; median steps(3)/steps(0) {} (per seed {}–{}); η = 1/L from {} (c = 0) to {} (c = 3)",
        offsets.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(", "),
        medians.iter().map(|m| fmt(*m)).collect::<Vec<_>>().join(", "),
        fmt(ratio),
        fmt(per_seed_ratio.min),
        fmt(per_seed_ratio.max),
        fmt(rates[0].lr),
        fmt(rates[k - 1].lr),
    );
    let at = |pick: fn(&Measure) -> f64| offsets.iter().zip(&measured).map(|(c, m)| (*c, pick(m))).collect();
    let lines = vec![
        line("median over seeds", at(|m| m.median)),
        reference("slowest seed", at(|m| m.max)),
        reference("fastest seed", at(|m| m.min)),
    ];
    let figure = chart(
        "gradient descent at η = 1/L: steps until the loss stays within 1e-4 of the optimum, against the offset c",
        "offset c",
        "steps",
        (false, true),
        lines,
    );
    measured.push(per_seed_ratio);
    let finding = Finding::new(holds, reason.clone(), measured, &seeds)
        .on("moons (400, noise 0.1), shifted")
        .with_rates(rates)
        .with_figures(vec![Figure::Lines(figure)]);
    Ok(if centred.median.is_finite() {
        finding
    } else {
        finding.inconclusive(format!("the centred inputs (c = 0) did not reach the optimum: {reason}"))
    })
}

/// E[x̃x̃ᵀ] over the rows of the row-major `[n, 2]` inputs `x`, x̃ = (x₁, x₂, 1), in f64.
fn second_moment(x: &[f32]) -> [[f64; 3]; 3] {
    let rows: Vec<[f64; 3]> = x.chunks_exact(2).map(|r| [f64::from(r[0]), f64::from(r[1]), 1.0]).collect();
    let n = rows.len().max(1) as f64;
    let mut m = [[0.0f64; 3]; 3];
    for r in &rows {
        for i in 0..3 {
            for j in 0..3 {
                m[i][j] += r[i] * r[j] / n;
            }
        }
    }
    m
}

/// The largest eigenvalue of a symmetric 3×3 matrix, in closed form (the trigonometric solution of the
/// characteristic cubic, O. K. Smith 1961).
fn largest_eigenvalue(a: &[[f64; 3]; 3]) -> f64 {
    let off = a[0][1].powi(2) + a[0][2].powi(2) + a[1][2].powi(2);
    let q = (a[0][0] + a[1][1] + a[2][2]) / 3.0;
    if off == 0.0 {
        return a[0][0].max(a[1][1]).max(a[2][2]);
    }
    let p = (((a[0][0] - q).powi(2) + (a[1][1] - q).powi(2) + (a[2][2] - q).powi(2) + 2.0 * off) / 6.0).sqrt();
    let mut b = *a;
    for (i, row) in b.iter_mut().enumerate() {
        for (j, v) in row.iter_mut().enumerate() {
            *v = (*v - if i == j { q } else { 0.0 }) / p;
        }
    }
    let phi = (det3(&b) / 2.0).clamp(-1.0, 1.0).acos() / 3.0;
    q + 2.0 * p * phi.cos()
}

/// Moons (400 points, noise 0.1) from `seed`, standardised, then shifted by `c`.
fn shifted_moons(seed: u64, c: f64) -> Result<Data, ClaimError> {
    let mut data = synthetic::moons(400, 0.1, seed).map_err(zoo_train::TrainError::from)?;
    Standardizer::fit(&data).apply(&mut data);
    data.features.iter_mut().for_each(|v| *v = (f64::from(*v) + c) as f32);
    Ok(data)
}

/// The class ids of a classification set (empty for regression).
fn class_ids(data: &Data) -> Vec<i64> {
    match &data.labels {
        Labels::Classes { y, .. } => y.iter().map(|c| i64::from(*c)).collect(),
        Labels::Values { .. } => Vec::new(),
    }
}

/// The minimum of the mean logistic loss of w·x + b on (x, y), by Newton's method in f64 (3 parameters).
fn newton_optimum(x: &[f32], y: &[i64]) -> f64 {
    let rows: Vec<[f64; 3]> = x.chunks_exact(2).map(|r| [f64::from(r[0]), f64::from(r[1]), 1.0]).collect();
    let n = rows.len().max(1) as f64;
    let mut theta = [0.0f64; 3];
    let value = |theta: &[f64; 3]| {
        rows.iter()
            .zip(y)
            .map(|(r, y)| {
                let z: f64 = r.iter().zip(theta).map(|(a, b)| a * b).sum();
                z.max(0.0) - z * *y as f64 + (-z.abs()).exp().ln_1p()
            })
            .sum::<f64>()
            / n
    };
    for _ in 0..50 {
        let (mut g, mut h) = ([0.0f64; 3], [[0.0f64; 3]; 3]);
        for (r, y) in rows.iter().zip(y) {
            let z: f64 = r.iter().zip(&theta).map(|(a, b)| a * b).sum();
            let p = 1.0 / (1.0 + (-z).exp());
            for i in 0..3 {
                g[i] += (p - *y as f64) * r[i] / n;
                for j in 0..3 {
                    h[i][j] += p * (1.0 - p) * r[i] * r[j] / n;
                }
            }
        }
        let step = solve3(h, g);
        theta.iter_mut().zip(step).for_each(|(t, s)| *t -= s);
    }
    value(&theta)
}

/// Solves the 3×3 system `a·x = b` by Cramer's rule (a is a positive-definite Hessian here).
fn solve3(a: [[f64; 3]; 3], b: [f64; 3]) -> [f64; 3] {
    let d = det3(&a);
    if d.abs() < 1e-300 {
        return [0.0; 3];
    }
    let mut x = [0.0; 3];
    for (k, xk) in x.iter_mut().enumerate() {
        let mut m = a;
        for (row, bi) in m.iter_mut().zip(b) {
            row[k] = bi;
        }
        *xk = det3(&m) / d;
    }
    x
}

/// The determinant of a 3×3 matrix.
fn det3(m: &[[f64; 3]; 3]) -> f64 {
    m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
        + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
}

/// Full-batch gradient descent on the logistic loss from zero weights at rate `lr`, on `device`, through a
/// [`Run`] (one epoch is one update) for `cap` updates: the number of updates after which the loss stays within
/// 1e-4 of `optimum` up to the cap; `None` when it is not within at the cap, or the loss diverges (NaN, or above
/// 1e4).
fn steps_to_stay(data: &Data, lr: f64, optimum: f64, cap: usize, device: &Device) -> Result<Option<usize>, ClaimError> {
    let model = MlpConfig::new(2, vec![], 1).with_init(InitScheme::Zeros);
    // The record names the unshifted source; the examples are `data`, shifted.
    let config = TrainConfig::new(DataSource::Moons { n: 400, noise: 0.1 }, model)
        .with_optimizer(OptimizerKind::Sgd)
        .with_lr(lr)
        .with_batch_size(None)
        .with_epochs(cap + 1)
        .with_test_fraction(0.0)
        .with_probe_every(0);
    let prepared = Prepared { split: Split { test: data.subset(&[]), train: data.clone() }, standardizer: None };
    let mut run = Run::new(&config, &prepared, device)?;
    // The first step count from which every loss up to the cap is within 1e-4 (None: not within yet).
    let mut since = None;
    for step in 0..=cap {
        let Some(batches) = run.next_epoch() else { break };
        let (x, y) = run.batch(&batches[0]);
        // The loss after `step` updates, read from the next update's own forward pass.
        let value = run.step(x, y).into_scalar::<f64>();
        if !value.is_finite() || value > 1e4 {
            return Ok(None);
        }
        if value - optimum > 1e-4 {
            since = None;
        } else if since.is_none() {
            since = Some(step);
        }
    }
    Ok(since)
}

fn c3(ctx: &Context) -> Result<Finding, ClaimError> {
    let seeds = ctx.seeds(10, 3);
    let epochs = ctx.pick(150, 60);
    let source = DataSource::Circles { n: 400, noise: 0.05, factor: 0.5 };
    let arms: Vec<(String, TrainConfig)> =
        [ActivationKind::Sigmoid, ActivationKind::SigmoidCentered, ActivationKind::Tanh]
            .into_iter()
            .map(|activation| {
                let model =
                    MlpConfig::new(2, vec![16, 16], 2).with_activation(activation).with_init(InitScheme::XavierNormal);
                let config = TrainConfig::new(source.clone(), model)
                    .with_optimizer(OptimizerKind::Sgd)
                    .with_batch_size(Some(16))
                    .with_epochs(epochs)
                    .with_target_acc(Some(0.98))
                    .with_target_every(Some(1));
                (activation.name(), config)
            })
            .collect();
    let grid = ctx.pick(&LR_GRID[..], &LR_GRID[4..7]);
    let tuned = tune(ctx, &arms, grid, &seeds, &|seed| prepared(&arms[0].1.clone().with_seed(seed)), epochs_to_target)?;
    let measured: Vec<Measure> = tuned.iter().map(|t| t.measure("epochs to 98 %", epochs_to_target)).collect();
    let arm = |kind: ActivationKind| named(&measured, &format!("epochs to 98 % {}", kind.name()));
    let (sigmoid, centred, tanh) =
        (arm(ActivationKind::Sigmoid)?, arm(ActivationKind::SigmoidCentered)?, arm(ActivationKind::Tanh)?);
    let n = seeds.len();
    let beats = centred.per_seed.iter().zip(&sigmoid.per_seed).filter(|(c, s)| c < s).count();
    let holds = beats * 10 >= 7 * n && tanh.median <= centred.median;
    let reason = format!(
        "median epochs to 98 %: σ {}, σ − ½ {}, tanh {}; σ − ½ faster than σ in {beats}/{n} seeds",
        crate::finding::fmt(sigmoid.median),
        crate::finding::fmt(centred.median),
        crate::finding::fmt(tanh.median)
    );
    let rates = tuned.iter().map(|t| t.rate.clone()).collect();
    let figures = vec![
        loss_curves("circles: training loss at each arm's chosen rate (median over seeds)", &tuned),
        tuning("circles: final loss against learning rate", &tuned),
    ];
    let finding = Finding::new(holds, reason.clone(), measured.clone(), &seeds)
        .on("circles")
        .with_rates(rates)
        .with_figures(figures);
    Ok(if centred.median.is_infinite() && tanh.median.is_infinite() {
        finding.inconclusive(format!("neither zero-centred arm reached the target: {reason}"))
    } else {
        finding
    })
}
