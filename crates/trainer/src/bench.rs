//! `trainer bench`: the workloads of the PyTorch/NumPy references (`shared/bench`) through zoo-train's own
//! training step, activation costs and whole jobs, as JSON lines with the references' field names.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use burn::prelude::*;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use rand_distr::StandardNormal;
use serde_json::{Value, json};
use zoo_datasets::{Data, DataSource, Labels, Split};
use zoo_models::{ActivationKind, InitScheme, LossKind, MlpConfig};
use zoo_train::{OptimizerKind, Prepared, TrainConfig, device_for, step, train};

use crate::cli::BenchArgs;

/// One reference workload: layer widths (input, hidden.., classes), batch size and hidden activation.
#[derive(Debug, Clone, Copy)]
pub struct Workload {
    /// The references' name.
    pub name: &'static str,
    /// Widths, input first.
    pub dims: &'static [usize],
    /// Examples per step.
    pub batch: usize,
    /// Hidden activation.
    pub activation: ActivationKind,
}

const DEEP: &[usize] = &[784, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 10];

/// The workloads of `shared/bench/torch_mlp.py`, in its order.
pub const WORKLOADS: [Workload; 7] = [
    Workload { name: "tiny", dims: &[2, 64, 64, 2], batch: 256, activation: ActivationKind::Relu },
    Workload { name: "digits", dims: &[64, 128, 128, 10], batch: 128, activation: ActivationKind::Relu },
    Workload { name: "mnist", dims: &[784, 256, 256, 10], batch: 128, activation: ActivationKind::Relu },
    Workload { name: "wide", dims: &[784, 1024, 1024, 1024, 10], batch: 256, activation: ActivationKind::Relu },
    Workload { name: "deep-relu", dims: DEEP, batch: 128, activation: ActivationKind::Relu },
    Workload { name: "deep-sigmoid", dims: DEEP, batch: 128, activation: ActivationKind::Sigmoid },
    Workload { name: "deep-tanh", dims: DEEP, batch: 128, activation: ActivationKind::Tanh },
];

/// The whole jobs of `torch_mlp.py --job`.
pub const JOBS: [&str; 3] = ["tiny-2000", "mnist-epoch", "mnist-probes"];

/// Runs `trainer bench` and prints one JSON object per line.
pub fn bench_command(args: &BenchArgs, out: &mut dyn Write) -> Result<()> {
    if let Some(path) = &args.report {
        return report(path, args.readme.as_deref(), out);
    }
    let (backend, adapter) = crate::settings::device(&args.device);
    let device = device_for(backend, adapter)?;
    let pool = rayon::ThreadPoolBuilder::new().num_threads(args.threads).build().context("cannot start threads")?;
    let env = json!({"bench": "env", "impl": implementation_of(&device), "threads": args.threads,
        "burn": zoo_train::BURN_VERSION, "loadavg1": load_average(),
        "matmul_num_threads": std::env::var("MATMUL_NUM_THREADS").ok()});
    writeln!(out, "{env}")?;
    let threads = args.threads;
    if let Some(job) = &args.job {
        return emit(out, pool.install(|| run_job(job, args, &device))?, threads);
    }
    if args.gemm {
        for line in pool.install(|| gemm(args, &device))? {
            emit(out, line, threads)?;
        }
        return Ok(());
    }
    if args.activations {
        for line in pool.install(|| activations(args, &device))? {
            emit(out, line, threads)?;
        }
        return Ok(());
    }
    for name in &args.workloads {
        let workload = WORKLOADS.iter().find(|w| w.name == name).with_context(|| {
            format!("unknown workload `{name}`: use one of {}", WORKLOADS.map(|w| w.name).join(", "))
        })?;
        emit(out, pool.install(|| time_steps(workload, args, &device))?, threads)?;
    }
    Ok(())
}

/// Renders the Performance section from `jsonl`, into `readme` (atomically) or onto `out`.
fn report(jsonl: &Path, readme: Option<&Path>, out: &mut dyn Write) -> Result<()> {
    let text = std::fs::read_to_string(jsonl).with_context(|| format!("cannot read {}", jsonl.display()))?;
    let section = crate::bench_report::render(&text).with_context(|| format!("in {}", jsonl.display()))?;
    let Some(readme) = readme else {
        return Ok(write!(out, "{section}")?);
    };
    let old = std::fs::read_to_string(readme).with_context(|| format!("cannot read {}", readme.display()))?;
    let new = crate::bench_report::splice(&old, &section)?;
    zoo_train::write_atomic(readme, new.as_bytes())?;
    Ok(writeln!(out, "updated the Performance section of {}", readme.display())?)
}

fn emit(out: &mut dyn Write, mut line: Value, threads: usize) -> Result<()> {
    line["threads"] = json!(threads);
    writeln!(out, "{line}")?;
    out.flush()?;
    Ok(())
}

/// Times `zoo_train::step` on 16 pre-made batches, cycled, after `args.warmup` untimed steps.
fn time_steps(workload: &Workload, args: &BenchArgs, device: &Device) -> Result<Value> {
    let config = model_config(workload);
    let mut model = config.init(args.seed, &device.clone().autodiff());
    let mut optimizer = OptimizerKind::MOMENTUM.build(0.0);
    let data = synthetic(workload, 16 * workload.batch, args.seed);
    let plain = device.clone().without_autodiff();
    let batches: Vec<_> = (0..16)
        .map(|i| {
            let rows: Vec<usize> = (i * workload.batch..(i + 1) * workload.batch).collect();
            data.subset(&rows).to_tensors(&plain)
        })
        .collect();
    let mut run = |i: usize, model| {
        let (x, y) = batches[i % batches.len()].clone();
        step(model, &mut optimizer, 0.05, LossKind::SoftmaxCrossEntropy, x, y)
    };
    for i in 0..args.warmup {
        model = run(i, model);
    }
    device.sync()?;
    let (mut times, cpu_start, start) = (Vec::new(), cpu_seconds(), Instant::now());
    while start.elapsed().as_secs_f64() < args.min_time || times.len() < 20 {
        let t0 = Instant::now();
        model = run(times.len(), model);
        device.sync()?;
        times.push(t0.elapsed().as_secs_f64());
    }
    let cpu = cpu_seconds().zip(cpu_start).map(|(end, start)| (end - start) / times.len() as f64);
    let params = config.num_params();
    let flops = 6 * params * workload.batch;
    let (median, p10, p90) = quantiles(&mut times);
    Ok(json!({
        "bench": "train_step", "impl": implementation_of(device), "workload": workload.name,
        "dims": workload.dims, "batch": workload.batch, "activation": workload.activation.name(),
        "params": params, "steps": times.len(),
        "median_ms": ms(median), "p10_ms": ms(p10), "p90_ms": ms(p90),
        "samples_per_s": (workload.batch as f64 / median).round(),
        "gflops": round3(flops as f64 / median / 1e9), "cpu_ms": cpu.map(ms), "flops_per_step": flops,
    }))
}

/// The model of a workload: PyTorch's default initialisation family (U[±1/√fan_in]).
pub(crate) fn model_config(workload: &Workload) -> MlpConfig {
    let (last, hidden) = (workload.dims.len() - 1, &workload.dims[1..workload.dims.len() - 1]);
    MlpConfig::new(workload.dims[0], hidden.to_vec(), workload.dims[last])
        .with_activation(workload.activation)
        .with_init(InitScheme::GlorotStandard)
}

/// `n` Gaussian inputs labelled by a fixed random linear teacher, as the references make them.
fn synthetic(workload: &Workload, n: usize, seed: u64) -> Data {
    let (d_input, classes) = (workload.dims[0], workload.dims[workload.dims.len() - 1]);
    let mut rng = StdRng::seed_from_u64(seed);
    let mut gaussian = |count: usize| -> Vec<f32> { (0..count).map(|_| rng.sample(StandardNormal)).collect() };
    let features = gaussian(n * d_input);
    let teacher = gaussian(d_input * classes);
    let mut scores = vec![0.0f32; classes];
    let y = features
        .chunks(d_input)
        .map(|row| {
            scores.fill(0.0);
            for (x, weights) in row.iter().zip(teacher.chunks(classes)) {
                scores.iter_mut().zip(weights).for_each(|(score, w)| *score += x * w);
            }
            (0..classes).max_by(|a, b| scores[*a].total_cmp(&scores[*b])).unwrap_or(0) as u32
        })
        .collect();
    let names = (0..classes).map(|k| k.to_string()).collect();
    Data {
        name: workload.name.to_string(),
        features,
        d_input,
        labels: Labels::Classes { y, n_classes: classes, names },
    }
}

/// Forward and forward+backward time of relu/sigmoid/tanh/gelu per shape, and each as a ratio to ReLU.
fn activations(args: &BenchArgs, device: &Device) -> Result<Vec<Value>> {
    let kinds = [ActivationKind::Relu, ActivationKind::Sigmoid, ActivationKind::Tanh, ActivationKind::Gelu];
    let mut lines = Vec::new();
    for (rows, cols) in [(4096, 4096), (128, 256)] {
        let plain = device.clone().without_autodiff();
        let x = Tensor::<2>::random([rows, cols], burn::tensor::Distribution::Normal(0.0, 1.0), &plain);
        let g = Tensor::<2>::random([rows, cols], burn::tensor::Distribution::Normal(0.0, 1.0), &plain);
        let timings: Vec<(f64, f64)> = kinds
            .iter()
            .map(|kind| {
                let forward = median_time(args.min_time / 4.0, device, || drop(kind.forward(x.clone())))?;
                let backward = median_time(args.min_time / 4.0, device, || {
                    let input = x.clone().autodiff().require_grad();
                    // The vector-Jacobian product with g, as `fn(x).backward(g)`: one extra multiply.
                    drop(kind.forward(input).mul(g.clone().autodiff()).backward());
                })?;
                Ok((forward, backward))
            })
            .collect::<Result<_>>()?;
        for (kind, (forward, backward)) in kinds.iter().zip(&timings) {
            lines.push(json!({
                "bench": "activation", "impl": implementation_of(device), "fn": kind.name(), "shape": [rows, cols],
                "fwd_ms": ms(*forward), "fwd_bwd_ms": ms(*backward),
                "fwd_vs_relu": round2(forward / timings[0].0), "fwd_bwd_vs_relu": round2(backward / timings[0].1),
            }));
        }
    }
    Ok(lines)
}

/// Square single-precision matmuls through Burn, as `gemm_peak.py` times them: GFLOP/s = 2n³ / time.
fn gemm(args: &BenchArgs, device: &Device) -> Result<Vec<Value>> {
    let plain = device.clone().without_autodiff();
    [256, 512, 1024, 2048]
        .into_iter()
        .map(|n| {
            let normal = burn::tensor::Distribution::Normal(0.0, 1.0);
            let (a, b) = (Tensor::<2>::random([n, n], normal, &plain), Tensor::<2>::random([n, n], normal, &plain));
            let seconds = median_time(args.min_time / 4.0, device, || drop(a.clone().matmul(b.clone())))?;
            let gflops = 2.0 * (n as f64).powi(3) / seconds / 1e9;
            Ok(json!({"bench": "gemm", "impl": implementation_of(device), "n": n, "median_ms": ms(seconds),
                "gflops_median": round2(gflops)}))
        })
        .collect()
}

fn median_time(seconds: f64, device: &Device, mut f: impl FnMut()) -> Result<f64> {
    for _ in 0..3 {
        f();
    }
    let (mut times, end) = (Vec::new(), Instant::now() + std::time::Duration::from_secs_f64(seconds));
    while Instant::now() < end || times.len() < 10 {
        let t0 = Instant::now();
        f();
        device.sync()?;
        times.push(t0.elapsed().as_secs_f64());
    }
    Ok(quantiles(&mut times).0)
}

/// A whole training job through `zoo_train::train`, as a user's run: `tiny-2000` (2000 steps on a 4096-point
/// spiral), `mnist-epoch` (one epoch of 60000 synthetic 784-input examples), `mnist-probes` (the same shape,
/// 20000 examples, 3 epochs, probes every epoch and off: their cost).
fn run_job(job: &str, args: &BenchArgs, device: &Device) -> Result<Value> {
    let started = Instant::now();
    let (workload, data, epochs) = match job {
        "tiny-2000" => (&WORKLOADS[0], spirals(args.seed)?, 125),
        "mnist-epoch" => (&WORKLOADS[2], synthetic(&WORKLOADS[2], 60_000, args.seed), 1),
        "mnist-probes" => (&WORKLOADS[2], synthetic(&WORKLOADS[2], 20_000, args.seed), 3),
        other => bail!("unknown job `{other}`: use one of {}", JOBS.join(", ")),
    };
    let steps_per_epoch = data.len().div_ceil(workload.batch);
    let prepared = Prepared { split: Split { test: data.subset(&[]), train: data }, standardizer: None };
    let config = TrainConfig::new(DataSource::Xor, model_config(workload))
        .with_lr(0.05)
        .with_batch_size(Some(workload.batch))
        .with_epochs(epochs)
        .with_eval_every(epochs)
        .with_probe_every(0)
        .with_standardize(false)
        .with_seed(args.seed);
    let setup = started.elapsed().as_secs_f64();
    let timed = |config: &TrainConfig| -> Result<(f64, zoo_train::RunRecord)> {
        let t0 = Instant::now();
        let record = train(config, &prepared, device, &mut |_| {})?.record;
        Ok((t0.elapsed().as_secs_f64(), record))
    };
    let (seconds, record) = timed(&config)?;
    let last = record.epochs.last().context("the job recorded no epoch")?;
    // What one of the run's evaluations (before and after training) costs: upload, forward, loss, accuracy.
    let eval_start = Instant::now();
    let model = model_config(workload).init(args.seed, &device.clone().without_autodiff());
    let _ = zoo_train::evaluate(
        &model,
        &zoo_train::DeviceSet::new(&prepared.split.train, device),
        LossKind::SoftmaxCrossEntropy,
    );
    let eval_seconds = eval_start.elapsed().as_secs_f64();
    let mut line = json!({
        "bench": "job", "impl": implementation_of(device), "job": job, "steps": steps_per_epoch * epochs,
        "train_s": round3(seconds), "ms_per_step": ms(seconds / (steps_per_epoch * epochs) as f64),
        "setup_s": round3(setup), "eval_s": round3(eval_seconds), "train_loss": round4(last.train_loss), "train_acc": last.train_acc.map(round4),
    });
    if job == "mnist-probes" {
        let probed = config.clone().with_eval_every(1).with_probe_every(1);
        let unprobed = config.with_eval_every(1);
        // Alternated and the best of two each, so a busy moment does not land on one side only.
        let (mut with, mut without) = (f64::INFINITY, f64::INFINITY);
        for _ in 0..2 {
            without = without.min(timed(&unprobed)?.0);
            with = with.min(timed(&probed)?.0);
        }
        line["probes_s"] = json!(round3(with));
        line["no_probes_s"] = json!(round3(without));
        line["probe_overhead"] = json!(round3(with / without - 1.0));
    }
    line["peak_rss_mib"] = json!(peak_rss_mib());
    Ok(line)
}

fn spirals(seed: u64) -> Result<Data> {
    match (DataSource::Spirals { n: 4096, arms: 2, noise: 0.2 }).load(seed)? {
        zoo_datasets::Loaded::Whole(data) => Ok(data),
        zoo_datasets::Loaded::PreSplit(split) => Ok(split.train),
    }
}

fn implementation_of(device: &Device) -> String {
    format!("burn-{}", zoo_train::backend_name(device))
}

fn quantiles(times: &mut [f64]) -> (f64, f64, f64) {
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.1), at(0.9))
}

fn ms(seconds: f64) -> f64 {
    (seconds * 1e7).round() / 1e4
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn round4(x: f64) -> f64 {
    (x * 10000.0).round() / 10000.0
}

/// User + system CPU seconds of this process (Linux `/proc`), or `None` elsewhere.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// The peak resident memory of this process in MiB (Linux `VmHWM`), or `None` elsewhere.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib: f64 =
        status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?.trim().trim_end_matches("kB").trim().parse().ok()?;
    Some((kib / 1024.0).round())
}

fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg").ok()?.split_whitespace().next()?.parse().ok()
}
