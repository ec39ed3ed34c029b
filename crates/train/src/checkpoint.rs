//! Checkpoints: a run's whole state every N epochs (weights, optimizer state, record, counters), each written as
//! a unit, so a killed run resumes from the last one and ends with the record an uninterrupted run would have.

use std::fs;
use std::path::{Path, PathBuf};

use burn::prelude::*;
use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};

use crate::config::TrainConfig;
use crate::data::Prepared;
use crate::device::Backend;
use crate::error::TrainError;
use crate::files::{StagedDir, write_atomic};
use crate::record::{RunRecord, load_model, run_fingerprint, save_model};
use crate::run::Run;

/// Where a run keeps its checkpoints and how often (in epochs) it writes one.
#[derive(Debug, Clone)]
pub struct Checkpoints {
    /// The folder: one `epoch-NNNNNN` directory per checkpoint; only the newest is kept.
    pub dir: PathBuf,
    /// Write a checkpoint after every this many epochs (at least 1).
    pub every: usize,
}

/// What a checkpoint's `checkpoint.json` holds besides the weights and the optimizer state.
#[derive(Debug, Serialize, Deserialize)]
struct State {
    /// The config and backend it belongs to ([`key`]).
    key: String,
    epoch: usize,
    updates: usize,
    lr: f64,
    record: RunRecord,
}

/// The first thing read from a checkpoint: whose it is.
#[derive(Deserialize)]
struct Owner {
    key: String,
}

/// The identity of a run a checkpoint may resume ([`run_fingerprint`]), as hex.
fn key(config: &TrainConfig, device: &Device) -> String {
    // Flex for a device no compiled-in backend claims, as in the run record.
    format!("{:016x}", run_fingerprint(config, Backend::of(device).unwrap_or(Backend::Flex)))
}

impl Checkpoints {
    /// The checkpoints there, oldest first (each complete: they are renamed in only once written).
    fn saved(&self) -> Vec<PathBuf> {
        let mut found: Vec<PathBuf> = fs::read_dir(&self.dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("epoch-")))
            .collect();
        found.sort();
        found
    }

    /// Removes every checkpoint (after the finished run has been saved).
    pub fn clear(&self) -> Result<(), TrainError> {
        match fs::remove_dir_all(&self.dir) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(TrainError::io(&self.dir, error)),
            _ => Ok(()),
        }
    }
}

impl Run {
    /// Writes the run's state as `epoch-NNNNNN` in `checkpoints.dir` (staged, synced, renamed in), then removes the
    /// older ones: a kill at any point leaves the previous checkpoint or this one, complete.
    pub fn save_checkpoint(&self, checkpoints: &Checkpoints) -> Result<(), TrainError> {
        let target = checkpoints.dir.join(format!("epoch-{:06}", self.epoch));
        let staged = StagedDir::new(&target)?;
        let state = State {
            key: key(&self.config, &self.train_set.x.device()),
            epoch: self.epoch,
            updates: self.updates,
            lr: self.lr,
            record: self.record.clone(),
        };
        let json = serde_json::to_string_pretty(&state).map_err(|e| TrainError::io(&target, e))?;
        write_atomic(&staged.path().join("checkpoint.json"), json.as_bytes())?;
        save_model(&staged.path().join("model.bpk"), &self.model)?;
        let optimizer = staged.path().join("optimizer.bpk");
        self.optimizer.save(&optimizer).map_err(|e| TrainError::io(&optimizer, format!("{e:?}")))?;
        staged.publish()?;
        for older in checkpoints.saved().into_iter().filter(|path| *path != target) {
            let _ = fs::remove_dir_all(older);
        }
        Ok(())
    }

    /// The run `config` describes, resumed from the newest checkpoint in `checkpoints` (`Ok(None)`: there is
    /// none). A checkpoint of another config or backend, or one that cannot be read, is an error that names it.
    pub fn resume(
        config: &TrainConfig,
        data: &Prepared,
        device: &Device,
        checkpoints: &Checkpoints,
    ) -> Result<Option<Self>, TrainError> {
        let Some(dir) = checkpoints.saved().pop() else { return Ok(None) };
        let unusable = |what: String| {
            TrainError::io(&dir, format!("{what}; remove {} to start the run over", checkpoints.dir.display()))
        };
        let path = dir.join("checkpoint.json");
        let text = fs::read_to_string(&path).map_err(|e| unusable(format!("cannot read checkpoint.json: {e}")))?;
        let damaged = |e: serde_json::Error| unusable(format!("checkpoint.json is damaged: {e}"));
        let owner: Owner = serde_json::from_str(&text).map_err(damaged)?;
        if owner.key != key(config, device) {
            return Err(unusable("this checkpoint belongs to another config or backend".to_string()));
        }
        let state: State = serde_json::from_str(&text).map_err(damaged)?;
        let mut run = Run::new(config, data, device)?;
        if state.epoch > config.epochs || state.record.epochs.last().is_none_or(|m| m.epoch > state.epoch) {
            return Err(unusable(format!("checkpoint.json is inconsistent (epoch {})", state.epoch)));
        }
        let autodiff = device.clone().autodiff();
        run.model = load_model(&dir.join("model.bpk"), &state.record.model, &autodiff)
            .map_err(|e| unusable(format!("cannot load its weights: {e}")))?;
        let optimizer = run.config.optimizer.build(run.config.weight_decay);
        run.optimizer = optimizer
            .load(dir.join("optimizer.bpk"))
            .map_err(|e| unusable(format!("cannot load its optimizer state: {e:?}")))?;
        // The shuffle RNG is not saved: replaying the epochs' shuffles brings it (and the order) to where it was.
        for _ in 0..state.epoch {
            run.order.shuffle(&mut run.rng);
        }
        (run.epoch, run.updates, run.lr, run.record) = (state.epoch, state.updates, state.lr, state.record);
        Ok(Some(run))
    }
}

/// The checkpoint folder of a run directory: `DIR.checkpoints` beside it.
pub fn checkpoints_beside(run_dir: &Path) -> PathBuf {
    let mut name = run_dir.file_name().unwrap_or_default().to_os_string();
    name.push(".checkpoints");
    run_dir.with_file_name(name)
}
