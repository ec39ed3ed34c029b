//! `trainer sweep` and `trainer report`: the claims of the lesson (or a grid) as stored trials — resumed after a
//! kill, spread over shards — and the verdict table, `claims.json` and the report computed from them.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Context as _, Result, bail};
use clap::Parser;
use serde::{Deserialize, Serialize};
use zoo_claims::{ClaimResult, Context, Mode, Scale, Store, run_claims, select, verdict_table};
use zoo_train::write_atomic;

use crate::cli::{ReportArgs, SweepArgs};
use crate::progress::{SweepProgress, note};
use crate::{report, settings, shard};

/// The exit code of a shard whose pass is done while trials of other shards are still missing: rerun it later.
pub const EXIT_WAITING: u8 = 75;

/// The exit code after SIGINT (128 + 2).
pub const EXIT_INTERRUPTED: u8 = 130;

/// A sweep that stopped before its end, with what to do next; `main` maps it to its exit code.
#[derive(Debug, thiserror::Error)]
pub enum Stopped {
    /// A shard's pass ended with trials of other shards still missing.
    #[error("{0}")]
    Waiting(String),
    /// SIGINT: the running trials finished and were stored.
    #[error("{0}")]
    Interrupted(String),
    /// `trainer report` found trials missing.
    #[error("{0}")]
    Missing(String),
}

/// What a sweep directory's `sweep.json` says: the flags that decide its trials (so `trainer report` can rerun the
/// sweep from the store) and, once a pass completed, how many trials it has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Plan {
    args: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    trials: Option<usize>,
}

/// The flags of `args` that decide its trials, as a command line after `trainer sweep`.
fn plan_args(args: &SweepArgs) -> Vec<String> {
    let mut plan = vec!["--backend".into(), args.device.backend.name().into()];
    plan.extend(["--wgpu-device".into(), args.device.wgpu_device.name().into()]);
    if !args.claims.is_empty() {
        plan.extend(["--claims".into(), args.claims.join(",")]);
    }
    if let Some(seeds) = &args.seeds {
        plan.extend(["--seeds".into(), seeds.clone()]);
    }
    if args.quick {
        plan.push("--quick".into());
    }
    if !args.grid.is_empty() {
        plan.push("--grid".into());
        plan.extend(args.grid.iter().cloned());
        plan.extend(["--dataset".into(), args.dataset.name()]);
        if args.tune_lr {
            plan.push("--tune-lr".into());
        }
    }
    plan
}

/// Runs the sweep `args` describe into `--out`: trains what is missing (this shard's part, when sharded), then —
/// when nothing is missing — writes claims.json, report.html and REPORT.md and prints the verdict table.
pub fn sweep_command(args: &SweepArgs, out: &mut dyn Write) -> Result<Vec<ClaimResult>> {
    let mode = shard::mode(args.shard.as_deref(), args.shards)?;
    if let Mode::Shard { index, count } = mode {
        note(&format!("shard {}/{count}: training the trials whose key it owns", index + 1));
    }
    let stop = Arc::new(AtomicBool::new(false));
    on_sigint(&stop)?;
    run_sweep(args, mode, stop, out)
}

/// Merges the `--from` directories into `--out` (the first `--from` by default) and writes the report from the
/// stored trials only; missing trials are an error naming how many and where their keys are listed.
pub fn report_command(args: &ReportArgs, out: &mut dyn Write) -> Result<Vec<ClaimResult>> {
    let Some(first) = args.from.first() else { bail!("give the sweep directory to report: --from DIR") };
    let target = args.out.clone().unwrap_or_else(|| first.clone());
    let plan = read_plan(first)?
        .with_context(|| format!("{} has no sweep.json: is it a sweep directory?", first.display()))?;
    let store = Store::new(&target);
    for dir in &args.from {
        let theirs = read_plan(dir)?;
        if theirs.as_ref().is_some_and(|p| p.args != plan.args) {
            bail!(
                "{} holds another sweep than {} (sweep.json differs): merge copies of one sweep",
                dir.display(),
                first.display()
            );
        }
        let copied = store.merge_from(&Store::new(dir))?;
        if dir != &target {
            note(&format!("merged {copied} trials from {}", dir.display()));
        }
    }
    let argv = ["trainer", "sweep"].into_iter().map(String::from).chain(plan.args.iter().cloned());
    let cli = crate::cli::Cli::try_parse_from(argv).map_err(|e| {
        let first = e.to_string().lines().next().unwrap_or_default().trim_start_matches("error: ").to_string();
        anyhow::anyhow!(
            "sweep.json holds flags this trainer does not take ({first}): was it written by another version?"
        )
    })?;
    let Some(crate::cli::Command::Sweep(sweep)) = cli.command else { bail!("sweep.json does not describe a sweep") };
    let results = run_sweep(&SweepArgs { out: target.clone(), ..sweep }, Mode::StoreOnly, Arc::default(), out)?;
    if let Some(readme) = &args.readme {
        report::update_readme(readme, &target.join("claims.json"), &results)?;
    }
    Ok(results)
}

/// Runs the sweep `args` describe in its directory `args.out` in `mode`.
fn run_sweep(args: &SweepArgs, mode: Mode, stop: Arc<AtomicBool>, out: &mut dyn Write) -> Result<Vec<ClaimResult>> {
    let dir = args.out.as_path();
    let f64_device = zoo_claims::configure_f64_device();
    let claims = select(&args.claims).map_err(anyhow::Error::msg)?;
    let grid = crate::grid::spec(args)?;
    let seeds = args.seeds.as_deref().map(parse_seeds).transpose()?;
    let device = settings::device(&args.device)?.without_autodiff();
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create the sweep directory {}", dir.display()))?;
    let plan = Plan { args: plan_args(args), trials: None };
    let previous = write_plan(dir, &plan, mode)?;
    let mut ctx = Context::new(device, if args.quick { Scale::Quick } else { Scale::Full });
    ctx.seeds = seeds;
    ctx.jobs = args.jobs.map_or(ctx.jobs, usize::from);
    ctx.f64_device = f64_device;
    ctx.store = Some(Store::new(dir));
    ctx.mode = mode;
    ctx.stop = stop;
    let progress = SweepProgress::new(previous.and_then(|p| p.trials), mode == Mode::StoreOnly);
    let results = progress.watch(&ctx, || match &grid {
        Some(grid) => vec![zoo_claims::run_grid(grid, &ctx)],
        None => run_claims(&claims, &ctx, &mut |result| {
            let (id, verdict, trials) = (&result.id, result.finding.verdict, result.trials);
            progress.line(&format!("{id:<4} {verdict:?} ({trials} trials): {}", result.finding.reason));
        }),
    });
    let (missing, trained, reused) = (ctx.missing(), ctx.trained_count(), ctx.reused_count());
    let counts = format!("{trained} trained, {reused} reused");
    if ctx.stop.load(Ordering::Relaxed) {
        let again = if mode == Mode::Train { "the same command" } else { "the same command (each shard)" };
        return Err(Stopped::Interrupted(format!(
            "interrupted after the running trials finished ({counts}; stored in {}): rerun {again} to resume",
            dir.join("trials").display()
        ))
        .into());
    }
    if !missing.is_empty() {
        return Err(missing_error(mode, dir, &missing, &counts)?.into());
    }
    write_plan(dir, &Plan { trials: Some(ctx.planned_count()), ..plan }, Mode::Train)?;
    let path = dir.join("claims.json");
    write_atomic(&path, serde_json::to_string_pretty(&results)?.as_bytes())?;
    let card = report::Card {
        commit: report::commit(),
        backend: args.device.backend.name(),
        trained,
        reused,
        planned: ctx.planned_count(),
    };
    report::write(dir, &results, &card)?;
    match &grid {
        Some(grid) => {
            let cells: Vec<String> = grid.cells().map_err(anyhow::Error::msg)?.into_iter().map(|c| c.0).collect();
            write!(out, "{}", report::grid_table(&results[0], &cells))?;
        }
        None => write!(out, "{}", verdict_table(&results))?,
    }
    writeln!(
        out,
        "{} results, {} trials ({counts}); claims.json, report.html and REPORT.md in {}",
        results.len(),
        ctx.planned_count(),
        dir.display()
    )?;
    Ok(results)
}

/// The error of a pass that left trials missing: a shard waits for the others; a report lists the keys in
/// `missing.txt`.
fn missing_error(mode: Mode, dir: &Path, missing: &[String], counts: &str) -> Result<Stopped> {
    Ok(match mode {
        Mode::Shard { index, count } => Stopped::Waiting(format!(
            "shard {}/{count} done for now ({counts}); {} trials wait for other shards or for results this pass \
             could not reach yet: rerun this command once the other shards have run (exit code {EXIT_WAITING})",
            index + 1,
            missing.len()
        )),
        _ => {
            let list = dir.join("missing.txt");
            write_atomic(&list, missing.join("\n").as_bytes())?;
            Stopped::Missing(format!(
                "{} trials are missing from {} (keys in {}, e.g. {}): run the shards again (they train only what is \
                 missing), then report again",
                missing.len(),
                dir.join("trials").display(),
                list.display(),
                missing[0]
            ))
        }
    })
}

fn read_plan(dir: &Path) -> Result<Option<Plan>> {
    let path = dir.join("sweep.json");
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(Some(serde_json::from_str(&text).with_context(|| format!("{} is damaged", path.display()))?)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}

/// Writes `plan` as the directory's sweep.json and returns the one it replaces. A shard refuses a directory of
/// another sweep (the shards of one sweep must agree); an unsharded sweep takes the directory over (its trials
/// are keyed by content, so they stay valid). The report keeps the plan it read.
fn write_plan(dir: &Path, plan: &Plan, mode: Mode) -> Result<Option<Plan>> {
    let previous = read_plan(dir)?;
    let same = previous.clone().filter(|p| p.args == plan.args);
    if let (Some(previous), None, Mode::Shard { .. }) = (&previous, &same, mode) {
        bail!(
            "{} holds another sweep (sweep.json: {}): every shard must run the same sweep flags",
            dir.display(),
            previous.args.join(" ")
        );
    }
    // A rerun keeps the count of trials a finished pass wrote; a finished pass writes it.
    let keep = same.as_ref().is_some_and(|p| plan.trials.is_none() || p == plan);
    if mode != Mode::StoreOnly && !keep {
        write_atomic(&dir.join("sweep.json"), serde_json::to_string_pretty(plan)?.as_bytes())?;
    }
    Ok(same)
}

/// Makes SIGINT set `stop` (no new trial starts; running ones finish and are stored); a second SIGINT exits at once.
fn on_sigint(stop: &Arc<AtomicBool>) -> Result<()> {
    use signal_hook::consts::SIGINT;
    signal_hook::flag::register_conditional_shutdown(SIGINT, i32::from(EXIT_INTERRUPTED), stop.clone())
        .context("cannot handle SIGINT")?;
    signal_hook::flag::register(SIGINT, stop.clone()).context("cannot handle SIGINT")?;
    Ok(())
}

/// The most seeds one sweep takes (each seed multiplies every claim's trainings).
pub const MAX_SEEDS: u64 = 10_000;

/// The largest seed: experiments turn seeds into signed 64-bit numbers (labels, Burn's integer tensors).
pub const MAX_SEED: u64 = i64::MAX as u64;

/// `10` → 0..10, `3,17,99` → those, `100..110` → that range; at most [`MAX_SEEDS`] seeds, each ≤ [`MAX_SEED`],
/// checked before any list is made.
pub fn parse_seeds(text: &str) -> Result<Vec<u64>> {
    let bad = || format!("invalid --seeds `{text}`: expected a count (10), a list (3,17,99) or a range (100..110)");
    let (first, count, list) = if let Some((a, b)) = text.split_once("..") {
        let (a, b): (u64, u64) = (a.trim().parse().with_context(bad)?, b.trim().parse().with_context(bad)?);
        (a, b.saturating_sub(a), None)
    } else if text.contains(',') {
        let list: Vec<u64> =
            text.split(',').map(|s| s.trim().parse::<u64>()).collect::<Result<_, _>>().with_context(bad)?;
        (0, list.len() as u64, Some(list))
    } else {
        (0, text.trim().parse::<u64>().with_context(bad)?, None)
    };
    if count == 0 {
        bail!("{}", bad());
    }
    if count > MAX_SEEDS {
        bail!("--seeds `{text}` asks for {count} seeds; a sweep takes at most {MAX_SEEDS} (try --seeds 10)");
    }
    let seeds = list.unwrap_or_else(|| (first..first + count).collect());
    if let Some(seed) = seeds.iter().find(|s| **s > MAX_SEED) {
        bail!("seed {seed} in --seeds `{text}` is too large: seeds go up to {MAX_SEED} (2^63 − 1)");
    }
    Ok(seeds)
}

/// Where `trainer report --readme README` copies the claims the README's table shows: `docs/claims.json` beside it.
pub fn committed_claims(readme: &Path) -> PathBuf {
    readme.parent().unwrap_or(Path::new(".")).join("docs").join("claims.json")
}
