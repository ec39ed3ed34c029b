//! How to measure ([`BenchOptions`]), timing and the process's own numbers: medians of repeated calls, quantiles, rounding as the references round,
//! CPU time, peak memory and load (Linux `/proc`; `None` elsewhere).

use std::time::{Duration, Instant};

use burn::prelude::*;

use crate::error::BenchError;

/// How long and how to measure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BenchOptions {
    /// Threads of Burn's CPU kernels (the caller runs the benchmark inside a rayon pool of this size); written
    /// into every line.
    pub threads: usize,
    /// Seconds of timed steps per workload (a quarter of it per activation and matmul size).
    pub min_time: f64,
    /// Untimed warm-up steps per workload.
    pub warmup: usize,
    /// Seed of data and weights.
    pub seed: u64,
}

/// The implementation's name in bench lines: `burn-flex`, `burn-ndarray`, `burn-wgpu`.
///
/// On flex with the fused layer switched off (`trainer bench --kernels plain`) it is `burn-flex-plain`.
pub fn implementation_of(device: &Device) -> String {
    let backend = zoo_train::backend_name(device);
    let plain = if backend == "flex" && !zoo_models::fused::is_enabled() { "-plain" } else { "" };
    format!("burn-{backend}{plain}")
}

/// Waits for the device's queued work.
pub(crate) fn sync(device: &Device) -> Result<(), BenchError> {
    device.sync().map_err(|e| BenchError::Device(format!("{e:?}")))
}

/// The median time of `f` (synchronised with `device`) over at least `seconds` and 10 calls, after 3 untimed.
pub(crate) fn median_time(seconds: f64, device: &Device, mut f: impl FnMut()) -> Result<f64, BenchError> {
    for _ in 0..3 {
        f();
    }
    let (mut times, end) = (Vec::new(), Instant::now() + Duration::from_secs_f64(seconds));
    while Instant::now() < end || times.len() < 10 {
        let t0 = Instant::now();
        f();
        sync(device)?;
        times.push(t0.elapsed().as_secs_f64());
    }
    Ok(quantiles(&mut times).0)
}

/// (median, 10th, 90th percentile) of `times` (sorted in place).
pub(crate) fn quantiles(times: &mut [f64]) -> (f64, f64, f64) {
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.1), at(0.9))
}

/// Seconds to milliseconds with 4 decimals.
pub(crate) fn ms(seconds: f64) -> f64 {
    (seconds * 1e7).round() / 1e4
}

/// `x` rounded to `digits` decimals.
pub(crate) fn round(x: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits);
    (x * scale).round() / scale
}

/// User + system CPU seconds of this process (Linux `/proc`), or `None` elsewhere.
pub(crate) fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// The peak resident memory of this process in MiB (Linux `VmHWM`), or `None` elsewhere.
pub(crate) fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib: f64 =
        status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?.trim().trim_end_matches("kB").trim().parse().ok()?;
    Some((kib / 1024.0).round())
}

/// The one-minute load average (Linux), or `None` elsewhere.
pub(crate) fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg").ok()?.split_whitespace().next()?.parse().ok()
}
