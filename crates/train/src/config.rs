//! The training recipe as data: optimizer, learning rate, batches, stopping, probes — and the data and model.

use burn::optim::decay::WeightDecayConfig;
use burn::optim::momentum::MomentumConfig;
use burn::optim::{AdamConfig, ModuleOptimizer, SgdConfig};
use burn::prelude::*;
use zoo_datasets::DataSource;
use zoo_models::MlpConfig;

use crate::error::TrainError;

/// The update rule, with PyTorch's meanings (Burn's own defaults differ: its momentum dampening is 0.1 and its
/// Adam ε is 1e-5; both are set explicitly here).
#[derive(Config, Debug, Copy, PartialEq)]
pub enum OptimizerKind {
    /// Plain gradient descent: θ ← θ − η·g.
    Sgd,
    /// Heavy-ball momentum as `torch.optim.SGD(momentum=m, dampening=0)`: v ← m·v + g, θ ← θ − η·v
    /// (Nesterov: θ ← θ − η·(g + m·v)).
    Momentum {
        /// The momentum coefficient m (0.9 by default).
        momentum: f64,
        /// Use Nesterov's look-ahead form.
        nesterov: bool,
    },
    /// Adam as `torch.optim.Adam`: β₁ 0.9, β₂ 0.999, ε 1e-8.
    Adam,
}

impl OptimizerKind {
    /// Heavy-ball momentum 0.9 without Nesterov, the project's default.
    pub const MOMENTUM: OptimizerKind = OptimizerKind::Momentum { momentum: 0.9, nesterov: false };

    /// Nesterov momentum 0.9.
    pub const NESTEROV: OptimizerKind = OptimizerKind::Momentum { momentum: 0.9, nesterov: true };

    /// The rules with a command-line name, in the order of [`OptimizerKind::NAMES`].
    pub const ALL: [OptimizerKind; 4] = [Self::Sgd, Self::MOMENTUM, Self::NESTEROV, Self::Adam];

    /// Every command-line name.
    pub const NAMES: &'static [&'static str] = &["sgd", "momentum", "nesterov", "adam"];

    /// The Burn optimizer with these semantics and an L2 weight decay (0 for none).
    pub fn build(&self, weight_decay: f64) -> ModuleOptimizer {
        let decay = (weight_decay > 0.0).then(|| WeightDecayConfig::new(weight_decay as f32));
        match *self {
            Self::Sgd => SgdConfig::new().with_weight_decay(decay).init(),
            Self::Momentum { momentum, nesterov } => {
                let momentum =
                    MomentumConfig::new().with_momentum(momentum).with_dampening(0.0).with_nesterov(nesterov);
                SgdConfig::new().with_weight_decay(decay).with_momentum(Some(momentum)).init()
            }
            Self::Adam => {
                AdamConfig::new().with_beta_1(0.9).with_beta_2(0.999).with_epsilon(1e-8).with_weight_decay(decay).init()
            }
        }
    }

    /// The command-line name: `sgd`, `momentum`, `nesterov` or `adam`.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Sgd => "sgd",
            Self::Momentum { nesterov: false, .. } => "momentum",
            Self::Momentum { nesterov: true, .. } => "nesterov",
            Self::Adam => "adam",
        }
    }

    /// Parses [`OptimizerKind::name`] (momentum 0.9 for `momentum` and `nesterov`).
    pub fn parse(text: &str) -> Option<Self> {
        Self::NAMES.iter().position(|name| *name == text).map(|i| Self::ALL[i])
    }
}

impl std::str::FromStr for OptimizerKind {
    type Err = zoo_models::ParseError;

    /// [`OptimizerKind::parse`], or an error listing [`OptimizerKind::NAMES`].
    ///
    /// ```
    /// use zoo_train::OptimizerKind;
    ///
    /// assert_eq!("adam".parse::<OptimizerKind>()?, OptimizerKind::Adam);
    /// assert!("rmsprop".parse::<OptimizerKind>().is_err_and(|e| e.to_string().contains("rmsprop")));
    /// # Ok::<(), zoo_models::ParseError>(())
    /// ```
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text).ok_or_else(|| unknown(text, "optimizer", Self::NAMES))
    }
}

/// The error for a name that is none of `names`.
pub(crate) fn unknown(text: &str, what: &'static str, names: &[&str]) -> zoo_models::ParseError {
    zoo_models::ParseError { text: text.to_string(), what, expected: names.join(", ") }
}

/// Everything a run needs, saved with it: rerunning a saved `TrainConfig` with the same backend reproduces it.
#[derive(Config, Debug)]
pub struct TrainConfig {
    /// Where the examples come from (and, for synthetic sets, how many and how noisy).
    pub data: DataSource,
    /// The network; `d_input` and `d_output` must fit the data (see `fit_model_to_data`).
    pub model: MlpConfig,
    /// The update rule.
    #[config(default = "OptimizerKind::MOMENTUM")]
    pub optimizer: OptimizerKind,
    /// The learning rate η.
    #[config(default = 0.01)]
    pub lr: f64,
    /// L2 weight decay (0: none).
    #[config(default = 0.0)]
    pub weight_decay: f64,
    /// Examples per update; `None` for full-batch gradient descent.
    #[config(default = "Some(32)")]
    pub batch_size: Option<usize>,
    /// The budget of full passes over the training set.
    #[config(default = 20)]
    pub epochs: usize,
    /// Stop when the training accuracy reaches this fraction (and record the epoch).
    pub target_acc: Option<f64>,
    /// Seeds the data, the initial weights and the shuffling.
    #[config(default = 0)]
    pub seed: u64,
    /// The share of examples held out for testing (ignored by sets that come split, such as MNIST).
    #[config(default = 0.25)]
    pub test_fraction: f64,
    /// Standardise inputs (fitted on the training split only).
    #[config(default = true)]
    pub standardize: bool,
    /// Measure the probes every this many epochs (and before training); 0 turns them off.
    #[config(default = 1)]
    pub probe_every: usize,
    /// Evaluate (and check the target and divergence) every this many epochs, and after the last; 1 by default.
    /// Experiments with thousands of tiny full-batch epochs raise it.
    #[config(default = 1)]
    pub eval_every: usize,
    /// How many fixed training examples the probes look at.
    #[config(default = 256)]
    pub probe_size: usize,
    /// A training loss above this (or NaN/∞) ends the run as diverged.
    #[config(default = 1e4)]
    pub divergence_loss: f64,
    /// With a target accuracy: also check it on the whole training set after every this many updates (`None`: at
    /// evaluations only), so epochs-to-target resolves within an epoch ([`crate::RunRecord::epochs_to_target`]).
    /// An `Option` so that configs saved before this field read back (Burn's `Config` requires every other field).
    pub target_every: Option<usize>,
}

/// The most epochs a config may ask for (a typo guard: 10⁶ epochs of the smallest set take hours).
pub const MAX_EPOCHS: usize = 1_000_000;

impl TrainConfig {
    /// A stable 64-bit fingerprint of the whole config (FNV-1a over its JSON): equal configs give equal
    /// fingerprints on every machine and in every process, unlike `DefaultHasher`.
    pub fn fingerprint(&self) -> u64 {
        stable_hash(self.to_string().as_bytes())
    }

    /// Checks every number against its documented range, and the network against `zoo_models`' size limits
    /// (with `d_input`/`d_output` 0 counted once fitted), before anything is loaded, allocated or trained.
    ///
    /// ```
    /// use zoo_datasets::DataSource;
    /// use zoo_models::MlpConfig;
    /// use zoo_train::TrainConfig;
    ///
    /// let config = TrainConfig::new(DataSource::Xor, MlpConfig::new(0, vec![8], 0));
    /// assert!(config.validate().is_ok());
    /// assert!(config.clone().with_lr(f64::NAN).validate().is_err());
    /// assert!(TrainConfig::new(DataSource::Xor, MlpConfig::new(0, vec![1 << 40], 0)).validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<(), TrainError> {
        let bad = |what: &str| Err(TrainError::Config(what.to_string()));
        if !(self.lr.is_finite() && self.lr > 0.0) {
            return bad("the learning rate must be a positive number (try --lr 0.01)");
        }
        if self.batch_size == Some(0) {
            return bad("the batch size must be at least 1 (or omit it for full batch)");
        }
        if !(self.test_fraction >= 0.0 && self.test_fraction < 1.0) {
            return bad("the test fraction must be in [0, 1) (try --test-fraction 0.25)");
        }
        if self.target_acc.is_some_and(|t| !(0.0..=1.0).contains(&t)) {
            return bad("the target accuracy is a fraction in [0, 1] (e.g. 0.95)");
        }
        if !(self.weight_decay >= 0.0 && self.weight_decay.is_finite()) {
            return bad("the weight decay must be a non-negative number (try --weight-decay 1e-4)");
        }
        if self.epochs > MAX_EPOCHS {
            return bad("at most 1000000 epochs (try --epochs 50)");
        }
        if self.eval_every == 0 || self.probe_size == 0 {
            return bad("eval_every and probe_size must be at least 1");
        }
        if self.divergence_loss.is_nan() || self.divergence_loss <= 0.0 {
            return bad("divergence_loss must be a positive number (1e4 by default)");
        }
        if let zoo_datasets::DataSource::Csv { path, .. } | zoo_datasets::DataSource::Idx { dir: path } = &self.data
            && path.is_empty()
        {
            return bad("the data path is empty: give a file (--csv) or a directory (--idx-dir)");
        }
        self.model.validate().map_err(|e| TrainError::Config(e.to_string()))
    }
}

/// FNV-1a, 64 bits: a hash that is the same on every platform and in every version of Rust.
///
/// ```
/// assert_eq!(zoo_train::stable_hash(b""), 0xcbf2_9ce4_8422_2325);
/// assert_eq!(zoo_train::stable_hash(b"a"), 0xaf63_dc4c_8601_ec8c);
/// ```
pub fn stable_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3))
}
