//! Timed measurements: training steps of a workload through `zoo_train::step`, activation functions, square
//! matmuls, and the `env` line that heads every run.

use std::time::Instant;

use burn::prelude::*;
use burn::tensor::Distribution;
use zoo_models::{ActivationKind, LossKind};
use zoo_train::{BURN_VERSION, OptimizerKind, step};

use crate::error::BenchError;
use crate::line::{ActivationLine, EnvLine, GemmLine, StepLine};
use crate::measure::{
    BenchOptions, cpu_seconds, implementation_of, load_average, median_time, ms, quantiles, round, sync,
};
use crate::workload::Workload;

/// The `env` line of a run on `device`.
pub fn env_line(device: &Device, options: &BenchOptions) -> EnvLine {
    EnvLine {
        implementation: Some(implementation_of(device)),
        threads: Some(options.threads),
        burn: Some(BURN_VERSION.to_string()),
        loadavg1: load_average(),
        matmul_num_threads: std::env::var("MATMUL_NUM_THREADS").ok(),
    }
}

/// Times `zoo_train::step` on 16 pre-made batches, cycled, after `options.warmup` untimed steps, for at least
/// `options.min_time` seconds and 20 steps.
///
/// # Errors
///
/// [`BenchError::Device`] when the device fails to synchronise.
pub fn time_steps(workload: &Workload, options: &BenchOptions, device: &Device) -> Result<StepLine, BenchError> {
    let config = workload.model_config();
    let mut model = config.init_seeded(options.seed, &device.clone().autodiff());
    let mut optimizer = OptimizerKind::MOMENTUM.build(0.0);
    let data = workload.synthetic(16 * workload.batch, options.seed);
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
    for i in 0..options.warmup {
        model = run(i, model);
    }
    sync(device)?;
    let (mut times, cpu_start, start) = (Vec::new(), cpu_seconds(), Instant::now());
    while start.elapsed().as_secs_f64() < options.min_time || times.len() < 20 {
        let t0 = Instant::now();
        model = run(times.len(), model);
        sync(device)?;
        times.push(t0.elapsed().as_secs_f64());
    }
    let cpu = cpu_seconds().zip(cpu_start).map(|(end, start)| (end - start) / times.len() as f64);
    let flops = workload.flops_per_step();
    let steps = times.len();
    let (median, p10, p90) = quantiles(&mut times);
    Ok(StepLine {
        implementation: implementation_of(device),
        workload: workload.name.to_string(),
        dims: workload.dims.to_vec(),
        batch: workload.batch,
        activation: workload.activation.name(),
        params: config.num_params(),
        steps,
        median_ms: ms(median),
        p10_ms: ms(p10),
        p90_ms: ms(p90),
        samples_per_s: (workload.batch as f64 / median).round(),
        gflops: round(flops as f64 / median / 1e9, 3),
        cpu_ms: cpu.map(ms),
        flops_per_step: flops,
        threads: options.threads,
    })
}

/// Forward and forward+backward time of relu/sigmoid/tanh/gelu per shape, and each as a ratio to ReLU.
///
/// # Errors
///
/// [`BenchError::Device`] when the device fails to synchronise.
pub fn activations(options: &BenchOptions, device: &Device) -> Result<Vec<ActivationLine>, BenchError> {
    let kinds = [ActivationKind::Relu, ActivationKind::Sigmoid, ActivationKind::Tanh, ActivationKind::Gelu];
    let seconds = options.min_time / 4.0;
    let mut lines = Vec::new();
    for (rows, cols) in [(4096, 4096), (128, 256)] {
        let plain = device.clone().without_autodiff();
        let x = Tensor::<2>::random([rows, cols], Distribution::Normal(0.0, 1.0), &plain);
        let g = Tensor::<2>::random([rows, cols], Distribution::Normal(0.0, 1.0), &plain);
        let timings: Vec<(f64, f64)> = kinds
            .iter()
            .map(|kind| {
                let forward = median_time(seconds, device, || drop(kind.forward(x.clone())))?;
                let backward = median_time(seconds, device, || {
                    let input = x.clone().autodiff().require_grad();
                    // The vector-Jacobian product with g, as `fn(x).backward(g)`: one extra multiply.
                    drop(kind.forward(input).mul(g.clone().autodiff()).backward());
                })?;
                Ok((forward, backward))
            })
            .collect::<Result<_, BenchError>>()?;
        for (kind, (forward, backward)) in kinds.iter().zip(&timings) {
            lines.push(ActivationLine {
                implementation: implementation_of(device),
                function: kind.name(),
                shape: vec![rows, cols],
                fwd_ms: ms(*forward),
                fwd_bwd_ms: ms(*backward),
                fwd_vs_relu: round(forward / timings[0].0, 2),
                fwd_bwd_vs_relu: round(backward / timings[0].1, 2),
                threads: Some(options.threads),
            });
        }
    }
    Ok(lines)
}

/// Square single-precision matmuls through Burn, as `gemm_peak.py` times them: GFLOP/s = 2n³ / time.
///
/// # Errors
///
/// [`BenchError::Device`] when the device fails to synchronise.
pub fn gemm(options: &BenchOptions, device: &Device) -> Result<Vec<GemmLine>, BenchError> {
    let plain = device.clone().without_autodiff();
    [256, 512, 1024, 2048]
        .into_iter()
        .map(|n| {
            let normal = Distribution::Normal(0.0, 1.0);
            let (a, b) = (Tensor::<2>::random([n, n], normal, &plain), Tensor::<2>::random([n, n], normal, &plain));
            let seconds = median_time(options.min_time / 4.0, device, || drop(a.clone().matmul(b.clone())))?;
            Ok(GemmLine {
                implementation: Some(implementation_of(device)),
                lib: None,
                n,
                median_ms: ms(seconds),
                gflops_median: round(2.0 * (n as f64).powi(3) / seconds / 1e9, 2),
                threads: options.threads,
            })
        })
        .collect()
}
