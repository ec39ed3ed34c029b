//! The `trainer` command: parse, validate, call the libraries, print. The binary is `main.rs`; the logic lives
//! here so the integration tests can run it in-process.

pub mod bench;
pub mod cli;
pub mod grid;
pub mod interop;
pub mod pictures;
pub mod progress;
pub mod report;
pub mod settings;
pub mod shard;
pub mod sweep;
pub mod values;
pub mod zoo;

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use burn::prelude::Device;
use clap::Parser;
use zoo_datasets::Data;
use zoo_train::{
    Checkpoints, DeviceSet, Prepared, RunRecord, StagedDir, Trained, checkpoints_beside, evaluate, load_run,
    load_split, prepare, save_run, task_for, train, train_with_checkpoints,
};

use crate::cli::{Cli, Command, EvalArgs, TrainArgs};

/// What a finished command leaves behind, for callers (tests) that run it in-process.
#[derive(Debug)]
pub enum Outcome {
    /// A training run: its directory and record.
    Trained {
        /// The run directory.
        dir: std::path::PathBuf,
        /// The record written there.
        record: Box<RunRecord>,
    },
    /// An evaluation: (split, loss, accuracy) rows.
    Evaluated(Vec<(String, f64, Option<f64>)>),
    /// A sweep of the lesson's claims.
    Swept(Vec<zoo_claims::ClaimResult>),
    /// Benchmarks, printed as JSON lines.
    Benched,
    /// A `trainer zoo` command.
    Zoo(zoo::ZooOutcome),
    /// An export or import: the file or directory written.
    Converted(std::path::PathBuf),
}

/// Runs the command line `args` (program name first), writing results to `out`.
pub fn run<I, T>(args: I, out: &mut dyn Write) -> Result<Outcome>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = Cli::try_parse_from(args)?;
    match cli.command {
        Some(Command::Train(args)) => train_command(&args, out),
        Some(Command::Eval(args)) => eval_command(&args, out),
        Some(Command::Sweep(args)) => sweep::sweep_command(&args, out).map(Outcome::Swept),
        Some(Command::Report(args)) => sweep::report_command(&args, out).map(Outcome::Swept),
        Some(Command::Bench(args)) => bench::bench_command(&args, out).map(|()| Outcome::Benched),
        Some(Command::Zoo(args)) => zoo::zoo_command(&args, out).map(Outcome::Zoo),
        Some(Command::Export(args)) => interop::export_command(&args, out).map(Outcome::Converted),
        Some(Command::Import(args)) => interop::import_command(&args, out).map(Outcome::Converted),
        None => train_command(&cli.train, out),
    }
}

/// Runs `work` in a rayon pool of `threads` threads (the CPU backends' kernels use the current pool), or in the
/// global one.
fn in_pool<T: Send>(threads: Option<u16>, work: impl FnOnce() -> T + Send) -> Result<T> {
    Ok(match threads {
        Some(threads) => rayon::ThreadPoolBuilder::new()
            .num_threads(usize::from(threads))
            .build()
            .context("cannot start the thread pool")?
            .install(work),
        None => work(),
    })
}

fn train_command(args: &TrainArgs, out: &mut dyn Write) -> Result<Outcome> {
    let config = settings::train_config(args)?;
    // The run directory is staged before anything is trained: an unwritable --out fails now, not after training.
    let target = settings::run_dir(args.output.out.as_ref(), &config, args.device.backend);
    StagedDir::check(&target).context("cannot write the run directory (choose another --out)")?;
    let device = settings::device(&args.device)?;
    if args.device.backend == zoo_train::Backend::Wgpu
        && !args.output.quiet
        && let Some(summary) = zoo_train::wgpu_adapter_summary(args.device.wgpu_device)
    {
        progress::note(&summary);
    }
    let data = prepare(&config).context("cannot load the data")?;
    let dataset = config.data.name();
    let mut progress = progress::Progress::new(config.epochs, args.output.quiet);
    progress.start(&format!(
        "training {} on {} ({} train / {} test) with {} on {}",
        zoo_train::fit_model_to_data(config.model.clone(), &data.split.train).name(),
        dataset,
        data.split.train.len(),
        data.split.test.len(),
        config.optimizer.name(),
        args.device.backend
    ));
    let checkpoints = args.checkpoint_every.map(|every| Checkpoints {
        dir: checkpoints_beside(&target),
        every: usize::try_from(every).unwrap_or(usize::MAX),
    });
    if let Some(checkpoints) = checkpoints.as_ref().filter(|c| c.dir.exists() && !args.output.quiet) {
        progress::note(&format!("resuming from the newest checkpoint in {}", checkpoints.dir.display()));
    }
    let trained = in_pool(args.threads, || {
        let on_epoch = &mut |metrics: &zoo_train::EpochMetrics| progress.epoch(metrics);
        match &checkpoints {
            Some(checkpoints) => train_with_checkpoints(&config, &data, &device, checkpoints, on_epoch),
            None => train(&config, &data, &device, on_epoch),
        }
    })??;
    progress.finish();
    let (dir, pictures) = save(&target, &trained, &data.split.train, &device).context("cannot save the run")?;
    let record = trained.record;
    if let Some(checkpoints) = &checkpoints {
        checkpoints.clear().context("the run is saved, but its checkpoints could not be removed")?;
    }
    if args.output.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&record)?)?;
    } else {
        write!(out, "{}", progress::summary(&record))?;
        let files = ["run.json", "metrics.csv", "model.bpk"].into_iter().chain(pictures.iter().map(String::as_str));
        writeln!(out, "run directory: {} ({})", dir.display(), files.collect::<Vec<_>>().join(", "))?;
    }
    Ok(Outcome::Trained { dir, record: Box::new(record) })
}

/// Writes the run directory as a unit: record, metrics, weights and the pictures (a picture that cannot be drawn
/// costs the picture, not the run). Returns the directory and the pictures drawn.
fn save(target: &Path, trained: &Trained, train_split: &Data, device: &Device) -> Result<(PathBuf, Vec<String>)> {
    let staged = StagedDir::new(target)?;
    save_run(staged.path(), &trained.record, &trained.model)?;
    let plain = device.clone().without_autodiff();
    let pictures =
        pictures::draw(staged.path(), &trained.record, &trained.model, train_split, &plain).unwrap_or_else(|error| {
            progress::note(&format!("warning: no pictures: {error:#}"));
            Vec::new()
        });
    Ok((staged.publish()?, pictures))
}

fn eval_command(args: &EvalArgs, out: &mut dyn Write) -> Result<Outcome> {
    let device = settings::device(&args.device)?.without_autodiff();
    let (record, model) = load_run(&args.model, &device).context("cannot load the run")?;
    let mut config = record.train_config()?;
    let mut data = prepare(&config).context("cannot load the run's data")?;
    if let Some(source) = &args.dataset {
        config.data = source.clone();
        data = other_data(&config, data)?;
    }
    let model_config = record.model_config()?;
    let task = task_for(&model_config, &data.split.train)?;
    let rows: Vec<(String, f64, Option<f64>)> = [("train", &data.split.train), ("test", &data.split.test)]
        .into_iter()
        .map(|(name, split)| {
            let (loss, acc) = evaluate(&model, &DeviceSet::new(split, &device), task);
            (name.to_string(), loss, acc)
        })
        .collect();
    if args.json {
        let json: Vec<_> =
            rows.iter().map(|(s, l, a)| serde_json::json!({"split": s, "loss": l, "accuracy": a})).collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&json)?)?;
    } else {
        writeln!(out, "{} on {} ({})", record.model_name, config.data.name(), Path::new(&args.model).display())?;
        for (split, loss, acc) in &rows {
            let acc = acc.map_or("-".to_string(), |a| format!("{:.2} %", 100.0 * a));
            writeln!(out, "  {split:5}  loss {loss:.4}  accuracy {acc}")?;
        }
    }
    Ok(Outcome::Evaluated(rows))
}

/// The data of another source, standardised with the run's own statistics so the model sees what it was
/// trained on.
fn other_data(config: &zoo_train::TrainConfig, own: Prepared) -> Result<Prepared> {
    let mut split = load_split(config)?;
    if let Some(standardizer) = &own.standardizer {
        standardizer.try_apply(&mut split.train)?;
        standardizer.try_apply(&mut split.test)?;
    }
    Ok(Prepared { split, standardizer: own.standardizer })
}
