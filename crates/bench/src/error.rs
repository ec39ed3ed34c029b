//! Why a benchmark could not run or a bench run could not be rendered.

/// Why a benchmark could not run or a bench run could not be rendered.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BenchError {
    /// No workload has this name.
    #[error("unknown workload `{name}`: use one of {known}")]
    UnknownWorkload {
        /// The name asked for.
        name: String,
        /// Every workload's name.
        known: String,
    },
    /// No job has this name.
    #[error("unknown job `{name}`: use one of {known}")]
    UnknownJob {
        /// The name asked for.
        name: String,
        /// Every job's name.
        known: String,
    },
    /// A line of a bench run is not a bench line.
    #[error("line {line} is not a bench line: {message}")]
    Line {
        /// The 1-based line number.
        line: usize,
        /// Why it does not parse.
        message: String,
    },
    /// The run has no machine line.
    #[error("no machine line: rerun `cargo xtask bench`")]
    NoMachine,
    /// A job's run recorded no epoch.
    #[error("the job recorded no epoch")]
    NoEpoch,
    /// The device failed.
    #[error("device: {0}")]
    Device(String),
    /// A job's data could not be made.
    #[error(transparent)]
    Data(#[from] zoo_datasets::DataError),
    /// A job's run could not be set up.
    #[error(transparent)]
    Train(#[from] zoo_train::TrainError),
}
