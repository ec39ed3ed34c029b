//! One preset: its network, its data, its recipe as a typed `TrainConfig`, its embedded weights and metrics.

use burn::prelude::*;
use burn::store::{BurnpackStore, ModuleSnapshot};
use serde::{Deserialize, Serialize};
use zoo_datasets::{DataSource, Standardizer};
use zoo_models::{ActivationKind, InitScheme, Mlp, MlpConfig};
use zoo_train::{OptimizerKind, TrainConfig};

use crate::error::PresetError;

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

/// One entry of the zoo: a network, its data, its recipe and what it teaches. See the table, `PRESETS`.
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
    /// How it was trained, and on which split: [`Preset::train_config`] turns it into the run's `TrainConfig`.
    pub recipe: Recipe,
    /// A failure case of the lesson: trained as well as the recipe allows, and still bad on purpose.
    pub failure_case: bool,
    /// What the preset shows, in one sentence.
    pub teaches: &'static str,
}

/// The part of a preset's `TrainConfig` that a static table can hold (the data source and the network are
/// built from the preset's other fields): update rule, learning rate, batches, epochs, seed and split.
/// In `metrics.json` the optimizer is written by its name (`sgd`, `momentum`, `nesterov`, `adam`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Recipe {
    /// The update rule (one of [`OptimizerKind::ALL`]).
    #[serde(with = "optimizer_name")]
    pub optimizer: OptimizerKind,
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
    /// The standardisation the inputs need, fitted on the training split (`None` when trained on raw inputs):
    /// apply it with `Standardizer::apply_tensor` (or `try_apply` on host data) before the forward pass.
    pub input_scaling: Option<Standardizer>,
    /// The backend it was trained on.
    pub backend: String,
    /// The Burn version it was trained with.
    pub burn_version: String,
    /// The version of the crate that trained it.
    pub zoo_version: String,
    /// The day the weights were last changed (UTC, `YYYY-MM-DD`).
    pub date: String,
}

impl Preset {
    /// The network's config, input and output widths included, with the recipe's seed: `config().init(&device)`
    /// draws the preset's initial (untrained) weights.
    ///
    /// ```
    /// let config = zoo_presets::find("mlp-2x16-tanh-xavier.circles")?.config();
    /// assert_eq!(config.widths(), [2, 16, 16, 2]);
    /// # Ok::<(), zoo_presets::PresetError>(())
    /// ```
    pub fn config(&self) -> MlpConfig {
        MlpConfig::new(self.d_input, self.hidden.to_vec(), self.d_output)
            .with_activation(self.activation)
            .with_init(self.init)
            .with_seed(self.recipe.seed)
    }

    /// The complete training config of the preset: its data, its network and its recipe (probes off). Training
    /// it on flex reproduces the committed weights byte for byte.
    ///
    /// # Errors
    ///
    /// [`PresetError::Corrupt`] if the table names a data set `DataSource::parse` does not know.
    ///
    /// ```
    /// let config = zoo_presets::find("mlp-2x64-relu-he.spirals")?.train_config()?;
    /// assert_eq!((config.lr, config.batch_size, config.epochs), (0.05, Some(32), 60));
    /// assert_eq!(config.optimizer, zoo_train::OptimizerKind::MOMENTUM);
    /// # Ok::<(), zoo_presets::PresetError>(())
    /// ```
    pub fn train_config(&self) -> Result<TrainConfig, PresetError> {
        let recipe = self.recipe;
        let data = DataSource::parse(self.dataset).map_err(|e| self.corrupt(e.to_string()))?;
        Ok(TrainConfig::new(data, self.config())
            .with_optimizer(recipe.optimizer)
            .with_lr(recipe.lr)
            .with_batch_size(recipe.batch_size)
            .with_epochs(recipe.epochs)
            .with_seed(recipe.seed)
            .with_test_fraction(recipe.test_fraction)
            .with_standardize(recipe.standardize)
            .with_probe_every(0))
    }

    /// The trained weights as burnpack bytes, if this build has them (the `pretrained` feature).
    pub fn weights(&self) -> Option<&'static [u8]> {
        embedded(self.name).map(|(weights, _)| weights)
    }

    /// The measured metrics (the preset's `metrics.json`).
    ///
    /// # Errors
    ///
    /// [`PresetError::NotTrained`] without embedded metrics, [`PresetError::Corrupt`] if they do not parse.
    pub fn metrics(&self) -> Result<Metrics, PresetError> {
        let (_, json) = embedded(self.name).ok_or_else(|| self.not_trained())?;
        serde_json::from_str(json).map_err(|e| self.corrupt(format!("metrics.json: {e}")))
    }

    /// The trained network on `device` (use a plain device for inference; wrap it with `.autodiff()` to
    /// fine-tune).
    ///
    /// # Errors
    ///
    /// [`PresetError::NotTrained`] without embedded weights, [`PresetError::Corrupt`] if they do not fit the
    /// config.
    pub fn load(&self, device: &Device) -> Result<Mlp, PresetError> {
        let weights = self.weights().ok_or_else(|| self.not_trained())?;
        let mut model = self.config().init_seeded(0, device);
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

    pub(crate) fn not_trained(&self) -> PresetError {
        PresetError::NotTrained { name: self.name.to_string() }
    }

    pub(crate) fn corrupt(&self, message: String) -> PresetError {
        PresetError::Corrupt { name: self.name.to_string(), message }
    }
}

impl Recipe {
    /// A minibatch recipe on a stratified 75/25 split of seed 0, with standardised inputs.
    pub const fn minibatch(optimizer: OptimizerKind, lr: f64, batch_size: usize, epochs: usize) -> Recipe {
        Recipe { optimizer, lr, batch_size: Some(batch_size), epochs, seed: 0, test_fraction: 0.25, standardize: true }
    }

    /// A short description such as `momentum lr 0.05, batch 32, 60 epochs, seed 0`.
    ///
    /// ```
    /// let recipe = zoo_presets::find("mlp-2x64-relu-he.spirals")?.recipe;
    /// assert!(recipe.summary().starts_with("momentum lr 0.05"));
    /// # Ok::<(), zoo_presets::PresetError>(())
    /// ```
    pub fn summary(&self) -> String {
        let batch = self.batch_size.map_or("full batch".to_string(), |b| format!("batch {b}"));
        format!("{} lr {}, {batch}, {} epochs, seed {}", self.optimizer.name(), self.lr, self.epochs, self.seed)
    }
}

/// An [`OptimizerKind`] written as its command-line name (momentum 0.9 when read back).
mod optimizer_name {
    use serde::{Deserialize, Deserializer, Serializer};
    use zoo_train::OptimizerKind;

    pub fn serialize<S: Serializer>(kind: &OptimizerKind, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(kind.name())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<OptimizerKind, D::Error> {
        let name = String::deserialize(deserializer)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}
