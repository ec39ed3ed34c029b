//! `trainer zoo`: list, show, evaluate and train the presets of `zoo_presets`, printed for a terminal.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use zoo_datasets::DataError;
use zoo_presets::{Evaluation, Metrics, PRESETS, Preset, PresetError, embedded_metrics};
use zoo_train::TrainError;

use crate::cli::{ZooArgs, ZooCommand};
use crate::settings;

/// What a `trainer zoo` command did, for in-process callers (tests).
#[derive(Debug)]
pub enum ZooOutcome {
    /// `list` or `show`: the presets printed.
    Shown(Vec<&'static str>),
    /// `eval`: one row per preset evaluated.
    Evaluated(Vec<Evaluation>),
    /// `train`: the metrics written.
    Trained(Vec<Metrics>),
}

/// Runs `trainer zoo ...`.
pub fn zoo_command(args: &ZooArgs, out: &mut dyn Write) -> Result<ZooOutcome> {
    match &args.command {
        ZooCommand::List => list(out),
        ZooCommand::Show { name } => show(name, out),
        ZooCommand::Eval { names, device } => eval(names, device, out),
        ZooCommand::Train { names, out: dir, readme } => train(names, dir, readme.as_deref(), out),
    }
}

fn list(out: &mut dyn Write) -> Result<ZooOutcome> {
    writeln!(out, "{:<34} {:<14} {:>8} {:>9} {:>8}  what it shows", "preset", "data", "params", "test acc", "loss")?;
    for (preset, metrics) in embedded_metrics() {
        let (acc, loss) = metrics.map_or(("-".to_string(), "-".to_string()), |m| {
            (format!("{:.2} %", 100.0 * m.test_accuracy), format!("{:.4}", m.test_loss))
        });
        let mark = if preset.failure_case { "(failure case) " } else { "" };
        let params = preset.config().num_params();
        writeln!(
            out,
            "{:<34} {:<14} {params:>8} {acc:>9} {loss:>8}  {mark}{}",
            preset.name, preset.dataset, preset.teaches
        )?;
    }
    writeln!(
        out,
        "\n`trainer zoo show NAME` for details; `trainer zoo eval [NAME..] [--backend ..]` re-measures them"
    )?;
    Ok(ZooOutcome::Shown(PRESETS.iter().map(|p| p.name).collect()))
}

fn show(name: &str, out: &mut dyn Write) -> Result<ZooOutcome> {
    let preset = zoo_presets::find(name)?;
    let (config, recipe) = (preset.config(), preset.recipe);
    writeln!(out, "{}{}", preset.name, if preset.failure_case { "  (a failure case of the lesson)" } else { "" })?;
    writeln!(out, "  shows      {}", preset.teaches)?;
    writeln!(out, "  network    {} ({} parameters), widths {:?}", config.name(), config.num_params(), config.widths())?;
    writeln!(
        out,
        "  data       {} (DataSource::parse defaults), test fraction {}",
        preset.dataset, recipe.test_fraction
    )?;
    writeln!(out, "  recipe     {}, standardised inputs: {}", recipe.summary(), recipe.standardize)?;
    match preset.metrics() {
        Ok(m) => {
            let split = |name: &str, acc: f64, loss: f64, n: usize| {
                format!("  {name:<10} accuracy {:.2} %, loss {loss:.4} ({n} examples)", 100.0 * acc)
            };
            writeln!(out, "{}", split("train", m.train_accuracy, m.train_loss, m.n_train))?;
            writeln!(out, "{}", split("test", m.test_accuracy, m.test_loss, m.n_test))?;
            writeln!(
                out,
                "  trained    on {} with burn {}, zoo {}, {}",
                m.backend, m.burn_version, m.zoo_version, m.date
            )?;
        }
        Err(error) => writeln!(out, "  metrics    {error}")?,
    }
    writeln!(out, "  in Rust    zoo_presets::load({:?}, &device)?", preset.name)?;
    writeln!(out, "  PyTorch    trainer export --preset {0} --format safetensors --out {0}.safetensors", preset.name)?;
    Ok(ZooOutcome::Shown(vec![preset.name]))
}

/// The presets `names` names, or every preset when it is empty; an unknown name is an error listing the zoo.
fn selected(names: &[String]) -> Result<Vec<&'static Preset>> {
    if names.is_empty() {
        return Ok(PRESETS.iter().collect());
    }
    Ok(names.iter().map(|name| zoo_presets::find(name)).collect::<Result<_, _>>()?)
}

fn eval(names: &[String], device: &crate::cli::DeviceArgs, out: &mut dyn Write) -> Result<ZooOutcome> {
    let presets = selected(names)?;
    let backend = device.backend;
    let device = settings::device(device)?.without_autodiff();
    let mut rows = Vec::new();
    for preset in presets {
        let row = match zoo_presets::evaluate_preset(preset, &device) {
            Ok(row) => row,
            // Evaluating the whole zoo skips a data set that is not installed, and says so.
            Err(PresetError::Train { error: TrainError::Data(error @ DataError::IdxMissing { .. }), .. })
                if names.is_empty() =>
            {
                writeln!(out, "{:<34} skipped: {error}", preset.name)?;
                continue;
            }
            Err(error) => return Err(error).with_context(|| format!("cannot evaluate {}", preset.name)),
        };
        let verdict = if row.reproduced() { "reproduced" } else { "DIFFERS" };
        writeln!(
            out,
            "{:<34} test accuracy {:6.2} % (reported {:6.2} %), loss {:.4} on {backend}: {verdict}",
            preset.name,
            100.0 * row.measured,
            100.0 * row.reported,
            row.loss
        )?;
        rows.push(row);
    }
    Ok(ZooOutcome::Evaluated(rows))
}

fn train(names: &[String], dir: &Path, readme: Option<&Path>, out: &mut dyn Write) -> Result<ZooOutcome> {
    let mut written = Vec::new();
    for preset in selected(names)? {
        let metrics = zoo_presets::train_preset(preset, &dir.join(preset.name))?;
        let (acc, loss) = (100.0 * metrics.test_accuracy, metrics.test_loss);
        writeln!(out, "{:<34} test accuracy {acc:6.2} %, loss {loss:.4}", preset.name)?;
        written.push(metrics);
    }
    if let Some(readme) = readme {
        // The table comes from the files just written (this binary embeds the metrics of its own build).
        zoo_presets::write_readme_table(readme, &zoo_presets::written_metrics(dir))?;
        writeln!(out, "zoo table in {} up to date", readme.display())?;
    }
    Ok(ZooOutcome::Trained(written))
}
