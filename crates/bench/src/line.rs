//! The bench lines, typed: one struct per kind, tagged by `"bench"`, with the references' field names (the
//! PyTorch and NumPy scripts of `bench/reference` write the same kinds; fields only they write are optional here).

use serde::{Deserialize, Serialize};

/// One JSON line of a bench run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "bench", rename_all = "snake_case")]
pub enum Line {
    /// The machine the run was made on (written by `cargo xtask bench`).
    Machine(MachineLine),
    /// The environment of one process: implementation, threads, versions.
    Env(EnvLine),
    /// Training steps of one workload.
    TrainStep(StepLine),
    /// Square matmuls.
    Gemm(GemmLine),
    /// One activation function, forward and forward+backward.
    Activation(ActivationLine),
    /// A whole training job.
    Job(JobLine),
    /// A quick sweep of the claims (written by `cargo xtask bench`).
    Sweep(SweepLine),
    /// A kind this crate does not read (such as the references' `gemm_env`).
    #[serde(other)]
    Other,
}

/// `{"bench": "machine"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MachineLine {
    /// Cores.
    pub cores: u64,
    /// The CPU's model name.
    pub cpu: String,
    /// The day of the run, `YYYY-MM-DD`.
    pub date: String,
}

/// `{"bench": "env"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnvLine {
    /// `burn-flex`, `torch-eager`, ...
    #[serde(rename = "impl", skip_serializing_if = "Option::is_none")]
    pub implementation: Option<String>,
    /// Threads of the compute kernels.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threads: Option<usize>,
    /// Burn's version (our lines only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub burn: Option<String>,
    /// The one-minute load average when the process started.
    pub loadavg1: Option<f64>,
    /// `MATMUL_NUM_THREADS` (ndarray's matmul threads).
    pub matmul_num_threads: Option<String>,
}

/// `{"bench": "train_step"}`: the step time of one workload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepLine {
    /// `burn-flex`, `burn-ndarray`, `torch-eager`, `numpy-scratch`, ...
    #[serde(rename = "impl")]
    pub implementation: String,
    /// The workload's name.
    pub workload: String,
    /// Layer widths, input first.
    pub dims: Vec<usize>,
    /// Examples per step.
    pub batch: usize,
    /// The hidden activation.
    pub activation: String,
    /// Parameters of the network.
    pub params: usize,
    /// Steps timed.
    pub steps: usize,
    /// Median step time.
    pub median_ms: f64,
    /// 10th percentile.
    pub p10_ms: f64,
    /// 90th percentile.
    pub p90_ms: f64,
    /// Examples per second at the median.
    pub samples_per_s: f64,
    /// 6·params·batch / median.
    pub gflops: f64,
    /// Process CPU time per step.
    pub cpu_ms: Option<f64>,
    /// 6·params·batch.
    pub flops_per_step: usize,
    /// Threads.
    pub threads: usize,
}

/// `{"bench": "gemm"}`: square single-precision matmuls.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GemmLine {
    /// `burn-flex`, ... (the NumPy reference writes `lib` instead).
    #[serde(rename = "impl", skip_serializing_if = "Option::is_none")]
    pub implementation: Option<String>,
    /// The library of a reference line (`numpy`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lib: Option<String>,
    /// The matrices' size.
    pub n: usize,
    /// Median time of one matmul.
    pub median_ms: f64,
    /// 2n³ / median.
    pub gflops_median: f64,
    /// Threads.
    pub threads: usize,
}

/// `{"bench": "activation"}`: one activation on one shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivationLine {
    /// `burn-flex`, `torch-eager`, ...
    #[serde(rename = "impl")]
    pub implementation: String,
    /// The activation's name.
    #[serde(rename = "fn")]
    pub function: String,
    /// The tensor's shape.
    pub shape: Vec<usize>,
    /// Forward time.
    pub fwd_ms: f64,
    /// Forward and backward time.
    pub fwd_bwd_ms: f64,
    /// Forward time over ReLU's.
    pub fwd_vs_relu: f64,
    /// Forward and backward time over ReLU's.
    pub fwd_bwd_vs_relu: f64,
    /// Threads.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threads: Option<usize>,
}

/// `{"bench": "job"}`: a whole training job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobLine {
    /// `burn-flex`, `torch-eager`, `numpy-scratch`.
    #[serde(rename = "impl")]
    pub implementation: String,
    /// The job's name.
    pub job: String,
    /// Optimizer steps.
    pub steps: usize,
    /// Training time.
    pub train_s: f64,
    /// Training time per step.
    pub ms_per_step: f64,
    /// Time to make the data and the config.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub setup_s: Option<f64>,
    /// Time of one evaluation of the training set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eval_s: Option<f64>,
    /// The last training loss.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub train_loss: Option<f64>,
    /// The last training accuracy.
    pub train_acc: Option<f64>,
    /// `mnist-probes`: training time with probes every epoch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probes_s: Option<f64>,
    /// `mnist-probes`: training time without probes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_probes_s: Option<f64>,
    /// `mnist-probes`: probes_s / no_probes_s − 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probe_overhead: Option<f64>,
    /// Peak resident memory seen by the process itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub peak_rss_mib: Option<f64>,
    /// Process start to exit (GNU time, added by `cargo xtask bench`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub process_wall_s: Option<f64>,
    /// Peak resident memory (GNU time, added by `cargo xtask bench`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub process_peak_mib: Option<f64>,
    /// Threads.
    pub threads: usize,
}

/// `{"bench": "sweep"}`: `trainer sweep --quick`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepLine {
    /// Claims run.
    pub claims: u64,
    /// Trainings.
    pub trials: u64,
    /// Wall time.
    pub wall_s: f64,
    /// Trainings per minute.
    pub trials_per_minute: f64,
}

/// The lines of a bench run, one JSON object per line (blank lines skipped).
///
/// # Errors
///
/// The 1-based number of the first line that does not parse, and why.
///
/// ```
/// let lines = zoo_bench::parse_lines("{\"bench\":\"machine\",\"cores\":2,\"cpu\":\"x\",\"date\":\"d\"}\n")?;
/// assert!(matches!(&lines[0], zoo_bench::Line::Machine(m) if m.cores == 2));
/// # Ok::<(), zoo_bench::BenchError>(())
/// ```
pub fn parse_lines(text: &str) -> Result<Vec<Line>, crate::error::BenchError> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            serde_json::from_str(line)
                .map_err(|e| crate::error::BenchError::Line { line: i + 1, message: e.to_string() })
        })
        .collect()
}
