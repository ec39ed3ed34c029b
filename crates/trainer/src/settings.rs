//! Validated settings: flags turned into a complete `TrainConfig`, with per-data-set defaults.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use zoo_datasets::DataSource;
use zoo_models::{ActivationKind, InitScheme, MlpConfig};
use zoo_train::{Backend, OptimizerKind, RunRecord, TrainConfig, WgpuAdapter};

use crate::cli::{BackendArg, DeviceArgs, TrainArgs, WgpuDeviceArg};

/// The defaults for a data set when the flags do not say otherwise: a standard MLP recipe that reaches the
/// accuracy a standard MLP gets on it, in seconds.
#[derive(Debug, Clone, Copy)]
pub struct Recipe {
    /// Hidden widths.
    pub hidden: &'static [usize],
    /// Learning rate (momentum 0.9).
    pub lr: f64,
    /// Examples per update.
    pub batch_size: usize,
    /// Epochs.
    pub epochs: usize,
}

/// Per-data-set defaults (one static table); anything not listed uses the `*` row.
pub const RECIPES: &[(&str, Recipe)] = &[
    ("spirals", Recipe { hidden: &[64, 64], lr: 0.05, batch_size: 32, epochs: 60 }),
    ("digits", Recipe { hidden: &[128, 128], lr: 0.02, batch_size: 32, epochs: 30 }),
    ("iris", Recipe { hidden: &[8], lr: 0.01, batch_size: 16, epochs: 50 }),
    ("wine", Recipe { hidden: &[16, 16], lr: 0.01, batch_size: 16, epochs: 30 }),
    ("breast-cancer", Recipe { hidden: &[32, 32], lr: 0.01, batch_size: 16, epochs: 30 }),
    ("fashion-mnist", Recipe { hidden: &[256, 256], lr: 0.02, batch_size: 128, epochs: 10 }),
    ("mnist", Recipe { hidden: &[256, 256], lr: 0.02, batch_size: 128, epochs: 10 }),
    ("*", Recipe { hidden: &[64, 64], lr: 0.05, batch_size: 32, epochs: 50 }),
];

/// The recipe for a data set name.
pub fn recipe(dataset: &str) -> Recipe {
    let row = RECIPES.iter().find(|(name, _)| *name == dataset).or_else(|| RECIPES.last());
    row.map_or(Recipe { hidden: &[64, 64], lr: 0.05, batch_size: 32, epochs: 50 }, |(_, recipe)| *recipe)
}

/// The device flags as the library's types.
pub fn device(args: &DeviceArgs) -> (Backend, WgpuAdapter) {
    let backend = match args.backend {
        BackendArg::Flex => Backend::Flex,
        BackendArg::Ndarray => Backend::Ndarray,
        BackendArg::Wgpu => Backend::Wgpu,
    };
    let adapter = match args.wgpu_device {
        WgpuDeviceArg::Auto => WgpuAdapter::Auto,
        WgpuDeviceArg::Discrete => WgpuAdapter::Discrete,
        WgpuDeviceArg::Integrated => WgpuAdapter::Integrated,
        WgpuDeviceArg::Cpu => WgpuAdapter::Cpu,
    };
    (backend, adapter)
}

/// The complete training config the flags describe (or the one recorded in `--config`).
pub fn train_config(args: &TrainArgs) -> Result<TrainConfig> {
    if let Some(path) = &args.config {
        return recorded_config(path);
    }
    let source = data_source(args)?;
    let recipe = recipe(&source.name());
    let activation = match &args.activation {
        Some(text) => ActivationKind::parse(text)?,
        None => ActivationKind::Relu,
    };
    let init = match &args.init {
        Some(text) => InitScheme::parse(text)?,
        None => InitScheme::HeNormal,
    };
    let optimizer = match &args.optimizer {
        Some(text) => OptimizerKind::parse(text)
            .with_context(|| format!("unknown optimizer `{text}`: expected sgd, momentum, nesterov or adam"))?,
        None => OptimizerKind::MOMENTUM,
    };
    let batch_size = match args.batch_size.as_deref() {
        None => Some(recipe.batch_size),
        Some("full") => None,
        Some(text) => match text.parse::<usize>() {
            Ok(n) if n > 0 => Some(n),
            _ => bail!("invalid --batch-size `{text}`: expected a positive integer or `full`"),
        },
    };
    let hidden = args.hidden.clone().unwrap_or_else(|| recipe.hidden.to_vec());
    let d_output = if args.binary_logit { 1 } else { 0 };
    let model =
        MlpConfig::new(0, hidden, d_output).with_activation(activation).with_init(init).with_bias(!args.no_bias);
    let mut config = TrainConfig::new(source, model)
        .with_optimizer(optimizer)
        .with_lr(args.lr.unwrap_or(recipe.lr))
        .with_batch_size(batch_size)
        .with_epochs(args.epochs.unwrap_or(recipe.epochs))
        .with_target_acc(args.target_acc)
        .with_seed(args.seed);
    if let Some(decay) = args.weight_decay {
        config = config.with_weight_decay(decay);
    }
    if let Some(fraction) = args.test_fraction {
        config = config.with_test_fraction(fraction);
    }
    if let Some(every) = args.probe_every {
        config = config.with_probe_every(every);
    }
    Ok(config)
}

/// The run directory: `--out`, or `runs/<dataset>/<model>-s<seed>`.
pub fn run_dir(out: Option<&PathBuf>, dataset: &str, model_name: &str, seed: u64) -> PathBuf {
    out.cloned().unwrap_or_else(|| PathBuf::from("runs").join(dataset).join(format!("{model_name}-s{seed}")))
}

fn recorded_config(path: &PathBuf) -> Result<TrainConfig> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let record: RunRecord = serde_json::from_str(&text).with_context(|| {
        format!("{} is not a run record (expected the run.json of a run directory)", path.display())
    })?;
    Ok(record.train_config()?)
}

fn data_source(args: &TrainArgs) -> Result<DataSource> {
    if let Some(path) = &args.csv {
        return Ok(DataSource::Csv { path: path.display().to_string(), label_column: None, header: args.header });
    }
    if let Some(dir) = &args.idx_dir {
        return Ok(DataSource::Idx { dir: dir.display().to_string() });
    }
    let mut source = DataSource::parse(&args.dataset)?;
    match &mut source {
        DataSource::NoisyXor { n, noise }
        | DataSource::Circles { n, noise, .. }
        | DataSource::Moons { n, noise }
        | DataSource::Spirals { n, noise, .. }
        | DataSource::Sine { n, noise }
        | DataSource::Plane { n, noise } => {
            *n = args.samples.unwrap_or(*n);
            *noise = args.noise.unwrap_or(*noise);
        }
        DataSource::Gaussians { n, std, .. } => {
            *n = args.samples.unwrap_or(*n);
            *std = args.noise.unwrap_or(*std);
        }
        DataSource::Threshold1d { n } => *n = args.samples.unwrap_or(*n),
        _ if args.samples.is_some() || args.noise.is_some() => {
            bail!("--samples and --noise apply to generated data sets only, not to `{}`", args.dataset)
        }
        _ => {}
    }
    Ok(source)
}
