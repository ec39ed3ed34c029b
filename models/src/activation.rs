//! The activation functions of the lesson: forward, derivative and recommended initialisation gain.

use burn::prelude::*;
use burn::tensor::activation;

/// Which non-linearity a hidden layer applies, as data (a sweep axis).
///
/// Conventions: ReLU′(0) = 0 and leaky-ReLU′(0) = slope (the derivative at a kink is the left one), which decides
/// whether a network whose weights are all zero moves at all.
#[derive(Config, Debug, Copy, PartialEq)]
pub enum ActivationKind {
    /// a = z: no non-linearity (the network collapses to one affine map).
    Identity,
    /// a = σ(z) = 1 / (1 + e^−z), in (0, 1): not zero-centred.
    Sigmoid,
    /// a = σ(z) − ½: the sigmoid moved to be zero-centred, with the same derivative.
    SigmoidCentered,
    /// a = tanh z, in (−1, 1).
    Tanh,
    /// a = max(0, z).
    Relu,
    /// a = z for z > 0, slope·z otherwise.
    LeakyRelu {
        /// The slope for negative inputs (PyTorch's default is 0.01).
        slope: f64,
    },
    /// a = z for z > 0, e^z − 1 otherwise (α = 1).
    Elu,
    /// a = z·Φ(z) with Φ the standard normal CDF (the exact, erf-based GELU).
    Gelu,
    /// a = ln(1 + e^z).
    Softplus,
    /// a = z·σ(z) (also called swish).
    Silu,
}

impl ActivationKind {
    /// Every kind, leaky ReLU with PyTorch's default slope 0.01.
    pub const ALL: [ActivationKind; 10] = [
        Self::Identity,
        Self::Sigmoid,
        Self::SigmoidCentered,
        Self::Tanh,
        Self::Relu,
        Self::LeakyRelu { slope: 0.01 },
        Self::Elu,
        Self::Gelu,
        Self::Softplus,
        Self::Silu,
    ];

    /// The names [`ActivationKind::parse`] accepts, in the order of [`ActivationKind::ALL`] (`leaky-relu` also
    /// takes a slope: `leaky-relu:0.2`).
    ///
    /// ```
    /// use zoo_models::ActivationKind;
    ///
    /// for (kind, name) in ActivationKind::ALL.iter().zip(ActivationKind::NAMES) {
    ///     assert_eq!(kind.name().split(':').next(), Some(*name));
    ///     assert_eq!(name.parse::<ActivationKind>()?.name().split(':').next(), Some(*name));
    /// }
    /// # Ok::<(), zoo_models::ParseError>(())
    /// ```
    pub const NAMES: &'static [&'static str] =
        &["identity", "sigmoid", "sigmoid-centered", "tanh", "relu", "leaky-relu", "elu", "gelu", "softplus", "silu"];

    /// a = f(z), element-wise.
    ///
    /// ```
    /// use burn::prelude::*;
    /// use zoo_models::ActivationKind;
    ///
    /// let z = Tensor::<1>::from_data(TensorData::new(vec![-1.0f32, 0.0, 2.0], [3]), &Device::flex());
    /// let a: Vec<f32> = ActivationKind::Relu.forward(z).into_data().iter::<f32>().collect();
    /// assert_eq!(a, [0.0, 0.0, 2.0]);
    /// ```
    pub fn forward<const D: usize>(&self, z: Tensor<D>) -> Tensor<D> {
        match *self {
            Self::Identity => z,
            Self::Sigmoid => activation::sigmoid(z),
            Self::SigmoidCentered => activation::sigmoid(z).sub_scalar(0.5),
            Self::Tanh => z.tanh(),
            Self::Relu => activation::relu(z),
            Self::LeakyRelu { slope } => activation::leaky_relu(z, slope),
            Self::Elu => activation::elu(z, 1.0),
            Self::Gelu => activation::gelu(z),
            Self::Softplus => activation::softplus(z, 1.0),
            Self::Silu => activation::silu(z),
        }
    }

    /// f′(z), element-wise: what the backward pass multiplies the incoming error by.
    ///
    /// ```
    /// use burn::prelude::*;
    /// use zoo_models::ActivationKind;
    ///
    /// let z = Tensor::<1>::from_data(TensorData::new(vec![-1.0f32, 0.0, 2.0], [3]), &Device::flex());
    /// let d: Vec<f32> = ActivationKind::Relu.derivative(z.clone()).into_data().iter::<f32>().collect();
    /// assert_eq!(d, [0.0, 0.0, 1.0]); // ReLU′(0) = 0
    /// let d: Vec<f32> = ActivationKind::Tanh.derivative(z.zeros_like()).into_data().iter::<f32>().collect();
    /// assert_eq!(d, [1.0, 1.0, 1.0]); // tanh′(0) = 1
    /// ```
    pub fn derivative<const D: usize>(&self, z: Tensor<D>) -> Tensor<D> {
        match *self {
            Self::Identity => z.ones_like(),
            // σ′ = σ(1 − σ), for σ and for σ − ½ alike.
            Self::Sigmoid | Self::SigmoidCentered => {
                let s = activation::sigmoid(z);
                s.clone().mul(s.neg().add_scalar(1.0))
            }
            // tanh′ = 1 − tanh².
            Self::Tanh => z.tanh().powi_scalar(2).neg().add_scalar(1.0),
            // In z's float type (f64 networks stay f64).
            Self::Relu => {
                let dtype = z.dtype();
                z.greater_elem(0.0).float().cast(dtype)
            }
            Self::LeakyRelu { slope } => {
                let positive = z.clone().greater_elem(0.0);
                z.ones_like().mul_scalar(slope).mask_fill(positive, 1.0)
            }
            Self::Elu => {
                let positive = z.clone().greater_elem(0.0);
                z.exp().mask_fill(positive, 1.0)
            }
            // (zΦ(z))′ = Φ(z) + z·φ(z).
            Self::Gelu => {
                let cdf = z.clone().div_scalar(std::f64::consts::SQRT_2).erf().add_scalar(1.0).mul_scalar(0.5);
                let pdf = z.clone().powi_scalar(2).mul_scalar(-0.5).exp().mul_scalar(FRAC_1_SQRT_2PI);
                cdf.add(z.mul(pdf))
            }
            // softplus′ = σ.
            Self::Softplus => activation::sigmoid(z),
            // (zσ(z))′ = σ(z)·(1 + z·(1 − σ(z))).
            Self::Silu => {
                let s = activation::sigmoid(z.clone());
                s.clone().mul(z.mul(s.neg().add_scalar(1.0)).add_scalar(1.0))
            }
        }
    }

    /// The recommended gain for initialising a layer followed by this activation: PyTorch's
    /// `torch.nn.init.calculate_gain` (tanh 5/3, ReLU √2, leaky ReLU √(2/(1+slope²)), the rest 1).
    ///
    /// ```
    /// use zoo_models::ActivationKind;
    ///
    /// assert_eq!(ActivationKind::Tanh.gain(), 5.0 / 3.0);
    /// assert_eq!(ActivationKind::Relu.gain(), std::f64::consts::SQRT_2);
    /// ```
    pub fn gain(&self) -> f64 {
        match *self {
            Self::Tanh => 5.0 / 3.0,
            Self::Relu => std::f64::consts::SQRT_2,
            Self::LeakyRelu { slope } => (2.0 / (1.0 + slope * slope)).sqrt(),
            _ => 1.0,
        }
    }

    /// The kebab-case name used on the command line and in reports (`leaky-relu:0.01`).
    ///
    /// ```
    /// use zoo_models::ActivationKind;
    ///
    /// assert_eq!(ActivationKind::LeakyRelu { slope: 0.2 }.name(), "leaky-relu:0.2");
    /// assert_eq!(ActivationKind::SigmoidCentered.name(), "sigmoid-centered");
    /// ```
    pub fn name(&self) -> String {
        match *self {
            Self::LeakyRelu { slope } => format!("leaky-relu:{slope}"),
            other => other.plain_name().to_string(),
        }
    }

    /// Parses [`ActivationKind::name`]; `leaky-relu` alone means slope 0.01.
    ///
    /// ```
    /// use zoo_models::ActivationKind;
    ///
    /// assert_eq!(ActivationKind::parse("tanh")?, ActivationKind::Tanh);
    /// assert_eq!(ActivationKind::parse("leaky-relu")?, ActivationKind::LeakyRelu { slope: 0.01 });
    /// assert!(ActivationKind::parse("swoosh").is_err());
    /// # Ok::<(), zoo_models::ParseError>(())
    /// ```
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let (head, arg) = split_arg(text);
        let kind = match (head, arg) {
            ("leaky-relu", None) => Self::LeakyRelu { slope: 0.01 },
            ("leaky-relu", Some(arg)) => Self::LeakyRelu { slope: parse_number(text, arg)? },
            (name, None) => Self::ALL
                .into_iter()
                .find(|kind| kind.plain_name() == name)
                .ok_or_else(|| ParseError::unknown(text, "activation", &Self::names()))?,
            _ => return Err(ParseError::unknown(text, "activation", &Self::names())),
        };
        Ok(kind)
    }

    fn plain_name(&self) -> &'static str {
        match self {
            Self::Identity => "identity",
            Self::Sigmoid => "sigmoid",
            Self::SigmoidCentered => "sigmoid-centered",
            Self::Tanh => "tanh",
            Self::Relu => "relu",
            Self::LeakyRelu { .. } => "leaky-relu",
            Self::Elu => "elu",
            Self::Gelu => "gelu",
            Self::Softplus => "softplus",
            Self::Silu => "silu",
        }
    }

    fn names() -> Vec<&'static str> {
        Self::NAMES.to_vec()
    }
}

impl std::str::FromStr for ActivationKind {
    type Err = ParseError;

    /// [`ActivationKind::parse`], so that `"tanh".parse()` and clap's `value_parser` work.
    fn from_str(text: &str) -> Result<Self, ParseError> {
        Self::parse(text)
    }
}

const FRAC_1_SQRT_2PI: f64 = 0.398_942_280_401_432_7;

/// A name that is not one of the known activations or initialisation schemes.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("unknown {what} `{text}`: expected one of {expected}")]
pub struct ParseError {
    /// The text that did not parse.
    pub text: String,
    /// What it was meant to name.
    pub what: &'static str,
    /// The accepted spellings.
    pub expected: String,
}

impl ParseError {
    pub(crate) fn unknown(text: &str, what: &'static str, names: &[&str]) -> Self {
        Self { text: text.to_string(), what, expected: names.join(", ") }
    }
}

/// Splits `name:arg` into its name and optional argument.
pub(crate) fn split_arg(text: &str) -> (&str, Option<&str>) {
    match text.split_once(':') {
        Some((head, arg)) => (head.trim(), Some(arg.trim())),
        None => (text.trim(), None),
    }
}

/// Parses the numeric argument of `name:arg`.
pub(crate) fn parse_number(text: &str, arg: &str) -> Result<f64, ParseError> {
    arg.parse::<f64>().ok().filter(|v| v.is_finite()).ok_or_else(|| ParseError {
        text: text.to_string(),
        what: "number",
        expected: "a finite number after the colon, as in `leaky-relu:0.01`".to_string(),
    })
}
