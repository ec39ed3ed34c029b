//! Why an experiment gave no verdict: its setup failed (a training config rejected, a run that could not be set
//! up) or it read a measure it never made. The runner turns either into an `inconclusive` finding with the reason,
//! so one broken experiment does not stop a sweep.

/// An experiment's setup error.
#[derive(Debug, thiserror::Error)]
pub enum ClaimError {
    /// A training config was rejected, or its run could not be set up.
    #[error("experiment config rejected: {0}")]
    Train(#[from] zoo_train::TrainError),
    /// The experiment looked up a measure by a name it did not record.
    #[error("no measure named `{0}`")]
    NoMeasure(String),
    /// A grid sweep's axes do not make valid configs.
    #[error("{0}")]
    Grid(String),
    /// A trial this run may not train (another shard's, or a report from the store only) is not stored yet.
    #[error("waiting for trials not in the store yet (another shard's)")]
    Missing,
    /// A stop was asked for (SIGINT) before the trial started.
    #[error("interrupted before every trial ran")]
    Interrupted,
}
