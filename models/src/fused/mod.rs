//! The fused dense layer: a = f(x·W + b) as one Burn backend-extension op on flex, with a backward pass of its
//! own that reuses the saved output (σ′ = a(1 − a), tanh′ = 1 − a², ReLU′ from the sign of a).
//!
//! Burn's plain path for one layer is a matmul, a broadcast bias add and an activation forward (three fresh
//! buffers), and five to seven ops backward; the fused op writes its output once (bias rows, then GEMM
//! accumulates into them, then the activation in place, vectorised) and computes δ, ∂L/∂W, ∂L/∂b and ∂L/∂x in
//! one backward step with flex's own GEMM. [`crate::Mlp::forward`] takes it on flex in f32 for the activations
//! [`act_of`] knows, unless [`disable`]d; every other backend, f64 and the other activations keep Burn's
//! path, which stays the reference (tests/fused.rs compares the two). The loss is fused the same way:
//! [`crate::loss::cross_entropy`] is one op forward (log-sum-exp per row) and one backward ((softmax − one-hot)/B
//! from the softmax saved forward), instead of Burn's nine each way.

mod autodiff;
mod gemm;
mod kernel;
mod loss;
mod math;
mod threads;

use std::sync::atomic::{AtomicBool, Ordering};

use burn::backend::{
    Flex, backend_extension,
    flex::FlexTensor,
    tensor::{FloatTensor, IntTensor},
};
use burn::nn::Linear;
use burn::prelude::*;
use burn::tensor::DType;

pub use math::{Act, max_ulp_error};

use crate::ActivationKind;

/// The fused op as a Burn backend extension: implemented for flex and for autodiff over flex.
#[backend_extension(Flex, Autodiff)]
pub trait DenseBackend: burn::backend::Backend {
    /// f(x·W + b).
    ///
    /// # Shapes
    /// - x: `[batch, d_in]`, weight: `[d_in, d_out]` (Burn's `Linear` layout), bias: `[d_out]`
    /// - output: `[batch, d_out]`
    fn dense(x: FloatTensor<Self>, weight: FloatTensor<Self>, bias: FloatTensor<Self>, act: Act) -> FloatTensor<Self>;

    /// The mean softmax cross-entropy −(1/B)·Σ log softmax(z)[y], whose backward step is (softmax − one-hot)/B.
    ///
    /// # Shapes
    /// - logits: `[batch, classes]`, targets: `[batch]` (class indices)
    /// - output: `[1]`
    fn softmax_cross_entropy(logits: FloatTensor<Self>, targets: IntTensor<Self>) -> FloatTensor<Self>;
}

impl DenseBackend for Flex {
    fn dense(x: FlexTensor, weight: FlexTensor, bias: FlexTensor, act: Act) -> FlexTensor {
        kernel::forward(&x, &weight, &bias, act)
    }

    fn softmax_cross_entropy(logits: FlexTensor, targets: FlexTensor) -> FlexTensor {
        loss::forward(&logits, &targets).0
    }
}

static ENABLED: AtomicBool = AtomicBool::new(true);

/// Turns the fused path back on (the default).
pub fn enable() {
    ENABLED.store(true, Ordering::Relaxed);
}

/// Makes [`crate::Mlp::forward`] take Burn's plain path everywhere (for comparisons: `trainer bench --kernels
/// plain`). Process-wide.
pub fn disable() {
    ENABLED.store(false, Ordering::Relaxed);
}

/// Whether the fused path is on.
pub fn is_enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// The fused form of an activation, `None` where the derivative needs the pre-activation (ELU, GELU,
/// softplus, SiLU; leaky ReLU with a negative slope): those layers keep Burn's path.
pub fn act_of(kind: ActivationKind) -> Option<Act> {
    match kind {
        ActivationKind::Identity => Some(Act::Identity),
        ActivationKind::Sigmoid => Some(Act::Sigmoid),
        ActivationKind::SigmoidCentered => Some(Act::SigmoidCentered),
        ActivationKind::Tanh => Some(Act::Tanh),
        ActivationKind::Relu => Some(Act::Relu),
        ActivationKind::LeakyRelu { slope } if slope >= 0.0 => Some(Act::LeakyRelu(slope as f32)),
        ActivationKind::LeakyRelu { .. }
        | ActivationKind::Elu
        | ActivationKind::Gelu
        | ActivationKind::Softplus
        | ActivationKind::Silu => None,
    }
}

/// Whether a tensor is one the fused op runs on: f32 on flex (with or without autodiff).
pub fn runs_on<const D: usize>(x: &Tensor<D>) -> bool {
    x.dtype() == DType::F32 && x.device().inner() == Device::flex()
}

/// f(x·W + b) for one `Linear` layer with a bias, through the fused op (`None` for a layer without bias).
///
/// # Shapes
/// - x: `[batch, d_in]` → `[batch, d_out]`
pub fn dense(x: Tensor<2>, layer: &Linear, act: Act) -> Option<Tensor<2>> {
    let bias = layer.bias.as_ref()?.val();
    let out = <burn::backend::Dispatch as DenseBackend>::dense(
        x.into_dispatch(),
        layer.weight.val().into_dispatch(),
        bias.into_dispatch(),
        act,
    );
    Some(Tensor::from_dispatch(out))
}

/// The mean softmax cross-entropy through the fused op, where it applies (on, f32 on flex); `None` elsewhere.
///
/// # Shapes
/// - logits: `[batch, classes]`, targets: `[batch]` → `[1]`
pub fn cross_entropy(logits: &Tensor<2>, targets: &Tensor<1, Int>) -> Option<Tensor<1>> {
    if !is_enabled() || !runs_on(logits) {
        return None;
    }
    let out = <burn::backend::Dispatch as DenseBackend>::softmax_cross_entropy(
        logits.clone().into_dispatch(),
        targets.clone().into_dispatch(),
    );
    Some(Tensor::from_dispatch(out))
}

/// The network's logits through the fused op; `None` where the fused path does not apply: switched off, not
/// f32 on flex, an activation without a fused form, a layer without bias or not in f32, or a vector input.
pub(crate) fn mlp_forward<const D: usize>(mlp: &crate::Mlp, input: &Tensor<D>) -> Option<Tensor<D>> {
    let biased = mlp.layers.iter().all(|layer| layer.bias.is_some() && layer.weight.val().dtype() == DType::F32);
    let act = act_of(mlp.activation).filter(|_| is_enabled() && biased && D >= 2 && runs_on(input))?;
    let dims = input.dims();
    let mut x: Tensor<2> = input.clone().reshape([dims[..D - 1].iter().product::<usize>(), dims[D - 1]]);
    let last = mlp.layers.len().saturating_sub(1);
    for (index, layer) in mlp.layers.iter().enumerate() {
        x = dense(x, layer, if index < last { act } else { Act::Identity })?;
    }
    let mut out = dims;
    out[D - 1] = x.dims()[1];
    Some(x.reshape(out))
}
