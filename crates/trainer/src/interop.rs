//! `trainer export` and `trainer import`: a preset's or a run's weights as SafeTensors in PyTorch's `nn.Linear`
//! layout, and such a file back into a model directory (`model.bpk` + `model.json`).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use burn::prelude::*;
use zoo_models::{Mlp, MlpConfig, interop};
use zoo_train::{StagedDir, load_model, load_run, save_model, write_atomic};

use crate::cli::{ExportArgs, ExportFormat, ImportArgs};

/// Runs `trainer export`; returns the file written.
pub fn export_command(args: &ExportArgs, out: &mut dyn Write) -> Result<PathBuf> {
    if args.format == ExportFormat::Onnx {
        bail!(
            "ONNX export is not available: Burn 0.22 reads ONNX (burn-onnx) but cannot write it; export \
             --format safetensors and use torch.onnx.export from PyTorch (see docs/zoo.md)"
        );
    }
    let device = Device::flex();
    let (what, model) = match (&args.preset, &args.model) {
        (Some(name), _) => (name.clone(), zoo_presets::load(name, &device)?),
        (None, Some(dir)) => (dir.display().to_string(), load_dir(dir, &device)?),
        (None, None) => bail!("say what to export: --preset NAME or --model DIR"),
    };
    let bytes = interop::to_safetensors(&model)?;
    write_atomic(&args.out, &bytes)?;
    writeln!(
        out,
        "exported {what} ({}, widths {:?}) to {} in PyTorch's layout: layers.N.weight [out, in], layers.N.bias [out]",
        model.activation.name(),
        model.widths(),
        args.out.display()
    )?;
    Ok(args.out.clone())
}

/// Runs `trainer import`; returns the model directory written.
pub fn import_command(args: &ImportArgs, out: &mut dyn Write) -> Result<PathBuf> {
    let bytes = read_capped(&args.file)?;
    let device = Device::flex();
    let model = interop::from_safetensors(&bytes, args.activation, &device)
        .with_context(|| format!("{}", args.file.display()))?;
    let staged = StagedDir::new(&args.out).context("cannot write the model directory (choose another --out)")?;
    let config = config_of(&model);
    write_atomic(&staged.path().join("model.json"), config.to_string().as_bytes())?;
    save_model(&staged.path().join("model.bpk"), &model)?;
    staged.publish()?;
    writeln!(
        out,
        "imported {} ({}, widths {:?}) into {} (model.json, model.bpk)",
        args.file.display(),
        model.activation.name(),
        model.widths(),
        args.out.display()
    )?;
    Ok(args.out.clone())
}

/// The bytes of a SafeTensors file of at most [`zoo_datasets::MAX_FILE_BYTES`] (a larger one is refused
/// before it is read).
fn read_capped(path: &Path) -> Result<Vec<u8>> {
    let size = std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?.len();
    if size > zoo_datasets::MAX_FILE_BYTES {
        bail!("{}: {size} bytes; weights files of at most 1 GiB are read", path.display());
    }
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

/// A model directory: a run (`run.json` + `model.bpk`) or an import (`model.json` + `model.bpk`).
pub fn load_dir(dir: &Path, device: &Device) -> Result<Mlp> {
    if dir.join("run.json").is_file() {
        return Ok(load_run(dir, device).context("cannot load the run")?.1);
    }
    let path = dir.join("model.json");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("{} is not a model directory (no run.json, cannot read model.json)", dir.display()))?;
    let config: MlpConfig = serde_json::from_str(&text)
        .map_err(|e| anyhow::anyhow!("{} is not a model config (was it edited?): {e}", path.display()))?;
    Ok(load_model(&dir.join("model.bpk"), &config, device)?)
}

/// The config that rebuilds `model`'s shape (the initialisation does not matter for loaded weights).
fn config_of(model: &Mlp) -> MlpConfig {
    let widths = model.widths();
    let hidden = widths[1..widths.len().saturating_sub(1)].to_vec();
    let bias = model.layers.first().is_some_and(|layer| layer.bias.is_some());
    MlpConfig::new(widths[0], hidden, widths[widths.len() - 1]).with_activation(model.activation).with_bias(bias)
}
