//! The lesson's backward pass written by hand: output error, chain rule, layer by layer.
//!
//! Forward, for layers ℓ = 1..L (a₀ = x, no activation on the last layer):
//!
//! ```text
//! zℓ = aℓ₋₁·Wℓ + bℓ          the weighted sum (Burn stores Wℓ as [inputs, units])
//! aℓ = f(zℓ)                 the activation
//! ```
//!
//! Backward: start from the error at the output, δ_L = ∂L/∂z_L, and walk back:
//!
//! ```text
//! ∂L/∂Wℓ = aℓ₋₁ᵀ·δℓ          each weight's gradient: its input times the error of its unit, summed over the batch
//! ∂L/∂bℓ = Σ_batch δℓ        a bias's gradient: the error of its unit
//! δℓ₋₁   = (δℓ·Wℓᵀ) ⊙ f′(zℓ₋₁)   the chain rule: the error sent back through the weights, scaled by the slope
//! ```
//!
//! The last line is where gradients vanish: every layer multiplies the error by f′(z), which is at most ¼ for
//! the sigmoid. [`backward`] computes exactly these lines with Burn tensor operations; the tests and claim i2
//! check them against Burn's autodiff.

use burn::prelude::*;

use crate::loss::{LossKind, softmax};
use crate::mlp::{Mlp, Trace};

/// The gradients of one layer, as the backward pass produces them.
#[derive(Debug, Clone)]
pub struct LayerGradients {
    /// ∂L/∂Wℓ, `[inputs, units]` like the weight.
    pub weight: Tensor<2>,
    /// ∂L/∂bℓ, `[units]`; `None` when the layer has no bias.
    pub bias: Option<Tensor<1>>,
    /// δℓ = ∂L/∂zℓ, `[batch, units]`: the error of every unit for every example.
    pub delta: Tensor<2>,
}

/// δ_L = ∂L/∂z_L for a classification loss, mean over the batch: (softmax(z) − onehot(y)) / B for softmax
/// cross-entropy, (σ(z) − y) / B for binary cross-entropy on one logit.
///
/// # Shapes
/// - logits: `[batch, k]`, targets: `[batch]` → `[batch, k]`
pub fn output_error_classes(loss: LossKind, logits: Tensor<2>, targets: Tensor<1, Int>) -> Tensor<2> {
    let [batch, k] = logits.dims();
    // The targets in the logits' float type (f64 networks stay f64).
    let dtype = logits.dtype();
    let error = match loss {
        LossKind::BinaryCrossEntropy => {
            burn::tensor::activation::sigmoid(logits) - targets.float().cast(dtype).unsqueeze_dim(1)
        }
        _ => softmax(logits) - targets.one_hot::<2>(k).float().cast(dtype),
    };
    error.div_scalar(batch as f64)
}

/// δ_L = ∂L/∂z_L for the mean squared error: 2(z − y) / (B·d_output).
///
/// # Shapes
/// - outputs, targets: `[batch, d_output]` → `[batch, d_output]`
pub fn output_error_values(outputs: Tensor<2>, targets: Tensor<2>) -> Tensor<2> {
    let [batch, d_output] = outputs.dims();
    (outputs - targets).mul_scalar(2.0 / (batch * d_output) as f64)
}

/// Back-propagates `output_error` (δ_L) through `mlp`, using the pre-activations and activations kept in
/// `trace` by [`Mlp::forward_traced`]. Returns one entry per layer, input side first.
pub fn backward(mlp: &Mlp, trace: &Trace, output_error: Tensor<2>) -> Vec<LayerGradients> {
    let mut gradients = Vec::with_capacity(mlp.layers.len());
    let mut delta = output_error;
    for (index, layer) in mlp.layers.iter().enumerate().rev() {
        // aℓ₋₁: the input of this layer.
        let input = if index == 0 { trace.input.clone() } else { trace.a[index - 1].clone() };
        let weight_grad = input.transpose().matmul(delta.clone());
        let bias_grad = layer.bias.as_ref().map(|_| delta.clone().sum_dim(0).squeeze_dim::<1>(0));
        let next_delta = (index > 0).then(|| {
            let sent_back = delta.clone().matmul(layer.weight.val().transpose());
            sent_back * mlp.activation.derivative(trace.z[index - 1].clone())
        });
        gradients.push(LayerGradients { weight: weight_grad, bias: bias_grad, delta });
        match next_delta {
            Some(next) => delta = next,
            None => break,
        }
    }
    gradients.reverse();
    gradients
}
