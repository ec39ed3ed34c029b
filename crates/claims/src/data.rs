//! Data for the experiments: prepared splits of built-in sources, and seeded random inputs.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, StandardNormal};
use zoo_train::{Prepared, TrainConfig, prepare};

/// The prepared data of an experiment's config. Experiments only use generated and bundled sets, which cannot
/// fail to load; a failure is a bug in this crate and stops the sweep with the loader's message.
pub fn prepared(config: &TrainConfig) -> Prepared {
    prepare(config).unwrap_or_else(|error| panic!("built-in data set failed to load: {error}"))
}

/// `n × d` inputs from U[−1, 1], row-major.
pub fn uniform_inputs(n: usize, d: usize, seed: u64) -> Vec<f32> {
    let mut rng = StdRng::seed_from_u64(seed ^ 0xA11CE);
    (0..n * d).map(|_| rng.random_range(-1.0f32..1.0)).collect()
}

/// `n × d` inputs from N(0, 1), row-major.
pub fn normal_inputs(n: usize, d: usize, seed: u64) -> Vec<f32> {
    let mut rng = StdRng::seed_from_u64(seed ^ 0xB0B);
    (0..n * d).map(|_| StandardNormal.sample(&mut rng)).collect()
}
