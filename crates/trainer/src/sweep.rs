//! `trainer sweep`: the claims of the lesson as experiments — verdict table on the terminal, `claims.json` on disk.

use std::io::Write;

use anyhow::{Context as _, Result, bail};
use zoo_claims::{Context, Scale, run_claims, select, verdict_table};
use zoo_train::write_atomic;

use crate::cli::SweepArgs;
use crate::settings;

/// Runs the selected claims and writes `claims.json` into `--out`. The f64 device for the gradient check is
/// configured first, before any backend is used in this process.
pub fn sweep_command(args: &SweepArgs, out: &mut dyn Write) -> Result<Vec<zoo_claims::ClaimResult>> {
    let f64_device = zoo_claims::configure_f64_device();
    let claims = select(&args.claims).map_err(anyhow::Error::msg)?;
    let seeds = args.seeds.as_deref().map(parse_seeds).transpose()?;
    let device = settings::device(&args.device)?.without_autodiff();
    let workers = args.workers.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
    let scale = if args.quick { Scale::Quick } else { Scale::Full };
    // Every record-only trial is stored under --out as it finishes; a rerun reuses what is there.
    let store = Some(zoo_claims::Store::new(&args.out));
    let ctx = Context {
        seeds,
        scale,
        device,
        workers,
        f64_device,
        trials: Default::default(),
        store,
        reused: Default::default(),
    };
    std::fs::create_dir_all(&args.out).with_context(|| format!("cannot create {}", args.out.display()))?;
    let path = args.out.join("claims.json");
    let mut done = Vec::new();
    let results = run_claims(&claims, &ctx, &mut |result| {
        let (id, verdict, seconds, trials) = (&result.id, result.finding.verdict, result.seconds, result.trials);
        crate::progress::note(&format!(
            "{id:<4} {verdict:?} in {seconds:.1} s ({trials} trainings): {}",
            result.finding.reason
        ));
        done.push(result.clone());
        // Written after every claim, so a killed sweep keeps what it had computed.
        if let Ok(json) = serde_json::to_string_pretty(&done) {
            let _ = write_atomic(&path, json.as_bytes());
        }
    });
    write_atomic(&path, serde_json::to_string_pretty(&results)?.as_bytes())?;
    write!(out, "{}", verdict_table(&results))?;
    let total: f64 = results.iter().map(|r| r.seconds).sum();
    let trials: usize = results.iter().map(|r| r.trials).sum();
    let rate = trials as f64 / (total / 60.0);
    writeln!(
        out,
        "{} claims, {trials} trainings in {total:.0} s ({rate:.0} per minute), {} trials reused from {}; results in {}",
        results.len(),
        ctx.reused_count(),
        args.out.join("trials").display(),
        path.display()
    )?;
    Ok(results)
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
