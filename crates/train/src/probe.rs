//! Probes: what every layer's weights, activations and back-propagated errors look like, on a fixed batch.
//!
//! The definitions follow CLAIMS.md: a tanh unit is saturated when |a| > 0.97, a sigmoid unit when a < 0.03 or
//! a > 0.97 (σ − ½: |a| > 0.47); a unit is dead when its pre-activation is ≤ 0 on every probe example.

use burn::prelude::*;
use serde::{Deserialize, Serialize};
use zoo_datasets::Targets;
use zoo_models::{ActivationKind, LossKind, Mlp};

use crate::data::DeviceSet;
use crate::loss::{autodiff_targets, task_loss};

/// The fixed examples the probes look at: the first `size` training examples.
#[derive(Debug, Clone)]
pub struct ProbeSet {
    x: Tensor<2>,
    y: Targets,
    task: LossKind,
}

/// One layer's measurements (layer 1 is the first hidden layer; the last is the output layer).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LayerProbe {
    /// 1-based layer index.
    pub layer: usize,
    /// ‖∂L/∂W‖ (Frobenius).
    #[serde(with = "crate::float")]
    pub weight_grad_norm: f64,
    /// ‖∂L/∂b‖, when the layer has a bias.
    #[serde(with = "crate::float::option")]
    pub bias_grad_norm: Option<f64>,
    /// rms of δ = ∂L/∂z over examples and units: the back-propagated error signal.
    #[serde(with = "crate::float")]
    pub delta_rms: f64,
    /// Mean of the activations a (of z for the output layer).
    #[serde(with = "crate::float")]
    pub act_mean: f64,
    /// Standard deviation of the activations.
    #[serde(with = "crate::float")]
    pub act_std: f64,
    /// Share of (example, unit) activations in the saturated range; `None` for non-saturating activations
    /// and the output layer.
    #[serde(with = "crate::float::option")]
    pub saturated: Option<f64>,
    /// Share of units whose pre-activation is ≤ 0 on every probe example; `None` for the output layer.
    #[serde(with = "crate::float::option")]
    pub dead: Option<f64>,
    /// Largest distance between the incoming weight vectors of two units: 0 means the units are identical.
    #[serde(with = "crate::float")]
    pub row_spread: f64,
}

impl ProbeSet {
    /// The first `size` examples of `train` (all of them if fewer).
    pub fn new(train: &DeviceSet, size: usize, task: LossKind) -> Self {
        let (x, y) = train.range(0, size.min(train.len));
        Self { x, y, task }
    }
}

/// Measures every layer of `model` (which must live on an autodiff device) on `set`.
pub fn probe(model: &Mlp, set: &ProbeSet) -> Vec<LayerProbe> {
    let device = set.x.device().autodiff();
    let batch = set.x.dims()[0];
    let taps = model.taps(batch, &device);
    let trace = model.forward_tapped(set.x.clone().autodiff(), &taps);
    let loss = task_loss(set.task, trace.logits(), &autodiff_targets(set.y.clone()));
    let grads = loss.backward();
    let last = model.layers.len() - 1;
    model
        .layers
        .iter()
        .enumerate()
        .map(|(index, layer)| {
            let weight_grad = layer.weight.val().grad(&grads).map_or(0.0, |g| norm(&host(g)));
            let bias_grad_norm = layer.bias.as_ref().map(|b| b.val().grad(&grads).map_or(0.0, |g| norm(&host(g))));
            let delta = taps[index].grad(&grads).map(host).unwrap_or_default();
            let a = host(trace.a[index].clone().inner());
            let z = host(trace.z[index].clone().inner());
            let width = layer.weight.dims()[1];
            let hidden = index < last;
            LayerProbe {
                layer: index + 1,
                weight_grad_norm: weight_grad,
                bias_grad_norm,
                delta_rms: rms(&delta),
                act_mean: mean(&a),
                act_std: std(&a),
                saturated: if hidden { saturated_fraction(model.activation, &a) } else { None },
                dead: hidden.then(|| dead_fraction(&z, width)),
                row_spread: row_spread(&host(layer.weight.val().inner()), width),
            }
        })
        .collect()
}

/// Share of activations in the saturated range of `activation` (`None` where it does not saturate).
pub fn saturated_fraction(activation: ActivationKind, a: &[f32]) -> Option<f64> {
    let saturated: fn(f32) -> bool = match activation {
        ActivationKind::Tanh => |a| a.abs() > 0.97,
        ActivationKind::Sigmoid => |a| !(0.03..=0.97).contains(&a),
        ActivationKind::SigmoidCentered => |a| a.abs() > 0.47,
        _ => return None,
    };
    Some(a.iter().filter(|v| saturated(**v)).count() as f64 / a.len().max(1) as f64)
}

/// Share of units (columns of the row-major `[batch, width]` matrix `z`) that are ≤ 0 on every row.
pub fn dead_fraction(z: &[f32], width: usize) -> f64 {
    if width == 0 {
        return 0.0;
    }
    let dead = (0..width).filter(|unit| z.iter().skip(*unit).step_by(width).all(|v| *v <= 0.0)).count();
    dead as f64 / width as f64
}

/// How many units [`row_spread`] compares at most.
pub const ROW_SPREAD_UNITS: usize = 256;

/// Largest Euclidean distance between two units' incoming weights; `weights` is Burn's row-major
/// `[inputs, units]`, so unit j's weights are column j. Exact: two identical units are at distance 0.
///
/// The columns are copied out once so the O(units² · inputs) pairwise loop reads contiguous memory in four
/// independent f64 sums (vectorised); a strided loop made probes cost more than the epoch they probe.
/// Wider layers are measured on their first [`ROW_SPREAD_UNITS`] units, so the probe stays O(256²·inputs) however
/// wide the layer (symmetry shows in any subset of identical units).
pub fn row_spread(weights: &[f32], units: usize) -> f64 {
    let inputs = weights.len().checked_div(units).unwrap_or(0);
    let columns: Vec<Vec<f64>> = (0..units.min(ROW_SPREAD_UNITS))
        .map(|j| (0..inputs).map(|i| f64::from(weights[i * units + j])).collect())
        .collect();
    let mut widest = 0.0f64;
    for (j, a) in columns.iter().enumerate() {
        for b in &columns[j + 1..] {
            widest = widest.max(squared_distance(a, b));
        }
    }
    widest.sqrt()
}

fn squared_distance(a: &[f64], b: &[f64]) -> f64 {
    let mut sums = [0.0f64; 4];
    let (a4, b4) = (a.chunks_exact(4), b.chunks_exact(4));
    let tail: f64 = a4.remainder().iter().zip(b4.remainder()).map(|(x, y)| (x - y) * (x - y)).sum();
    for (x, y) in a4.zip(b4) {
        for lane in 0..4 {
            sums[lane] += (x[lane] - y[lane]) * (x[lane] - y[lane]);
        }
    }
    sums.iter().sum::<f64>() + tail
}

/// The values of a tensor, on the host, as f32.
pub fn host<const D: usize>(tensor: Tensor<D>) -> Vec<f32> {
    tensor.into_data().iter::<f32>().collect()
}

/// √(Σ v²).
pub fn norm(values: &[f32]) -> f64 {
    values.iter().map(|v| f64::from(*v).powi(2)).sum::<f64>().sqrt()
}

/// √(mean v²).
pub fn rms(values: &[f32]) -> f64 {
    norm(values) / (values.len().max(1) as f64).sqrt()
}

/// The mean.
pub fn mean(values: &[f32]) -> f64 {
    values.iter().map(|v| f64::from(*v)).sum::<f64>() / values.len().max(1) as f64
}

/// The population standard deviation.
pub fn std(values: &[f32]) -> f64 {
    let m = mean(values);
    (values.iter().map(|v| (f64::from(*v) - m).powi(2)).sum::<f64>() / values.len().max(1) as f64).sqrt()
}
