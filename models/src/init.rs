//! Weight and bias initialisation schemes, drawn on the host from an explicit seed.
//!
//! Burn's own initialisers draw from a per-backend, process-global RNG, so the same seed gives different
//! weights on flex, ndarray and wgpu. Here every layer gets its own `StdRng` stream derived from the run seed
//! and its index, values are drawn in f64 on the host and handed to the device: one seed, bit-identical
//! weights on every backend, in any order and any thread.

use burn::prelude::*;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, StandardNormal};

use crate::activation::{ActivationKind, ParseError, parse_number, split_arg};

/// How the weight matrix of each layer is drawn (fan_in = inputs of the layer, fan_out = its units).
#[derive(Config, Debug, Copy, PartialEq)]
pub enum InitScheme {
    /// Every weight 0 (symmetry is never broken).
    Zeros,
    /// Every weight the same value (symmetry is never broken).
    Constant {
        /// The value of every weight.
        value: f64,
    },
    /// U[−a, a].
    Uniform {
        /// The bound.
        a: f64,
    },
    /// N(0, std²).
    Normal {
        /// The standard deviation.
        std: f64,
    },
    /// U[±1/√fan_in]: the "standard" heuristic of Glorot & Bengio (2010), eq. 1.
    GlorotStandard,
    /// U[±√(6/(fan_in+fan_out))]: Glorot & Bengio's normalised init (2010, eq. 16), gain 1 whatever the
    /// activation (PyTorch's `xavier_uniform_` default).
    XavierUniform,
    /// N(0, 2/(fan_in+fan_out)): the normalised init drawn from a Gaussian, gain 1 whatever the activation
    /// (PyTorch's `xavier_normal_` default).
    XavierNormal,
    /// U[±gain·√(6/(fan_in+fan_out))]: Xavier-uniform with an explicit gain (`xavier-uniform:1.667`, or
    /// `xavier-uniform:tanh` for PyTorch's `calculate_gain("tanh")` = 5/3).
    XavierUniformGain {
        /// The factor on the bound, positive.
        gain: f64,
    },
    /// N(0, gain²·2/(fan_in+fan_out)): Xavier-normal with an explicit gain (`xavier-normal:1.667`, or
    /// `xavier-normal:tanh` for 5/3).
    XavierNormalGain {
        /// The factor on the standard deviation, positive.
        gain: f64,
    },
    /// U[±√3·gain/√fan_in] with gain √2 (ReLU) or √(2/(1+slope²)) (leaky ReLU).
    HeUniform,
    /// N(0, gain²/fan_in) with gain √2 (ReLU) or √(2/(1+slope²)) (leaky ReLU).
    HeNormal,
    /// N(0, 1/fan_in).
    LecunNormal,
    /// A random orthogonal matrix times `gain` (QR of a Gaussian matrix, signs fixed as in PyTorch).
    Orthogonal {
        /// The scale: WᵀW = gain²·I (for fan_in ≥ fan_out).
        gain: f64,
    },
}

/// How biases start.
#[derive(Config, Debug, Copy, PartialEq)]
pub enum BiasInit {
    /// Every bias 0 (the default, as in most courses).
    Zeros,
    /// Every bias the same value.
    Constant {
        /// The value of every bias.
        value: f64,
    },
}

impl InitScheme {
    /// Every scheme by name, with a representative argument (Xavier with gain 1: [`InitScheme::XavierUniformGain`]
    /// and [`InitScheme::XavierNormalGain`] are the same names with a gain, `xavier-normal:1.667`).
    pub const ALL: [InitScheme; 11] = [
        Self::Zeros,
        Self::Constant { value: 0.5 },
        Self::Uniform { a: 0.05 },
        Self::Normal { std: 0.01 },
        Self::GlorotStandard,
        Self::XavierUniform,
        Self::XavierNormal,
        Self::HeUniform,
        Self::HeNormal,
        Self::LecunNormal,
        Self::Orthogonal { gain: 1.0 },
    ];

    /// The names [`InitScheme::parse`] accepts, in the order of [`InitScheme::ALL`] (`constant`, `uniform` and
    /// `normal` need an argument; `orthogonal` takes one, a gain; `xavier-uniform` and `xavier-normal` take a
    /// gain too, a number or `tanh`: `xavier-normal:tanh`).
    ///
    /// ```
    /// use zoo_models::InitScheme;
    ///
    /// for (scheme, name) in InitScheme::ALL.iter().zip(InitScheme::NAMES) {
    ///     assert_eq!(scheme.name().split(':').next(), Some(*name));
    ///     assert_eq!(scheme.name().parse::<InitScheme>()?, *scheme);
    /// }
    /// # Ok::<(), zoo_models::ParseError>(())
    /// ```
    pub const NAMES: &'static [&'static str] = &[
        "zeros",
        "constant",
        "uniform",
        "normal",
        "glorot-standard",
        "xavier-uniform",
        "xavier-normal",
        "he-uniform",
        "he-normal",
        "lecun-normal",
        "orthogonal",
    ];

    /// The standard deviation this scheme gives a `fan_in × fan_out` layer followed by `activation`.
    ///
    /// ```
    /// use zoo_models::{ActivationKind, InitScheme};
    ///
    /// // He for ReLU: √2 / √fan_in.
    /// assert!((InitScheme::HeNormal.std(512, 256, ActivationKind::Relu) - 0.0625).abs() < 1e-12);
    /// // Xavier is gain 1 for every activation, √(2/(fan_in+fan_out)); a gain is written explicitly.
    /// assert_eq!(InitScheme::XavierNormal.std(300, 100, ActivationKind::Tanh), 0.07071067811865475);
    /// let tanh = InitScheme::XavierNormalGain { gain: 5.0 / 3.0 };
    /// assert!((tanh.std(300, 100, ActivationKind::Tanh) - 5.0 / 3.0 * 0.07071067811865475).abs() < 1e-15);
    /// assert_eq!(InitScheme::Zeros.std(512, 256, ActivationKind::Relu), 0.0);
    /// ```
    pub fn std(&self, fan_in: usize, fan_out: usize, activation: ActivationKind) -> f64 {
        let (fan_in, fan_out) = (fan_in as f64, fan_out as f64);
        match *self {
            Self::Zeros | Self::Constant { .. } => 0.0,
            Self::Uniform { a } => a / 3f64.sqrt(),
            Self::Normal { std } => std,
            Self::GlorotStandard => 1.0 / (3.0 * fan_in).sqrt(),
            Self::XavierUniform | Self::XavierNormal => (2.0 / (fan_in + fan_out)).sqrt(),
            Self::XavierUniformGain { gain } | Self::XavierNormalGain { gain } => {
                gain * (2.0 / (fan_in + fan_out)).sqrt()
            }
            Self::HeUniform | Self::HeNormal => he_gain(activation) / fan_in.sqrt(),
            Self::LecunNormal => 1.0 / fan_in.sqrt(),
            Self::Orthogonal { gain } => gain / fan_in.max(fan_out).sqrt(),
        }
    }

    /// Draws a weight matrix in Burn's `Linear` layout `[fan_in, fan_out]`, row-major, from `rng`.
    ///
    /// ```
    /// use zoo_models::init::layer_rng;
    /// use zoo_models::{ActivationKind, InitScheme};
    ///
    /// let w = InitScheme::XavierUniform.sample(3, 2, ActivationKind::Tanh, &mut layer_rng(7, 0));
    /// assert_eq!(w.len(), 6);
    /// // The same seed and layer give the same weights, whatever else was drawn before.
    /// assert_eq!(w, InitScheme::XavierUniform.sample(3, 2, ActivationKind::Tanh, &mut layer_rng(7, 0)));
    /// ```
    pub fn sample(&self, fan_in: usize, fan_out: usize, activation: ActivationKind, rng: &mut StdRng) -> Vec<f64> {
        let n = fan_in * fan_out;
        let std = self.std(fan_in, fan_out, activation);
        let uniform = |rng: &mut StdRng, bound: f64| (0..n).map(|_| rng.random_range(-bound..=bound)).collect();
        let normal = |rng: &mut StdRng, std: f64| (0..n).map(|_| std * gaussian(rng)).collect();
        match *self {
            Self::Zeros => vec![0.0; n],
            Self::Constant { value } => vec![value; n],
            Self::Uniform { .. }
            | Self::GlorotStandard
            | Self::XavierUniform
            | Self::XavierUniformGain { .. }
            | Self::HeUniform => uniform(rng, 3f64.sqrt() * std),
            Self::Normal { .. }
            | Self::XavierNormal
            | Self::XavierNormalGain { .. }
            | Self::HeNormal
            | Self::LecunNormal => normal(rng, std),
            Self::Orthogonal { gain } => orthogonal(fan_in, fan_out, gain, rng),
        }
    }

    /// The kebab-case name used on the command line and in reports (`normal:0.01`); a Xavier gain of exactly 5/3
    /// is written `tanh`.
    ///
    /// ```
    /// use zoo_models::InitScheme;
    ///
    /// assert_eq!(InitScheme::HeNormal.name(), "he-normal");
    /// assert_eq!(InitScheme::Normal { std: 0.01 }.name(), "normal:0.01");
    /// assert_eq!(InitScheme::XavierNormalGain { gain: 1.667 }.name(), "xavier-normal:1.667");
    /// assert_eq!(InitScheme::XavierUniformGain { gain: 5.0 / 3.0 }.name(), "xavier-uniform:tanh");
    /// ```
    pub fn name(&self) -> String {
        match *self {
            Self::Constant { value } => format!("constant:{value}"),
            Self::Uniform { a } => format!("uniform:{a}"),
            Self::Normal { std } => format!("normal:{std}"),
            Self::Orthogonal { gain } => format!("orthogonal:{gain}"),
            Self::XavierUniformGain { gain } | Self::XavierNormalGain { gain } => {
                format!("{}:{}", self.plain_name(), gain_name(gain))
            }
            other => other.plain_name().to_string(),
        }
    }

    /// Parses [`InitScheme::name`]; `orthogonal` alone means gain 1, `xavier-normal` and `xavier-uniform` alone
    /// mean gain 1 too (Glorot & Bengio), `xavier-normal:G` a positive gain G, `xavier-normal:tanh` G = 5/3.
    ///
    /// ```
    /// use zoo_models::InitScheme;
    ///
    /// assert_eq!(InitScheme::parse("xavier-normal")?, InitScheme::XavierNormal);
    /// assert_eq!(InitScheme::parse("xavier-normal:1.667")?, InitScheme::XavierNormalGain { gain: 1.667 });
    /// assert_eq!(InitScheme::parse("xavier-uniform:tanh")?, InitScheme::XavierUniformGain { gain: 5.0 / 3.0 });
    /// assert_eq!(InitScheme::parse("orthogonal")?, InitScheme::Orthogonal { gain: 1.0 });
    /// assert!(InitScheme::parse("normal").is_err()); // the standard deviation is required
    /// assert!(InitScheme::parse("xavier-normal:-1").is_err()); // a gain is positive
    /// # Ok::<(), zoo_models::ParseError>(())
    /// ```
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let (head, arg) = split_arg(text);
        let number = |arg: Option<&str>| match arg {
            Some(arg) => parse_number(text, arg),
            None => Err(ParseError {
                text: text.to_string(),
                what: "initialisation argument",
                expected: format!("`{head}:<number>`, as in `normal:0.01`"),
            }),
        };
        // A scale or a gain must be positive and small enough that the sampling range [−a, a] is finite.
        let positive = |value: f64, what: &'static str, expected: String| {
            (value > 0.0 && value <= f64::MAX / 4.0).then_some(value).ok_or_else(|| ParseError {
                text: text.to_string(),
                what,
                expected,
            })
        };
        let scale = |arg: Option<&str>| {
            let expected = format!("a positive number after the colon, as in `{head}:0.01`");
            number(arg).and_then(|value| positive(value, "initialisation scale", expected))
        };
        // A Xavier gain: a positive number, or `tanh` for 5/3 (PyTorch's `calculate_gain("tanh")`).
        let gain = |arg: &str| match arg {
            "tanh" => Ok(ActivationKind::Tanh.gain()),
            _ => {
                let expected = format!("a positive number or `tanh` after the colon, as in `{head}:1.667`");
                parse_number(text, arg).and_then(|value| positive(value, "Xavier gain", expected))
            }
        };
        Ok(match (head, arg) {
            ("constant", _) => Self::Constant { value: number(arg)? },
            ("uniform", _) => Self::Uniform { a: scale(arg)? },
            ("normal", _) => Self::Normal { std: scale(arg)? },
            ("orthogonal", _) => Self::Orthogonal { gain: arg.map_or(Ok(1.0), |a| parse_number(text, a))? },
            ("xavier-uniform", Some(arg)) => Self::XavierUniformGain { gain: gain(arg)? },
            ("xavier-normal", Some(arg)) => Self::XavierNormalGain { gain: gain(arg)? },
            (name, None) => Self::ALL
                .into_iter()
                .find(|scheme| scheme.plain_name() == name)
                .ok_or_else(|| ParseError::unknown(text, "initialisation", &Self::names()))?,
            _ => return Err(ParseError::unknown(text, "initialisation", &Self::names())),
        })
    }

    fn plain_name(&self) -> &'static str {
        match self {
            Self::Zeros => "zeros",
            Self::Constant { .. } => "constant",
            Self::Uniform { .. } => "uniform",
            Self::Normal { .. } => "normal",
            Self::GlorotStandard => "glorot-standard",
            Self::XavierUniform | Self::XavierUniformGain { .. } => "xavier-uniform",
            Self::XavierNormal | Self::XavierNormalGain { .. } => "xavier-normal",
            Self::HeUniform => "he-uniform",
            Self::HeNormal => "he-normal",
            Self::LecunNormal => "lecun-normal",
            Self::Orthogonal { .. } => "orthogonal",
        }
    }

    fn names() -> Vec<&'static str> {
        Self::NAMES.to_vec()
    }
}

impl std::str::FromStr for InitScheme {
    type Err = ParseError;

    /// [`InitScheme::parse`], so that `"he-normal".parse()` and clap's `value_parser` work.
    fn from_str(text: &str) -> Result<Self, ParseError> {
        Self::parse(text)
    }
}

impl BiasInit {
    /// The value every bias starts at.
    ///
    /// ```
    /// use zoo_models::BiasInit;
    ///
    /// assert_eq!(BiasInit::Constant { value: 0.1 }.value(), 0.1);
    /// assert_eq!(BiasInit::Zeros.value(), 0.0);
    /// ```
    pub fn value(&self) -> f64 {
        match *self {
            Self::Zeros => 0.0,
            Self::Constant { value } => value,
        }
    }
}

/// The random stream of layer `layer` for run seed `seed`: independent of every other layer's stream, and of
/// how many values those layers drew.
///
/// ```
/// use zoo_models::init::layer_rng;
/// use zoo_models::{ActivationKind, InitScheme};
///
/// let draw = |seed, layer| InitScheme::HeNormal.sample(2, 2, ActivationKind::Relu, &mut layer_rng(seed, layer));
/// assert_eq!(draw(1, 0), draw(1, 0));
/// assert_ne!(draw(1, 0), draw(1, 1));
/// ```
pub fn layer_rng(seed: u64, layer: usize) -> StdRng {
    // SplitMix64-style mixing, so neighbouring seeds and layers give unrelated streams.
    let mut z = seed ^ (layer as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    StdRng::seed_from_u64(z ^ (z >> 31))
}

/// A Xavier gain as its name writes it: `tanh` for exactly 5/3, else the number.
fn gain_name(gain: f64) -> String {
    if gain == ActivationKind::Tanh.gain() { "tanh".to_string() } else { gain.to_string() }
}

fn he_gain(activation: ActivationKind) -> f64 {
    match activation {
        ActivationKind::LeakyRelu { .. } => activation.gain(),
        _ => ActivationKind::Relu.gain(),
    }
}

fn gaussian(rng: &mut StdRng) -> f64 {
    StandardNormal.sample(rng)
}

/// A `rows × cols` matrix with orthonormal columns (rows ≥ cols) or rows (rows < cols), times `gain`,
/// by modified Gram–Schmidt on a Gaussian matrix (equivalent to QR with the sign of R's diagonal made positive).
fn orthogonal(rows: usize, cols: usize, gain: f64, rng: &mut StdRng) -> Vec<f64> {
    let (tall, short) = (rows.max(cols), rows.min(cols));
    // `basis[k]` is the k-th orthonormal vector of length `tall`.
    let mut basis: Vec<Vec<f64>> = Vec::with_capacity(short);
    while basis.len() < short {
        let mut v: Vec<f64> = (0..tall).map(|_| gaussian(rng)).collect();
        for b in &basis {
            let dot: f64 = v.iter().zip(b).map(|(x, y)| x * y).sum();
            v.iter_mut().zip(b).for_each(|(x, y)| *x -= dot * y);
        }
        let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
        if norm > 1e-10 {
            basis.push(v.into_iter().map(|x| x / norm).collect());
        }
    }
    let mut out = vec![0.0; rows * cols];
    for (k, b) in basis.iter().enumerate() {
        for (i, value) in b.iter().enumerate() {
            // Columns are the basis vectors when the matrix is tall, rows when it is wide.
            let (r, c) = if rows >= cols { (i, k) } else { (k, i) };
            out[r * cols + c] = gain * value;
        }
    }
    out
}
