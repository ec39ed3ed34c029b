//! Section (g): random initialisation breaks symmetry — zeros and constants keep every unit of a layer identical.

use burn::module::Param;
use burn::prelude::*;
use serde::{Deserialize, Serialize};
use zoo_datasets::{Data, DataSource, Labels, Targets};
use zoo_models::backprop::{backward, output_error_classes};
use zoo_models::{ActivationKind, InitScheme, LossKind, Mlp, MlpConfig};
use zoo_report::Figure;
use zoo_train::{ClassGrid, Prepared, Run, TrainConfig, class_grid, host, plane_of};

use crate::data::prepared;
use crate::figures::{boundaries, chart, line};
use crate::harness::Context;
use crate::{ChosenRate, Claim, ClaimError, Finding, Measure};

/// g1: the deeplearning.ai exercise.
pub const G1: Claim = Claim {
    id: "g1",
    lesson: "Initialising every weight to zero fails to break symmetry; too-large random weights train badly; He works",
    experiment: "deeplearning.ai course 2 week 1: circles (noise 0.05, factor 0.8; a 300/100 split drawn from each \
                 seed, so the data varies with the seed too; raw coordinates as in the course), 2-10-5-1 ReLU/ReLU/sigmoid with BCE, full-batch GD lr 0.01 \
                 (fixed by the exercise) for 15 000 iterations with the lesson's backward pass (zoo_models::backprop, \
                 = autodiff by i2); zeros vs He vs N(0, 1)×10 (all layers, as the course)",
    threshold: "zeros: cost ln 2 ± 1e-9 (final network evaluated in f64) and unchanged at every evaluation, 50 % train \
                and test accuracy, every seed; He: median train ≥ 97 %, median test ≥ 93 %; ×10: final cost above He's \
                and train accuracy below He's in ≥ 8 of 10 seeds",
    anchor: "that exercise reports 50 % / 83 % / 99.3 % train accuracy for zeros / ×10 / He (one seed)",
    run: g1,
};

fn g1(ctx: &Context) -> Result<Finding, ClaimError> {
    let seeds = ctx.seeds(10, 2);
    let iterations = 15_000;
    let arms =
        [("zeros", InitScheme::Zeros), ("he", InitScheme::HeNormal), ("normal×10", InitScheme::Normal { std: 10.0 })];
    let model = MlpConfig::new(2, vec![10, 5], 1).with_activation(ActivationKind::Relu);
    let config = TrainConfig::new(DataSource::Circles { n: 400, noise: 0.05, factor: 0.8 }, model.clone())
        .with_standardize(false);
    let data: Vec<Prepared> = seeds.iter().map(|s| prepared(&config.clone().with_seed(*s))).collect();
    let trials: Vec<(usize, u64)> = (0..arms.len()).flat_map(|a| seeds.iter().map(move |s| (a, *s))).collect();
    let runs: Vec<Course> = ctx.try_parallel(&trials, |(a, seed)| {
        let config = TrainConfig { model: model.clone().with_init(arms[*a].1), ..config.clone() }.with_seed(*seed);
        // The config's seed draws both the weights and the data.
        let data = &data[seeds.iter().position(|s| s == seed).unwrap_or(0)];
        ctx.unit("g1 gradient descent", &(&config, iterations), || {
            gradient_descent(&config, data, 0.01, iterations, &ctx.device)
        })
    })?;
    let n = seeds.len();
    let arm = |a: usize| &runs[a * n..(a + 1) * n];
    let measure = |a: usize, name: &str, f: &dyn Fn(&Course) -> f64| {
        Measure::new(format!("{name} {}", arms[a].0), arm(a).iter().map(f).collect())
    };
    let costs: Vec<Measure> = (0..3).map(|a| measure(a, "final cost (f64)", &|r| r.cost)).collect();
    let trains: Vec<Measure> = (0..3).map(|a| measure(a, "train accuracy", &|r| r.train_acc)).collect();
    let tests: Vec<Measure> = (0..3).map(|a| measure(a, "test accuracy", &|r| r.test_acc)).collect();
    let moved = measure(0, "cost range over evaluations", &|r| r.cost_range);
    let ln2 = std::f64::consts::LN_2;
    let zeros_ok = costs[0].all(|c| (c - ln2).abs() <= 1e-9)
        && moved.max == 0.0
        && trains[0].all(|a| a == 0.5)
        && tests[0].all(|a| a == 0.5);
    let he_ok = trains[1].median >= 0.97 && tests[1].median >= 0.93;
    let worse = (0..n)
        .filter(|i| costs[2].per_seed[*i] > costs[1].per_seed[*i] && trains[2].per_seed[*i] < trains[1].per_seed[*i])
        .count();
    let big_ok = worse * 10 >= 8 * n;
    let reason = format!(
        "zeros: cost − ln 2 up to {:.1e}, cost range {:.1e}, train {:.1} % (every seed: {zeros_ok}); He: median train \
         {:.1} %, test {:.1} %; ×10: median train {:.1} % ({:.1}–{:.1}), cost {:.3} vs He {:.3}, worse than He in \
         {worse}/{n} seeds",
        costs[0].per_seed.iter().map(|c| (c - ln2).abs()).fold(0.0, f64::max),
        moved.max,
        100.0 * trains[0].median,
        100.0 * trains[1].median,
        100.0 * tests[1].median,
        100.0 * trains[2].median,
        100.0 * trains[2].min,
        100.0 * trains[2].max,
        costs[2].median,
        costs[1].median,
    );
    let rates =
        arms.iter().map(|(name, _)| ChosenRate { arm: (*name).into(), lr: 0.01, at_grid_edge: false }).collect();
    let cost_line = |a: usize| {
        let evaluations = arm(a).iter().map(|c| c.costs.len()).min().unwrap_or(0);
        let at = |e: usize| Measure::new("", arm(a).iter().map(|c| c.costs[e]).collect()).median;
        line(arms[a].0, (0..evaluations).map(|e| (arm(a)[0].iterations[e] as f64, at(e))).collect())
    };
    let curves = chart(
        "cost during gradient descent (median over seeds); zeros stays at ln 2",
        "iteration",
        "training cost (BCE)",
        (false, true),
        (0..arms.len()).map(cost_line).collect(),
    );
    let panels = (0..arms.len()).map(|a| (format!("{} init", arms[a].0), arm(a)[0].plane.clone())).collect();
    let figures = vec![
        Figure::Lines(curves),
        boundaries(&format!("decision boundaries after {iterations} iterations, seed {}", seeds[0]), &data[0], panels),
    ];
    let measured = [costs, trains, tests, vec![moved]].concat();
    Ok(Finding::new(zeros_ok && he_ok && big_ok, reason, measured, &seeds)
        .on("circles 300/100 (course exercise)")
        .with_rates(rates)
        .with_figures(figures))
}

/// What one run of the course exercise ended with.
#[derive(Serialize, Deserialize)]
struct Course {
    /// Final mean BCE on the training set, computed in f64 from the final parameters.
    #[serde(with = "zoo_train::float")]
    cost: f64,
    /// Largest minus smallest training cost (f32) over 11 evaluations, from before the first step to the end.
    #[serde(with = "zoo_train::float")]
    cost_range: f64,
    #[serde(with = "zoo_train::float")]
    train_acc: f64,
    #[serde(with = "zoo_train::float")]
    test_acc: f64,
    /// The training cost at each evaluation (update 0, then every tenth of the run).
    #[serde(with = "zoo_train::float::vec")]
    costs: Vec<f64>,
    /// The iteration of each evaluation.
    iterations: Vec<usize>,
    /// The trained network's predicted class over the plane of the training data.
    plane: ClassGrid,
}

/// Full-batch gradient descent as in the course, through a [`Run`] (one epoch is one update, evaluated every
/// `iterations / 10`): the lesson's backward pass (`zoo_models::backprop`, checked against autodiff by claim i2)
/// and θ ← θ − η·∂L/∂θ, on plain tensors — 2.7× cheaper per step than autodiff for this tiny network, which
/// matters for 15 000 steps × 3 arms × 10 seeds. The run's own divergence bound is lifted: the course runs every
/// step whatever the cost.
fn gradient_descent(
    config: &TrainConfig,
    data: &Prepared,
    lr: f64,
    iterations: usize,
    device: &Device,
) -> Result<Course, ClaimError> {
    let config = config
        .clone()
        .with_lr(lr)
        .with_batch_size(None)
        .with_epochs(iterations)
        .with_eval_every((iterations / 10).max(1))
        .with_probe_every(0)
        .with_divergence_loss(f64::INFINITY);
    let mut run = Run::new(&config, data, device)?;
    run.evaluate_if_due();
    while let Some(batches) = run.next_epoch() {
        let (x, y) = run.batch(&batches[0]);
        run.step_by_hand(x, y, |mut model, x, y, lr| {
            let Targets::Classes(y) = y else { panic!("the course data has classes") };
            let trace = model.forward_traced(x);
            let error = output_error_classes(LossKind::BinaryCrossEntropy, trace.logits(), y);
            let gradients = backward(&model, &trace, error);
            for (layer, gradient) in model.layers.iter_mut().zip(gradients) {
                layer.weight = Param::from_tensor(layer.weight.val() - gradient.weight.mul_scalar(lr));
                if let (Some(bias), Some(g)) = (layer.bias.as_mut(), gradient.bias) {
                    *bias = Param::from_tensor(bias.val() - g.mul_scalar(lr));
                }
            }
            model
        });
        run.evaluate_if_due();
    }
    let trained = run.finish();
    let costs: Vec<f64> = trained.record.epochs.iter().map(|e| e.train_loss).collect();
    let range =
        costs.iter().copied().fold(f64::NEG_INFINITY, f64::max) - costs.iter().copied().fold(f64::INFINITY, f64::min);
    let last = trained.record.last();
    Ok(Course {
        cost: host_bce(&trained.model, &data.split.train),
        cost_range: range,
        train_acc: last.and_then(|m| m.train_acc).unwrap_or(0.0),
        test_acc: last.and_then(|m| m.test_acc).unwrap_or(0.0),
        iterations: trained.record.epochs.iter().map(|e| e.epoch).collect(),
        plane: class_grid(&trained.model, plane_of(&data.split.train), 60, device),
        costs,
    })
}

/// Mean binary cross-entropy of a ReLU network with one logit on `data`, computed on the host in f64 from the
/// network's (f32) parameters.
fn host_bce(model: &Mlp, data: &Data) -> f64 {
    let layers: Vec<(Vec<f64>, Vec<f64>, usize)> = model
        .layers
        .iter()
        .map(|l| {
            let width = l.weight.dims()[1];
            let w = host(l.weight.val()).into_iter().map(f64::from).collect();
            let b = l.bias.as_ref().map_or(vec![0.0; width], |b| host(b.val()).into_iter().map(f64::from).collect());
            (w, b, width)
        })
        .collect();
    let Labels::Classes { y, .. } = &data.labels else { return f64::NAN };
    let total: f64 = (0..data.len())
        .map(|i| {
            let mut a: Vec<f64> = data.row(i).iter().map(|v| f64::from(*v)).collect();
            for (index, (w, b, width)) in layers.iter().enumerate() {
                let z: Vec<f64> = (0..*width)
                    .map(|j| b[j] + a.iter().enumerate().map(|(k, x)| x * w[k * width + j]).sum::<f64>())
                    .collect();
                a = if index + 1 < layers.len() { z.into_iter().map(|v| v.max(0.0)).collect() } else { z };
            }
            let (z, t) = (a[0], f64::from(y[i]));
            z.max(0.0) - z * t + (-z.abs()).exp().ln_1p()
        })
        .sum();
    total / data.len() as f64
}
