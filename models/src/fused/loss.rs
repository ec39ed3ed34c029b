//! The fused softmax cross-entropy on flex's host buffers: log-sum-exp per row forward (the softmax kept for the
//! backward step), (softmax − one-hot)·g/B backward.

use burn::backend::flex::FlexTensor;
use burn::tensor::DType;

use super::kernel::{contiguous, dims, tensor, values};

/// What the backward step needs from the forward: the softmax `[rows, classes]`, each row's class (`None` for an
/// invalid target) and the logits' shape.
#[derive(Debug, Clone)]
pub(crate) struct Saved {
    softmax: Vec<f32>,
    targets: Vec<Option<usize>>,
    shape: [usize; 2],
}

/// The mean loss as a `[1]` tensor, and what [`backward`] needs. A target outside `0..classes` makes the loss
/// NaN (Burn's path would fail on the gather), never a panic.
pub(crate) fn forward(logits: &FlexTensor, targets: &FlexTensor) -> (FlexTensor, Saved) {
    let logits = contiguous(logits);
    let shape @ [rows, classes] = dims(&logits);
    let targets = classes_of(targets, rows, classes);
    let mut softmax = values(&logits).to_vec();
    let mut total = 0.0f64;
    for (p, target) in softmax.chunks_exact_mut(classes.max(1)).zip(&targets) {
        let max = p.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        p.iter_mut().for_each(|v| *v -= max);
        let picked = target.map_or(f32::NAN, |t| p[t]);
        super::math::exp_slice(p);
        let sum: f32 = p.iter().sum();
        p.iter_mut().for_each(|v| *v /= sum);
        total += f64::from(sum.ln() - picked);
    }
    let mean = if rows == 0 { f32::NAN } else { (total / rows as f64) as f32 };
    (tensor(vec![mean], [1]), Saved { softmax, targets, shape })
}

/// ∂L/∂z = (softmax − one-hot(y))·g / B, written over the saved softmax.
pub(crate) fn backward(saved: Saved, grad: f32) -> FlexTensor {
    let Saved { mut softmax, targets, shape } = saved;
    let [rows, classes] = shape;
    let scale = grad / rows.max(1) as f32;
    for (p, target) in softmax.chunks_exact_mut(classes.max(1)).zip(targets) {
        match target {
            Some(t) => p[t] -= 1.0,
            None => p.fill(f32::NAN),
        }
        p.iter_mut().for_each(|v| *v *= scale);
    }
    tensor(softmax, shape)
}
/// The class index of each of `rows` rows; `None` for an index outside `0..classes`, a missing row or a tensor
/// that is not of integers.
fn classes_of(targets: &FlexTensor, rows: usize, classes: usize) -> Vec<Option<usize>> {
    let targets = if targets.is_contiguous() { targets.clone() } else { targets.to_contiguous() };
    let index = |v: i64| usize::try_from(v).ok().filter(|&t| t < classes);
    let mut out: Vec<Option<usize>> = match targets.dtype() {
        DType::I64 => targets.as_slice::<i64>().unwrap_or(&[]).iter().map(|&v| index(v)).collect(),
        DType::I32 => targets.as_slice::<i32>().unwrap_or(&[]).iter().map(|&v| index(v.into())).collect(),
        _ => Vec::new(),
    };
    out.resize(rows, None);
    out
}
