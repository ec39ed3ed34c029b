//! The trial store: every record-only training of a sweep as one file named by a content key (a stable hash of
//! its full spec: config, data, backend, format), written atomically the moment it finishes and looked up before
//! training, so a rerun of a sweep trains only what is missing.

use std::path::{Path, PathBuf};

use burn::prelude::*;
use serde::{Deserialize, Serialize};
use zoo_datasets::{Data, Labels};
use zoo_train::{Backend, Prepared, RunRecord, TrainConfig, stable_hash, write_atomic};

/// The version of the stored format; part of every key, so a change of format never reads old files as new.
pub const FORMAT: u32 = 1;

/// Everything that decides a trial's result.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TrialSpec {
    /// [`FORMAT`].
    pub format: u32,
    /// The complete training config.
    pub config: TrainConfig,
    /// A stable hash of the prepared data it trains and is measured on (features, labels, both splits).
    pub data: String,
    /// The backend it runs on.
    pub backend: String,
}

/// One stored trial: its spec (checked on read) and its record.
#[derive(Debug, Serialize, Deserialize)]
struct Stored {
    spec: TrialSpec,
    record: RunRecord,
}

impl TrialSpec {
    /// The spec of training `config` on `data` on `device`.
    pub fn new(config: &TrainConfig, data: &Prepared, device: &Device) -> Self {
        let backend = Backend::of(device).map_or("unknown", |b| b.name()).to_string();
        Self { format: FORMAT, config: config.clone(), data: format!("{:016x}", data_fingerprint(data)), backend }
    }

    /// The content key: 16 hex digits of a stable hash of the spec's JSON.
    pub fn key(&self) -> String {
        format!("{:016x}", stable_hash(serde_json::to_string(self).unwrap_or_default().as_bytes()))
    }
}

/// A stable hash of prepared data: both splits' features (as f32 bits), labels and widths.
pub fn data_fingerprint(data: &Prepared) -> u64 {
    let mut bytes = Vec::new();
    for split in [&data.split.train, &data.split.test] {
        bytes.extend_from_slice(&(split.d_input as u64).to_le_bytes());
        bytes.extend(split.features.iter().flat_map(|v| v.to_bits().to_le_bytes()));
        labels_bytes(split, &mut bytes);
    }
    stable_hash(&bytes)
}

fn labels_bytes(split: &Data, bytes: &mut Vec<u8>) {
    match &split.labels {
        Labels::Classes { y, n_classes, .. } => {
            bytes.extend_from_slice(&(*n_classes as u64).to_le_bytes());
            bytes.extend(y.iter().flat_map(|c| c.to_le_bytes()));
        }
        Labels::Values { y, d_output } => {
            bytes.extend_from_slice(&(*d_output as u64).to_le_bytes());
            bytes.extend(y.iter().flat_map(|v| v.to_bits().to_le_bytes()));
        }
    }
}

/// The trials of one sweep directory: `DIR/trials/ab/<key>.json`.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

impl Store {
    /// The store under `sweep_dir` (created on the first write).
    pub fn new(sweep_dir: &Path) -> Self {
        Self { dir: sweep_dir.join("trials") }
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(&key[..2]).join(format!("{key}.json"))
    }

    /// The stored record of `spec`, if a trial with exactly this spec finished before.
    pub fn get(&self, spec: &TrialSpec) -> Option<RunRecord> {
        let text = std::fs::read_to_string(self.path(&spec.key())).ok()?;
        let stored: Stored = serde_json::from_str(&text).ok()?;
        // A key names its spec; the spec inside must be the same (a hash collision or a hand-edited file is a miss).
        let same = serde_json::to_string(&stored.spec).ok()? == serde_json::to_string(spec).ok()?;
        same.then_some(stored.record)
    }

    /// Stores `record` as the result of `spec` (synced temporary, rename).
    pub fn put(&self, spec: &TrialSpec, record: &RunRecord) -> Result<(), zoo_train::TrainError> {
        let path = self.path(&spec.key());
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| zoo_train::TrainError::Io { path: parent.to_path_buf(), message: e.to_string() })?;
        }
        let stored = Stored { spec: spec.clone(), record: record.clone() };
        let json = serde_json::to_string(&stored)
            .map_err(|e| zoo_train::TrainError::Io { path: path.clone(), message: e.to_string() })?;
        write_atomic(&path, json.as_bytes())
    }
}
