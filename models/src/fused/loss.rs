//! The fused softmax cross-entropy on flex's host buffers: log-sum-exp per row forward (the softmax kept for the
//! backward step), (softmax − one-hot)·g/B backward.

use burn::backend::TensorMetadata;
use burn::backend::flex::{FlexTensor, Layout};
use burn::tensor::{Bytes, DType, Shape};

/// The mean loss as a `[1]` tensor, and the softmax `[batch, classes]` for [`backward`]. A target outside
/// `0..classes` makes the loss NaN (Burn's path would fail on the gather), never a panic.
pub(crate) fn forward(logits: &FlexTensor, targets: &FlexTensor) -> (FlexTensor, Vec<f32>) {
    let logits = if logits.as_slice::<f32>().is_some() { logits.clone() } else { logits.to_contiguous() };
    let z = logits.as_slice::<f32>().unwrap_or(&[]);
    let shape = logits.shape();
    let (rows, classes) = (shape[0], shape.get(1).copied().unwrap_or(1));
    let targets = classes_of(targets, rows, classes);
    let mut softmax = z.to_vec();
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
    let loss = FlexTensor::new(Bytes::from_elems(vec![mean]), Layout::contiguous(Shape::from([1])), DType::F32);
    (loss, softmax)
}

/// ∂L/∂z = (softmax − one-hot(y))·g / B, written over the saved softmax.
pub(crate) fn backward(mut softmax: Vec<f32>, targets: &FlexTensor, grad: f32, shape: [usize; 2]) -> FlexTensor {
    let [rows, classes] = shape;
    let scale = grad / rows.max(1) as f32;
    for (p, target) in softmax.chunks_exact_mut(classes.max(1)).zip(classes_of(targets, rows, classes)) {
        match target {
            Some(t) => p[t] -= 1.0,
            None => p.fill(f32::NAN),
        }
        p.iter_mut().for_each(|v| *v *= scale);
    }
    FlexTensor::new(Bytes::from_elems(softmax), Layout::contiguous(Shape::from(shape)), DType::F32)
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
