//! The trial store: every training of a sweep as one file named by a content key (a stable hash of its full spec:
//! what runs, data, backend, format), written atomically the moment it finishes and looked up before training, so
//! a rerun of a sweep trains only what is missing and shards on a shared directory never train a trial twice.

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use burn::prelude::*;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use zoo_datasets::{Data, Labels};
use zoo_train::{Backend, Prepared, TrainConfig, TrainError, stable_hash, write_atomic};

/// The version of the stored format; part of every key, so a change of format never reads old files as new.
/// 3: `XavierNormal`/`XavierUniform` mean gain 1 (a format-2 trial with the same config was drawn at the
/// activation's gain, 5/3 for tanh).
pub const FORMAT: u32 = 3;

/// A stable hash of the experiments' own code (every section file): part of the key of an experiment's own
/// trainings ([`TrialSpec::unit`]), so editing an experiment never reuses results of the old code.
fn code_hash() -> String {
    const SOURCES: [&str; 16] = [
        include_str!("sec_a.rs"),
        include_str!("sec_b.rs"),
        include_str!("sec_b3.rs"),
        include_str!("sec_c.rs"),
        include_str!("sec_d.rs"),
        include_str!("sec_e.rs"),
        include_str!("sec_e2.rs"),
        include_str!("sec_f.rs"),
        include_str!("sec_g.rs"),
        include_str!("sec_g2.rs"),
        include_str!("sec_h.rs"),
        include_str!("sec_i.rs"),
        include_str!("sec_i3.rs"),
        include_str!("data.rs"),
        include_str!("grid.rs"),
        include_str!("figures.rs"),
    ];
    format!("{:016x}", stable_hash(SOURCES.concat().as_bytes()))
}

/// Everything that decides a trial's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrialSpec {
    /// [`FORMAT`].
    pub format: u32,
    /// What runs: `{"train": config}` (the common training loop) or `{"unit": name, "item": .., "code": ..}`
    /// (an experiment's own training, described by its inputs and the hash of the experiments' code).
    pub what: Value,
    /// A stable hash of the prepared data it trains on (empty for units: their item says how the data is made).
    pub data: String,
    /// The backend it runs on.
    pub backend: String,
}

/// One stored trial: its spec (checked on read) and its result.
#[derive(Debug, Serialize, Deserialize)]
struct Stored {
    spec: TrialSpec,
    result: Value,
}

fn backend_name(device: &Device) -> String {
    Backend::of(device).map_or("unknown", |b| b.name()).to_string()
}

impl TrialSpec {
    /// The spec of training `config` on `data` on `device` with [`zoo_train::train`].
    pub fn training(config: &TrainConfig, data: &Prepared, device: &Device) -> Self {
        Self {
            format: FORMAT,
            what: json!({ "train": config }),
            data: format!("{:016x}", data_fingerprint(data)),
            backend: backend_name(device),
        }
    }

    /// The spec of an experiment's own training `name` (`"b3 activation log"`) on `item` (everything the
    /// experiment's code makes it from: seed, arm, rate, scale) on `device`.
    pub fn unit(name: &str, item: Value, device: &Device) -> Self {
        Self {
            format: FORMAT,
            what: json!({ "unit": name, "item": item, "code": code_hash() }),
            data: String::new(),
            backend: backend_name(device),
        }
    }

    /// The content key: 16 hex digits of a stable hash of the spec's JSON.
    pub fn key(&self) -> String {
        key_of(self)
    }
}

fn key_of(spec: &TrialSpec) -> String {
    format!("{:016x}", stable_hash(serde_json::to_string(spec).unwrap_or_default().as_bytes()))
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

/// The trials of one sweep directory: `DIR/trials/ab/<key>.json`, and `DIR/trials/trained.log` (one line per
/// training finished, appended).
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

fn io_error(path: &Path, error: impl std::fmt::Display) -> TrainError {
    TrainError::Io { path: path.to_path_buf(), message: error.to_string() }
}

impl Store {
    /// The store under `sweep_dir` (created on the first write).
    pub fn new(sweep_dir: &Path) -> Self {
        Self { dir: sweep_dir.join("trials") }
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(&key[..2]).join(format!("{key}.json"))
    }

    /// The stored result of `spec`, if a trial with exactly this spec finished before.
    pub fn get<T: DeserializeOwned>(&self, spec: &TrialSpec) -> Option<T> {
        let text = std::fs::read_to_string(self.path(&spec.key())).ok()?;
        let stored: Stored = serde_json::from_str(&text).ok()?;
        // A key names its spec; the spec inside must be the same (a hash collision or a hand-edited file is a miss).
        (stored.spec == *spec).then_some(())?;
        serde_json::from_value(stored.result).ok()
    }

    /// Stores `result` as the result of `spec` (synced temporary, rename). A result that would not read back as
    /// the same value (a NaN written as `null`) is an error, not a silently different file.
    pub fn put<T: Serialize + DeserializeOwned>(&self, spec: &TrialSpec, result: &T) -> Result<(), TrainError> {
        let path = self.path(&spec.key());
        let value = serde_json::to_value(result).map_err(|e| io_error(&path, e))?;
        let again = serde_json::from_value::<T>(value.clone()).ok().and_then(|t| serde_json::to_value(t).ok());
        if again.as_ref() != Some(&value) {
            return Err(io_error(&path, "the result does not read back as written (a non-finite number?)"));
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io_error(parent, e))?;
        }
        let json =
            serde_json::to_string(&Stored { spec: spec.clone(), result: value }).map_err(|e| io_error(&path, e))?;
        write_atomic(&path, json.as_bytes())
    }

    /// Appends `key name seconds` to `trained.log`: every training that finished, in the order they did (a
    /// duplicated shard shows as a key written twice).
    pub fn log_trained(&self, key: &str, name: &str, seconds: f64) -> Result<(), TrainError> {
        let path = self.dir.join("trained.log");
        std::fs::create_dir_all(&self.dir).map_err(|e| io_error(&self.dir, e))?;
        let mut file =
            std::fs::OpenOptions::new().create(true).append(true).open(&path).map_err(|e| io_error(&path, e))?;
        // One write of one line, so lines of processes appending at once do not interleave.
        file.write_all(format!("{key} {seconds:.3} {name}\n").as_bytes()).map_err(|e| io_error(&path, e))
    }

    /// The keys of every stored trial.
    pub fn keys(&self) -> BTreeSet<String> {
        let files = std::fs::read_dir(&self.dir).into_iter().flatten().flatten();
        let nested = files.filter(|e| e.path().is_dir()).flat_map(|e| std::fs::read_dir(e.path())).flatten().flatten();
        nested
            .filter_map(|e| e.file_name().to_str()?.strip_suffix(".json").map(str::to_string))
            .filter(|key| key.len() == 16 && key.bytes().all(|b| b.is_ascii_hexdigit()))
            .collect()
    }

    /// Copies every trial of `other` that this store lacks (each atomically); returns how many were copied.
    pub fn merge_from(&self, other: &Store) -> Result<usize, TrainError> {
        let mut copied = 0;
        for key in other.keys() {
            let (from, to) = (other.path(&key), self.path(&key));
            if from == to || to.exists() {
                continue;
            }
            let bytes = std::fs::read(&from).map_err(|e| io_error(&from, e))?;
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).map_err(|e| io_error(parent, e))?;
            }
            write_atomic(&to, &bytes)?;
            copied += 1;
        }
        Ok(copied)
    }
}
