//! The limits a network config must respect before anything is allocated: sizes that fit memory (checked
//! arithmetic, so no width overflows), scales and slopes that are finite.

use crate::{ActivationKind, InitScheme, MlpConfig};

/// The most trainable parameters [`MlpConfig::validate`] accepts: 2²⁸ (1 GiB of f32 weights; training holds about
/// four copies: weights, gradients, optimizer state and the update).
pub const MAX_PARAMS: usize = 1 << 28;

/// The widest layer [`MlpConfig::validate`] accepts: 2²² units (a batch of 64 examples at this width is already
/// 1 GiB of activations).
pub const MAX_WIDTH: usize = 1 << 22;

/// The most layers [`MlpConfig::validate`] accepts.
pub const MAX_LAYERS: usize = 1024;

/// A config outside the limits: what is wrong and what to do instead, in one line.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

impl MlpConfig {
    /// Checks the config against the documented limits ([`MAX_PARAMS`], [`MAX_WIDTH`], [`MAX_LAYERS`], finite
    /// positive init scales, a finite leaky slope) without allocating anything. `d_input` or `d_output` 0 means
    /// "fitted to the data later" and is not counted.
    ///
    /// ```
    /// use zoo_models::{InitScheme, MlpConfig};
    ///
    /// assert!(MlpConfig::new(2, vec![64, 64], 2).validate().is_ok());
    /// assert!(MlpConfig::new(0, vec![64], 0).validate().is_ok());
    /// assert!(MlpConfig::new(2, vec![100_000, 100_000], 2).validate().is_err());
    /// assert!(MlpConfig::new(2, vec![usize::MAX], 2).validate().is_err());
    /// assert!(MlpConfig::new(2, vec![0], 2).validate().is_err());
    /// assert!(MlpConfig::new(2, vec![8], 2).with_init(InitScheme::Uniform { a: -1.0 }).validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<(), ConfigError> {
        let bad = |text: String| Err(ConfigError(text));
        if self.d_hidden.len() + 1 > MAX_LAYERS {
            return bad(format!("{} hidden layers is too deep: at most {}", self.d_hidden.len(), MAX_LAYERS - 1));
        }
        if self.d_hidden.contains(&0) {
            return bad("a hidden layer has width 0: every width must be at least 1 (e.g. --hidden 64,64)".into());
        }
        if let Some(wide) = self.widths().into_iter().find(|w| *w > MAX_WIDTH) {
            return bad(format!("a layer of {wide} units is too wide: at most {MAX_WIDTH} (2^22) per layer"));
        }
        let known: Vec<usize> = self.widths().into_iter().filter(|w| *w > 0).collect();
        let params = known.windows(2).try_fold(0usize, |sum, pair| {
            pair[0].checked_mul(pair[1])?.checked_add(usize::from(self.bias) * pair[1])?.checked_add(sum)
        });
        match params {
            Some(n) if n <= MAX_PARAMS => {}
            _ => {
                return bad(format!(
                    "the network {:?} has {} parameters: at most {MAX_PARAMS} (2^28) fit in memory; use narrower layers",
                    known,
                    params.map_or("more than 2^64".to_string(), |n| n.to_string())
                ));
            }
        }
        self.init.validate()?;
        self.activation.validate()
    }
}

impl InitScheme {
    /// Checks that the scheme's number (a scale, a constant, a gain) is finite and, for scales and Xavier gains,
    /// positive and small enough that the sampling range is finite.
    ///
    /// ```
    /// use zoo_models::InitScheme;
    ///
    /// assert!(InitScheme::XavierNormalGain { gain: 5.0 / 3.0 }.validate().is_ok());
    /// assert!(InitScheme::XavierUniformGain { gain: 0.0 }.validate().is_err());
    /// assert!(InitScheme::XavierNormalGain { gain: f64::INFINITY }.validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<(), ConfigError> {
        let scale = |value: f64| value > 0.0 && value <= f64::MAX / 4.0;
        let ok = match *self {
            Self::Uniform { a } => scale(a),
            Self::Normal { std } => scale(std),
            Self::Constant { value } => value.is_finite(),
            Self::Orthogonal { gain } => gain.is_finite(),
            Self::XavierUniformGain { gain } | Self::XavierNormalGain { gain } => scale(gain),
            _ => true,
        };
        if ok {
            Ok(())
        } else {
            Err(ConfigError(format!(
                "init `{}`: its number must be finite (and a scale or a Xavier gain positive), as in normal:0.01 or \
                 xavier-normal:1.667",
                self.name()
            )))
        }
    }
}

impl ActivationKind {
    /// Checks that a leaky slope is finite.
    pub fn validate(&self) -> Result<(), ConfigError> {
        match *self {
            Self::LeakyRelu { slope } if !slope.is_finite() => {
                Err(ConfigError(format!("leaky-relu slope {slope} must be a finite number, as in leaky-relu:0.01")))
            }
            _ => Ok(()),
        }
    }
}
