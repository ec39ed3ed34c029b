//! Whole training jobs through `zoo_train::train`, as a user's run: `tiny-2000` (2000 steps on a 4096-point
//! spiral), `mnist-epoch` (one epoch of 60000 synthetic 784-input examples), `mnist-probes` (the same shape,
//! 20000 examples, 3 epochs, probes every epoch and off: their cost).

use std::time::Instant;

use burn::prelude::*;
use zoo_datasets::{Data, DataSource, Loaded, Split};
use zoo_models::LossKind;
use zoo_train::{DeviceSet, Prepared, RunRecord, TrainConfig, evaluate, train};

use crate::error::BenchError;
use crate::line::JobLine;
use crate::measure::{BenchOptions, implementation_of, ms, peak_rss_mib, round};
use crate::workload::{JOBS, WORKLOADS};

/// Runs the job called `job` on `device` and measures it.
///
/// # Errors
///
/// [`BenchError::UnknownJob`] listing the jobs, [`BenchError::Train`] when the run cannot be set up.
pub fn run_job(job: &str, options: &BenchOptions, device: &Device) -> Result<JobLine, BenchError> {
    let started = Instant::now();
    let seed = options.seed;
    let (workload, data, epochs) = match job {
        "tiny-2000" => (&WORKLOADS[0], spirals(seed)?, 125),
        "mnist-epoch" => (&WORKLOADS[2], WORKLOADS[2].synthetic(60_000, seed), 1),
        "mnist-probes" => (&WORKLOADS[2], WORKLOADS[2].synthetic(20_000, seed), 3),
        other => return Err(BenchError::UnknownJob { name: other.to_string(), known: JOBS.join(", ") }),
    };
    let steps = data.len().div_ceil(workload.batch) * epochs;
    let prepared = Prepared { split: Split { test: data.subset(&[]), train: data }, standardizer: None };
    let config = TrainConfig::new(DataSource::Xor, workload.model_config())
        .with_lr(0.05)
        .with_batch_size(Some(workload.batch))
        .with_epochs(epochs)
        .with_eval_every(epochs)
        .with_probe_every(0)
        .with_standardize(false)
        .with_seed(seed);
    let setup = started.elapsed().as_secs_f64();
    let timed = |config: &TrainConfig| -> Result<(f64, RunRecord), BenchError> {
        let t0 = Instant::now();
        let record = train(config, &prepared, device, &mut |_| {})?.record;
        Ok((t0.elapsed().as_secs_f64(), record))
    };
    let (seconds, record) = timed(&config)?;
    let last = record.epochs.last().ok_or(BenchError::NoEpoch)?;
    // What one of the run's evaluations (before and after training) costs: upload, forward, loss, accuracy.
    // Measured in the cost-analysis job only: in the others it would be a third evaluation inside the process
    // wall time that the references do not pay.
    let eval_seconds = (job == "mnist-probes").then(|| {
        let eval_start = Instant::now();
        let model = workload.model_config().init_seeded(seed, &device.clone().without_autodiff());
        let _ = evaluate(&model, &DeviceSet::new(&prepared.split.train, device), LossKind::SoftmaxCrossEntropy);
        eval_start.elapsed().as_secs_f64()
    });
    let mut line = JobLine {
        implementation: implementation_of(device),
        job: job.to_string(),
        steps,
        train_s: round(seconds, 3),
        ms_per_step: ms(seconds / steps as f64),
        setup_s: Some(round(setup, 3)),
        eval_s: eval_seconds.map(|s| round(s, 3)),
        train_loss: Some(round(last.train_loss, 4)),
        train_acc: last.train_acc.map(|acc| round(acc, 4)),
        probes_s: None,
        no_probes_s: None,
        probe_overhead: None,
        peak_rss_mib: None,
        process_wall_s: None,
        process_peak_mib: None,
        threads: options.threads,
    };
    if job == "mnist-probes" {
        let probed = config.clone().with_eval_every(1).with_probe_every(1);
        let unprobed = config.with_eval_every(1);
        // Alternated and the best of two each, so a busy moment does not land on one side only.
        let (mut with, mut without) = (f64::INFINITY, f64::INFINITY);
        for _ in 0..2 {
            without = without.min(timed(&unprobed)?.0);
            with = with.min(timed(&probed)?.0);
        }
        line.probes_s = Some(round(with, 3));
        line.no_probes_s = Some(round(without, 3));
        line.probe_overhead = Some(round(with / without - 1.0, 3));
    }
    line.peak_rss_mib = peak_rss_mib();
    Ok(line)
}

fn spirals(seed: u64) -> Result<Data, BenchError> {
    Ok(match (DataSource::Spirals { n: 4096, arms: 2, noise: 0.2 }).load(seed)? {
        Loaded::Whole(data) => data,
        Loaded::PreSplit(split) => split.train,
    })
}
