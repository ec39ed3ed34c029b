//! Shared helpers of the integration tests: devices for every backend, host reads, comparisons.

// In a test, a failed expectation is the test failing: `expect` with a message is the clearest way to say so.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use burn::prelude::*;
use burn::tensor::Tolerance;
use zoo_train::{Backend, WgpuAdapter, device_for};

/// The devices to compare: flex, ndarray and — when a Vulkan device exists — wgpu on a software adapter
/// (lavapipe). When wgpu is missing this says so on stderr; with `ZOO_REQUIRE_WGPU=1` (set by CI) it fails.
pub fn devices() -> Vec<(&'static str, Device)> {
    #[allow(deprecated)] // ndarray is deprecated upstream; still a supported backend here.
    let mut devices = vec![("flex", Device::flex()), ("ndarray", Device::ndarray())];
    if let Some(wgpu) = wgpu() {
        devices.push(("wgpu", wgpu));
    }
    devices
}

/// The wgpu software device, or `None` with a visible "skipped" line (a failure under `ZOO_REQUIRE_WGPU=1`).
pub fn wgpu() -> Option<Device> {
    match device_for(Backend::Wgpu, WgpuAdapter::Cpu) {
        Ok(device) => Some(device),
        Err(error) => {
            assert!(
                std::env::var("ZOO_REQUIRE_WGPU").is_err(),
                "ZOO_REQUIRE_WGPU is set but wgpu is unusable: {error}"
            );
            eprintln!("skipped wgpu: {error}");
            None
        }
    }
}

/// A tensor's values on the host as f32.
pub use zoo_train::host;

/// Asserts `actual ≈ expected` with Burn's relative/absolute tolerance, naming `what` on failure.
pub fn assert_close<const D: usize>(what: &str, actual: Tensor<D>, expected: Tensor<D>, rel: f64, abs: f64) {
    let (actual, expected) = (actual.into_data(), expected.into_data());
    let compare = || actual.assert_approx_eq::<f32>(&expected, Tolerance::rel_abs(rel, abs));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(compare));
    assert!(result.is_ok(), "{what}: values differ beyond rel {rel}, abs {abs}");
}

/// Tensor from host values.
pub fn tensor<const D: usize>(values: Vec<f32>, shape: [usize; D], device: &Device) -> Tensor<D> {
    Tensor::from_data(TensorData::new(values, shape), device)
}

/// Deterministic pseudo-random inputs in [−2, 2] (no RNG crate needed).
pub fn inputs(n: usize, seed: u64) -> Vec<f32> {
    let mut state = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    (0..n)
        .map(|_| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((state >> 40) as f32 / (1u64 << 24) as f32) * 4.0 - 2.0
        })
        .collect()
}
