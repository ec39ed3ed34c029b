//! Small data sets for MLP experiments in Burn 0.22: seeded synthetic generators, the embedded UCI sets,
//! CSV and IDX (MNIST-format) loaders, seeded stratified splits, standardisation, and Burn's
//! `Dataset`/`Batcher` for the data loader.
//!
//! Nothing here downloads: synthetic sets are generated from a seed, iris/wine/breast-cancer/digits are
//! compiled in (see `data/PROVENANCE.md`), and Fashion-MNIST comes from the Debian package
//! `dataset-fashion-mnist` or any directory of IDX files.
//!
//! ```
//! use burn::prelude::*;
//! use zoo_datasets::{DataSource, Targets};
//!
//! let source = DataSource::parse("circles")?; // a Burn Config: saved with the run, it reruns the data
//! let split = source.load(42)?.into_split(0.25, 42)?;
//! let (split, _scaler) = split.standardized(); // fitted on the train part only
//! assert_eq!((split.train.len() + split.test.len(), split.train.d_input), (400, 2));
//!
//! let (inputs, targets) = split.train.to_tensors(&Device::flex());
//! assert_eq!(inputs.dims(), [300, 2]);
//! assert!(matches!(targets, Targets::Classes(_)));
//! # Ok::<(), zoo_datasets::DataError>(())
//! ```
//!
//! # Generators
//!
//! Seeded, deterministic, and checked: bad parameters are errors, not panics.
//!
//! ```
//! use zoo_datasets::synthetic;
//!
//! let xor = synthetic::xor(); // the 4 corners, in order 00, 01, 10, 11
//! assert_eq!((xor.len(), xor.row(3)), (4, &[1.0f32, 1.0][..]));
//! let spirals = synthetic::spirals(600, 3, 0.2, 0)?; // 3 arms = 3 classes
//! assert_eq!((spirals.len(), spirals.d_output()), (600, 3));
//! let two = synthetic::two_spirals(600, 2.0, 0.02, 0)?; // Lang & Witbrock: arm 1 = arm 0 rotated by π, 2 turns
//! assert_eq!(two.class_counts(), Some(vec![300, 300]));
//! assert_eq!(synthetic::circles(400, 0.05, 0.5, 7)?.features, synthetic::circles(400, 0.05, 0.5, 7)?.features);
//! assert_eq!(synthetic::moons(400, 0.1, 0)?.class_counts(), Some(vec![200, 200]));
//! assert_eq!(synthetic::gaussians(300, 3, 1.0, 0)?.class_counts(), Some(vec![100, 100, 100]));
//! let sine = synthetic::sine(200, 0.1, 0)?; // regression: one input, one target, no classes
//! assert_eq!((sine.d_input, sine.d_output(), sine.class_counts()), (1, 1, None));
//! assert!(synthetic::spirals(600, 0, 0.2, 0).is_err()); // bad parameters are errors, not panics
//! # Ok::<(), zoo_datasets::DataError>(())
//! ```

pub mod batch;
pub mod bundled;
pub mod csv;
mod data;
mod error;
pub mod idx;
mod source;
mod split;
pub mod synthetic;

pub use batch::{Batch, Example, ExampleBatcher, ValueBatch, ValueBatcher, ValueExample};
pub use data::{Data, Labels, Targets};
pub use error::{DataError, MAX_FILE_BYTES};
pub use idx::load_idx_dir;
pub use source::{DataSource, FASHION_MNIST_CLASSES, Loaded, NAMES};
pub use split::{Split, Standardizer, split_stratified};
