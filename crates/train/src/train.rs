//! `train`: the plain loop over a [`Run`] — every epoch's batches, one update each, an evaluation when due —
//! with a callback after every recorded epoch; `train_with_checkpoints`: the same loop, saving and resuming.

use burn::prelude::*;
use zoo_datasets::Targets;

use crate::checkpoint::Checkpoints;
use crate::config::TrainConfig;
use crate::data::Prepared;
use crate::error::TrainError;
use crate::record::EpochMetrics;
use crate::run::{Run, Trained};

/// Called after every recorded epoch with its metrics (progress bars, logs); return nothing.
pub type OnEpoch<'a> = &'a mut dyn FnMut(&EpochMetrics);

/// Trains `config.model` (its input and output widths fitted to the data) on `data` on `device`.
///
/// Batches are cut on the device from device-resident data; the loss is read back once per evaluation. A NaN/∞
/// or too-large training loss ends the run with [`crate::Status::Diverged`].
pub fn train(config: &TrainConfig, data: &Prepared, device: &Device, on_epoch: OnEpoch) -> Result<Trained, TrainError> {
    drive(Run::new(config, data, device)?, None, on_epoch)
}

/// [`train`] with a checkpoint every `checkpoints.every` epochs, resumed from the newest checkpoint when there
/// is one (`on_epoch` then sees the epochs after it). The result equals an uninterrupted run's, times apart.
/// The caller removes the checkpoints ([`Checkpoints::clear`]) once the result is saved.
pub fn train_with_checkpoints(
    config: &TrainConfig,
    data: &Prepared,
    device: &Device,
    checkpoints: &Checkpoints,
    on_epoch: OnEpoch,
) -> Result<Trained, TrainError> {
    let run = match Run::resume(config, data, device, checkpoints)? {
        Some(run) => run,
        None => Run::new(config, data, device)?,
    };
    drive(run, Some(checkpoints), on_epoch)
}

fn drive(mut run: Run, checkpoints: Option<&Checkpoints>, on_epoch: OnEpoch) -> Result<Trained, TrainError> {
    if let Some(initial) = run.evaluate_if_due() {
        on_epoch(initial);
    }
    while let Some(batches) = run.next_epoch() {
        for batch in batches {
            let (x, y): (Tensor<2>, Targets) = run.batch(&batch);
            run.step(x, y);
            if run.check_target() {
                break;
            }
        }
        if let Some(metrics) = run.evaluate_if_due() {
            on_epoch(metrics);
        }
        if let Some(checkpoints) = checkpoints
            && run.epoch().is_multiple_of(checkpoints.every.max(1))
            && run.epoch() < run.config().epochs
        {
            run.save_checkpoint(checkpoints)?;
        }
    }
    Ok(run.finish())
}
