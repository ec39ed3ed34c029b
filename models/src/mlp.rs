//! The multi-layer perceptron: its config, host-seeded construction, forward pass and traced forward pass.

use burn::module::Param;
use burn::nn::Linear;
use burn::prelude::*;

use crate::activation::ActivationKind;
use crate::init::{BiasInit, InitScheme, layer_rng};

/// Everything that defines an MLP before training: the shape, the activation, the initialisation and whether
/// layers have biases. Saved with a run, it rebuilds the same network (with the same seed).
#[derive(Config, Debug, PartialEq)]
pub struct MlpConfig {
    /// Number of input features.
    pub d_input: usize,
    /// Widths of the hidden layers, input side first; empty for a linear (logistic) model.
    pub d_hidden: Vec<usize>,
    /// Number of outputs (classes for softmax, 1 for a binary logit or a scalar regression).
    pub d_output: usize,
    /// The non-linearity after every hidden layer (the output layer has none: it gives logits).
    #[config(default = "ActivationKind::Relu")]
    pub activation: ActivationKind,
    /// How weights are drawn.
    #[config(default = "InitScheme::HeNormal")]
    pub init: InitScheme,
    /// How biases start.
    #[config(default = "BiasInit::Zeros")]
    pub bias_init: BiasInit,
    /// Whether layers add a bias (the claims of section h remove it).
    #[config(default = true)]
    pub bias: bool,
    /// The seed [`MlpConfig::init`] draws the weights from (training runs seed from their own config and call
    /// [`MlpConfig::init_seeded`]).
    #[config(default = 0)]
    pub seed: u64,
}

/// A multi-layer perceptron: `layers.len() − 1` hidden layers with `activation`, then a linear output layer.
#[derive(Module, Debug)]
pub struct Mlp {
    /// The affine layers, input side first; the last one produces the logits.
    pub layers: Vec<Linear>,
    /// The hidden activation.
    #[module(skip)]
    pub activation: ActivationKind,
}

/// What [`Mlp::forward_traced`] records: for every layer ℓ = 1..L its pre-activation zℓ = aℓ₋₁Wℓ + bℓ and its
/// activation aℓ = f(zℓ). The last layer has no activation: `a[L−1]` equals `z[L−1]`, the logits.
#[derive(Debug, Clone)]
pub struct Trace {
    /// The input, a₀.
    pub input: Tensor<2>,
    /// Pre-activations z₁..z_L, each `[batch, width]`.
    pub z: Vec<Tensor<2>>,
    /// Activations a₁..a_L, each `[batch, width]`; the last is the logits.
    pub a: Vec<Tensor<2>>,
}

impl Trace {
    /// The network's output (the last layer's pre-activation).
    ///
    /// ```
    /// use burn::prelude::*;
    /// use zoo_models::MlpConfig;
    ///
    /// let device = Device::flex();
    /// let mlp = MlpConfig::new(2, vec![3], 2).init_seeded(0, &device);
    /// let x = Tensor::<2>::ones([1, 2], &device);
    /// assert_eq!(mlp.forward_traced(x.clone()).logits().into_data(), mlp.forward(x).into_data());
    /// ```
    pub fn logits(&self) -> Tensor<2> {
        self.a.last().cloned().unwrap_or_else(|| self.input.clone())
    }
}

impl MlpConfig {
    /// The widths of every layer's input and output: `[d_input, d_hidden.., d_output]`.
    ///
    /// ```
    /// use zoo_models::MlpConfig;
    ///
    /// assert_eq!(MlpConfig::new(4, vec![8, 8], 3).widths(), [4, 8, 8, 3]);
    /// ```
    pub fn widths(&self) -> Vec<usize> {
        std::iter::once(self.d_input).chain(self.d_hidden.iter().copied()).chain([self.d_output]).collect()
    }

    /// Builds the network like every burn-nn config, with weights drawn from the config's `seed` field (0 unless
    /// set with `with_seed`): `init_seeded(self.seed, device)`. Usable inside a module of your own:
    ///
    /// ```
    /// use burn::prelude::*;
    /// use zoo_models::{Mlp, MlpConfig};
    ///
    /// #[derive(Module, Debug)]
    /// struct Classifier {
    ///     body: Mlp,
    ///     scale: f64,
    /// }
    ///
    /// let device = Device::flex();
    /// let net = Classifier { body: MlpConfig::new(4, vec![16], 3).with_seed(9).init(&device), scale: 0.5 };
    /// let logits = net.body.forward(Tensor::<2>::ones([2, 4], &device)).mul_scalar(net.scale);
    /// assert_eq!(logits.dims(), [2, 3]);
    /// ```
    pub fn init(&self, device: &Device) -> Mlp {
        self.init_seeded(self.seed, device)
    }

    /// Builds the network with weights drawn on the host from `seed` (layer ℓ uses its own stream), so the
    /// same seed gives bit-identical weights on every backend.
    ///
    /// ```
    /// use burn::prelude::*;
    /// use zoo_models::MlpConfig;
    ///
    /// let config = MlpConfig::new(2, vec![4], 2);
    /// let (a, b) = (config.init_seeded(5, &Device::flex()), config.init_seeded(5, &Device::flex()));
    /// assert_eq!(a.layers[0].weight.val().into_data(), b.layers[0].weight.val().into_data());
    /// ```
    pub fn init_seeded(&self, seed: u64, device: &Device) -> Mlp {
        let widths = self.widths();
        let layers = widths
            .windows(2)
            .enumerate()
            .map(|(index, pair)| {
                let (fan_in, fan_out) = (pair[0], pair[1]);
                let weights = self.init.sample(fan_in, fan_out, self.activation, &mut layer_rng(seed, index));
                let bias = vec![self.bias_init.value(); fan_out];
                linear_from_host(&weights, self.bias.then_some(bias.as_slice()), fan_in, fan_out, device)
            })
            .collect();
        Mlp { layers, activation: self.activation }
    }

    /// The number of trainable parameters (weights and biases).
    ///
    /// ```
    /// use zoo_models::MlpConfig;
    ///
    /// // (2·4 + 4) + (4·3 + 3)
    /// assert_eq!(MlpConfig::new(2, vec![4], 3).num_params(), 27);
    /// assert_eq!(MlpConfig::new(2, vec![4], 3).with_bias(false).num_params(), 20);
    /// ```
    pub fn num_params(&self) -> usize {
        let bias = usize::from(self.bias);
        self.widths().windows(2).map(|pair| pair[0] * pair[1] + bias * pair[1]).sum()
    }

    /// A short name such as `mlp-2x64-relu-he-normal` (or `logistic` with no hidden layer).
    ///
    /// ```
    /// use zoo_models::{ActivationKind, MlpConfig};
    ///
    /// assert_eq!(MlpConfig::new(2, vec![64, 64], 2).name(), "mlp-2x64-relu-he-normal");
    /// assert_eq!(MlpConfig::new(2, vec![], 2).name(), "logistic");
    /// let tanh = MlpConfig::new(2, vec![16, 8], 2).with_activation(ActivationKind::Tanh).with_bias(false);
    /// assert_eq!(tanh.name(), "mlp-16-8-tanh-he-normal-nobias");
    /// ```
    pub fn name(&self) -> String {
        if self.d_hidden.is_empty() {
            return "logistic".to_string();
        }
        let shape = if self.d_hidden.iter().all(|w| *w == self.d_hidden[0]) {
            format!("{}x{}", self.d_hidden.len(), self.d_hidden[0])
        } else {
            self.d_hidden.iter().map(usize::to_string).collect::<Vec<_>>().join("-")
        };
        let bias = if self.bias { "" } else { "-nobias" };
        format!("mlp-{shape}-{}-{}{bias}", self.activation.name(), self.init.name())
    }
}

/// A `Linear` layer holding exactly the given weights (row-major `[fan_in, fan_out]`, Burn's layout) and
/// biases (`None`: no bias), converted to f32 on the host.
///
/// ```
/// use burn::prelude::*;
/// use zoo_models::mlp::linear_from_host;
///
/// let device = Device::flex();
/// // One output: z = 1·x1 + 2·x2 + 0.5.
/// let layer = linear_from_host(&[1.0, 2.0], Some(&[0.5]), 2, 1, &device);
/// let z: f32 = layer.forward(Tensor::<2>::ones([1, 2], &device)).into_scalar();
/// assert_eq!(z, 3.5);
/// ```
pub fn linear_from_host(
    weights: &[f64],
    bias: Option<&[f64]>,
    fan_in: usize,
    fan_out: usize,
    device: &Device,
) -> Linear {
    let to_f32 = |values: &[f64]| values.iter().map(|v| *v as f32).collect::<Vec<f32>>();
    let weight = Tensor::from_data(TensorData::new(to_f32(weights), [fan_in, fan_out]), device);
    let bias = bias.map(|b| Param::from_tensor(Tensor::from_data(TensorData::new(to_f32(b), [fan_out]), device)));
    Linear { weight: Param::from_tensor(weight), bias }
}

impl Mlp {
    /// The logits for a batch of inputs; like `Linear`, any leading dimensions pass through.
    ///
    /// # Shapes
    /// - input: `[..., d_input]`
    /// - output: `[..., d_output]`
    ///
    /// ```
    /// use burn::prelude::*;
    /// use zoo_models::MlpConfig;
    ///
    /// let device = Device::flex();
    /// let mlp = MlpConfig::new(3, vec![8, 8], 4).init(&device);
    /// assert_eq!(mlp.forward(Tensor::<2>::ones([5, 3], &device)).dims(), [5, 4]);
    /// assert_eq!(mlp.forward(Tensor::<3>::ones([2, 5, 3], &device)).dims(), [2, 5, 4]);
    /// ```
    ///
    /// On flex in f32 this runs the fused dense layer ([`crate::fused`]) when the activation has a fused form;
    /// [`Mlp::forward_plain`] is Burn's own ops, everywhere.
    pub fn forward<const D: usize>(&self, input: Tensor<D>) -> Tensor<D> {
        #[cfg(feature = "fused")]
        if let Some(logits) = crate::fused::mlp_forward(self, &input) {
            return logits;
        }
        self.forward_plain(input)
    }

    /// The logits through Burn's `Linear` and activation ops only (the reference the fused path is checked
    /// against).
    ///
    /// # Shapes
    /// - input: `[..., d_input]`
    /// - output: `[..., d_output]`
    pub fn forward_plain<const D: usize>(&self, input: Tensor<D>) -> Tensor<D> {
        let last = self.layers.len().saturating_sub(1);
        self.layers.iter().enumerate().fold(input, |a, (index, layer)| {
            let z = layer.forward(a);
            if index < last { self.activation.forward(z) } else { z }
        })
    }

    /// The forward pass with every layer's pre-activation and activation kept (for the probes).
    ///
    /// # Shapes
    /// - input: `[batch, d_input]`
    /// - `z[ℓ]`, `a[ℓ]`: `[batch, width of layer ℓ]`
    ///
    /// ```
    /// use burn::prelude::*;
    /// use zoo_models::MlpConfig;
    ///
    /// let device = Device::flex();
    /// let mlp = MlpConfig::new(3, vec![8, 6], 4).init_seeded(0, &device);
    /// let trace = mlp.forward_traced(Tensor::<2>::ones([5, 3], &device));
    /// let widths: Vec<usize> = trace.z.iter().map(|z| z.dims()[1]).collect();
    /// assert_eq!(widths, [8, 6, 4]);
    /// ```
    pub fn forward_traced(&self, input: Tensor<2>) -> Trace {
        self.trace(input, &[])
    }

    /// Like [`Mlp::forward_traced`], but adds `taps[ℓ]` (a zero tensor of `z[ℓ]`'s shape that requires grad) to
    /// every pre-activation, so that after `backward` the gradient of `taps[ℓ]` is δℓ = ∂L/∂zℓ. Burn keeps
    /// gradients of leaf tensors only; the taps make the back-propagated error of every layer readable.
    ///
    /// # Shapes
    /// - input: `[batch, d_input]`; `taps[ℓ]`: `[batch, width of layer ℓ]`, one per layer
    ///
    /// ```
    /// use burn::prelude::*;
    /// use zoo_models::{MlpConfig, loss};
    ///
    /// let device = Device::flex().autodiff();
    /// let mlp = MlpConfig::new(3, vec![8], 2).init_seeded(0, &device);
    /// let taps = mlp.taps(5, &device);
    /// let trace = mlp.forward_tapped(Tensor::<2>::ones([5, 3], &device), &taps);
    /// let y = Tensor::<1, Int>::zeros([5], &device);
    /// let grads = loss::cross_entropy(trace.logits(), y).backward();
    /// let delta = taps[0].grad(&grads).expect("δ of the hidden layer"); // ∂L/∂z₁
    /// assert_eq!(delta.dims(), [5, 8]);
    /// ```
    pub fn forward_tapped(&self, input: Tensor<2>, taps: &[Tensor<2>]) -> Trace {
        self.trace(input, taps)
    }

    /// Zero tensors shaped like every layer's pre-activation for a batch of `batch`, requiring grad.
    ///
    /// ```
    /// use burn::prelude::*;
    /// use zoo_models::MlpConfig;
    ///
    /// let device = Device::flex().autodiff();
    /// let taps = MlpConfig::new(3, vec![8], 2).init_seeded(0, &device).taps(5, &device);
    /// assert_eq!(taps.iter().map(|t| t.dims()).collect::<Vec<_>>(), [[5, 8], [5, 2]]);
    /// ```
    pub fn taps(&self, batch: usize, device: &Device) -> Vec<Tensor<2>> {
        self.layers.iter().map(|layer| Tensor::zeros([batch, layer.weight.dims()[1]], device).require_grad()).collect()
    }

    fn trace(&self, input: Tensor<2>, taps: &[Tensor<2>]) -> Trace {
        let last = self.layers.len().saturating_sub(1);
        let (mut z, mut a) = (Vec::with_capacity(self.layers.len()), Vec::with_capacity(self.layers.len()));
        let mut previous = input.clone();
        for (index, layer) in self.layers.iter().enumerate() {
            let mut pre = layer.forward(previous);
            if let Some(tap) = taps.get(index) {
                pre = pre.add(tap.clone());
            }
            let act = if index < last { self.activation.forward(pre.clone()) } else { pre.clone() };
            previous = act.clone();
            z.push(pre);
            a.push(act);
        }
        Trace { input, z, a }
    }

    /// Layer widths `[d_input, d_hidden.., d_output]`.
    ///
    /// ```
    /// use burn::prelude::*;
    /// use zoo_models::MlpConfig;
    ///
    /// assert_eq!(MlpConfig::new(4, vec![8], 3).init_seeded(0, &Device::flex()).widths(), [4, 8, 3]);
    /// ```
    pub fn widths(&self) -> Vec<usize> {
        let mut widths: Vec<usize> = self.layers.iter().map(|layer| layer.weight.dims()[0]).collect();
        widths.extend(self.layers.last().map(|layer| layer.weight.dims()[1]));
        widths
    }
}
