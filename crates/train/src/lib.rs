//! The training engine of MLP Zoo: a plain loop over Burn's autodiff and optimizers, with probes and run records.
//!
//! `train(&config, &data, &device, on_epoch) -> Trained` runs a config to the end; [`Run`] is the same loop
//! opened up, for experiments that need to act between updates. The config says which data, which network and
//! which recipe; the record says what happened, epoch by epoch, and is enough to rerun it.
//!
//! Modules depend one way: `error`, `float` and `loss` on nothing of this crate; `config` and `files` on `error`;
//! `data` and `device` on those; `probe`, `step` and `plane` on `data` and `loss`; `record` on `probe` and `files`; `run` on
//! all of them; `checkpoint` on `run`; `train` on `checkpoint`.

mod checkpoint;
mod config;
mod data;
mod device;
mod error;
mod files;
pub mod float;
mod loss;
mod plane;
mod probe;
mod record;
mod run;
mod step;
mod train;

pub use checkpoint::{Checkpoints, checkpoints_beside};
pub use config::{MAX_EPOCHS, OptimizerKind, TrainConfig, stable_hash};
pub use data::{DeviceSet, Prepared, fit_model_to_data, load_split, prepare, task_for};
pub use device::{Backend, WgpuAdapter, backend_name, device_for, wgpu_adapter_summary};
pub use error::TrainError;
pub use files::{StagedDir, write_atomic};
pub use loss::{autodiff_targets, task_loss};
pub use plane::{ClassGrid, class_grid, plane_of};
pub use probe::{
    LayerProbe, ProbeSet, dead_fraction, host, mean, norm, probe, rms, row_spread, saturated_fraction, std as std_dev,
};
pub use record::{
    BURN_VERSION, EpochMetrics, RunRecord, Status, Versions, load_model, load_run, run_fingerprint, save_model,
    save_run,
};
pub use run::{Run, Trained};
pub use step::{MAX_BATCH_ACTIVATIONS, evaluate, rows_per_chunk, step};
pub use train::{OnEpoch, train, train_with_checkpoints};
