//! The training engine of MLP Zoo: a plain loop over Burn's autodiff and optimizers, with probes and run records.
//!
//! `train(&config, &data, &device, on_epoch) -> Trained` is the whole interface: the config says which data, which
//! network and which recipe; the record says what happened, epoch by epoch, and is enough to rerun it.

pub mod config;
pub mod data;
pub mod device;
pub mod error;
pub mod probe;
pub mod record;
pub mod train;

pub use config::{OptimizerKind, TrainConfig};
pub use data::{DeviceSet, Prepared, fit_model_to_data, load_split, prepare, task_for};
pub use device::{Backend, WgpuAdapter, backend_name, device_for, wgpu_adapter_summary};
pub use error::TrainError;
pub use probe::LayerProbe;
pub use record::{
    BURN_VERSION, EpochMetrics, RunRecord, Status, load_model, load_run, save_model, save_run, write_atomic,
};
pub use train::{Trained, evaluate, step, train};
