//! `trainer sweep --grid`: the grid's base config (the trainer's defaults for `--dataset`) and its axes.

use anyhow::{Context as _, Result, anyhow};
use clap::Parser;
use zoo_claims::GridSpec;

use crate::cli::{Cli, SweepArgs};
use crate::settings;

/// The grid of `args`, or `None` for a sweep of the claims. Every cell's config is validated here.
pub fn spec(args: &SweepArgs) -> Result<Option<GridSpec>> {
    if args.grid.is_empty() {
        if args.tune_lr {
            anyhow::bail!("--tune-lr tunes the cells of a grid: give --grid knob=v1,v2 too");
        }
        return Ok(None);
    }
    if !args.claims.is_empty() {
        anyhow::bail!("--grid and --claims are two kinds of sweep: give one of them");
    }
    let name = args.dataset.name();
    let cli = Cli::try_parse_from(["trainer", "--dataset", name.as_str()]).context("the grid's data set")?;
    let base = settings::train_config(&cli.train)?;
    Ok(Some(GridSpec::parse(base, &args.grid, args.tune_lr).map_err(|e| anyhow!("invalid --grid: {e}"))?))
}
