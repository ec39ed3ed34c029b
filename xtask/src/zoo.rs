//! `cargo xtask zoo`: the model zoo's commands through the release `trainer` (from the workspace root, as every
//! xtask command).
//! `cargo xtask zoo train [NAME..]` retrains presets from their recipes into `crates/presets/zoo/` and regenerates the
//! README's zoo table; the next build of `zoo-presets` embeds the new files.

use std::process::Command;

use anyhow::{Context, Result, bail};

/// Runs `trainer zoo ARGS` (with the zoo's directory and the README for `train`).
pub fn zoo(args: &[String]) -> Result<()> {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.args(["run", "--release", "--quiet", "-p", "trainer", "--", "zoo"]).args(args);
    if args.first().is_some_and(|a| a == "train") {
        command.args(["--out", "crates/presets/zoo", "--readme", "README.md"]);
    }
    let status = command.status().context("cannot run cargo run -p trainer")?;
    if !status.success() {
        bail!("trainer zoo {} failed ({status})", args.join(" "));
    }
    Ok(())
}
