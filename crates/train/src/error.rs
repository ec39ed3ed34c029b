//! The errors a run can end with before it starts training (bad data, bad config, no device) or while saving.

use std::path::PathBuf;

/// Why a run could not be set up, loaded or saved. Training itself never fails: a diverging run ends with
/// status `diverged` instead.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    /// The data could not be loaded or split.
    #[error(transparent)]
    Data(#[from] zoo_datasets::DataError),
    /// A hyper-parameter is out of range.
    #[error("invalid config: {0}")]
    Config(String),
    /// The model does not fit the data.
    #[error("model and data do not fit: {0}")]
    Shape(String),
    /// No usable device for the requested backend.
    #[error("{0}")]
    Device(String),
    /// Reading or writing a run directory failed.
    #[error("{path}: {message}")]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

impl TrainError {
    pub(crate) fn io(path: &std::path::Path, error: impl std::fmt::Display) -> Self {
        Self::Io { path: path.to_path_buf(), message: error.to_string() }
    }
}
