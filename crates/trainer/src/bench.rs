//! `trainer bench`: runs the benchmarks of `zoo_bench` on the chosen device in a thread pool of `--threads`, and
//! prints one JSON line each; `--report` renders the README's Performance section instead.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use zoo_bench::{BenchOptions, Line, Workload};

use crate::cli::BenchArgs;
use crate::settings;

/// Runs `trainer bench` and prints one JSON object per line.
pub fn bench_command(args: &BenchArgs, out: &mut dyn Write) -> Result<()> {
    if let Some(path) = &args.report {
        return report(path, args.readme.as_deref(), out);
    }
    // Names first, so a typo fails before the device and the pool start.
    let workloads: Vec<&Workload> = args.workloads.iter().map(|name| Workload::find(name)).collect::<Result<_, _>>()?;
    if args.kernels == "plain" {
        zoo_models::fused::disable();
    }
    let device = settings::device(&args.device)?;
    let pool = rayon::ThreadPoolBuilder::new().num_threads(args.threads).build().context("cannot start threads")?;
    let options = BenchOptions { threads: args.threads, min_time: args.min_time, warmup: args.warmup, seed: args.seed };
    emit(out, &Line::Env(zoo_bench::env_line(&device, &options)))?;
    if let Some(job) = &args.job {
        return emit(out, &Line::Job(pool.install(|| zoo_bench::run_job(job, &options, &device))?));
    }
    if args.gemm {
        for line in pool.install(|| zoo_bench::gemm(&options, &device))? {
            emit(out, &Line::Gemm(line))?;
        }
        return Ok(());
    }
    if args.activations {
        for line in pool.install(|| zoo_bench::activations(&options, &device))? {
            emit(out, &Line::Activation(line))?;
        }
        return Ok(());
    }
    for workload in workloads {
        emit(out, &Line::TrainStep(pool.install(|| zoo_bench::time_steps(workload, &options, &device))?))?;
    }
    Ok(())
}

/// Renders the Performance section from `jsonl`, into `readme` (atomically) or onto `out`.
fn report(jsonl: &Path, readme: Option<&Path>, out: &mut dyn Write) -> Result<()> {
    let text = std::fs::read_to_string(jsonl).with_context(|| format!("cannot read {}", jsonl.display()))?;
    let section = zoo_bench::render(&text).with_context(|| format!("in {}", jsonl.display()))?;
    let Some(readme) = readme else {
        return Ok(write!(out, "{section}")?);
    };
    let old = std::fs::read_to_string(readme).with_context(|| format!("cannot read {}", readme.display()))?;
    let new = zoo_report::splice(&old, zoo_bench::BEGIN, zoo_bench::END, &section)
        .with_context(|| format!("{}", readme.display()))?;
    zoo_train::write_atomic(readme, new.as_bytes())?;
    Ok(writeln!(out, "updated the Performance section of {}", readme.display())?)
}

fn emit(out: &mut dyn Write, line: &Line) -> Result<()> {
    writeln!(out, "{}", serde_json::to_string(line)?)?;
    out.flush()?;
    Ok(())
}
