//! The model zoo: named presets with trained weights and measured metrics, in one static table.
//!
//! A [`Preset`] is a network ([`MlpConfig`]), the data set it was trained on (by name, as
//! `zoo_datasets::DataSource::parse` spells it, with the split the [`Recipe`] describes), the training recipe and
//! what it teaches. Its trained weights (burnpack) and its [`Metrics`] (measured on the test split by the tool
//! that trained it, `cargo xtask zoo train`) are compiled into this crate from `zoo/<name>/`, so loading a preset
//! needs no file and no network.
//!
//! ```
//! use burn::prelude::*;
//! use zoo_models::zoo;
//!
//! let device = Device::flex();
//! let preset = zoo::find("mlp-2x64-relu-he.spirals")?;
//! let model = preset.load(&device)?; // or zoo::load(name, &device)
//! let metrics = preset.metrics()?;
//! assert!(metrics.test_accuracy > 0.95);
//!
//! // The preset was trained on standardised inputs: scale raw inputs the same way before the forward pass.
//! let raw = Tensor::<2>::from_data(TensorData::new(vec![0.5f32, -0.25], [1, 2]), &device);
//! let x = metrics.input_scaling.as_ref().map_or(raw.clone(), |scaling| scaling.apply(raw));
//! assert_eq!(model.forward(x).dims(), [1, 2]);
//! # Ok::<(), zoo_models::zoo::ZooError>(())
//! ```

mod presets;

use burn::prelude::*;
use burn::store::{BurnpackStore, ModuleSnapshot};
use serde::{Deserialize, Serialize};

use crate::{ActivationKind, InitScheme, Mlp, MlpConfig};

pub use presets::PRESETS;

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

/// One entry of the zoo: a network, its data, its recipe and what it teaches. See [`PRESETS`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Preset {
    /// `architecture.dataset`, such as `mlp-2x64-relu-he.spirals`.
    pub name: &'static str,
    /// The data set's name as `zoo_datasets::DataSource::parse` accepts it (default parameters).
    pub dataset: &'static str,
    /// Input features.
    pub d_input: usize,
    /// Outputs (one logit per class).
    pub d_output: usize,
    /// Hidden widths, input side first (empty: a logistic model).
    pub hidden: &'static [usize],
    /// The hidden activation.
    pub activation: ActivationKind,
    /// How the initial weights were drawn (from [`Recipe::seed`]).
    pub init: InitScheme,
    /// How it was trained, and on which split.
    pub recipe: Recipe,
    /// A failure case of the lesson: trained as well as the recipe allows, and still bad on purpose.
    pub failure_case: bool,
    /// What the preset shows, in one sentence.
    pub teaches: &'static str,
}

/// How a preset was trained: update rule, learning rate, batches, epochs, seed and split.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Recipe {
    /// The update rule.
    pub optimizer: Optimizer,
    /// The learning rate.
    pub lr: f64,
    /// Examples per update; `None` for full-batch gradient descent.
    pub batch_size: Option<usize>,
    /// Full passes over the training split.
    pub epochs: usize,
    /// Seeds the synthetic data, the split, the initial weights and the shuffling.
    pub seed: u64,
    /// The share of examples held out for testing (a stratified split with `seed`; ignored by data sets that
    /// come split, such as Fashion-MNIST).
    pub test_fraction: f64,
    /// Whether inputs were standardised with the training split's mean and standard deviation (stored in
    /// [`Metrics::input_scaling`]).
    pub standardize: bool,
}

/// The update rule of a [`Recipe`], with PyTorch's meanings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Optimizer {
    /// `torch.optim.SGD(lr)`.
    Sgd,
    /// `torch.optim.SGD(lr, momentum=0.9, dampening=0)`.
    Momentum,
    /// `torch.optim.Adam(lr)` (β 0.9/0.999, ε 1e-8).
    Adam,
}

/// What `cargo xtask zoo train` measured after training a preset (its `metrics.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// The preset's name.
    pub name: String,
    /// The data set's name.
    pub dataset: String,
    /// The network as built (input and output widths included).
    pub model: MlpConfig,
    /// The recipe it was trained with (equal to the preset's).
    pub recipe: Recipe,
    /// Training examples.
    pub n_train: usize,
    /// Test examples.
    pub n_test: usize,
    /// Accuracy on the training split, in [0, 1].
    pub train_accuracy: f64,
    /// Mean cross-entropy on the training split.
    pub train_loss: f64,
    /// Accuracy on the test split, in [0, 1]: the number the zoo reports.
    pub test_accuracy: f64,
    /// Mean cross-entropy on the test split.
    pub test_loss: f64,
    /// The standardisation the inputs need (`None` when trained on raw inputs).
    pub input_scaling: Option<InputScaling>,
    /// The backend it was trained on.
    pub backend: String,
    /// The Burn version it was trained with.
    pub burn_version: String,
    /// The version of this crate that trained it.
    pub zoo_version: String,
    /// The day the weights were last changed (UTC, `YYYY-MM-DD`).
    pub date: String,
}

/// Per-feature standardisation `(x − mean) / std`, fitted on a preset's training split.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputScaling {
    /// Mean of each input feature.
    pub mean: Vec<f32>,
    /// Standard deviation of each input feature (1 for a constant feature).
    pub std: Vec<f32>,
}

/// Why a preset could not be found or loaded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ZooError {
    /// No preset has this name.
    #[error("unknown preset `{name}`; the zoo has: {known}")]
    Unknown {
        /// The name asked for.
        name: String,
        /// Every preset's name.
        known: String,
    },
    /// The preset is in the table but its weights were never trained into this build.
    #[error("preset `{name}` has no trained weights in this build: run `cargo xtask zoo train {name}` and rebuild")]
    NotTrained {
        /// The preset.
        name: String,
    },
    /// The embedded weights or metrics do not fit the preset.
    #[error("preset `{name}`: {message}")]
    Corrupt {
        /// The preset.
        name: String,
        /// What does not fit.
        message: String,
    },
}

/// The preset called `name`.
///
/// # Errors
///
/// [`ZooError::Unknown`], listing every name.
///
/// ```
/// let preset = zoo_models::zoo::find("logistic.circles")?;
/// assert!(preset.hidden.is_empty() && preset.failure_case);
/// assert!(zoo_models::zoo::find("resnet50").is_err());
/// # Ok::<(), zoo_models::zoo::ZooError>(())
/// ```
pub fn find(name: &str) -> Result<&'static Preset, ZooError> {
    PRESETS.iter().find(|preset| preset.name == name).ok_or_else(|| ZooError::Unknown {
        name: name.to_string(),
        known: PRESETS.iter().map(|preset| preset.name).collect::<Vec<_>>().join(", "),
    })
}

/// The trained network of the preset called `name`, on `device`: [`find`] then [`Preset::load`].
///
/// # Errors
///
/// [`ZooError::Unknown`], [`ZooError::NotTrained`] or [`ZooError::Corrupt`].
///
/// ```
/// use burn::prelude::*;
///
/// let model = zoo_models::zoo::load("mlp-2x128-relu-he.digits", &Device::flex())?;
/// assert_eq!(model.widths(), [64, 128, 128, 10]);
/// # Ok::<(), zoo_models::zoo::ZooError>(())
/// ```
pub fn load(name: &str, device: &Device) -> Result<Mlp, ZooError> {
    find(name)?.load(device)
}

impl Preset {
    /// The network's config, input and output widths included.
    ///
    /// ```
    /// let config = zoo_models::zoo::find("mlp-2x16-tanh-xavier.circles")?.config();
    /// assert_eq!(config.widths(), [2, 16, 16, 2]);
    /// # Ok::<(), zoo_models::zoo::ZooError>(())
    /// ```
    pub fn config(&self) -> MlpConfig {
        MlpConfig::new(self.d_input, self.hidden.to_vec(), self.d_output)
            .with_activation(self.activation)
            .with_init(self.init)
    }

    /// The trained weights as burnpack bytes, if this build has them.
    pub fn weights(&self) -> Option<&'static [u8]> {
        embedded(self.name).map(|(weights, _)| weights)
    }

    /// The measured metrics (the preset's `metrics.json`).
    ///
    /// # Errors
    ///
    /// [`ZooError::NotTrained`] without embedded metrics, [`ZooError::Corrupt`] if they do not parse.
    pub fn metrics(&self) -> Result<Metrics, ZooError> {
        let (_, json) = embedded(self.name).ok_or_else(|| self.not_trained())?;
        serde_json::from_str(json).map_err(|e| self.corrupt(format!("metrics.json: {e}")))
    }

    /// The trained network on `device` (use a plain device for inference; wrap it with `.autodiff()` to
    /// fine-tune).
    ///
    /// # Errors
    ///
    /// [`ZooError::NotTrained`] without embedded weights, [`ZooError::Corrupt`] if they do not fit the config.
    pub fn load(&self, device: &Device) -> Result<Mlp, ZooError> {
        let weights = self.weights().ok_or_else(|| self.not_trained())?;
        let mut model = self.config().init(0, device);
        let mut store = BurnpackStore::from_static(weights);
        let result = model.load_from(&mut store).map_err(|e| self.corrupt(format!("model.bpk: {e}")))?;
        if !result.errors.is_empty() || !result.missing.is_empty() || !result.unused.is_empty() {
            return Err(self.corrupt(format!(
                "model.bpk does not fit the config: errors {:?}, missing {:?}, unused {:?}",
                result.errors, result.missing, result.unused
            )));
        }
        Ok(model)
    }

    fn not_trained(&self) -> ZooError {
        ZooError::NotTrained { name: self.name.to_string() }
    }

    fn corrupt(&self, message: String) -> ZooError {
        ZooError::Corrupt { name: self.name.to_string(), message }
    }
}

impl Optimizer {
    /// The name used on the command line and in `metrics.json`: `sgd`, `momentum` or `adam`.
    ///
    /// ```
    /// assert_eq!(zoo_models::zoo::Optimizer::Momentum.name(), "momentum");
    /// ```
    pub fn name(&self) -> &'static str {
        match self {
            Self::Sgd => "sgd",
            Self::Momentum => "momentum",
            Self::Adam => "adam",
        }
    }
}

impl Recipe {
    /// A short description such as `momentum lr 0.05, batch 32, 60 epochs, seed 0`.
    ///
    /// ```
    /// let recipe = zoo_models::zoo::find("mlp-2x64-relu-he.spirals")?.recipe;
    /// assert!(recipe.summary().starts_with("momentum lr 0.05"));
    /// # Ok::<(), zoo_models::zoo::ZooError>(())
    /// ```
    pub fn summary(&self) -> String {
        let batch = self.batch_size.map_or("full batch".to_string(), |b| format!("batch {b}"));
        format!("{} lr {}, {batch}, {} epochs, seed {}", self.optimizer.name(), self.lr, self.epochs, self.seed)
    }
}

impl InputScaling {
    /// `(x − mean) / std`, row by row.
    ///
    /// # Shapes
    /// - x: `[batch, d_input]`
    /// - output: `[batch, d_input]`
    ///
    /// ```
    /// use burn::prelude::*;
    /// use zoo_models::zoo::InputScaling;
    ///
    /// let scaling = InputScaling { mean: vec![1.0, 2.0], std: vec![2.0, 4.0] };
    /// let x = Tensor::<2>::from_data(TensorData::new(vec![3.0f32, 2.0], [1, 2]), &Device::flex());
    /// let values: Vec<f32> = scaling.apply(x).into_data().iter::<f32>().collect();
    /// assert_eq!(values, [1.0, 0.0]);
    /// ```
    pub fn apply(&self, x: Tensor<2>) -> Tensor<2> {
        let device = x.device();
        let row = |values: &[f32]| Tensor::<1>::from_data(TensorData::new(values.to_vec(), [values.len()]), &device);
        x.sub(row(&self.mean).unsqueeze::<2>()).div(row(&self.std).unsqueeze::<2>())
    }
}
