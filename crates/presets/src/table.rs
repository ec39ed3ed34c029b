//! The zoo's one static table, and lookup by name. Adding a preset = adding a row here, then `cargo xtask zoo train NAME`, which
//! trains it from its recipe and writes `zoo/NAME/{model.bpk,metrics.json}`; the tests pick it up by themselves.

use burn::prelude::*;
use zoo_models::{ActivationKind, InitScheme, Mlp};
use zoo_train::OptimizerKind;

use crate::error::PresetError;
use crate::preset::{Preset, Recipe};

/// Every preset, in the order `trainer zoo list` shows them: one per bundled data set and the lesson's toy
/// problems first, then the lesson's failure cases beside the networks that get the same data right.
pub static PRESETS: &[Preset] = &[
    Preset {
        name: "mlp-2x64-relu-he.spirals",
        dataset: "spirals",
        d_input: 2,
        d_output: 2,
        hidden: &[64, 64],
        activation: ActivationKind::Relu,
        init: InitScheme::HeNormal,
        recipe: Recipe::minibatch(OptimizerKind::MOMENTUM, 0.05, 32, 60),
        failure_case: false,
        teaches: "two ReLU layers untangle two interleaved spirals",
    },
    Preset {
        name: "mlp-2x16-tanh-xavier.circles",
        dataset: "circles",
        d_input: 2,
        d_output: 2,
        hidden: &[16, 16],
        activation: ActivationKind::Tanh,
        init: InitScheme::XavierNormal,
        recipe: Recipe::minibatch(OptimizerKind::MOMENTUM, 0.05, 32, 50),
        failure_case: false,
        teaches: "a small tanh network draws a closed boundary around the inner circle",
    },
    Preset {
        name: "mlp-2x32-relu-he.moons",
        dataset: "moons",
        d_input: 2,
        d_output: 2,
        hidden: &[32, 32],
        activation: ActivationKind::Relu,
        init: InitScheme::HeNormal,
        recipe: Recipe::minibatch(OptimizerKind::MOMENTUM, 0.05, 32, 50),
        failure_case: false,
        teaches: "a curved boundary between two interleaving half-moons",
    },
    Preset {
        name: "mlp-1x8-relu-he.iris",
        dataset: "iris",
        d_input: 4,
        d_output: 3,
        hidden: &[8],
        activation: ActivationKind::Relu,
        init: InitScheme::HeNormal,
        recipe: Recipe::minibatch(OptimizerKind::MOMENTUM, 0.01, 16, 50),
        failure_case: false,
        teaches: "eight hidden units suffice for Fisher's three iris species",
    },
    Preset {
        name: "mlp-2x16-relu-he.wine",
        dataset: "wine",
        d_input: 13,
        d_output: 3,
        hidden: &[16, 16],
        activation: ActivationKind::Relu,
        init: InitScheme::HeNormal,
        recipe: Recipe::minibatch(OptimizerKind::MOMENTUM, 0.01, 16, 30),
        failure_case: false,
        teaches: "standardised chemistry features separate three wine cultivars",
    },
    Preset {
        name: "mlp-2x32-relu-he.breast-cancer",
        dataset: "breast-cancer",
        d_input: 30,
        d_output: 2,
        hidden: &[32, 32],
        activation: ActivationKind::Relu,
        init: InitScheme::HeNormal,
        recipe: Recipe::minibatch(OptimizerKind::MOMENTUM, 0.01, 16, 30),
        failure_case: false,
        teaches: "a two-class medical data set with a softmax over two logits",
    },
    Preset {
        name: "mlp-2x128-relu-he.digits",
        dataset: "digits",
        d_input: 64,
        d_output: 10,
        hidden: &[128, 128],
        activation: ActivationKind::Relu,
        init: InitScheme::HeNormal,
        recipe: Recipe::minibatch(OptimizerKind::MOMENTUM, 0.02, 32, 30),
        failure_case: false,
        teaches: "8x8 handwritten digits, ten classes, in seconds",
    },
    Preset {
        name: "mlp-2x256-relu-he.fashion-mnist",
        dataset: "fashion-mnist",
        d_input: 784,
        d_output: 10,
        hidden: &[256, 256],
        activation: ActivationKind::Relu,
        init: InitScheme::HeNormal,
        recipe: Recipe::minibatch(OptimizerKind::MOMENTUM, 0.02, 128, 10),
        failure_case: false,
        teaches: "a real 28x28 image benchmark (60k/10k) with a plain MLP",
    },
    Preset {
        name: "mlp-5x64-relu-he.digits",
        dataset: "digits",
        d_input: 64,
        d_output: 10,
        hidden: &[64, 64, 64, 64, 64],
        activation: ActivationKind::Relu,
        init: InitScheme::HeNormal,
        recipe: Recipe::minibatch(OptimizerKind::Sgd, 0.05, 32, 20),
        failure_case: false,
        teaches: "five ReLU layers with He init train well with plain SGD (compare the sigmoid one)",
    },
    Preset {
        name: "mlp-5x64-sigmoid-glorot.digits",
        dataset: "digits",
        d_input: 64,
        d_output: 10,
        hidden: &[64, 64, 64, 64, 64],
        activation: ActivationKind::Sigmoid,
        init: InitScheme::GlorotStandard,
        recipe: Recipe::minibatch(OptimizerKind::Sgd, 0.05, 32, 20),
        failure_case: true,
        teaches: "vanishing gradients: the same recipe barely moves five sigmoid layers",
    },
    Preset {
        name: "mlp-2x16-tanh-zeros.circles",
        dataset: "circles",
        d_input: 2,
        d_output: 2,
        hidden: &[16, 16],
        activation: ActivationKind::Tanh,
        init: InitScheme::Zeros,
        recipe: Recipe::minibatch(OptimizerKind::MOMENTUM, 0.05, 32, 50),
        failure_case: true,
        teaches: "symmetry: all-zero weights never break it, so nothing but the output bias learns",
    },
    Preset {
        name: "logistic.circles",
        dataset: "circles",
        d_input: 2,
        d_output: 2,
        hidden: &[],
        activation: ActivationKind::Relu,
        init: InitScheme::XavierNormal,
        recipe: Recipe::minibatch(OptimizerKind::MOMENTUM, 0.05, 32, 50),
        failure_case: true,
        teaches: "no hidden layer: a straight line cannot separate two circles",
    },
];

/// The preset called `name`.
///
/// # Errors
///
/// [`PresetError::Unknown`], listing every name.
///
/// ```
/// let preset = zoo_presets::find("logistic.circles")?;
/// assert!(preset.hidden.is_empty() && preset.failure_case);
/// assert!(zoo_presets::find("resnet50").is_err());
/// # Ok::<(), zoo_presets::PresetError>(())
/// ```
pub fn find(name: &str) -> Result<&'static Preset, PresetError> {
    PRESETS.iter().find(|preset| preset.name == name).ok_or_else(|| PresetError::Unknown {
        name: name.to_string(),
        known: PRESETS.iter().map(|preset| preset.name).collect::<Vec<_>>().join(", "),
    })
}

/// The trained network of the preset called `name`, on `device`: [`find`] then [`Preset::load`].
///
/// # Errors
///
/// [`PresetError::Unknown`], [`PresetError::NotTrained`] or [`PresetError::Corrupt`].
///
/// ```
/// use burn::prelude::*;
///
/// let model = zoo_presets::load("mlp-2x128-relu-he.digits", &Device::flex())?;
/// assert_eq!(model.widths(), [64, 128, 128, 10]);
/// # Ok::<(), zoo_presets::PresetError>(())
/// ```
pub fn load(name: &str, device: &Device) -> Result<Mlp, PresetError> {
    find(name)?.load(device)
}
