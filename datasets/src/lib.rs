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
pub use error::DataError;
pub use idx::load_idx_dir;
pub use source::{DataSource, FASHION_MNIST_CLASSES, Loaded, NAMES};
pub use split::{Split, Standardizer, split_stratified};
