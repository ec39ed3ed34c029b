//! `cargo xtask fuzz`: the loaders' fuzz targets (`fuzz/`, cargo fuzz with nightly), each for a time budget, from
//! the committed seeds; new inputs go to `fuzz/corpus/` and crashes to `fuzz/artifacts/` (both ignored by git).

use std::process::Command;

use anyhow::{Context, Result, bail};
use clap::Args;

/// The fuzz targets, one per loader.
pub const TARGETS: &[&str] = &["csv", "idx", "records", "safetensors"];

/// Flags of `cargo xtask fuzz`.
#[derive(Debug, Args)]
pub struct FuzzArgs {
    /// Seconds per target.
    #[arg(long, default_value_t = 60)]
    seconds: u64,
    /// Targets to run (default: all of csv, idx, records, safetensors).
    targets: Vec<String>,
}

/// Runs each target for `--seconds` with libFuzzer (4 GiB RSS limit), one after the other.
pub fn fuzz(args: &FuzzArgs) -> Result<()> {
    let targets: Vec<&str> =
        if args.targets.is_empty() { TARGETS.to_vec() } else { args.targets.iter().map(String::as_str).collect() };
    if let Some(unknown) = targets.iter().find(|t| !TARGETS.contains(t)) {
        bail!("unknown fuzz target `{unknown}`: expected one of {}", TARGETS.join(", "));
    }
    for target in targets {
        let corpus = format!("fuzz/corpus/{target}");
        std::fs::create_dir_all(&corpus).with_context(|| format!("cannot create {corpus}"))?;
        let time = format!("-max_total_time={}", args.seconds);
        let mut command = Command::new("cargo");
        // The outer cargo's toolchain must not leak into the nightly one cargo fuzz needs.
        command.env_remove("RUSTUP_TOOLCHAIN").env_remove("CARGO").env_remove("RUSTC");
        command.args(["+nightly", "fuzz", "run", "-O", target, &corpus, &format!("fuzz/seeds/{target}")]);
        command.args(["--", &time, "-rss_limit_mb=4096", "-print_final_stats=1"]);
        let status = command.status().context("cannot run cargo +nightly fuzz (cargo install cargo-fuzz)")?;
        if !status.success() {
            bail!("fuzz target {target} found a crash ({status}); the input is in fuzz/artifacts/{target}/");
        }
    }
    Ok(())
}
