//! [`Run`]: the training loop opened up. It owns what a run carries from update to update (the model, the
//! optimizer, the shuffle RNG, the data on the device, the record being written) and lets the caller drive it:
//! epochs, batches, updates (the plain one, or one with the caller's forward pass, gradient inspection or hand-made
//! update), evaluations, probes, the model at any point. `train` is the plain loop over it.

use std::time::Instant;

use burn::module::Param;
use burn::optim::{GradientsParams, ModuleOptimizer};
use burn::prelude::*;
use burn::tensor::Gradients;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use zoo_datasets::Targets;
use zoo_models::{LossKind, Mlp, MlpConfig};

use crate::config::TrainConfig;
use crate::data::{DeviceSet, Prepared, fit_model_to_data, task_for};
use crate::error::TrainError;
use crate::loss::{autodiff_targets, task_loss};
use crate::probe::{LayerProbe, ProbeSet, probe};
use crate::record::{EpochMetrics, RunRecord, Status};
use crate::step::{MAX_BATCH_ACTIVATIONS, evaluate, rows_for_width, rows_per_chunk};

/// The salt of the shuffle RNG's seed (`seed ^ SHUFFLE_SALT`), so the shuffling differs from the weights' streams.
const SHUFFLE_SALT: u64 = 0x5DEE_CE66_D1CE_5EED;

/// A finished run: the trained network (on the plain device) and its record.
#[derive(Debug)]
pub struct Trained {
    /// The network after the last update.
    pub model: Mlp,
    /// What happened, epoch by epoch.
    pub record: RunRecord,
}

/// A run in progress. Build it with [`Run::new`], then per epoch: [`Run::next_epoch`] (the shuffled batches, or
/// `None` when the run is over), [`Run::batch`] and [`Run::step`] for each, [`Run::evaluate_if_due`]; end with
/// [`Run::finish`]. The model lives on the autodiff device; batches on the plain one.
pub struct Run {
    pub(crate) config: TrainConfig,
    task: LossKind,
    pub(crate) train_set: DeviceSet,
    test_set: DeviceSet,
    probe_set: Option<ProbeSet>,
    pub(crate) model: Mlp,
    pub(crate) optimizer: ModuleOptimizer,
    pub(crate) rng: StdRng,
    pub(crate) order: Vec<usize>,
    batch_size: usize,
    pub(crate) lr: f64,
    pub(crate) epoch: usize,
    pub(crate) updates: usize,
    over: bool,
    pub(crate) record: RunRecord,
    started: Instant,
    epoch_started: Instant,
}

impl Run {
    /// Validates `config`, fits its model to `data` (input and output widths), puts both splits on `device` and
    /// initialises the network from the config's seed. Nothing is trained or evaluated yet.
    pub fn new(config: &TrainConfig, data: &Prepared, device: &Device) -> Result<Self, TrainError> {
        let started = Instant::now();
        config.validate()?;
        // The model as built says which seed drew its weights: the run's.
        let model_config: MlpConfig = fit_model_to_data(config.model.clone(), &data.split.train).with_seed(config.seed);
        model_config.validate().map_err(|e| TrainError::Config(e.to_string()))?;
        let task = task_for(&model_config, &data.split.train)?;
        let plain = device.clone().without_autodiff();
        let autodiff = device.clone().autodiff();
        let train_set = DeviceSet::new(&data.split.train, &plain);
        let test_set = DeviceSet::new(&data.split.test, &plain);
        // Probes look at fewer examples when layers are very wide, so their activations stay within 64 MiB.
        let widest = model_config.widths().into_iter().max().unwrap_or(1);
        let probe_rows = config.probe_size.min(rows_for_width(widest));
        let probe_set = (config.probe_every > 0).then(|| ProbeSet::new(&train_set, probe_rows, task));
        let batch_size = config.batch_size.unwrap_or(train_set.len).clamp(1, train_set.len.max(1));
        if batch_size.saturating_mul(widest) > MAX_BATCH_ACTIVATIONS {
            return Err(TrainError::Config(format!(
                "a batch of {batch_size} examples through a layer of {widest} units is more than 2^28 activations \
                 (1 GiB); use a smaller --batch-size or narrower layers"
            )));
        }
        let model = model_config.init(&autodiff);
        let record = RunRecord::start(config, &model_config, task, device, data);
        Ok(Self {
            task,
            order: (0..train_set.len).collect(),
            train_set,
            test_set,
            probe_set,
            model,
            optimizer: config.optimizer.build(config.weight_decay),
            rng: StdRng::seed_from_u64(config.seed ^ SHUFFLE_SALT),
            batch_size,
            lr: config.lr,
            epoch: 0,
            updates: 0,
            over: false,
            record,
            started,
            epoch_started: started,
            config: config.clone(),
        })
    }

    /// The config the run was built from.
    pub fn config(&self) -> &TrainConfig {
        &self.config
    }

    /// The loss trained.
    pub fn task(&self) -> LossKind {
        self.task
    }

    /// The network now, on the autodiff device (`model().valid()` for the plain one).
    pub fn model(&self) -> &Mlp {
        &self.model
    }

    /// The network, to change it in place (for example to force a unit dead before training). Keep it on the
    /// autodiff device.
    pub fn model_mut(&mut self) -> &mut Mlp {
        &mut self.model
    }

    /// The training split on the plain device.
    pub fn train_set(&self) -> &DeviceSet {
        &self.train_set
    }

    /// The test split on the plain device.
    pub fn test_set(&self) -> &DeviceSet {
        &self.test_set
    }

    /// The learning rate of the next updates.
    pub fn lr(&self) -> f64 {
        self.lr
    }

    /// Changes the learning rate of the next updates (a schedule, an experiment's probe of stability).
    pub fn set_lr(&mut self, lr: f64) {
        self.lr = lr;
    }

    /// Epochs started so far (during an epoch's updates: that epoch's number).
    pub fn epoch(&self) -> usize {
        self.epoch
    }

    /// Updates done so far.
    pub fn updates(&self) -> usize {
        self.updates
    }

    /// The record so far.
    pub fn record(&self) -> &RunRecord {
        &self.record
    }

    /// Starts the next epoch: the training examples' positions, shuffled, cut into batches of the config's size
    /// (the last one shorter). `None` when the run is over: the epoch budget is spent, or an evaluation found it
    /// diverged or at the target.
    pub fn next_epoch(&mut self) -> Option<Vec<Vec<usize>>> {
        if self.over || self.epoch >= self.config.epochs {
            return None;
        }
        self.epoch += 1;
        self.epoch_started = Instant::now();
        self.order.shuffle(&mut self.rng);
        Some(self.order.chunks(self.batch_size).map(<[usize]>::to_vec).collect())
    }

    /// The examples at these positions of the training split, on the plain device (the whole split, in order and
    /// without a gather, when the batch is all of it).
    pub fn batch(&self, indices: &[usize]) -> (Tensor<2>, Targets) {
        if indices.len() == self.train_set.len {
            self.train_set.range(0, self.train_set.len)
        } else {
            self.train_set.select(indices)
        }
    }

    /// One plain update (see [`crate::step`]); returns the batch's loss before the update, on the plain device
    /// (not read back: read it only when needed).
    pub fn step(&mut self, x: Tensor<2>, y: Targets) -> Tensor<1> {
        self.step_with(x, y, |model, x| model.forward(x), |_, _| {})
    }

    /// One update with the caller's hooks: `forward(model, x)` computes the logits (the model's own forward in
    /// [`Run::step`]; a forward pass with a dropout mask, say), and `inspect(model, gradients)` sees the
    /// gradients before the optimizer uses them. `x` reaches `forward` on the autodiff device. Returns the
    /// batch's loss before the update, on the plain device.
    pub fn step_with(
        &mut self,
        x: Tensor<2>,
        y: Targets,
        forward: impl FnOnce(&Mlp, Tensor<2>) -> Tensor<2>,
        inspect: impl FnOnce(&Mlp, &Gradients),
    ) -> Tensor<1> {
        let logits = forward(&self.model, x.autodiff());
        let loss = task_loss(self.task, logits, &autodiff_targets(y));
        let grads = loss.backward();
        inspect(&self.model, &grads);
        let gradients = GradientsParams::from_grads(grads, &self.model);
        // Moved out (not cloned) so the optimizer may update tensors it owns alone in place.
        let placeholder = Mlp { layers: Vec::new(), activation: self.model.activation };
        let model = std::mem::replace(&mut self.model, placeholder);
        self.model = self.optimizer.step(self.lr, model, gradients);
        self.updates += 1;
        loss.inner()
    }

    /// One update the caller computes without autodiff or the optimizer: `update(model, x, y, lr)` gets the
    /// network on the plain device and returns the next one (for example by the lesson's hand-written backward
    /// pass and θ ← θ − η·∂L/∂θ).
    pub fn step_by_hand(&mut self, x: Tensor<2>, y: Targets, update: impl FnOnce(Mlp, Tensor<2>, Targets, f64) -> Mlp) {
        let next = update(self.model.valid(), x, y, self.lr);
        self.model = onto_autodiff(next);
        self.updates += 1;
    }

    /// After an update: with a target accuracy and `target_every` > 0, every `target_every` updates the training
    /// accuracy on the whole training set; at the target it records the update (and epoch) and ends the run, and
    /// the next [`Run::evaluate_if_due`] records the metrics then. Returns whether the run ended.
    pub fn check_target(&mut self) -> bool {
        let (Some(target), Some(every)) = (self.config.target_acc, self.config.target_every) else { return false };
        if self.over || every == 0 || !self.updates.is_multiple_of(every) {
            return false;
        }
        let (_, accuracy) = evaluate(&self.model.valid(), &self.train_set, self.task);
        if accuracy.is_some_and(|acc| acc >= target) && self.record.target_epoch.is_none() {
            self.record.target_update = Some(self.updates);
            self.record.target_epoch = Some(self.epoch);
            self.record.status = Status::ReachedTarget { epoch: self.epoch };
            self.over = true;
        }
        self.over
    }

    /// Loss and accuracy of the network now on both splits (no probes; `seconds` 0), without recording them.
    pub fn evaluate(&self) -> EpochMetrics {
        let model = self.model.valid();
        let (train_loss, train_acc) = evaluate(&model, &self.train_set, self.task);
        let (test_loss, test_acc) = evaluate(&model, &self.test_set, self.task);
        EpochMetrics { epoch: self.epoch, train_loss, train_acc, test_loss, test_acc, seconds: 0.0, probes: None }
    }

    /// The probes of every layer now, on the first `probe_size` training examples.
    pub fn probe(&self) -> Vec<LayerProbe> {
        match &self.probe_set {
            Some(set) => probe(&self.model, set),
            None => {
                let rows = self.config.probe_size.min(rows_per_chunk(&self.model));
                probe(&self.model, &ProbeSet::new(&self.train_set, rows, self.task))
            }
        }
    }

    /// Evaluates and records the epoch when it is due — before training (epoch 0), every `eval_every` epochs and
    /// after the last — with probes every `probe_every` epochs; then checks divergence (a NaN/∞ or too-large
    /// training loss) and the target accuracy, either of which ends the run. Returns the recorded metrics.
    pub fn evaluate_if_due(&mut self) -> Option<&EpochMetrics> {
        let epoch = self.epoch;
        let due = epoch == 0
            || epoch.is_multiple_of(self.config.eval_every.max(1))
            || epoch == self.config.epochs
            || self.record.target_update.is_some();
        if !due || self.record.epochs.last().is_some_and(|last| last.epoch == epoch) {
            return None;
        }
        let seconds = if epoch == 0 { 0.0 } else { self.epoch_started.elapsed().as_secs_f64() };
        let mut metrics = EpochMetrics { seconds, ..self.evaluate() };
        if self.probe_set.is_some() && epoch.is_multiple_of(self.config.probe_every.max(1)) {
            metrics.probes = Some(self.probe());
        }
        if epoch > 0 {
            let diverged = !metrics.train_loss.is_finite() || metrics.train_loss > self.config.divergence_loss;
            let target = self.config.target_acc;
            let reached = target.is_some_and(|target| metrics.train_acc.is_some_and(|acc| acc >= target));
            if diverged {
                self.record.status = Status::Diverged { epoch };
                self.over = true;
            } else if reached && self.record.target_epoch.is_none() {
                self.record.target_epoch = Some(epoch);
                self.record.target_update = Some(self.updates);
                self.record.status = Status::ReachedTarget { epoch };
                self.over = true;
            }
        }
        self.record.epochs.push(metrics);
        self.record.epochs.last()
    }

    /// Ends the run: the network on the plain device and the completed record.
    pub fn finish(mut self) -> Trained {
        self.record.finish(self.started.elapsed().as_secs_f64());
        Trained { model: self.model.valid(), record: self.record }
    }
}

/// The same network with every parameter on the autodiff device, requiring gradients.
fn onto_autodiff(mut model: Mlp) -> Mlp {
    for layer in &mut model.layers {
        layer.weight = Param::from_tensor(layer.weight.val().autodiff());
        if let Some(bias) = layer.bias.as_mut() {
            *bias = Param::from_tensor(bias.val().autodiff());
        }
    }
    model
}
