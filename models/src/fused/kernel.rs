//! The fused layer's forward and backward on flex's host buffers (one output allocation forward, δ formed in a
//! copy of the incoming gradient backward, every product through [`super::gemm`]), and the buffer helpers the
//! fused loss shares.

use burn::backend::TensorMetadata;
use burn::backend::flex::{FlexTensor, Layout};
use burn::tensor::{Bytes, DType, Shape};

use super::gemm::{Mat, gemm_add, gemm_set, gemm_set_transposed};
use super::math::Act;

/// f(x·W + b): the bias rows are written first and the GEMM accumulates into them.
pub(crate) fn forward(x: &FlexTensor, weight: &FlexTensor, bias: &FlexTensor, act: Act) -> FlexTensor {
    let (x, weight, bias) = (contiguous(x), contiguous(weight), contiguous(bias));
    let ([m, k], [_, n]) = (dims(&x), dims(&weight));
    let mut out = Vec::with_capacity(m * n);
    for _ in 0..m {
        out.extend_from_slice(values(&bias));
    }
    gemm_add(&mut out, Mat::new(values(&x), m, k), Mat::new(values(&weight), k, n));
    act.apply_slice(&mut out);
    tensor(out, [m, n])
}

/// Weights from which ∂L/∂x = δ·Wᵀ is computed transposed and transposed back ([`gemm_set_transposed`]):
/// measured with `trainer bench --threads 1`, it takes `wide` (1024×1024 weights) from 24.0 to 21.2 ms a step
/// and costs `tiny` and `digits` a fifth of theirs, `mnist` and `deep-*` (256-wide) a few per cent.
const TRANSPOSED_DX_MIN_WEIGHTS: usize = 1 << 19;

/// Which inputs need a gradient, and the gradients computed: `[x, weight, bias]`.
pub(crate) type Wanted = [bool; 3];

/// ∂L/∂x, ∂L/∂W, ∂L/∂b from ∂L/∂a, for the inputs `wanted` (the others are `None`).
pub(crate) fn backward(
    x: &FlexTensor,
    weight: &FlexTensor,
    output: &FlexTensor,
    grad: FlexTensor,
    act: Act,
    wanted: Wanted,
) -> [Option<FlexTensor>; 3] {
    let (x, weight, output) = (contiguous(x), contiguous(weight), contiguous(output));
    let ([m, k], [_, n]) = (dims(&x), dims(&weight));
    let mut delta = values(&contiguous(&grad)).to_vec();
    drop(grad);
    act.backward_slice(values(&output), &mut delta);
    let delta_mat = Mat::new(&delta, m, n);
    let dx = wanted[0].then(|| {
        let weight_t = Mat::new(values(&weight), k, n).t();
        if k * n < TRANSPOSED_DX_MIN_WEIGHTS {
            let mut dx = vec![0.0; m * k];
            gemm_set(&mut dx, delta_mat, weight_t);
            return tensor(dx, [m, k]);
        }
        let mut dx_t = vec![0.0; k * m];
        gemm_set_transposed(&mut dx_t, delta_mat, weight_t);
        tensor(transpose(&dx_t, k, m), [m, k])
    });
    let dw = wanted[1].then(|| {
        let mut dw = vec![0.0; k * n];
        gemm_set(&mut dw, Mat::new(values(&x), m, k).t(), delta_mat);
        tensor(dw, [k, n])
    });
    let db = wanted[2].then(|| {
        let mut db = vec![0.0; n];
        for row in delta.chunks_exact(n.max(1)) {
            for (sum, d) in db.iter_mut().zip(row) {
                *sum += d;
            }
        }
        tensor(db, [n])
    });
    [dx, dw, db]
}

/// The row-major `[cols, rows]` transpose of a row-major `[rows, cols]` matrix, in 32×32 tiles (each tile's
/// rows stay in L1 while its columns are written).
fn transpose(src: &[f32], rows: usize, cols: usize) -> Vec<f32> {
    const TILE: usize = 32;
    let mut out = vec![0.0f32; rows * cols];
    for r0 in (0..rows).step_by(TILE) {
        let r1 = (r0 + TILE).min(rows);
        for c0 in (0..cols).step_by(TILE) {
            for c in c0..(c0 + TILE).min(cols) {
                for (i, d) in out[c * rows + r0..c * rows + r1].iter_mut().enumerate() {
                    *d = src[(r0 + i) * cols + c];
                }
            }
        }
    }
    out
}

/// The tensor itself when its f32 values are one contiguous run, else a contiguous copy.
pub(super) fn contiguous(t: &FlexTensor) -> FlexTensor {
    if t.as_slice::<f32>().is_some() { t.clone() } else { t.to_contiguous() }
}

/// The f32 values of a contiguous tensor (empty for any other dtype: the shape checks then fail loudly).
pub(super) fn values(t: &FlexTensor) -> &[f32] {
    t.as_slice::<f32>().unwrap_or(&[])
}

/// `[rows, columns]` of a matrix (`[n, 1]` for a vector).
pub(super) fn dims(t: &FlexTensor) -> [usize; 2] {
    let shape = t.shape();
    [shape[0], shape.get(1).copied().unwrap_or(1)]
}

/// A contiguous f32 tensor owning `values` (no copy).
pub(super) fn tensor<const D: usize>(values: Vec<f32>, shape: [usize; D]) -> FlexTensor {
    FlexTensor::new(Bytes::from_elems(values), Layout::contiguous(Shape::from(shape)), DType::F32)
}
