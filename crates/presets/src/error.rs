//! The one error type of the zoo: a preset not found, not trained, corrupt, untrainable, or its README table.

use std::path::PathBuf;

/// Why a preset could not be found, loaded, trained or evaluated.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PresetError {
    /// No preset has this name.
    #[error("unknown preset `{name}`; the zoo has: {known}")]
    Unknown {
        /// The name asked for.
        name: String,
        /// Every preset's name.
        known: String,
    },
    /// The preset is in the table but its weights were never trained into this build.
    #[error("preset `{name}` has no trained weights in this build: run `cargo xtask zoo train {name}` and rebuild")]
    NotTrained {
        /// The preset.
        name: String,
    },
    /// The embedded weights or metrics, or the table row, do not fit the preset.
    #[error("preset `{name}`: {message}")]
    Corrupt {
        /// The preset.
        name: String,
        /// What does not fit.
        message: String,
    },
    /// Its data could not be loaded, or its run could not be set up or saved.
    #[error("preset `{name}`: {error}")]
    Train {
        /// The preset.
        name: String,
        /// What went wrong.
        error: zoo_train::TrainError,
    },
    /// The README's zoo table could not be rewritten.
    #[error("{}: {message}", path.display())]
    Readme {
        /// The README.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}
