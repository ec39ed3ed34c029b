//! The loss of a task for logits and targets, and targets moved to the autodiff device: what the update, the
//! evaluation and the probes share.

use burn::prelude::*;
use zoo_datasets::Targets;
use zoo_models::{LossKind, loss};

/// The loss of `task` for these logits and targets.
pub fn task_loss(task: LossKind, logits: Tensor<2>, targets: &Targets) -> Tensor<1> {
    match (task, targets) {
        (LossKind::SoftmaxCrossEntropy, Targets::Classes(y)) => loss::cross_entropy(logits, y.clone()),
        (LossKind::BinaryCrossEntropy, Targets::Classes(y)) => loss::binary_cross_entropy(logits, y.clone()),
        (_, Targets::Values(y)) => loss::mean_squared_error(logits, y.clone()),
        (LossKind::MeanSquaredError, Targets::Classes(y)) => {
            loss::mean_squared_error(logits, y.clone().float().unsqueeze_dim(1))
        }
    }
}

/// The same targets on the autodiff device, to meet logits there.
pub fn autodiff_targets(targets: Targets) -> Targets {
    match targets {
        Targets::Classes(y) => Targets::Classes(y.autodiff()),
        Targets::Values(y) => Targets::Values(y.autodiff()),
    }
}
