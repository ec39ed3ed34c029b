//! The run record (serde) and the run directory: `run.json`, `metrics.csv`, `model.bpk`, written atomically.

use std::fs;
use std::path::Path;

use burn::prelude::*;
use burn::store::{BurnpackStore, ModuleSnapshot};
use serde::{Deserialize, Serialize};
use zoo_models::{LossKind, Mlp, MlpConfig};

use crate::config::TrainConfig;
use crate::data::Prepared;
use crate::device::Backend;
use crate::error::TrainError;
use crate::files::{replace_with, write_atomic};
use crate::probe::LayerProbe;

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "status")]
pub enum Status {
    /// Still training (only seen mid-run).
    Running,
    /// Used its whole epoch budget.
    Completed,
    /// Stopped because the training accuracy reached the target, at this epoch.
    ReachedTarget {
        /// The first epoch at the target.
        epoch: usize,
    },
    /// Stopped because the loss became NaN/∞ or exceeded the bound, at this epoch.
    Diverged {
        /// The epoch whose loss was bad.
        epoch: usize,
    },
}

/// The measurements after one epoch (epoch 0: before training). Losses and accuracies may be NaN or ∞ (a
/// diverged run, an empty test split); they are written so that they read back as they were.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpochMetrics {
    /// Full passes done.
    pub epoch: usize,
    /// Mean loss over the training split.
    #[serde(with = "crate::float")]
    pub train_loss: f64,
    /// Training accuracy (classification only).
    #[serde(with = "crate::float::option")]
    pub train_acc: Option<f64>,
    /// Mean loss over the test split (NaN when it is empty).
    #[serde(with = "crate::float")]
    pub test_loss: f64,
    /// Test accuracy (classification only).
    #[serde(with = "crate::float::option")]
    pub test_acc: Option<f64>,
    /// Wall time of the epoch's updates (evaluation and probes excluded).
    pub seconds: f64,
    /// Per-layer probes, when measured this epoch.
    pub probes: Option<Vec<LayerProbe>>,
}

/// Everything about a run: the complete config (enough to rerun it), where it ran, and what happened.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunRecord {
    /// The config as given (data source, model, recipe, seed).
    pub config: TrainConfig,
    /// The model as built: input and output widths fitted to the data.
    pub model: MlpConfig,
    /// A short name of the model (`mlp-2x64-relu-he-normal`).
    pub model_name: String,
    /// Trainable parameters.
    pub num_params: usize,
    /// The loss trained.
    pub task: LossKind,
    /// The data set's name.
    pub dataset: String,
    /// Training and test examples.
    pub n_train: usize,
    /// Test examples.
    pub n_test: usize,
    /// The backend it ran on.
    pub backend: Backend,
    /// The device, as Burn describes it.
    pub device: String,
    /// Crate versions: `zoo` and `burn`.
    pub versions: Versions,
    /// How the run ended.
    pub status: Status,
    /// The first epoch whose training accuracy reached the target; `None`: not reached.
    pub target_epoch: Option<usize>,
    /// The update after which the training accuracy was first seen at the target (between evaluations when
    /// `TrainConfig::target_every` asks for it); `None`: not reached, or a record written before this field.
    #[serde(default)]
    pub target_update: Option<usize>,
    /// Per-epoch metrics, epoch 0 first.
    pub epochs: Vec<EpochMetrics>,
    /// Seconds from start to finish, evaluation and probes included.
    pub wall_seconds: f64,
}

/// Versions of the software that produced a record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Versions {
    /// This project.
    pub zoo: String,
    /// Burn.
    pub burn: String,
}

impl RunRecord {
    pub(crate) fn start(
        config: &TrainConfig,
        model: &MlpConfig,
        task: LossKind,
        device: &Device,
        data: &Prepared,
    ) -> Self {
        Self {
            config: config.clone(),
            model: model.clone(),
            model_name: model.name(),
            num_params: model.num_params(),
            task,
            dataset: data.split.train.name.clone(),
            n_train: data.split.train.len(),
            n_test: data.split.test.len(),
            // Flex for a device no compiled-in backend claims, which Burn does not make.
            backend: Backend::of(device).unwrap_or(Backend::Flex),
            device: format!("{device:?}"),
            versions: Versions { zoo: env!("CARGO_PKG_VERSION").to_string(), burn: BURN_VERSION.to_string() },
            status: Status::Running,
            target_epoch: None,
            target_update: None,
            epochs: Vec::new(),
            wall_seconds: 0.0,
        }
    }

    pub(crate) fn finish(&mut self, seconds: f64) {
        if self.status == Status::Running {
            self.status = Status::Completed;
        }
        self.wall_seconds = seconds;
    }

    /// Epochs to the target training accuracy as a real number: updates to the target over updates per epoch (the
    /// recorded epoch for records without `target_update`); `None` when not reached.
    pub fn epochs_to_target(&self) -> Option<f64> {
        let per_epoch = self.config.batch_size.map_or(1, |b| self.n_train.div_ceil(b.max(1))).max(1);
        match (self.target_update, self.target_epoch) {
            (Some(update), _) => Some(update as f64 / per_epoch as f64),
            (None, epoch) => epoch.map(|e| e as f64),
        }
    }

    /// The metrics after the last epoch run.
    pub fn last(&self) -> Option<&EpochMetrics> {
        self.epochs.last()
    }

    /// The config this record was made with (a `Result` for callers written when the record kept JSON).
    pub fn train_config(&self) -> Result<TrainConfig, TrainError> {
        Ok(self.config.clone())
    }

    /// The model config as built.
    pub fn model_config(&self) -> Result<MlpConfig, TrainError> {
        Ok(self.model.clone())
    }

    /// One CSV row per epoch: the scalar metrics and, per layer, the gradient norm and δ rms.
    pub fn metrics_csv(&self) -> String {
        let layers = self.epochs.iter().filter_map(|e| e.probes.as_ref()).map(Vec::len).max().unwrap_or(0);
        let mut out = String::from("epoch,train_loss,train_acc,test_loss,test_acc,seconds");
        for l in 1..=layers {
            out += &format!(",grad_norm_{l},delta_rms_{l},act_std_{l},dead_{l}");
        }
        out.push('\n');
        let opt = |v: Option<f64>| v.map_or(String::new(), |v| v.to_string());
        for e in &self.epochs {
            out += &format!(
                "{},{},{},{},{},{}",
                e.epoch,
                e.train_loss,
                opt(e.train_acc),
                e.test_loss,
                opt(e.test_acc),
                e.seconds
            );
            for l in 0..layers {
                match e.probes.as_ref().and_then(|p| p.get(l)) {
                    Some(p) => out += &format!(",{},{},{},{}", p.weight_grad_norm, p.delta_rms, p.act_std, opt(p.dead)),
                    None => out += ",,,,",
                }
            }
            out.push('\n');
        }
        out
    }
}

/// The identity of a run: a stable hash of its whole config and the backend it runs on. Runs with equal
/// fingerprints compute the same thing (run directory names, checkpoints that may be resumed).
pub fn run_fingerprint(config: &TrainConfig, backend: Backend) -> u64 {
    crate::config::stable_hash(format!("{}{backend}", config.fingerprint()).as_bytes())
}

/// The Burn version this project is built against.
pub const BURN_VERSION: &str = "0.22.1";

/// Writes `run.json`, `metrics.csv` and `model.bpk` into `dir` (created if needed); each file is written to a
/// temporary name and renamed, so a crash never leaves a half-written file. To write the directory as a unit,
/// give it a [`crate::StagedDir`]'s path and publish that.
pub fn save_run(dir: &Path, record: &RunRecord, model: &Mlp) -> Result<(), TrainError> {
    fs::create_dir_all(dir).map_err(|e| TrainError::io(dir, e))?;
    let json = serde_json::to_string_pretty(record).map_err(|e| TrainError::io(&dir.join("run.json"), e))?;
    write_atomic(&dir.join("run.json"), json.as_bytes())?;
    write_atomic(&dir.join("metrics.csv"), record.metrics_csv().as_bytes())?;
    save_model(&dir.join("model.bpk"), model)
}

/// Saves the weights as burnpack, atomically (a synced temporary renamed into place; removed on error).
pub fn save_model(path: &Path, model: &Mlp) -> Result<(), TrainError> {
    replace_with(path, |tmp| {
        let mut store = BurnpackStore::from_file(tmp).auto_extension(false).overwrite(true);
        model.save_into(&mut store).map_err(|e| TrainError::io(path, e))
    })
}

/// Reads a run directory: its record and its model, on `device`.
pub fn load_run(dir: &Path, device: &Device) -> Result<(RunRecord, Mlp), TrainError> {
    let path = dir.join("run.json");
    let text = fs::read_to_string(&path).map_err(|e| TrainError::io(&path, e))?;
    let record: RunRecord = serde_json::from_str(&text)
        .map_err(|e| TrainError::io(&path, format!("not a run record ({e}); was it edited or cut short?")))?;
    let model = load_model(&dir.join("model.bpk"), &record.model_config()?, device)?;
    Ok((record, model))
}

/// Loads burnpack weights into a network of shape `config`.
pub fn load_model(path: &Path, config: &MlpConfig, device: &Device) -> Result<Mlp, TrainError> {
    if !path.is_file() {
        return Err(TrainError::io(path, "no such file (a run directory holds model.bpk)"));
    }
    config.validate().map_err(|e| TrainError::io(path, format!("the recorded model is invalid: {e}")))?;
    let mut model = config.init_seeded(0, device);
    let mut store = BurnpackStore::from_file(path).auto_extension(false);
    let result = model.load_from(&mut store).map_err(|e| TrainError::io(path, e))?;
    if !result.errors.is_empty() || !result.missing.is_empty() {
        return Err(TrainError::io(
            path,
            format!("weights do not fit the model: {:?} {:?}", result.errors, result.missing),
        ));
    }
    Ok(model)
}
