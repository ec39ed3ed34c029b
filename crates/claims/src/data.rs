//! Data for the experiments: prepared splits of built-in sources, seeded random inputs, and the best linear
//! classifier's accuracy on a data set (the measure of how non-linear it is).

use burn::prelude::*;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, StandardNormal};
use zoo_datasets::DataSource;
use zoo_models::{InitScheme, MlpConfig};
use zoo_train::{OptimizerKind, Prepared, Run, TrainConfig, prepare};

use crate::ClaimError;
use crate::harness::Context;
use crate::store::data_fingerprint;

/// The prepared data of an experiment's config. Experiments only use generated and bundled sets, which cannot
/// fail to load; a failure is a bug in this crate and stops the sweep with the loader's message.
pub fn prepared(config: &TrainConfig) -> Prepared {
    prepare(config).unwrap_or_else(|error| panic!("built-in data set failed to load: {error}"))
}

/// `n × d` inputs from U[−1, 1], row-major.
pub fn uniform_inputs(n: usize, d: usize, seed: u64) -> Vec<f32> {
    let mut rng = StdRng::seed_from_u64(seed ^ 0xA11CE);
    (0..n * d).map(|_| rng.random_range(-1.0f32..1.0)).collect()
}

/// `n × d` inputs from N(0, 1), row-major.
pub fn normal_inputs(n: usize, d: usize, seed: u64) -> Vec<f32> {
    let mut rng = StdRng::seed_from_u64(seed ^ 0xB0B);
    (0..n * d).map(|_| StandardNormal.sample(&mut rng)).collect()
}

/// Convergence of [`best_linear_accuracy`]: stop when the training loss moved by at most `LINEAR_TOLERANCE` over
/// the last `LINEAR_WINDOW` updates, or after `LINEAR_MAX_UPDATES` (the loss of a linearly separable set falls
/// for ever, slower and slower).
const LINEAR_TOLERANCE: f64 = 1e-6;
const LINEAR_WINDOW: usize = 100;
const LINEAR_MAX_UPDATES: usize = 100_000;

/// The training accuracy of the best linear classifier of `data`'s training split — how far a straight boundary
/// gets, the measure of a data set's difficulty beside the networks' accuracies. The classifier is a logistic
/// (softmax) model, an [`MlpConfig`] with no hidden layer, from zero weights (the loss is convex: no seed, no
/// local minimum), trained by plain full-batch gradient descent until the training loss changes by at most 1e-6
/// over 100 updates (at most 100 000 updates). The rate is 2 / tr(E[x̃x̃ᵀ]) with x̃ = (x, 1): the softmax
/// cross-entropy's curvature is at most ½ λ_max(E[x̃x̃ᵀ]) ≤ ½ tr(E[x̃x̃ᵀ]), so the rate is at most 1/β and every
/// update lowers the loss (the descent lemma; 2/3 on standardised 2-d inputs). A stored trial keyed by the data's
/// fingerprint: a rerun reuses it.
pub fn best_linear_accuracy(data: &Prepared, ctx: &Context) -> Result<f64, ClaimError> {
    let item = (format!("{:016x}", data_fingerprint(data)), LINEAR_TOLERANCE, LINEAR_WINDOW, LINEAR_MAX_UPDATES);
    ctx.unit("linear baseline", &item, || linear_fit(data, &ctx.device))
}

fn linear_fit(data: &Prepared, device: &Device) -> Result<f64, ClaimError> {
    let train = &data.split.train;
    let rows = train.len().max(1) as f64;
    let trace = 1.0 + train.features.iter().map(|v| f64::from(*v).powi(2)).sum::<f64>() / rows;
    // Widths 0: fitted to the data. The record's source is only a label here (the examples are `data`'s) and the
    // record is not kept.
    let model = MlpConfig::new(0, vec![], 0).with_init(InitScheme::Zeros);
    let config = TrainConfig::new(DataSource::Xor, model)
        .with_optimizer(OptimizerKind::Sgd)
        .with_lr(2.0 / trace)
        .with_batch_size(None)
        .with_epochs(LINEAR_MAX_UPDATES)
        .with_probe_every(0);
    let mut run = Run::new(&config, data, device)?;
    let mut previous = f64::INFINITY;
    while let Some(batches) = run.next_epoch() {
        let Some(batch) = batches.first() else { break };
        let (x, y) = run.batch(batch);
        let loss = run.step(x, y);
        if run.updates().is_multiple_of(LINEAR_WINDOW) {
            // The loss before this update: the change over the last window of updates.
            let loss = loss.into_scalar::<f64>();
            if !loss.is_finite() || (previous - loss).abs() <= LINEAR_TOLERANCE {
                break;
            }
            previous = loss;
        }
    }
    Ok(run.evaluate().train_acc.unwrap_or(0.0))
}
