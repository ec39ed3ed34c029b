//! The reference workloads of `bench/reference` (network shapes, batch sizes, activations), their models and their
//! synthetic data, and the names of the whole jobs.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use rand_distr::StandardNormal;
use zoo_datasets::{Data, Labels};
use zoo_models::{ActivationKind, InitScheme, MlpConfig};

use crate::error::BenchError;

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

/// The workloads of `bench/reference/torch_mlp.py`, in its order.
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

impl Workload {
    /// The workload called `name`.
    ///
    /// # Errors
    ///
    /// [`BenchError::UnknownWorkload`], listing the names.
    ///
    /// ```
    /// assert_eq!(zoo_bench::Workload::find("mnist")?.batch, 128);
    /// assert!(zoo_bench::Workload::find("huge").is_err());
    /// # Ok::<(), zoo_bench::BenchError>(())
    /// ```
    pub fn find(name: &str) -> Result<&'static Workload, BenchError> {
        WORKLOADS.iter().find(|w| w.name == name).ok_or_else(|| BenchError::UnknownWorkload {
            name: name.to_string(),
            known: WORKLOADS.map(|w| w.name).join(", "),
        })
    }

    /// The model: PyTorch's default initialisation family (U[±1/√fan_in]).
    pub fn model_config(&self) -> MlpConfig {
        let (last, hidden) = (self.dims.len() - 1, &self.dims[1..self.dims.len() - 1]);
        MlpConfig::new(self.dims[0], hidden.to_vec(), self.dims[last])
            .with_activation(self.activation)
            .with_init(InitScheme::GlorotStandard)
    }

    /// Floating-point operations of one step as the references count them: 6 · parameters · batch.
    pub fn flops_per_step(&self) -> usize {
        6 * self.model_config().num_params() * self.batch
    }

    /// `n` Gaussian inputs labelled by a fixed random linear teacher, as the references make them.
    pub fn synthetic(&self, n: usize, seed: u64) -> Data {
        let (d_input, classes) = (self.dims[0], self.dims[self.dims.len() - 1]);
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
            name: self.name.to_string(),
            features,
            d_input,
            labels: Labels::Classes { y, n_classes: classes, names },
        }
    }
}
