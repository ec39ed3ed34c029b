//! MLP Zoo's benchmarks: the workloads of the PyTorch/NumPy references (`bench/reference`) through zoo-train's own
//! training step, activation costs, square matmuls and whole jobs, as typed bench lines ([`Line`]) with the
//! references' field names; and the README's Performance section rendered from the lines of one run.
//!
//! The caller picks the device and the thread pool (`trainer bench` does both) and writes the lines, one JSON
//! object each:
//!
//! ```
//! use burn::prelude::*;
//! use zoo_bench::{BenchOptions, Workload, time_steps};
//!
//! let options = BenchOptions { threads: 1, min_time: 0.0, warmup: 1, seed: 0 };
//! let line = time_steps(Workload::find("tiny")?, &options, &Device::flex())?;
//! assert_eq!((line.params, line.implementation.as_str()), (4482, "burn-flex"));
//! # Ok::<(), zoo_bench::BenchError>(())
//! ```

mod error;
mod job;
mod line;
mod measure;
mod report;
mod timing;
mod workload;

pub use error::BenchError;
pub use job::run_job;
pub use line::{ActivationLine, EnvLine, GemmLine, JobLine, Line, MachineLine, StepLine, SweepLine, parse_lines};
pub use measure::{BenchOptions, implementation_of};
pub use report::{BEGIN, END, render};
pub use timing::{activations, env_line, gemm, time_steps};
pub use workload::{JOBS, WORKLOADS, Workload};
