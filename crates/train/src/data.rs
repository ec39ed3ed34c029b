//! From a config's data source to standardised train/test tensors resident on the device, and the task.

use burn::prelude::*;
use zoo_datasets::{Data, Labels, Loaded, Split, Standardizer, Targets, split_stratified};
use zoo_models::{LossKind, MlpConfig};

use crate::TrainConfig;
use crate::error::TrainError;

/// The examples of a run, split and (optionally) standardised, on the host.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// Train and test examples.
    pub split: Split,
    /// The standardisation fitted on the training split, if any.
    pub standardizer: Option<Standardizer>,
}

/// One split on the device: inputs `[n, d_input]` and targets, on a plain (non-autodiff) device.
#[derive(Debug, Clone)]
pub struct DeviceSet {
    /// Inputs.
    pub x: Tensor<2>,
    /// Class ids or regression targets.
    pub y: Targets,
    /// Number of examples.
    pub len: usize,
}

/// Loads, splits and standardises the data a config names (synthetic sets are generated from its seed).
pub fn prepare(config: &TrainConfig) -> Result<Prepared, TrainError> {
    let split = load_split(config)?;
    Ok(if config.standardize {
        let (split, standardizer) = split.standardized();
        Prepared { split, standardizer: Some(standardizer) }
    } else {
        Prepared { split, standardizer: None }
    })
}

/// The train/test split of the data a config names, not standardised: the source's own split (IDX sets), or a
/// seeded stratified split of a whole set.
pub fn load_split(config: &TrainConfig) -> Result<Split, TrainError> {
    Ok(match config.data.load(config.seed)? {
        // A test fraction of 0 (allowed by the config: XOR has only 4 points) trains on everything.
        Loaded::Whole(data) if config.test_fraction == 0.0 => Split { test: data.subset(&[]), train: data },
        Loaded::Whole(data) => split_stratified(&data, config.test_fraction, config.seed)?,
        Loaded::PreSplit(split) => split,
    })
}

/// `model` with `d_input` taken from the data and `d_output` too when it is 0 (unset): K logits for K classes,
/// the number of targets for regression. A `d_output` of 1 on two classes is kept: one logit with binary
/// cross-entropy.
pub fn fit_model_to_data(model: MlpConfig, data: &Data) -> MlpConfig {
    let d_output = if model.d_output == 0 { data.d_output() } else { model.d_output };
    MlpConfig { d_input: data.d_input, d_output, ..model }
}

/// The loss for this model on this data, or an error naming the mismatch.
pub fn task_for(model: &MlpConfig, data: &Data) -> Result<LossKind, TrainError> {
    if model.d_input != data.d_input {
        return Err(TrainError::Shape(format!(
            "the model takes {} inputs but `{}` has {} features",
            model.d_input, data.name, data.d_input
        )));
    }
    if let Labels::Classes { y, .. } = &data.labels
        && y.iter().all(|class| Some(class) == y.first())
    {
        return Err(TrainError::Shape(format!(
            "`{}` has {} in its training split: classification needs examples of at least two classes \
             (check the label column, the last one)",
            data.name,
            y.first().map_or("no example".to_string(), |c| format!("only class {c}"))
        )));
    }
    match (&data.labels, model.d_output) {
        (Labels::Classes { n_classes: 2, .. }, 1) => Ok(LossKind::BinaryCrossEntropy),
        (Labels::Classes { n_classes, .. }, d) if d == *n_classes => Ok(LossKind::SoftmaxCrossEntropy),
        (Labels::Values { d_output, .. }, d) if d == *d_output => Ok(LossKind::MeanSquaredError),
        _ => Err(TrainError::Shape(format!(
            "the model has {} outputs but `{}` needs {} (or 1 logit for two classes)",
            model.d_output,
            data.name,
            data.d_output()
        ))),
    }
}

impl DeviceSet {
    /// Puts `data` on `device` (which should be a plain device; training wraps batches for autodiff).
    pub fn new(data: &Data, device: &Device) -> Self {
        let (x, y) = data.to_tensors(device);
        Self { x, y, len: data.len() }
    }

    /// The examples at `indices` (host indices, uploaded once per call).
    pub fn select(&self, indices: &[usize]) -> (Tensor<2>, Targets) {
        let device = self.x.device();
        let ids: Vec<i64> = indices.iter().map(|i| *i as i64).collect();
        let ids = Tensor::<1, Int>::from_data(TensorData::new(ids, [indices.len()]), &device);
        let y = match &self.y {
            Targets::Classes(y) => Targets::Classes(y.clone().select(0, ids.clone())),
            Targets::Values(y) => Targets::Values(y.clone().select(0, ids.clone())),
        };
        (self.x.clone().select(0, ids), y)
    }

    /// Rows `start..end`, without a gather.
    pub fn range(&self, start: usize, end: usize) -> (Tensor<2>, Targets) {
        let y = match &self.y {
            Targets::Classes(y) => Targets::Classes(y.clone().slice(start..end)),
            Targets::Values(y) => Targets::Values(y.clone().slice(start..end)),
        };
        (self.x.clone().slice(start..end), y)
    }
}
