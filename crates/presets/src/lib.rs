//! The model zoo: named presets — a network, the data set it was trained on, its recipe as a typed
//! `zoo_train::TrainConfig`, what it teaches — with trained weights and measured metrics, in one static table.
//!
//! Its trained weights (burnpack) and its [`Metrics`] (measured on the test split by [`train_preset`], run by
//! `cargo xtask zoo train`) are compiled into this crate from `zoo/<name>/` with the `pretrained` feature (on by
//! default), so loading a preset needs no file and no network.
//!
//! ```
//! use burn::prelude::*;
//!
//! let device = Device::flex();
//! let preset = zoo_presets::find("mlp-2x64-relu-he.spirals")?;
//! let model = preset.load(&device)?; // or zoo_presets::load(name, &device)
//! let metrics = preset.metrics()?;
//! assert!(metrics.test_accuracy > 0.95);
//!
//! // The preset was trained on standardised inputs: scale raw inputs the same way before the forward pass.
//! let raw = Tensor::<2>::from_data(TensorData::new(vec![0.5f32, -0.25], [1, 2]), &device);
//! let x = metrics.input_scaling.as_ref().map_or(raw.clone(), |scaling| scaling.apply_tensor(raw));
//! assert_eq!(model.forward(x).dims(), [1, 2]);
//! # Ok::<(), zoo_presets::PresetError>(())
//! ```

mod error;
mod preset;
mod readme;
mod table;
mod train;

pub use error::PresetError;
pub use preset::{Metrics, Preset, Recipe};
pub use readme::{TABLE_BEGIN, TABLE_END, embedded_metrics, readme_table, write_readme_table, written_metrics};
pub use table::{PRESETS, find, load};
pub use train::{Evaluation, evaluate_preset, read_metrics, test_split, train_preset};
