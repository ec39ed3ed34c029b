//! The two primitives every loop is made of: one update (forward → loss → backward → optimizer step) and the
//! evaluation of a whole set.

use burn::optim::{GradientsParams, ModuleOptimizer};
use burn::prelude::*;
use zoo_datasets::Targets;
use zoo_models::{LossKind, Mlp, loss};

use crate::data::DeviceSet;
use crate::loss::{autodiff_targets, task_loss};

/// One update, the lesson's cycle: forward, loss, backward, optimizer step. `x` and `y` live on the plain
/// device; `model` on the autodiff one. Nothing is read back to the host.
pub fn step(model: Mlp, optimizer: &mut ModuleOptimizer, lr: f64, task: LossKind, x: Tensor<2>, y: Targets) -> Mlp {
    let logits = model.forward(x.autodiff());
    let loss = task_loss(task, logits, &autodiff_targets(y));
    let gradients = GradientsParams::from_grads(loss.backward(), &model);
    optimizer.step(lr, model, gradients)
}

/// Mean loss and accuracy of `model` over a whole set, in chunks, without autodiff.
pub fn evaluate(model: &Mlp, set: &DeviceSet, task: LossKind) -> (f64, Option<f64>) {
    let chunk = rows_per_chunk(model);
    if set.len == 0 {
        return (f64::NAN, None);
    }
    let mut loss_sum = None::<Tensor<1>>;
    let mut correct = None::<Tensor<1, Int>>;
    for start in (0..set.len).step_by(chunk) {
        let end = (start + chunk).min(set.len);
        let (x, y) = set.range(start, end);
        let logits = model.forward(x);
        let chunk_loss = task_loss(task, logits.clone(), &y).mul_scalar((end - start) as f64);
        loss_sum = Some(loss_sum.map_or(chunk_loss.clone(), |sum| sum + chunk_loss));
        if let Targets::Classes(y) = y {
            let hits = loss::predict_class(logits).equal(y).int().sum();
            correct = Some(correct.map_or(hits.clone(), |sum| sum + hits));
        }
    }
    let n = set.len as f64;
    let loss = loss_sum.map_or(f64::NAN, |sum| sum.into_scalar::<f64>() / n);
    (loss, correct.map(|hits| hits.into_scalar::<i64>() as f64 / n))
}

/// How many examples a forward pass without gradients takes at once: 8192, fewer for layers wider than 2048 units,
/// so that one chunk's activations stay within 2²⁴ values (64 MiB) per layer.
pub fn rows_per_chunk(model: &Mlp) -> usize {
    rows_for_width(model.widths().into_iter().max().unwrap_or(1))
}

/// [`rows_per_chunk`] for a network whose widest layer has `widest` units.
pub(crate) fn rows_for_width(widest: usize) -> usize {
    ((1 << 24) / widest.max(1)).clamp(1, 8192)
}

/// The most activations one training batch may make in one layer (batch × width): 2²⁸, 1 GiB of f32.
pub const MAX_BATCH_ACTIVATIONS: usize = 1 << 28;
