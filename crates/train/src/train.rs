//! The lesson's cycle, nothing hidden: forward → loss → backward → update, for epochs, with evaluation,
//! epochs-to-target, divergence detection and probes.

use std::time::Instant;

use burn::optim::{GradientsParams, ModuleOptimizer};
use burn::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use zoo_datasets::Targets;
use zoo_models::{LossKind, Mlp, loss};

use crate::data::{DeviceSet, Prepared, fit_model_to_data, task_for};
use crate::error::TrainError;
use crate::probe::{ProbeSet, probe};
use crate::record::{EpochMetrics, RunRecord, Status};
use crate::{TrainConfig, backend_name};

/// A finished run: the trained network (on the plain device) and its record.
#[derive(Debug)]
pub struct Trained {
    /// The network after the last update.
    pub model: Mlp,
    /// What happened, epoch by epoch.
    pub record: RunRecord,
}

/// Called after every epoch with its metrics (progress bars, logs); return nothing.
pub type OnEpoch<'a> = &'a mut dyn FnMut(&EpochMetrics);

/// Trains `config.model` (its input and output widths fitted to the data) on `data` on `device`.
///
/// Batches are cut on the device from device-resident data; the loss is read back once per epoch, in the
/// evaluation. A NaN/∞ or too-large training loss ends the run with [`Status::Diverged`].
pub fn train(config: &TrainConfig, data: &Prepared, device: &Device, on_epoch: OnEpoch) -> Result<Trained, TrainError> {
    let started = Instant::now();
    validate(config)?;
    let model_config = fit_model_to_data(config.model.clone(), &data.split.train);
    let task = task_for(&model_config, &data.split.train)?;
    let plain = device.clone().without_autodiff();
    let autodiff = device.clone().autodiff();
    let train_set = DeviceSet::new(&data.split.train, &plain);
    let test_set = DeviceSet::new(&data.split.test, &plain);
    let probe_set = (config.probe_every > 0).then(|| ProbeSet::new(&train_set, config.probe_size, task));

    let mut model = model_config.init(config.seed, &autodiff);
    let mut optimizer = config.optimizer.build(config.weight_decay);
    let mut rng = StdRng::seed_from_u64(config.seed ^ 0x5DEE_CE66_D1CE_5EED);
    let mut order: Vec<usize> = (0..train_set.len).collect();
    let batch_size = config.batch_size.unwrap_or(train_set.len).clamp(1, train_set.len.max(1));

    let mut record = RunRecord::start(config, &model_config, task, backend_name(device), device, data);
    let initial = evaluate_epoch(0, &model, &train_set, &test_set, task, 0.0);
    let initial = with_probes(initial, config, probe_set.as_ref(), &model, 0);
    on_epoch(&initial);
    record.epochs.push(initial);

    for epoch in 1..=config.epochs {
        let epoch_start = Instant::now();
        order.shuffle(&mut rng);
        for batch in order.chunks(batch_size) {
            let (x, y) =
                if batch.len() == train_set.len { train_set.range(0, train_set.len) } else { train_set.select(batch) };
            model = step(model, &mut optimizer, config.lr, task, x, y);
        }
        if epoch % config.eval_every.max(1) != 0 && epoch != config.epochs {
            continue;
        }
        let seconds = epoch_start.elapsed().as_secs_f64();
        let metrics = evaluate_epoch(epoch, &model, &train_set, &test_set, task, seconds);
        let metrics = with_probes(metrics, config, probe_set.as_ref(), &model, epoch);
        on_epoch(&metrics);
        let diverged = !metrics.train_loss.is_finite() || metrics.train_loss > config.divergence_loss;
        let reached = config.target_acc.is_some_and(|target| metrics.train_acc.is_some_and(|acc| acc >= target));
        record.epochs.push(metrics);
        if diverged {
            record.status = Status::Diverged { epoch };
            break;
        }
        if reached && record.target_epoch.is_none() {
            record.target_epoch = Some(epoch);
            record.status = Status::ReachedTarget { epoch };
            break;
        }
    }
    record.finish(started.elapsed().as_secs_f64());
    Ok(Trained { model: model.valid(), record })
}

/// One update, the lesson's cycle: forward, loss, backward, optimizer step. `x` and `y` live on the plain
/// device; `model` on the autodiff one. Nothing is read back to the host.
pub fn step(model: Mlp, optimizer: &mut ModuleOptimizer, lr: f64, task: LossKind, x: Tensor<2>, y: Targets) -> Mlp {
    let logits = model.forward(x.autodiff());
    let loss = task_loss(task, logits, &autodiff_targets(y));
    let gradients = GradientsParams::from_grads(loss.backward(), &model);
    optimizer.step(lr, model, gradients)
}

/// Mean loss and accuracy of `model` over a whole set, in chunks, without autodiff.
pub fn evaluate(model: &Mlp, set: &DeviceSet, task: LossKind) -> (f64, Option<f64>) {
    const CHUNK: usize = 8192;
    if set.len == 0 {
        return (f64::NAN, None);
    }
    let mut loss_sum = None::<Tensor<1>>;
    let mut correct = None::<Tensor<1, Int>>;
    for start in (0..set.len).step_by(CHUNK) {
        let end = (start + CHUNK).min(set.len);
        let (x, y) = set.range(start, end);
        let logits = model.forward(x);
        let chunk_loss = task_loss(task, logits.clone(), &y).mul_scalar((end - start) as f64);
        loss_sum = Some(loss_sum.map_or(chunk_loss.clone(), |sum| sum + chunk_loss));
        if let Targets::Classes(y) = y {
            let hits = loss::predict_class(logits).equal(y).int().sum();
            correct = Some(correct.map_or(hits.clone(), |sum| sum + hits));
        }
    }
    let n = set.len as f64;
    let loss = loss_sum.map_or(f64::NAN, |sum| sum.into_scalar::<f64>() / n);
    (loss, correct.map(|hits| hits.into_scalar::<i64>() as f64 / n))
}

/// The loss of `task` for these logits and targets.
pub fn task_loss(task: LossKind, logits: Tensor<2>, targets: &Targets) -> Tensor<1> {
    match (task, targets) {
        (LossKind::SoftmaxCrossEntropy, Targets::Classes(y)) => loss::cross_entropy(logits, y.clone()),
        (LossKind::BinaryCrossEntropy, Targets::Classes(y)) => loss::binary_cross_entropy(logits, y.clone()),
        (_, Targets::Values(y)) => loss::mean_squared_error(logits, y.clone()),
        (LossKind::MeanSquaredError, Targets::Classes(y)) => {
            loss::mean_squared_error(logits, y.clone().float().unsqueeze_dim(1))
        }
    }
}

/// The same targets on the autodiff device, to meet logits there.
pub fn autodiff_targets(targets: Targets) -> Targets {
    match targets {
        Targets::Classes(y) => Targets::Classes(y.autodiff()),
        Targets::Values(y) => Targets::Values(y.autodiff()),
    }
}

fn evaluate_epoch(
    epoch: usize,
    model: &Mlp,
    train: &DeviceSet,
    test: &DeviceSet,
    task: LossKind,
    seconds: f64,
) -> EpochMetrics {
    let model = model.valid();
    let (train_loss, train_acc) = evaluate(&model, train, task);
    let (test_loss, test_acc) = evaluate(&model, test, task);
    EpochMetrics { epoch, train_loss, train_acc, test_loss, test_acc, seconds, probes: None }
}

fn with_probes(
    mut metrics: EpochMetrics,
    config: &TrainConfig,
    set: Option<&ProbeSet>,
    model: &Mlp,
    epoch: usize,
) -> EpochMetrics {
    if let Some(set) = set.filter(|_| epoch % config.probe_every.max(1) == 0) {
        metrics.probes = Some(probe(model, set));
    }
    metrics
}

fn validate(config: &TrainConfig) -> Result<(), TrainError> {
    let bad = |what: &str| Err(TrainError::Config(what.to_string()));
    if !(config.lr.is_finite() && config.lr > 0.0) {
        return bad("the learning rate must be a positive number (try --lr 0.01)");
    }
    if config.batch_size == Some(0) {
        return bad("the batch size must be at least 1 (or omit it for full batch)");
    }
    if !(config.test_fraction >= 0.0 && config.test_fraction < 1.0) {
        return bad("the test fraction must be in [0, 1)");
    }
    if config.target_acc.is_some_and(|t| !(0.0..=1.0).contains(&t)) {
        return bad("the target accuracy is a fraction in [0, 1] (e.g. 0.95)");
    }
    if !(config.weight_decay >= 0.0 && config.weight_decay.is_finite()) {
        return bad("the weight decay must be a non-negative number");
    }
    Ok(())
}
