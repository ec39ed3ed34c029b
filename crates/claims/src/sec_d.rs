//! Section (d): ReLU greatly accelerates convergence and is cheaper to compute.

use std::time::Instant;

use burn::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use zoo_datasets::{DataSource, Loaded, Split};
use zoo_models::{ActivationKind, InitScheme, MlpConfig};
use zoo_train::{Backend, OptimizerKind, Prepared, TrainConfig, WgpuAdapter, backend_name, device_for};

use crate::data::{best_linear_accuracy, normal_inputs, prepared};
use crate::figures::{loss_curves, per_seed, tuning};
use crate::harness::{Context, LR_GRID, Scale, epochs_to_target, tune};
use crate::{ChosenRate, Claim, ClaimError, Finding, Measure, named};

/// d1: convergence speed.
pub const D1: Claim = Claim {
    id: "d1",
    lesson: "ReLU greatly accelerates the convergence of gradient descent compared with sigmoid and tanh",
    experiment: "3 hidden layers of 64, SGD minibatch 16, lr tuned per arm for speed (0.03–10): epochs to 95 % \
                 training accuracy on the classic two-spirals (600, 2 turns, noise 0.02; its best linear accuracy \
                 reported beside it; budget 300 epochs), and at full scale, when installed, to 75 % on a Fashion-MNIST \
                 subset (2000 images, rates 0.01–1, budget 10), for ReLU+He, tanh+Xavier, sigmoid+Xavier \
                 (Xavier-normal, gain 1)",
    threshold: "median epochs(ReLU) ≤ 0.5 × median epochs(tanh) and ≤ 0.33 × median epochs(sigmoid), on every data set used",
    anchor: "Krizhevsky et al. 2012, Fig. 1: 25 % training error on CIFAR-10 reached six times faster than tanh",
    run: d1,
};

/// d2: the cost of the activation.
pub const D2: Claim = Claim {
    id: "d2",
    lesson: "ReLU is cheaper to compute than sigmoid and tanh",
    experiment: "forward + backward (autodiff) of the activation alone over 10⁷ f32 elements on each backend this \
                 process can open (the sweep's, flex, ndarray, wgpu when a device exists), median of 3 timed \
                 repetitions after a warm-up, per seed (quick scale: 10⁵ elements); also the end-to-end epoch time \
                 of a 64-256-256-10 MLP on digits on the sweep's backend",
    threshold: "on every backend, median time ratio sigmoid/ReLU ≥ 3 and tanh/ReLU ≥ 3 (end-to-end ratio reported, \
                not judged: matmul dominates)",
    anchor: "Krizhevsky et al. 2012 §3.1: ReLU is a threshold, sigmoid and tanh need an exponential",
    run: d2,
};

fn d1(ctx: &Context) -> Result<Finding, ClaimError> {
    let seeds = ctx.seeds(5, 2);
    let spirals = DataSource::TwoSpirals { n: 600, turns: 2.0, noise: 0.02 };
    let spirals_data =
        |seed| prepared(&TrainConfig::new(spirals.clone(), MlpConfig::new(2, vec![], 2)).with_seed(seed));
    let linear = Measure::new(
        "best linear training accuracy on two-spirals",
        ctx.try_parallel(&seeds, |seed| best_linear_accuracy(&spirals_data(*seed), ctx))?,
    );
    let grid = ctx.pick(&LR_GRID[..], &LR_GRID[3..6]);
    // Two turns per arm take a ReLU net ~80 epochs to 95 % at its best rate (the CS231n spirals took under 60).
    let mut races = vec![race(ctx, &seeds, ("two-spirals", spirals.clone()), 0.95, 300, grid, &spirals_data)?];
    // Fashion-MNIST joins at full scale when its files are installed (Debian package dataset-fashion-mnist).
    if let Some(fashion) = if ctx.scale == Scale::Full { fashion_mnist() } else { None } {
        let source = DataSource::FashionMnist { dir: None };
        let data = |seed| fashion_subset(&fashion, seed);
        races.push(race(ctx, &seeds, ("fashion-mnist", source), 0.75, 10, &LR_GRID, &data)?);
    }
    let holds = races.iter().all(|r| r.relu <= 0.5 * r.tanh && r.relu <= 0.33 * r.sigmoid);
    let fmt = crate::finding::fmt;
    let reason: Vec<String> = races
        .iter()
        .map(|r| {
            format!(
                "{}: median epochs to {:.0} % ReLU {}, tanh {}, sigmoid {} (ReLU/tanh {}, ReLU/sigmoid {})",
                r.set,
                100.0 * r.target,
                fmt(r.relu),
                fmt(r.tanh),
                fmt(r.sigmoid),
                fmt(r.relu / r.tanh),
                fmt(r.relu / r.sigmoid)
            )
        })
        .collect();
    let reason = format!("{} (best linear accuracy on two-spirals {:.1} %)", reason.join("; "), 100.0 * linear.median);
    let sets: Vec<&str> = races.iter().map(|r| r.set).collect();
    let untrained = races.iter().any(|r| r.relu.is_infinite());
    let (mut measured, mut rates, mut figures) = (vec![linear], Vec::new(), Vec::new());
    for r in races {
        measured.extend(r.measured);
        rates.extend(r.rates);
        figures.extend(r.figures);
    }
    let finding = Finding::new(holds, reason.clone(), measured, &seeds)
        .on(sets.join(", "))
        .with_rates(rates)
        .with_figures(figures);
    Ok(if untrained {
        finding.inconclusive(format!("the ReLU arm did not reach the target: {reason}"))
    } else {
        finding
    })
}

/// One data set of d1: the three arms tuned for epochs to `target` training accuracy, and their medians.
struct Race {
    set: &'static str,
    target: f64,
    measured: Vec<Measure>,
    rates: Vec<ChosenRate>,
    relu: f64,
    tanh: f64,
    sigmoid: f64,
    figures: Vec<zoo_report::Figure>,
}

fn race(
    ctx: &Context,
    seeds: &[u64],
    (set, source): (&'static str, DataSource),
    target: f64,
    epochs: usize,
    grid: &[f64],
    data: &(dyn Fn(u64) -> Prepared + Sync),
) -> Result<Race, ClaimError> {
    let arms: Vec<(String, TrainConfig)> = [
        ("relu+he", ActivationKind::Relu, InitScheme::HeNormal),
        ("tanh+xavier", ActivationKind::Tanh, InitScheme::XavierNormal),
        ("sigmoid+xavier", ActivationKind::Sigmoid, InitScheme::XavierNormal),
    ]
    .into_iter()
    .map(|(name, activation, init)| {
        let model = MlpConfig::new(2, vec![64; 3], 0).with_activation(activation).with_init(init);
        let config = TrainConfig::new(source.clone(), model)
            .with_optimizer(OptimizerKind::Sgd)
            .with_batch_size(Some(16))
            .with_epochs(epochs)
            .with_target_acc(Some(target))
            // Training accuracy on the whole training set after every update (every 25 on Fashion-MNIST's 2000
            // images, 0.2 epoch): a target reached within an epoch is resolved, not rounded up to it.
            .with_target_every(Some(if set == "fashion-mnist" { 25 } else { 1 }));
        (format!("{name} on {set}"), config)
    })
    .collect();
    let tuned = tune(ctx, &arms, grid, seeds, data, epochs_to_target)?;
    let label = format!("epochs to {:.0} %", 100.0 * target);
    let measured: Vec<Measure> = tuned.iter().map(|t| t.measure(&label, epochs_to_target)).collect();
    let median = |arm: &str| named(&measured, &format!("{label} {arm} on {set}")).map(|m| m.median);
    let (relu, tanh, sigmoid) = (median("relu+he")?, median("tanh+xavier")?, median("sigmoid+xavier")?);
    let figures = vec![
        loss_curves(&format!("{set}: training loss at each arm's chosen rate (median over seeds)"), &tuned),
        tuning(&format!("{set}: final loss against learning rate"), &tuned),
    ];
    let rates = tuned.into_iter().map(|t| t.rate).collect();
    Ok(Race { set, target, measured, rates, relu, tanh, sigmoid, figures })
}

/// Fashion-MNIST's own split, when its files are installed.
fn fashion_mnist() -> Option<Split> {
    match (DataSource::FashionMnist { dir: None }).load(0) {
        Ok(Loaded::PreSplit(split)) => Some(split),
        _ => None,
    }
}

/// A seeded subset of Fashion-MNIST (2000 training, 500 test images), standardised on its training part.
fn fashion_subset(full: &Split, seed: u64) -> Prepared {
    let pick = |n: usize, k: usize, salt: u64| {
        let mut order: Vec<usize> = (0..n).collect();
        order.shuffle(&mut StdRng::seed_from_u64(seed ^ salt));
        order.truncate(k);
        order
    };
    let split = Split {
        train: full.train.subset(&pick(full.train.len(), 2000, 0xFA5)),
        test: full.test.subset(&pick(full.test.len(), 500, 0x7E57)),
    };
    let (split, standardizer) = split.standardized();
    Prepared { split, standardizer: Some(standardizer) }
}

/// The devices d2 times: the sweep's own, then every other backend this process can open (flex, ndarray, and
/// wgpu when a Vulkan/Metal/DX12 device exists).
fn timing_devices(ctx: &Context) -> Vec<(String, Device)> {
    let mut devices = vec![(backend_name(&ctx.device), ctx.device.clone())];
    for backend in [Backend::Flex, Backend::Ndarray, Backend::Wgpu] {
        if devices.iter().any(|(name, _)| name == backend.name()) {
            continue;
        }
        if let Ok(device) = device_for(backend, WgpuAdapter::Auto) {
            devices.push((backend.name().to_string(), device.without_autodiff()));
        }
    }
    devices
}

fn d2(ctx: &Context) -> Result<Finding, ClaimError> {
    let seeds = ctx.seeds(5, 2);
    let (elements, reps) = ctx.pick((10_000_000, 3), (100_000, 5));
    let kinds = [ActivationKind::Relu, ActivationKind::Sigmoid, ActivationKind::Tanh];
    let mut measured = Vec::new();
    let (mut holds, mut parts, mut ratios) = (true, Vec::new(), Vec::new());
    for (backend, device) in timing_devices(ctx) {
        // Timing runs one trial at a time: parallel trials would compete for the cores they measure.
        let time = |kind: &ActivationKind, seed: &u64| {
            let item = (&backend, kind, elements, reps, seed);
            ctx.unit("d2 activation time", &item, || Ok(time_activation(*kind, elements, reps, *seed, &device)))
        };
        let times: Vec<Vec<f64>> = seeds
            .iter()
            .map(|seed| kinds.iter().map(|kind| time(kind, seed)).collect::<Result<_, _>>())
            .collect::<Result<_, _>>()?;
        let ratio = |k: usize| times.iter().map(|t| t[k] / t[0]).collect::<Vec<f64>>();
        let (sigmoid, tanh) = (
            Measure::new(format!("time ratio sigmoid/relu {backend}"), ratio(1)),
            Measure::new(format!("time ratio tanh/relu {backend}"), ratio(2)),
        );
        holds &= sigmoid.median >= 3.0 && tanh.median >= 3.0;
        parts.push(format!("{backend}: sigmoid/ReLU {:.2}×, tanh/ReLU {:.2}×", sigmoid.median, tanh.median));
        for (k, kind) in kinds.iter().enumerate() {
            let seconds = times.iter().map(|t| t[k]).collect();
            measured.push(Measure::new(format!("seconds fwd+bwd {} {backend}", kind.name()), seconds));
        }
        ratios.extend([sigmoid, tanh]);
    }
    let epoch = epoch_times(ctx, &kinds)?;
    let e2e = |k: usize| {
        Measure::new(format!("epoch-time ratio {}/relu", kinds[k].name()), epoch.iter().map(|t| t[k] / t[0]).collect())
    };
    let (e_sigmoid, e_tanh) = (e2e(1), e2e(2));
    let reason = format!(
        "activation fwd+bwd over {elements} elements, median of {} seeds — {}; end-to-end epoch on {} sigmoid/ReLU \
         {:.2}×, tanh/ReLU {:.2}×",
        seeds.len(),
        parts.join("; "),
        backend_name(&ctx.device),
        e_sigmoid.median,
        e_tanh.median
    );
    ratios.extend([e_sigmoid, e_tanh]);
    let figure = per_seed(
        "time relative to ReLU: the activation (fwd+bwd) on each backend, and a whole epoch",
        "time / ReLU's",
        &ratios.iter().collect::<Vec<_>>(),
        &seeds,
        true,
    );
    measured.extend(ratios);
    Ok(Finding::new(holds, reason, measured, &seeds)
        .with_figures(vec![figure])
        .on(format!("N(0,1) tensor of {elements} elements; digits for the epoch time")))
}

/// Median seconds of `reps` forward + backward passes of `kind` over `elements` values (after one warm-up),
/// each ended by reading one gradient value back, so lazy backends finish the work inside the timing.
fn time_activation(kind: ActivationKind, elements: usize, reps: usize, seed: u64, device: &Device) -> f64 {
    let device = device.clone().autodiff();
    let x =
        Tensor::<1>::from_data(TensorData::new(normal_inputs(elements, 1, seed), [elements]), &device).require_grad();
    let _ = device.sync();
    let mut times = Vec::with_capacity(reps);
    for rep in 0..=reps {
        let start = Instant::now();
        let grads = kind.forward(x.clone()).backward();
        let first = x.grad(&grads).map_or(0.0, |g| g.slice(0..1).into_scalar::<f64>());
        let _ = device.sync();
        if rep > 0 && first.is_finite() {
            times.push(start.elapsed().as_secs_f64());
        }
    }
    Measure::new("", times).median
}

/// For each seed, the median update time of 3 epochs of a 64-256-256-10 MLP on digits (SGD, minibatch 64), per
/// activation; trials run one after another.
fn epoch_times(ctx: &Context, kinds: &[ActivationKind]) -> Result<Vec<Vec<f64>>, ClaimError> {
    let seeds = ctx.seeds(5, 2);
    let epochs = ctx.pick(3, 1);
    seeds
        .iter()
        .map(|seed| {
            kinds
                .iter()
                .map(|kind| {
                    let model = MlpConfig::new(64, vec![256, 256], 0).with_activation(*kind);
                    let config = TrainConfig::new(DataSource::Digits, model)
                        .with_optimizer(OptimizerKind::Sgd)
                        .with_batch_size(Some(64))
                        .with_lr(0.01)
                        .with_epochs(epochs)
                        .with_seed(*seed);
                    let record = ctx.trial(&config, &prepared(&config))?;
                    Ok(Measure::new("", record.epochs.iter().skip(1).map(|e| e.seconds).collect()).median)
                })
                .collect()
        })
        .collect()
}
