//! Validated settings: flags turned into a complete `TrainConfig`, with per-data-set defaults taken from the
//! zoo's reference presets.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use burn::prelude::Device;
use zoo_datasets::DataSource;
use zoo_models::{ActivationKind, InitScheme, MlpConfig};
use zoo_train::{Backend, OptimizerKind, RunRecord, TrainConfig, device_for, run_fingerprint};

use crate::cli::{DeviceArgs, TrainArgs};

/// The defaults for a data set when the flags do not say otherwise: a standard MLP recipe that reaches the
/// accuracy a standard MLP gets on it, in seconds.
#[derive(Debug, Clone, PartialEq)]
pub struct Defaults {
    /// Hidden widths.
    pub hidden: Vec<usize>,
    /// Learning rate (momentum 0.9).
    pub lr: f64,
    /// Examples per update.
    pub batch_size: Option<usize>,
    /// Epochs.
    pub epochs: usize,
}

/// The data sets whose defaults are a zoo preset's network and recipe (the preset with ReLU, He-normal and
/// momentum that shows what a standard MLP reaches there; MNIST has the shape and size of Fashion-MNIST).
/// The zoo's moons and circles presets are smaller or other networks on purpose, so those sets keep [`FALLBACK`].
pub const REFERENCE_PRESETS: &[(&str, &str)] = &[
    ("spirals", "mlp-2x64-relu-he.spirals"),
    ("digits", "mlp-2x128-relu-he.digits"),
    ("iris", "mlp-1x8-relu-he.iris"),
    ("wine", "mlp-2x16-relu-he.wine"),
    ("breast-cancer", "mlp-2x32-relu-he.breast-cancer"),
    ("fashion-mnist", "mlp-2x256-relu-he.fashion-mnist"),
    ("mnist", "mlp-2x256-relu-he.fashion-mnist"),
];

/// The defaults of every other data set.
pub const FALLBACK: (&[usize], f64, usize, usize) = (&[64, 64], 0.05, 32, 50);

/// The defaults for a data set name.
pub fn defaults(dataset: &str) -> Defaults {
    let preset =
        REFERENCE_PRESETS.iter().find(|(name, _)| *name == dataset).and_then(|(_, p)| zoo_presets::find(p).ok());
    match preset {
        Some(p) => Defaults {
            hidden: p.hidden.to_vec(),
            lr: p.recipe.lr,
            batch_size: p.recipe.batch_size,
            epochs: p.recipe.epochs,
        },
        None => {
            let (hidden, lr, batch_size, epochs) = FALLBACK;
            Defaults { hidden: hidden.to_vec(), lr, batch_size: Some(batch_size), epochs }
        }
    }
}

/// The device the flags ask for.
pub fn device(args: &DeviceArgs) -> Result<Device> {
    Ok(device_for(args.backend, args.wgpu_device)?)
}

/// The complete training config the flags describe (or the one recorded in `--config`).
/// Every number is checked ([`TrainConfig::validate`]) before anything is loaded or allocated.
pub fn train_config(args: &TrainArgs) -> Result<TrainConfig> {
    let config = flags_config(args)?;
    config.validate()?;
    Ok(config)
}

fn flags_config(args: &TrainArgs) -> Result<TrainConfig> {
    if let Some(path) = &args.config {
        return recorded_config(path);
    }
    let source = data_source(args)?;
    let defaults = defaults(&source.name());
    let batch_size = match args.batch_size.as_deref() {
        None => defaults.batch_size,
        Some("full") => None,
        Some(text) => match text.parse::<usize>() {
            Ok(n) if n > 0 => Some(n),
            _ => bail!("invalid --batch-size `{text}`: expected a positive integer or `full`"),
        },
    };
    let hidden = args.hidden.clone().unwrap_or(defaults.hidden);
    let d_output = if args.binary_logit { 1 } else { 0 };
    let model = MlpConfig::new(0, hidden, d_output)
        .with_activation(args.activation.unwrap_or(ActivationKind::Relu))
        .with_init(args.init.unwrap_or(InitScheme::HeNormal))
        .with_bias(!args.no_bias);
    let mut config = TrainConfig::new(source, model)
        .with_optimizer(args.optimizer.unwrap_or(OptimizerKind::MOMENTUM))
        .with_lr(args.lr.unwrap_or(defaults.lr))
        .with_batch_size(batch_size)
        .with_epochs(args.epochs.unwrap_or(defaults.epochs))
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

/// The run directory: `--out`, or `runs/<dataset>/<model>-s<seed>-<backend>-<hash>`, where the hash is the
/// config's fingerprint with the backend: runs that differ in anything (rate, epochs, optimizer, batch size, the
/// CSV file) get different directories. The readable part is cut to [`NAME_LIMIT`] bytes.
pub fn run_dir(out: Option<&PathBuf>, config: &TrainConfig, backend: Backend) -> PathBuf {
    if let Some(out) = out {
        return out.clone();
    }
    let mut readable = format!("{}-s{}-{}", config.model.name(), config.seed, backend);
    if readable.len() > NAME_LIMIT {
        let cut = (0..=NAME_LIMIT).rev().find(|i| readable.is_char_boundary(*i)).unwrap_or(0);
        readable.truncate(cut);
    }
    let hash = run_fingerprint(config, backend);
    PathBuf::from("runs").join(config.data.name()).join(format!("{readable}-{:08x}", hash >> 32))
}

/// The longest readable part of a run directory's name, in bytes (file systems allow 255).
pub const NAME_LIMIT: usize = 100;

fn recorded_config(path: &PathBuf) -> Result<TrainConfig> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let record: RunRecord = serde_json::from_str(&text).map_err(|e| {
        anyhow::anyhow!("{} is not a run record (expected the run.json of a run directory): {e}", path.display())
    })?;
    Ok(record.train_config()?)
}

fn data_source(args: &TrainArgs) -> Result<DataSource> {
    if let Some(path) = &args.csv {
        return Ok(DataSource::Csv { path: recorded_path(path)?, label_column: None, header: args.header });
    }
    if let Some(dir) = &args.idx_dir {
        return Ok(DataSource::Idx { dir: recorded_path(dir)? });
    }
    let mut source = args.dataset.clone();
    if args.turns.is_some() && !matches!(source, DataSource::TwoSpirals { .. }) {
        bail!("--turns applies to `two-spirals` only, not to `{}`", source.name());
    }
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
        DataSource::TwoSpirals { n, turns, noise } => {
            *n = args.samples.unwrap_or(*n);
            *noise = args.noise.unwrap_or(*noise);
            *turns = args.turns.unwrap_or(*turns);
        }
        DataSource::Gaussians { n, std, .. } => {
            *n = args.samples.unwrap_or(*n);
            *std = args.noise.unwrap_or(*std);
        }
        DataSource::Threshold1d { n } => *n = args.samples.unwrap_or(*n),
        _ if args.samples.is_some() || args.noise.is_some() => {
            bail!("--samples and --noise apply to generated data sets only, not to `{}`", args.dataset.name())
        }
        _ => {}
    }
    Ok(source)
}

/// A data path as the run records it: absolute (so `eval` and `--config` work from any folder) and UTF-8 (run
/// records are JSON).
fn recorded_path(path: &Path) -> Result<String> {
    let absolute = std::path::absolute(path).with_context(|| format!("cannot resolve {}", path.display()))?;
    match absolute.to_str() {
        Some(text) => Ok(text.to_string()),
        None => bail!("the path {} is not valid UTF-8: rename it (or link it) to a UTF-8 name", path.display()),
    }
}
