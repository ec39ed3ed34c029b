//! Section (d): ReLU greatly accelerates convergence and is cheaper to compute.

use std::time::Instant;

use burn::prelude::*;
use zoo_datasets::DataSource;
use zoo_models::{ActivationKind, InitScheme, MlpConfig};
use zoo_train::{OptimizerKind, TrainConfig, backend_name};

use crate::data::{normal_inputs, prepared};
use crate::harness::{Context, LR_GRID, epochs_to_target, tune};
use crate::{Claim, Finding, Measure};

/// d1: convergence speed.
pub const D1: Claim = Claim {
    id: "d1",
    lesson: "ReLU greatly accelerates the convergence of gradient descent compared with sigmoid and tanh",
    experiment: "spirals, 3 hidden layers of 64, SGD minibatch 16, lr tuned per arm for speed: epochs to 95 % \
                 training accuracy for ReLU+He, tanh+Xavier, sigmoid+Xavier (Xavier-normal with the activation's gain)",
    threshold: "median epochs(ReLU) ≤ 0.5 × median epochs(tanh) and ≤ 0.33 × median epochs(sigmoid)",
    anchor: "Krizhevsky et al. 2012, Fig. 1: 25 % training error on CIFAR-10 reached six times faster than tanh",
    run: d1,
};

/// d2: the cost of the activation.
pub const D2: Claim = Claim {
    id: "d2",
    lesson: "ReLU is cheaper to compute than sigmoid and tanh",
    experiment: "forward + backward (autodiff) of the activation alone over 10⁷ f32 elements on the run's device, \
                 median of 5 timed repetitions after a warm-up, per seed (quick scale: 10⁵ elements); also the \
                 end-to-end epoch time of a 64-256-256-10 MLP on digits",
    threshold: "median time ratio sigmoid/ReLU ≥ 3 and tanh/ReLU ≥ 3 (end-to-end ratio reported, not judged: \
                matmul dominates)",
    anchor: "Krizhevsky et al. 2012 §3.1: ReLU is a threshold, sigmoid and tanh need an exponential",
    run: d2,
};

fn d1(ctx: &Context) -> Finding {
    let seeds = ctx.seeds(5, 3);
    let epochs = ctx.pick(300, 150);
    let source = DataSource::Spirals { n: 600, arms: 2, noise: 0.2 };
    let arms: Vec<(String, TrainConfig)> = [
        ("relu+he", ActivationKind::Relu, InitScheme::HeNormal),
        ("tanh+xavier", ActivationKind::Tanh, InitScheme::XavierNormal),
        ("sigmoid+xavier", ActivationKind::Sigmoid, InitScheme::XavierNormal),
    ]
    .into_iter()
    .map(|(name, activation, init)| {
        let model = MlpConfig::new(2, vec![64; 3], 2).with_activation(activation).with_init(init);
        let config = TrainConfig::new(source.clone(), model)
            .with_optimizer(OptimizerKind::Sgd)
            .with_batch_size(Some(16))
            .with_epochs(epochs)
            .with_target_acc(Some(0.95));
        (name.to_string(), config)
    })
    .collect();
    let grid = ctx.pick(&LR_GRID[..], &LR_GRID[2..6]);
    let tuned = tune(ctx, &arms, grid, &seeds, &|seed| prepared(&arms[0].1.clone().with_seed(seed)), epochs_to_target);
    let measured: Vec<Measure> = tuned.iter().map(|t| t.measure("epochs to 95 %", epochs_to_target)).collect();
    let (relu, tanh, sigmoid) = (measured[0].median, measured[1].median, measured[2].median);
    let holds = relu <= 0.5 * tanh && relu <= 0.33 * sigmoid;
    let fmt = crate::finding::fmt;
    let reason = format!(
        "median epochs to 95 %: ReLU {}, tanh {}, sigmoid {} (ReLU/tanh {}, ReLU/sigmoid {})",
        fmt(relu),
        fmt(tanh),
        fmt(sigmoid),
        fmt(relu / tanh),
        fmt(relu / sigmoid)
    );
    let rates = tuned.iter().map(|t| t.rate.clone()).collect();
    let finding = Finding::new(holds, reason.clone(), measured, &seeds).on("spirals").with_rates(rates);
    if relu.is_infinite() { finding.inconclusive(format!("the ReLU arm did not reach the target: {reason}")) } else { finding }
}

fn d2(ctx: &Context) -> Finding {
    let seeds = ctx.seeds(5, 2);
    let (elements, reps) = ctx.pick((10_000_000, 5), (100_000, 5));
    let kinds = [ActivationKind::Relu, ActivationKind::Sigmoid, ActivationKind::Tanh];
    // Timing runs one trial at a time: parallel trials would compete for the cores they measure.
    let times: Vec<Vec<f64>> = seeds.iter().map(|seed| kinds.iter().map(|k| time_activation(*k, elements, reps, *seed, &ctx.device)).collect()).collect();
    let column = |k: usize| times.iter().map(|t| t[k]).collect::<Vec<f64>>();
    let ratio = |k: usize| times.iter().map(|t| t[k] / t[0]).collect::<Vec<f64>>();
    let sigmoid = Measure::new("time ratio sigmoid/relu", ratio(1));
    let tanh = Measure::new("time ratio tanh/relu", ratio(2));
    let epoch = epoch_times(ctx, &kinds);
    let e2e = |k: usize| Measure::new(format!("epoch-time ratio {}/relu", kinds[k].name()), epoch.iter().map(|t| t[k] / t[0]).collect());
    let (e_sigmoid, e_tanh) = (e2e(1), e2e(2));
    let holds = sigmoid.median >= 3.0 && tanh.median >= 3.0;
    let reason = format!(
        "activation fwd+bwd over {elements} elements on {}: sigmoid/ReLU {:.2}×, tanh/ReLU {:.2}× (median of {} seeds); \
         end-to-end epoch sigmoid/ReLU {:.2}×, tanh/ReLU {:.2}×",
        backend_name(&ctx.device),
        sigmoid.median,
        tanh.median,
        seeds.len(),
        e_sigmoid.median,
        e_tanh.median
    );
    let mut measured: Vec<Measure> = kinds.iter().enumerate().map(|(k, kind)| Measure::new(format!("seconds fwd+bwd {}", kind.name()), column(k))).collect();
    measured.extend([sigmoid, tanh, e_sigmoid, e_tanh]);
    Finding::new(holds, reason, measured, &seeds).on(format!("N(0,1) tensor of {elements} elements; digits for the epoch time"))
}

/// Median seconds of `reps` forward + backward passes of `kind` over `elements` values (after one warm-up),
/// each ended by reading one gradient value back, so lazy backends finish the work inside the timing.
fn time_activation(kind: ActivationKind, elements: usize, reps: usize, seed: u64, device: &Device) -> f64 {
    let device = device.clone().autodiff();
    let x = Tensor::<1>::from_data(TensorData::new(normal_inputs(elements, 1, seed), [elements]), &device).require_grad();
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
fn epoch_times(ctx: &Context, kinds: &[ActivationKind]) -> Vec<Vec<f64>> {
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
                    let record = ctx.trial(&config, &prepared(&config));
                    Measure::new("", record.epochs.iter().skip(1).map(|e| e.seconds).collect()).median
                })
                .collect()
        })
        .collect()
}
