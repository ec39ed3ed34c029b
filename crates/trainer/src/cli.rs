//! Command-line flags (clap), typed by the libraries' own parsers, before validation into a `TrainConfig`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use zoo_datasets::DataSource;
use zoo_models::{ActivationKind, InitScheme};
use zoo_train::{Backend, OptimizerKind, WgpuAdapter};

use crate::values::named;

/// Train one multi-layer perceptron and see forward and backward propagation at work.
#[derive(Debug, Parser)]
#[command(
    name = "trainer",
    version,
    args_conflicts_with_subcommands = true,
    after_help = "Examples:
  trainer                                          two-arm spirals, 2x64 ReLU + He, momentum, on flex
  trainer --backend wgpu                           the same on the GPU
  trainer --backend wgpu --wgpu-device cpu         the same on a software Vulkan device (lavapipe)
  trainer --dataset circles --activation sigmoid --init xavier-normal --hidden 16,16
  trainer --dataset digits --epochs 30 --json > run.json
  trainer --config runs/spirals/mlp-2x64-relu-he-normal-s0-flex-de3cff83/run.json   rerun a recorded run
  trainer eval --model runs/spirals/mlp-2x64-relu-he-normal-s0-flex-de3cff83
  trainer bench --workloads mnist,wide --threads 2     time training steps (JSON lines)"
)]
pub struct Cli {
    /// What to do (default: train).
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Training flags.
    #[command(flatten)]
    pub train: TrainArgs,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant)] // Parsed once per process; boxing the flags would only obscure clap's derive.
pub enum Command {
    /// Train a model (the default).
    Train(TrainArgs),
    /// Evaluate a saved run on its data set (or another one with the same inputs).
    Eval(EvalArgs),
    /// Run the lesson's claims as experiments and print a verdict table (what `cargo xtask sweep` runs).
    Sweep(SweepArgs),
    /// Merge sweep directories and write claims.json, report.html and REPORT.md from their stored trials
    /// (what `cargo xtask report` runs); says which trials are still missing.
    Report(ReportArgs),
    /// Time training steps, activations and whole jobs as JSON lines, beside `bench/reference`'s references
    /// (what `cargo xtask bench` runs).
    Bench(BenchArgs),
    /// The model zoo: named presets with trained weights and measured metrics (list, show, eval, train).
    Zoo(ZooArgs),
    /// Write a preset's or a run's weights as SafeTensors in PyTorch's nn.Linear layout.
    Export(ExportArgs),
    /// Read a SafeTensors file in PyTorch's nn.Linear layout into a model directory (model.bpk + model.json).
    Import(ImportArgs),
}

/// Where to run.
#[derive(Debug, Clone, Args)]
pub struct DeviceArgs {
    /// The backend: flex (Burn's pure-Rust CPU backend), ndarray, or wgpu (a GPU, or a software adapter with
    /// `--wgpu-device cpu`).
    #[arg(long, value_parser = named::<Backend>(Backend::NAMES), default_value = "flex")]
    pub backend: Backend,
    /// The wgpu adapter (with `--backend wgpu`); `cpu` is a software Vulkan device such as Mesa's lavapipe.
    #[arg(long, value_parser = named::<WgpuAdapter>(WgpuAdapter::NAMES), default_value = "auto")]
    pub wgpu_device: WgpuAdapter,
}

/// Flags of `trainer train`.
#[derive(Debug, Clone, Args)]
pub struct TrainArgs {
    /// Rerun the config recorded in a run.json (other flags are ignored, except --backend, --out, --json, --quiet).
    #[arg(long, value_name = "RUN_JSON")]
    pub config: Option<PathBuf>,
    /// Data set: a generator, a bundled set, fashion-mnist or mnist (each with its default parameters).
    #[arg(long, value_parser = named::<DataSource>(zoo_datasets::NAMES), default_value = "spirals")]
    pub dataset: DataSource,
    /// Train on a CSV file: numeric features, integer class label in the last column.
    #[arg(long, value_name = "PATH", conflicts_with = "idx_dir")]
    pub csv: Option<PathBuf>,
    /// The CSV file's first line is a header.
    #[arg(long, requires = "csv")]
    pub header: bool,
    /// Train on the four MNIST-format IDX files in this directory.
    #[arg(long, value_name = "DIR")]
    pub idx_dir: Option<PathBuf>,
    /// Number of examples a generator makes.
    #[arg(long, allow_negative_numbers = true)]
    pub samples: Option<usize>,
    /// Noise of a generator.
    #[arg(long, allow_negative_numbers = true)]
    pub noise: Option<f64>,
    /// Turns of each arm of `two-spirals` (in (0, 100]) [default: 2].
    #[arg(long, allow_negative_numbers = true)]
    pub turns: Option<f64>,
    /// Hidden layer widths, input side first (`--hidden ''` for none: a logistic model).
    #[arg(long, value_delimiter = ',', num_args = 0..)]
    pub hidden: Option<Vec<usize>>,
    /// Hidden activation (leaky-relu takes a slope: `leaky-relu:0.2`) [default: relu].
    #[arg(long, value_parser = named::<ActivationKind>(ActivationKind::NAMES))]
    pub activation: Option<ActivationKind>,
    /// Weight init (constant, uniform and normal need their value: `normal:0.01`; orthogonal takes a gain;
    /// xavier-* are gain 1 unless given one: `xavier-normal:1.667`, `xavier-normal:tanh` = 5/3)
    /// [default: he-normal].
    #[arg(long, value_parser = named::<InitScheme>(InitScheme::NAMES))]
    pub init: Option<InitScheme>,
    /// Layers without biases.
    #[arg(long)]
    pub no_bias: bool,
    /// One output logit with binary cross-entropy (two-class data only) instead of two softmax outputs.
    #[arg(long)]
    pub binary_logit: bool,
    /// Update rule (momentum and nesterov: 0.9, PyTorch's meanings) [default: momentum].
    #[arg(long, value_parser = named::<OptimizerKind>(OptimizerKind::NAMES))]
    pub optimizer: Option<OptimizerKind>,
    /// Learning rate.
    #[arg(long, allow_negative_numbers = true)]
    pub lr: Option<f64>,
    /// L2 weight decay.
    #[arg(long, allow_negative_numbers = true)]
    pub weight_decay: Option<f64>,
    /// Examples per update, or `full` for full-batch gradient descent.
    #[arg(long, allow_negative_numbers = true)]
    pub batch_size: Option<String>,
    /// Epochs (full passes over the training set).
    #[arg(long, allow_negative_numbers = true)]
    pub epochs: Option<usize>,
    /// Stop when the training accuracy reaches this fraction (e.g. 0.95) and report the epoch.
    #[arg(long, allow_negative_numbers = true)]
    pub target_acc: Option<f64>,
    /// Seed of data, weights and shuffling.
    #[arg(long, default_value_t = 0, allow_negative_numbers = true)]
    pub seed: u64,
    /// Share of examples held out for testing.
    #[arg(long, allow_negative_numbers = true)]
    pub test_fraction: Option<f64>,
    /// Measure per-layer probes every N epochs (0: off).
    #[arg(long, allow_negative_numbers = true)]
    pub probe_every: Option<usize>,
    /// Save a checkpoint every N epochs beside the run directory (DIR.checkpoints); the same command run again
    /// after a kill resumes from the newest one. Removed once the run is saved.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..), allow_negative_numbers = true)]
    pub checkpoint_every: Option<u64>,
    /// Threads for the CPU backends' kernels (a rayon pool); the run's numbers do not depend on it [default:
    /// one per core].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024), allow_negative_numbers = true)]
    pub threads: Option<u16>,
    /// Device flags.
    #[command(flatten)]
    pub device: DeviceArgs,
    /// Output flags.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Where and how results are shown.
#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// The run directory (default: runs/<dataset>/<model>-s<seed>-<backend>-<hash of the whole config>).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print the run record as JSON on stdout (progress goes to stderr).
    #[arg(long)]
    pub json: bool,
    /// No progress output.
    #[arg(long)]
    pub quiet: bool,
}

/// Flags of `trainer eval`.
#[derive(Debug, Clone, Args)]
pub struct EvalArgs {
    /// A run directory (holding run.json and model.bpk).
    #[arg(long, value_name = "DIR")]
    pub model: PathBuf,
    /// Evaluate on this data set instead of the run's own (same number of inputs and classes).
    #[arg(long, value_parser = named::<DataSource>(zoo_datasets::NAMES))]
    pub dataset: Option<DataSource>,
    /// Device flags.
    #[command(flatten)]
    pub device: DeviceArgs,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `trainer sweep`.
#[derive(Debug, Clone, Args)]
pub struct SweepArgs {
    /// Claims to run, by id or section letter (`a1,b,f`); all by default.
    #[arg(long, value_delimiter = ',')]
    pub claims: Vec<String>,
    /// Seeds: a count (`10` = 0..10), a list (`3,17,99`) or a range (`100..110`); each experiment's default
    /// count otherwise.
    #[arg(long)]
    pub seeds: Option<String>,
    /// Small grids, short budgets and 2–3 seeds per claim: a first look in one to two minutes, whose verdicts can
    /// differ from the full protocol's (≥ 5 or ≥ 10 seeds, the whole rate grid).
    #[arg(long)]
    pub quick: bool,
    /// Trials run at once (default: the number of cores; results do not depend on it).
    #[arg(long, visible_alias = "workers", value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub jobs: Option<u16>,
    /// The sweep directory: trials are stored under DIR/trials as they finish (a rerun trains only what is
    /// missing), then claims.json, report.html and REPORT.md.
    #[arg(long, value_name = "DIR", default_value = "target/sweep")]
    pub out: PathBuf,
    /// Train only this shard's trials (1-based `i/n`) on a directory the shards share, then `trainer report
    /// --from DIR`. Without it a Slurm array task (SLURM_ARRAY_TASK_ID) or a Kubernetes Indexed Job
    /// (JOB_COMPLETION_INDEX, with --shards) is a shard.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    /// The number of shards of a Kubernetes Indexed Job (its `completions`); the index comes from
    /// JOB_COMPLETION_INDEX.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub shards: Option<u64>,
    /// A grid sweep instead of the claims: one axis per flag, `knob=v1,v2,..` (knobs: activation, init, depth,
    /// width, lr, batch-size, optimizer, epochs, bias); every cell trained on --dataset for each seed.
    #[arg(long, num_args = 1.., value_name = "KNOB=V1,V2")]
    pub grid: Vec<String>,
    /// The data set of a grid sweep.
    #[arg(long, value_parser = named::<DataSource>(zoo_datasets::NAMES), default_value = "digits")]
    pub dataset: DataSource,
    /// In a grid sweep, tune the learning rate of every cell over the CLAIMS.md grid (on training loss).
    #[arg(long)]
    pub tune_lr: bool,
    /// Device flags.
    #[command(flatten)]
    pub device: DeviceArgs,
}

/// Flags of `trainer report`.
#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// Sweep directories to merge (shards' copies, or one shared directory); the first one's sweep.json says
    /// what the sweep was.
    #[arg(long = "from", value_name = "DIR")]
    pub from: Vec<PathBuf>,
    /// Where the merged trials, claims.json and the report go (default: the first --from).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Also write the verdict table into this README (between its claims markers) and copy claims.json to
    /// docs/claims.json beside it.
    #[arg(long, value_name = "README")]
    pub readme: Option<PathBuf>,
}

/// Flags of `trainer bench`.
#[derive(Debug, Clone, Args)]
pub struct BenchArgs {
    /// Workloads to time (the references' names).
    #[arg(long, value_delimiter = ',', default_value = "tiny,digits,mnist,wide,deep-relu,deep-sigmoid,deep-tanh")]
    pub workloads: Vec<String>,
    /// Threads for Burn's CPU kernels (a rayon pool). ndarray's matmul keeps its own threads: set
    /// `MATMUL_NUM_THREADS` to the same number (`cargo xtask bench` does).
    #[arg(long, default_value_t = 1)]
    pub threads: usize,
    /// Seconds of timed steps per workload (0 to 3600).
    #[arg(long, default_value_t = 2.0, value_parser = seconds, allow_hyphen_values = true)]
    pub min_time: f64,
    /// Untimed warm-up steps per workload.
    #[arg(long, default_value_t = 20)]
    pub warmup: usize,
    /// Seed of data and weights.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Time relu, sigmoid, tanh and gelu (forward, forward+backward) instead of training steps.
    #[arg(long)]
    pub activations: bool,
    /// Time square matmuls (n = 256 … 2048) instead: the GEMM rate Burn reaches, to set beside OpenBLAS's.
    #[arg(long)]
    pub gemm: bool,
    /// flex's layer kernels: the fused dense layer (`zoo_models::fused`) or Burn's own ops (to compare).
    #[arg(long, value_parser = ["fused", "plain"], default_value = "fused")]
    pub kernels: String,
    /// Run a whole job instead: tiny-2000, mnist-epoch, mnist-probes.
    #[arg(long)]
    pub job: Option<String>,
    /// Measure nothing: render the README's Performance section from the JSON lines of a bench run.
    #[arg(long, value_name = "JSONL")]
    pub report: Option<PathBuf>,
    /// With --report: write the section into this README (between its performance markers).
    #[arg(long, value_name = "README", requires = "report")]
    pub readme: Option<PathBuf>,
    /// Device flags.
    #[command(flatten)]
    pub device: DeviceArgs,
}

/// Flags of `trainer zoo`.
#[derive(Debug, Clone, Args)]
pub struct ZooArgs {
    /// What to do with the zoo.
    #[command(subcommand)]
    pub command: ZooCommand,
}

/// Subcommands of `trainer zoo`.
#[derive(Debug, Clone, Subcommand)]
pub enum ZooCommand {
    /// Every preset with its measured test accuracy and what it shows.
    List,
    /// One preset: network, data, recipe, metrics, how to load it.
    Show {
        /// The preset's name (see `trainer zoo list`).
        name: String,
    },
    /// Measure presets' embedded weights on their test split again and compare with the reported accuracy.
    Eval {
        /// Presets to evaluate (all by default; a data set that is not installed is then skipped).
        names: Vec<String>,
        /// Device flags.
        #[command(flatten)]
        device: DeviceArgs,
    },
    /// Train presets from their recipes on flex and write model.bpk + metrics.json (what `cargo xtask zoo
    /// train` runs).
    Train {
        /// Presets to train (all by default).
        names: Vec<String>,
        /// The zoo's directory: one folder per preset.
        #[arg(long, default_value = "crates/presets/zoo")]
        out: PathBuf,
        /// Also regenerate the zoo table in this README (between its zoo-table markers).
        #[arg(long, value_name = "README")]
        readme: Option<PathBuf>,
    },
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// SafeTensors with PyTorch names and layout: layers.N.weight [out, in], layers.N.bias [out].
    Safetensors,
    /// Not available with Burn 0.22 (explains what to do instead).
    Onnx,
}

/// Flags of `trainer export`.
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// A zoo preset (see `trainer zoo list`).
    #[arg(long, conflicts_with = "model")]
    pub preset: Option<String>,
    /// A run directory (run.json + model.bpk) or an imported model directory (model.json + model.bpk).
    #[arg(long, value_name = "DIR")]
    pub model: Option<PathBuf>,
    /// The file format.
    #[arg(long, value_enum, default_value = "safetensors")]
    pub format: ExportFormat,
    /// The file to write.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

/// Flags of `trainer import`.
#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// A SafeTensors file with layers.N.weight [out, in] and layers.N.bias [out] (f32).
    pub file: PathBuf,
    /// The hidden activation, when the file does not record it (files saved by PyTorch do not).
    #[arg(long, value_parser = named::<ActivationKind>(ActivationKind::NAMES))]
    pub activation: Option<ActivationKind>,
    /// The model directory to write.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// A duration in seconds for `--min-time`: a number from 0 to 3600 (NaN, ∞ and negatives would never end or
/// never measure).
fn seconds(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(value) if (0.0..=3600.0).contains(&value) => Ok(value),
        _ => Err(format!("`{text}` is not a number of seconds from 0 to 3600 (try 2)")),
    }
}
