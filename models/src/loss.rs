//! Softmax, log-softmax and the three losses the lesson needs, written out so each reads like its formula.

use burn::prelude::*;
use burn::tensor::activation;

/// Which loss a task trains with, chosen from the data: K ≥ 2 classes with K logits → softmax cross-entropy;
/// 2 classes with one logit → binary cross-entropy; real targets → mean squared error.
#[derive(Config, Debug, Copy, PartialEq)]
pub enum LossKind {
    /// −mean log softmax(z)\[y\] over K logits.
    SoftmaxCrossEntropy,
    /// −mean \[y log σ(z) + (1 − y) log(1 − σ(z))\] over one logit.
    BinaryCrossEntropy,
    /// mean (z − y)² over every output.
    MeanSquaredError,
}

/// pᵢ = e^{zᵢ} / Σⱼ e^{zⱼ} along the last dimension (computed stably: the maximum is subtracted first).
///
/// # Shapes
/// - logits: `[batch, k]` → `[batch, k]`
///
/// ```
/// use burn::prelude::*;
/// use zoo_models::loss;
///
/// let z = Tensor::<2>::from_data(TensorData::new(vec![1.0f32, 1.0, 1000.0, 0.0], [2, 2]), &Device::flex());
/// let p: Vec<f32> = loss::softmax(z).into_data().iter::<f32>().collect();
/// assert_eq!(p, [0.5, 0.5, 1.0, 0.0]); // no overflow at 1000
/// ```
pub fn softmax(logits: Tensor<2>) -> Tensor<2> {
    activation::softmax(logits, 1)
}

/// log pᵢ = zᵢ − log Σⱼ e^{zⱼ} along the last dimension, without forming pᵢ (no underflow to log 0).
///
/// # Shapes
/// - logits: `[batch, k]` → `[batch, k]`
///
/// ```
/// use burn::prelude::*;
/// use zoo_models::loss;
///
/// let z = Tensor::<2>::from_data(TensorData::new(vec![0.0f32, 0.0], [1, 2]), &Device::flex());
/// let l: Vec<f32> = loss::log_softmax(z).into_data().iter::<f32>().collect();
/// assert!(l.iter().all(|v| (v + std::f32::consts::LN_2).abs() < 1e-6));
/// ```
pub fn log_softmax(logits: Tensor<2>) -> Tensor<2> {
    activation::log_softmax(logits, 1)
}

/// Mean softmax cross-entropy −log p_y. Its gradient with respect to the logits is (p − onehot(y)) / batch.
///
/// # Shapes
/// - logits: `[batch, k]`, targets: `[batch]` class ids in `0..k`
///
/// ```
/// use burn::prelude::*;
/// use zoo_models::loss;
///
/// let device = Device::flex();
/// let z = Tensor::<2>::zeros([4, 2], &device); // equal logits: p = ½ for every class
/// let y = Tensor::<1, Int>::from_data(TensorData::new(vec![0i64, 1, 1, 0], [4]), &device);
/// let value: f32 = loss::cross_entropy(z, y).into_scalar();
/// assert!((value - std::f32::consts::LN_2).abs() < 1e-6);
/// ```
pub fn cross_entropy(logits: Tensor<2>, targets: Tensor<1, Int>) -> Tensor<1> {
    #[cfg(feature = "fused")]
    if let Some(loss) = crate::fused::cross_entropy(&logits, &targets) {
        return loss;
    }
    cross_entropy_plain(logits, targets)
}

/// [`cross_entropy`] through Burn's ops only (log-softmax, gather, mean): the reference the fused loss is checked
/// against.
///
/// # Shapes
/// - logits: `[batch, classes]`, targets: `[batch]` → `[1]`
pub fn cross_entropy_plain(logits: Tensor<2>, targets: Tensor<1, Int>) -> Tensor<1> {
    let picked = log_softmax(logits).gather(1, targets.unsqueeze_dim(1));
    picked.mean().neg()
}

/// Mean binary cross-entropy of one logit z against y ∈ {0, 1}, in the stable form
/// −[y·log σ(z) + (1 − y)·log σ(−z)] (log σ computed without overflow). Its gradient is (σ(z) − y) / batch
/// everywhere — also at z = 0, where the form max(z, 0) − z·y + log(1 + e^−|z|) has a kink whose autodiff
/// subgradient (1 − y instead of ½ − y) would move a zero-initialised network that should stay put.
///
/// # Shapes
/// - logits: `[batch, 1]`, targets: `[batch]` with values 0 or 1
///
/// ```
/// use burn::prelude::*;
/// use zoo_models::loss;
///
/// let device = Device::flex();
/// let z = Tensor::<2>::zeros([2, 1], &device); // σ(0) = ½
/// let y = Tensor::<1, Int>::from_data(TensorData::new(vec![0i64, 1], [2]), &device);
/// let value: f32 = loss::binary_cross_entropy(z, y).into_scalar();
/// assert!((value - std::f32::consts::LN_2).abs() < 1e-6);
/// ```
pub fn binary_cross_entropy(logits: Tensor<2>, targets: Tensor<1, Int>) -> Tensor<1> {
    let z = logits.squeeze_dim::<1>(1);
    // The targets in the logits' float type (f64 networks stay f64).
    let y = targets.float().cast(z.dtype());
    let positive = activation::log_sigmoid(z.clone()) * y.clone();
    let negative = activation::log_sigmoid(z.neg()) * y.neg().add_scalar(1.0);
    (positive + negative).mean().neg()
}

/// Mean squared error over every output.
///
/// # Shapes
/// - outputs, targets: `[batch, d_output]`
///
/// ```
/// use burn::prelude::*;
/// use zoo_models::loss;
///
/// let device = Device::flex();
/// let outputs = Tensor::<2>::from_data(TensorData::new(vec![1.0f32, 2.0], [2, 1]), &device);
/// let value: f32 = loss::mean_squared_error(outputs, Tensor::zeros([2, 1], &device)).into_scalar();
/// assert_eq!(value, 2.5);
/// ```
pub fn mean_squared_error(outputs: Tensor<2>, targets: Tensor<2>) -> Tensor<1> {
    (outputs - targets).powi_scalar(2).mean()
}

/// The predicted class: argmax of the logits, or `z > 0` for a single logit.
///
/// # Shapes
/// - logits: `[batch, k]` → `[batch]`
///
/// ```
/// use burn::prelude::*;
/// use zoo_models::loss;
///
/// let z = Tensor::<2>::from_data(TensorData::new(vec![0.1f32, 0.9, 3.0, -1.0], [2, 2]), &Device::flex());
/// let classes: Vec<i64> = loss::predict_class(z).into_data().iter::<i64>().collect();
/// assert_eq!(classes, [1, 0]);
/// ```
pub fn predict_class(logits: Tensor<2>) -> Tensor<1, Int> {
    if logits.dims()[1] == 1 {
        logits.greater_elem(0.0).int().squeeze_dim::<1>(1)
    } else {
        logits.argmax(1).squeeze_dim::<1>(1)
    }
}
