//! What every experiment shares: the context (seeds, scale, device), trials run in parallel across cores, and
//! learning-rate tuning per arm on the CLAIMS.md grid.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use burn::prelude::*;
use rayon::prelude::*;
use zoo_train::{Prepared, RunRecord, TrainConfig, Trained, train};

use crate::ClaimError;
use crate::finding::{ChosenRate, Measure};
use crate::store::{Store, TrialSpec};

/// The learning-rate grid of the common protocol.
pub const LR_GRID: [f64; 8] = [0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0];

/// How big the experiments are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// Small grids, few seeds, short budgets: a first look, and the test suite.
    Quick,
    /// The protocol of CLAIMS.md.
    Full,
}

/// What an experiment runs with.
#[derive(Debug, Clone)]
pub struct Context {
    /// Seeds given by the user (`--seeds`); `None`: the experiment's own default count.
    pub seeds: Option<Vec<u64>>,
    /// Quick or full.
    pub scale: Scale,
    /// The device trials run on (plain; training wraps it for autodiff).
    pub device: Device,
    /// Trials to run at once.
    pub workers: usize,
    /// A device configured for f64 at process start (claim i1), when the process could make one; experiments
    /// that want f64 fall back to f32 and say so when it is `None`.
    pub f64_device: Option<Device>,
    /// Trainings run so far through [`Context::train`] (shared by clones).
    pub trials: Arc<AtomicUsize>,
    /// Where record-only trials ([`Context::trial`]) are stored and looked up first; `None`: train every time.
    pub store: Option<Store>,
    /// Trials answered from the store so far (shared by clones).
    pub reused: Arc<AtomicUsize>,
}

impl Context {
    /// The seeds: the user's, or `0..n` with n = `full` (Full) or `quick` (Quick).
    pub fn seeds(&self, full: usize, quick: usize) -> Vec<u64> {
        match &self.seeds {
            Some(seeds) => seeds.clone(),
            None => (0..if self.scale == Scale::Full { full } else { quick } as u64).collect(),
        }
    }

    /// `full` or `quick` by scale.
    pub fn pick<T>(&self, full: T, quick: T) -> T {
        if self.scale == Scale::Full { full } else { quick }
    }

    /// Runs `f` over `items` on a pool of `self.workers` threads, keeping the order of `items`. Trials are the
    /// unit of parallelism; a matmul big enough for Burn to split runs its parts on the same pool (rayon nests),
    /// so the cores are never oversubscribed.
    pub fn parallel<I: Sync, O: Send>(&self, items: &[I], f: impl Fn(&I) -> O + Sync + Send) -> Vec<O> {
        let run = || items.par_iter().with_max_len(1).map(&f).collect();
        match rayon::ThreadPoolBuilder::new().num_threads(self.workers.max(1)).build() {
            Ok(pool) => pool.install(run),
            // No threads to be had: run the trials in this one.
            Err(_) => items.iter().map(&f).collect(),
        }
    }

    /// [`Context::parallel`] for trials that can fail: every output in order, or the first error.
    pub fn try_parallel<I: Sync, O: Send>(
        &self,
        items: &[I],
        f: impl Fn(&I) -> Result<O, ClaimError> + Sync + Send,
    ) -> Result<Vec<O>, ClaimError> {
        self.parallel(items, f).into_iter().collect()
    }

    /// Trains one config on prepared data, counted in [`Context::trials`]; a rejected config is an error (the
    /// claim becomes inconclusive with its reason).
    pub fn train(&self, config: &TrainConfig, data: &Prepared) -> Result<Trained, ClaimError> {
        self.trials.fetch_add(1, Ordering::Relaxed);
        Ok(train(config, data, &self.device, &mut |_| {})?)
    }

    /// Trainings run so far.
    pub fn trial_count(&self) -> usize {
        self.trials.load(Ordering::Relaxed)
    }

    /// Trials answered from the store so far.
    pub fn reused_count(&self) -> usize {
        self.reused.load(Ordering::Relaxed)
    }

    /// Trains one config on prepared data with probes off, and returns its record: from the store when a trial
    /// with the same spec (config, data, backend) finished before, else trained and stored the moment it ends.
    pub fn trial(&self, config: &TrainConfig, data: &Prepared) -> Result<RunRecord, ClaimError> {
        let config = config.clone().with_probe_every(0);
        let Some(store) = &self.store else { return Ok(self.train(&config, data)?.record) };
        let spec = TrialSpec::new(&config, data, &self.device);
        if let Some(record) = store.get(&spec) {
            self.reused.fetch_add(1, Ordering::Relaxed);
            return Ok(record);
        }
        let record = self.train(&config, data)?.record;
        store.put(&spec, &record)?;
        Ok(record)
    }
}

/// Epochs to the target training accuracy: the recorded epoch, or ∞ when not reached (never the budget).
pub fn epochs_to_target(record: &RunRecord) -> f64 {
    record.target_epoch.map_or(f64::INFINITY, |e| e as f64)
}

/// The final training loss (∞ when diverged or NaN).
pub fn final_loss(record: &RunRecord) -> f64 {
    match record.status {
        zoo_train::Status::Diverged { .. } => f64::INFINITY,
        _ => {
            record.last().map_or(f64::INFINITY, |m| if m.train_loss.is_finite() { m.train_loss } else { f64::INFINITY })
        }
    }
}

/// The final test accuracy (0 when missing).
pub fn test_acc(record: &RunRecord) -> f64 {
    record.last().and_then(|m| m.test_acc).unwrap_or(0.0)
}

/// The final training accuracy (0 when missing).
pub fn train_acc(record: &RunRecord) -> f64 {
    record.last().and_then(|m| m.train_acc).unwrap_or(0.0)
}

/// One arm after tuning: its chosen rate and the records of every seed at that rate.
#[derive(Debug, Clone)]
pub struct Tuned {
    /// The arm's name.
    pub arm: String,
    /// The chosen rate.
    pub rate: ChosenRate,
    /// One record per seed at the chosen rate.
    pub records: Vec<RunRecord>,
}

impl Tuned {
    /// `metric` of every seed's record, as a measure named `name`.
    pub fn measure(&self, name: &str, metric: impl Fn(&RunRecord) -> f64) -> Measure {
        Measure::new(format!("{name} {}", self.arm), self.records.iter().map(metric).collect())
    }
}

/// Tunes the learning rate of every arm over `grid`: each (arm, rate, seed) trial runs once, in parallel; the
/// chosen rate minimises the median of `score` over seeds (ties: the median final loss).
/// `data(seed)` gives the prepared data of a seed.
pub fn tune(
    ctx: &Context,
    arms: &[(String, TrainConfig)],
    grid: &[f64],
    seeds: &[u64],
    data: &(dyn Fn(u64) -> Prepared + Sync),
    score: fn(&RunRecord) -> f64,
) -> Result<Vec<Tuned>, ClaimError> {
    let prepared: Vec<Prepared> = seeds.iter().map(|s| data(*s)).collect();
    let trials: Vec<(usize, usize, usize)> = (0..arms.len())
        .flat_map(|a| (0..grid.len()).flat_map(move |r| (0..seeds.len()).map(move |s| (a, r, s))))
        .collect();
    let records = ctx.try_parallel(&trials, |(a, r, s)| {
        let config = arms[*a].1.clone().with_lr(grid[*r]).with_seed(seeds[*s]);
        ctx.trial(&config, &prepared[*s])
    })?;
    let per = seeds.len();
    Ok(arms
        .iter()
        .enumerate()
        .map(|(a, (arm, _))| {
            let at = |r: usize| &records[(a * grid.len() + r) * per..(a * grid.len() + r + 1) * per];
            let key = |r: usize| {
                let score = Measure::new("", at(r).iter().map(score).collect()).median;
                let loss = Measure::new("", at(r).iter().map(final_loss).collect()).median;
                (score, loss)
            };
            let best = (0..grid.len())
                .min_by(|x, y| {
                    let (kx, ky) = (key(*x), key(*y));
                    kx.0.total_cmp(&ky.0).then(kx.1.total_cmp(&ky.1))
                })
                .unwrap_or(0);
            Tuned {
                arm: arm.clone(),
                rate: ChosenRate {
                    arm: arm.clone(),
                    lr: grid[best],
                    at_grid_edge: best == 0 || best + 1 == grid.len(),
                },
                records: at(best).to_vec(),
            }
        })
        .collect())
}
