//! What every experiment shares: the context (seeds, scale, device), trials run in parallel across cores, and
//! learning-rate tuning per arm on the CLAIMS.md grid.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use burn::prelude::*;
use rayon::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use zoo_train::{Prepared, RunRecord, TrainConfig, train};

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

/// Which missing trials a run may train.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Every missing trial.
    Train,
    /// Shard `index` of `count` (0-based): the missing trials whose key it owns; the others are left to the other
    /// shards on the same directory.
    Shard {
        /// This shard, `0..count`.
        index: u64,
        /// How many shards share the work.
        count: u64,
    },
    /// None: results come from the store only (the report of a sweep run elsewhere).
    StoreOnly,
}

impl Mode {
    /// Whether a run in this mode trains the trial with `key` when it is missing.
    pub fn trains(&self, key: &str) -> bool {
        match *self {
            Mode::Train => true,
            Mode::Shard { index, count } => u64::from_str_radix(key, 16).is_ok_and(|k| k % count == index),
            Mode::StoreOnly => false,
        }
    }
}

/// Counters shared by the clones of a [`Context`].
#[derive(Debug, Default)]
pub struct Counts {
    trained: AtomicUsize,
    reused: AtomicUsize,
    asked: AtomicUsize,
    planned: Mutex<BTreeSet<String>>,
    missing: Mutex<BTreeSet<String>>,
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
    pub jobs: usize,
    /// A device configured for f64 at process start (claim i1), when the process could make one; experiments
    /// that want f64 fall back to f32 and say so when it is `None`.
    pub f64_device: Option<Device>,
    /// Where trials are stored and looked up first; `None`: train every time.
    pub store: Option<Store>,
    /// Which missing trials this run trains.
    pub mode: Mode,
    /// Set (by a SIGINT handler) to start no new trial; running ones finish and are stored.
    pub stop: Arc<AtomicBool>,
    /// Trials trained, reused, planned and missing so far (shared by clones).
    pub counts: Arc<Counts>,
}

impl Context {
    /// A context training everything on `device` at `scale` with one job per core, no store, default seeds.
    pub fn new(device: Device, scale: Scale) -> Self {
        Self {
            seeds: None,
            scale,
            device,
            jobs: std::thread::available_parallelism().map_or(1, usize::from),
            f64_device: None,
            store: None,
            mode: Mode::Train,
            stop: Arc::default(),
            counts: Arc::default(),
        }
    }

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

    /// Runs `f` over `items` on a pool of `self.jobs` threads, keeping the order of `items`. Trials are the
    /// unit of parallelism; a matmul big enough for Burn to split runs its parts on the same pool (rayon nests),
    /// so the cores are never oversubscribed.
    pub fn parallel<I: Sync, O: Send>(&self, items: &[I], f: impl Fn(&I) -> O + Sync + Send) -> Vec<O> {
        let run = || items.par_iter().with_max_len(1).map(&f).collect();
        match rayon::ThreadPoolBuilder::new().num_threads(self.jobs.max(1)).build() {
            Ok(pool) => pool.install(run),
            // No threads to be had: run the trials in this one.
            Err(_) => items.iter().map(&f).collect(),
        }
    }

    /// [`Context::parallel`] for trials that can fail: every item is run (so a shard trains all it owns), then
    /// every output in order, or the first error.
    pub fn try_parallel<I: Sync, O: Send>(
        &self,
        items: &[I],
        f: impl Fn(&I) -> Result<O, ClaimError> + Sync + Send,
    ) -> Result<Vec<O>, ClaimError> {
        self.parallel(items, f).into_iter().collect()
    }

    /// The result of the trial `spec`: from the store when it finished before; else computed by `run` (when this
    /// run's mode trains it and no stop was asked), stored the moment it ends and logged in `trained.log`.
    pub fn stored<T: Serialize + DeserializeOwned>(
        &self,
        spec: &TrialSpec,
        name: &str,
        run: impl FnOnce() -> Result<T, ClaimError>,
    ) -> Result<T, ClaimError> {
        self.counts.asked.fetch_add(1, Ordering::Relaxed);
        let Some(store) = &self.store else { return self.count_trained(run) };
        let key = spec.key();
        lock(&self.counts.planned).insert(key.clone());
        if let Some(result) = store.get(spec) {
            self.counts.reused.fetch_add(1, Ordering::Relaxed);
            return Ok(result);
        }
        if !self.mode.trains(&key) {
            lock(&self.counts.missing).insert(key);
            return Err(ClaimError::Missing);
        }
        if self.stop.load(Ordering::Relaxed) {
            return Err(ClaimError::Interrupted);
        }
        let start = Instant::now();
        let result = self.count_trained(run)?;
        store.put(spec, &result)?;
        store.log_trained(&key, name, start.elapsed().as_secs_f64())?;
        Ok(result)
    }

    fn count_trained<T>(&self, run: impl FnOnce() -> Result<T, ClaimError>) -> Result<T, ClaimError> {
        let result = run()?;
        self.counts.trained.fetch_add(1, Ordering::Relaxed);
        Ok(result)
    }

    /// An experiment's own training `name` on `item` (its seed, arm, rate…: everything its code makes the
    /// training from, so with the experiments' code it decides the result), stored like every trial.
    pub fn unit<T: Serialize + DeserializeOwned>(
        &self,
        name: &str,
        item: &impl Serialize,
        run: impl FnOnce() -> Result<T, ClaimError>,
    ) -> Result<T, ClaimError> {
        let item = serde_json::json!({ "item": item, "scale": format!("{:?}", self.scale) });
        self.stored(&TrialSpec::unit(name, item, &self.device), name, run)
    }

    /// Trainings run so far.
    pub fn trained_count(&self) -> usize {
        self.counts.trained.load(Ordering::Relaxed)
    }

    /// Trials answered from the store so far.
    pub fn reused_count(&self) -> usize {
        self.counts.reused.load(Ordering::Relaxed)
    }

    /// Trials asked for so far, each time it was asked (a trial two claims share counts for both).
    pub fn asked_count(&self) -> usize {
        self.counts.asked.load(Ordering::Relaxed)
    }

    /// Distinct trials asked for so far (with a store).
    pub fn planned_count(&self) -> usize {
        lock(&self.counts.planned).len()
    }

    /// The keys of trials asked for but left to other shards (or missing from the store), in key order.
    pub fn missing(&self) -> Vec<String> {
        lock(&self.counts.missing).iter().cloned().collect()
    }

    /// Trains one config on prepared data with probes off, and returns its record (see [`Context::record`]).
    pub fn trial(&self, config: &TrainConfig, data: &Prepared) -> Result<RunRecord, ClaimError> {
        self.record(&config.clone().with_probe_every(0), data, "train")
    }

    /// The record of training `config` as it is (probes included) on prepared data, logged as `name`: from the
    /// store when a trial with the same spec (config, data, backend) finished before, else trained and stored the
    /// moment it ends.
    pub fn record(&self, config: &TrainConfig, data: &Prepared, name: &str) -> Result<RunRecord, ClaimError> {
        let spec = TrialSpec::training(config, data, &self.device);
        self.stored(&spec, name, || Ok(train(config, data, &self.device, &mut |_| {})?.record))
    }
}

/// A poisoned lock still holds a usable set (the panic that poisoned it is reported on its own).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Epochs to the target training accuracy, fractional (updates to it over updates per epoch, when the config
/// checks it between evaluations), or ∞ when not reached (never the budget).
pub fn epochs_to_target(record: &RunRecord) -> f64 {
    record.epochs_to_target().unwrap_or(f64::INFINITY)
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
    /// (rate, median final training loss over seeds) for every rate of the grid (∞: diverged).
    pub by_rate: Vec<(f64, f64)>,
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
                by_rate: (0..grid.len()).map(|r| (grid[r], key(r).1)).collect(),
            }
        })
        .collect())
}
