//! `cargo xtask`: project automation. Orchestration only — it runs cargo and the project's binaries, and does
//! not link Burn itself (so it builds in seconds and never compiles Burn with other features).

mod bench;
mod fuzz;
mod zoo;

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};

/// Project automation for MLP Zoo.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    command: Task,
}

#[derive(Debug, Subcommand)]
enum Task {
    /// What CI checks, minus the system packages: the test suite and warning-free docs.
    Ci,
    /// Every claim of the lesson as an experiment, with release-optimised code on all cores
    /// (`cargo xtask sweep --quick`, `--claims a,b2`, `--seeds 100..110`, `--jobs`, `--shard i/n`, `--grid`,
    /// `--out`; see `--help`). A rerun trains only what is missing.
    Sweep {
        /// Passed to `trainer sweep`.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Merge sweep directories (`--from DIR [--from DIR2]`) into claims.json, report.html and REPORT.md from their
    /// stored trials; `--readme README.md` also writes the README's verdict table (and docs/claims.json).
    Report {
        /// Passed to `trainer report`.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Our training step, activations and whole jobs beside the PyTorch/NumPy references (when their venv
    /// exists), as JSON lines in docs/performance/bench.jsonl, and the README's Performance section from them.
    Bench(bench::BenchArgs),
    /// The model zoo through the release trainer: `cargo xtask zoo train [NAME..]` retrains presets into
    /// crates/presets/zoo and regenerates the README's zoo table; `list`, `show NAME`, `eval [--backend ..]` as in
    /// `trainer zoo`.
    Zoo {
        /// Passed to `trainer zoo`.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// The loaders' fuzz targets (CSV, IDX, run.json/model.json, SafeTensors) for `--seconds` each, with cargo fuzz
    /// on nightly (`cargo install cargo-fuzz`); not part of CI.
    Fuzz(fuzz::FuzzArgs),
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    // One convention for every subcommand: paths (defaults and the ones given) are from the workspace root, so
    // `cargo xtask ...` does the same from any folder of the workspace.
    let root = workspace_root();
    std::env::set_current_dir(&root).with_context(|| format!("cannot enter the workspace root {}", root.display()))?;
    match cli.command {
        Task::Ci => {
            cargo(&["test", "--release"])?;
            cargo_env(
                &["doc", "--release", "--no-deps", "-p", "zoo-models", "-p", "zoo-datasets"],
                ("RUSTDOCFLAGS", "-D warnings"),
            )
        }
        Task::Sweep { args } => trainer_command("sweep", &args),
        Task::Report { args } => trainer_command("report", &args),
        Task::Bench(args) => bench::bench(&args),
        Task::Zoo { args } => zoo::zoo(&args),
        Task::Fuzz(args) => fuzz::fuzz(&args),
    }
}

/// `trainer SUBCOMMAND ARGS` through `cargo run --release` (built first if needed).
fn trainer_command(subcommand: &str, args: &[String]) -> Result<()> {
    let mut command = vec!["run", "--release", "--quiet", "-p", "trainer", "--", subcommand];
    command.extend(args.iter().map(String::as_str));
    cargo(&command)
}

/// The workspace root: the folder above this crate's manifest (cargo sets `CARGO_MANIFEST_DIR` at build time).
fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map_or(manifest.clone(), PathBuf::from)
}

/// The release `trainer` binary (built by `cargo build --release -p trainer`).
fn trainer() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| PathBuf::from("target"), PathBuf::from);
    target.join("release").join("trainer")
}

fn cargo(args: &[&str]) -> Result<()> {
    cargo_env(args, ("", ""))
}

fn cargo_env(args: &[&str], (key, value): (&str, &str)) -> Result<()> {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.args(args);
    if !key.is_empty() {
        command.env(key, value);
    }
    let status = command.status().with_context(|| format!("cannot run cargo {}", args.join(" ")))?;
    if !status.success() {
        bail!("cargo {} failed ({status})", args.join(" "));
    }
    Ok(())
}
