//! Training a preset from its recipe into `zoo/<name>/{model.bpk,metrics.json}`, and measuring its embedded
//! weights on its test split again.
//!
//! Training is the only producer of the zoo's files: it trains on flex (deterministic), measures the test split,
//! numbers parameter ids by position and keeps a preset's `date` when neither its weights nor its metrics
//! changed, so a rerun leaves the files byte-identical.

use std::path::Path;

use burn::module::{Param, ParamId};
use burn::nn::Linear;
use burn::prelude::*;
use zoo_datasets::Data;
use zoo_models::Mlp;
use zoo_train::{BURN_VERSION, DeviceSet, TrainError, evaluate, load_split, prepare, save_model, task_for, train};

use crate::error::PresetError;
use crate::preset::{Metrics, Preset};

/// A preset's embedded weights measured again on its test split.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The preset.
    pub name: &'static str,
    /// The test accuracy in its metrics.json.
    pub reported: f64,
    /// The test accuracy measured now.
    pub measured: f64,
    /// The test loss measured now.
    pub loss: f64,
}

impl Evaluation {
    /// Whether the measured accuracy is within half a point of the reported one.
    pub fn reproduced(&self) -> bool {
        (self.measured - self.reported).abs() <= 0.005
    }
}

/// A preset's test split, standardised with the scaling stored in its metrics (as a library user would).
///
/// # Errors
///
/// [`PresetError::Train`] when the data cannot be loaded (such as Fashion-MNIST not installed) or does not fit.
pub fn test_split(preset: &Preset, metrics: &Metrics) -> Result<Data, PresetError> {
    let train_error = |error: TrainError| PresetError::Train { name: preset.name.to_string(), error };
    let mut test = load_split(&preset.train_config()?).map_err(train_error)?.test;
    if let Some(scaling) = &metrics.input_scaling {
        scaling.try_apply(&mut test).map_err(|e| train_error(e.into()))?;
    }
    Ok(test)
}

/// Measures `preset`'s embedded weights on its test split on `device` (a device without autodiff).
///
/// # Errors
///
/// [`PresetError::NotTrained`] or [`PresetError::Corrupt`] for the weights and metrics, [`PresetError::Train`]
/// for the data.
pub fn evaluate_preset(preset: &'static Preset, device: &Device) -> Result<Evaluation, PresetError> {
    let metrics = preset.metrics()?;
    let test = test_split(preset, &metrics)?;
    let model = preset.load(device)?;
    let task = task_for(&preset.config(), &test)
        .map_err(|error| PresetError::Train { name: preset.name.to_string(), error })?;
    let (loss, accuracy) = evaluate(&model, &DeviceSet::new(&test, device), task);
    let measured = accuracy.ok_or_else(|| preset.corrupt("a zoo preset is a classifier".to_string()))?;
    Ok(Evaluation { name: preset.name, reported: metrics.test_accuracy, measured, loss })
}

/// Trains `preset` from its recipe on flex and writes `model.bpk` and `metrics.json` into `dir`; returns the
/// metrics written.
///
/// # Errors
///
/// [`PresetError::Train`] when the data cannot be loaded or a file cannot be written, [`PresetError::Corrupt`]
/// when the table's widths do not fit the data.
pub fn train_preset(preset: &Preset, dir: &Path) -> Result<Metrics, PresetError> {
    let train_error = |error: TrainError| PresetError::Train { name: preset.name.to_string(), error };
    let config = preset.train_config()?;
    let data = prepare(&config).map_err(train_error)?;
    if data.split.train.d_input != preset.d_input {
        return Err(preset.corrupt(format!(
            "the table says {} inputs, {} has {}",
            preset.d_input, preset.dataset, data.split.train.d_input
        )));
    }
    let trained = train(&config, &data, &Device::flex(), &mut |_| {}).map_err(train_error)?;
    let last = trained.record.last().ok_or_else(|| preset.corrupt("the run recorded no epoch".to_string()))?;
    let accuracy = |acc: Option<f64>| acc.ok_or_else(|| preset.corrupt("a zoo preset is a classifier".to_string()));
    let mut metrics = Metrics {
        name: preset.name.to_string(),
        dataset: preset.dataset.to_string(),
        model: preset.config(),
        recipe: preset.recipe,
        n_train: data.split.train.len(),
        n_test: data.split.test.len(),
        train_accuracy: accuracy(last.train_acc)?,
        train_loss: last.train_loss,
        test_accuracy: accuracy(last.test_acc)?,
        test_loss: last.test_loss,
        input_scaling: data.standardizer,
        backend: "flex".to_string(),
        burn_version: BURN_VERSION.to_string(),
        zoo_version: env!("CARGO_PKG_VERSION").to_string(),
        date: today(),
    };
    std::fs::create_dir_all(dir)
        .map_err(|e| train_error(TrainError::Io { path: dir.into(), message: e.to_string() }))?;
    let (weights_path, metrics_path) = (dir.join("model.bpk"), dir.join("metrics.json"));
    let old_weights = std::fs::read(&weights_path).ok();
    save_model(&weights_path, &with_stable_ids(trained.model)).map_err(train_error)?;
    let unchanged_weights = old_weights.is_some_and(|old| std::fs::read(&weights_path).is_ok_and(|new| new == old));
    if let Some(old) = read_metrics(&metrics_path).filter(|_| unchanged_weights)
        && (Metrics { date: old.date.clone(), ..metrics.clone() }) == old
    {
        metrics.date = old.date;
    }
    let json = serde_json::to_string_pretty(&metrics).map_err(|e| preset.corrupt(e.to_string()))? + "\n";
    zoo_train::write_atomic(&metrics_path, json.as_bytes()).map_err(train_error)?;
    Ok(metrics)
}

/// The metrics in a `metrics.json` file, if it exists and parses.
pub fn read_metrics(path: &Path) -> Option<Metrics> {
    serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
}

/// `model` with parameter ids numbered by position: burnpack stores each parameter's id, and fresh ids are
/// random, so without this two identical trainings would write different bytes.
fn with_stable_ids(model: Mlp) -> Mlp {
    fn param<const D: usize>(id: usize, tensor: Tensor<D>) -> Param<Tensor<D>> {
        Param::initialized(ParamId::from(id as u64), tensor)
    }
    let layers = model
        .layers
        .into_iter()
        .enumerate()
        .map(|(i, layer)| Linear {
            weight: param(2 * i, layer.weight.val()),
            bias: layer.bias.map(|b| param(2 * i + 1, b.val())),
        })
        .collect();
    Mlp { layers, activation: model.activation }
}

/// Today's date (UTC) as `YYYY-MM-DD`, from the system clock (days since 1970 to a civil date).
fn today() -> String {
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let z = (seconds / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}
