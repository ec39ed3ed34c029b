//! Claim i3: gradient descent lowers the cost at every step when the learning rate is small enough — full-batch
//! descent through a [`Run`], the safe rate found from the top of the grid, then 10× it.

use burn::prelude::*;
use serde::{Deserialize, Serialize};
use zoo_datasets::DataSource;
use zoo_models::{ActivationKind, InitScheme, MlpConfig};
use zoo_report::Figure;
use zoo_train::{OptimizerKind, Run, TrainConfig};

use crate::data::prepared;
use crate::figures::{chart, line};
use crate::harness::{Context, LR_GRID};
use crate::{ChosenRate, Claim, ClaimError, Finding, Measure};

/// i3: monotone descent.
pub const I3: Claim = Claim {
    id: "i3",
    lesson: "Gradient descent lowers the cost at every step when the learning rate is small enough",
    experiment: "tanh 2-16-16-2 (Xavier-normal, gain 1) on moons, full-batch GD, 2000 steps, loss read at every step; the safe rate \
                 is the largest rate of the grid (scanned from the top) at which no seed's loss ever increases; then 10× that rate",
    threshold: "at the safe rate the loss never increases (f32, exactly) in any seed; at 10× it increases at some step \
                or diverges in every seed",
    anchor: "the descent lemma: L(θ − η∇L) ≤ L(θ) − η(1 − ηβ/2)‖∇L‖² for a β-smooth loss",
    run: i3,
};

fn i3(ctx: &Context) -> Result<Finding, ClaimError> {
    let seeds = ctx.seeds(5, 2);
    let steps = ctx.pick(2000, 300);
    let grid = ctx.pick(&LR_GRID[..], &LR_GRID[2..]);
    let n = seeds.len();
    let step_of = |d: &Descent| d.first_increase.map_or(f64::INFINITY, |s| s as f64);
    // From the largest rate down: the first rate with no increase in any seed is the safe one.
    let mut measured = Vec::new();
    let mut safe = None;
    for rate in grid.iter().rev() {
        let runs: Vec<Descent> = ctx.try_parallel(&seeds, |seed| descend(ctx, *rate, *seed, steps))?;
        measured.push(Measure::new(format!("first increase (step) lr {rate}"), runs.iter().map(step_of).collect()));
        if runs.iter().all(|d| d.first_increase.is_none()) {
            safe = Some((*rate, runs));
            break;
        }
    }
    let Some((lr, safe_runs)) = safe else {
        return Ok(Finding::new(false, String::new(), measured, &seeds)
            .on("moons")
            .inconclusive("no rate of the grid gave a monotone descent in every seed"));
    };
    let big: Vec<Descent> = ctx.try_parallel(&seeds, |seed| descend(ctx, 10.0 * lr, *seed, steps))?;
    let broken = big.iter().filter(|d| d.first_increase.is_some()).count();
    measured.push(Measure::new(format!("first increase (step) lr {}", 10.0 * lr), big.iter().map(step_of).collect()));
    let (first, last) = (
        Measure::new("", safe_runs.iter().map(|d| d.first).collect()),
        Measure::new("", safe_runs.iter().map(|d| d.last).collect()),
    );
    measured
        .push(Measure::new(format!("loss first − last lr {lr}"), safe_runs.iter().map(|d| d.first - d.last).collect()));
    let reason = format!(
        "safe rate {lr} (largest of the grid with no increase): loss {:.3} → {:.4} (median) in {steps} steps without \
         one increase in {n}/{n} seeds; at {}: increased or diverged in {broken}/{n} seeds (first at step {})",
        first.median,
        last.median,
        10.0 * lr,
        big.iter().filter_map(|d| d.first_increase).min().map_or("—".to_string(), |s| s.to_string()),
    );
    let index = grid.iter().position(|r| *r == lr).unwrap_or(0);
    let rate =
        ChosenRate { arm: "tanh 2-16-16-2 safe rate".into(), lr, at_grid_edge: index == 0 || index + 1 == grid.len() };
    let curve = |d: &Descent| d.losses.iter().enumerate().map(|(i, l)| ((i * d.every) as f64, *l)).collect();
    let figure = chart(
        &format!("full-batch descent, seed {}: the loss at the safe rate and at 10×", seeds[0]),
        "step",
        "training loss",
        (false, true),
        vec![line(format!("lr {lr} (safe)"), curve(&safe_runs[0])), line(format!("lr {}", 10.0 * lr), curve(&big[0]))],
    );
    Ok(Finding::new(broken == n, reason, measured, &seeds)
        .on("moons")
        .with_rates(vec![rate])
        .with_figures(vec![Figure::Lines(figure)]))
}

/// One full-batch descent, stopped at the first increase of the loss: that step (a divergence counts as one),
/// and the first and last loss.
#[derive(Serialize, Deserialize)]
struct Descent {
    first_increase: Option<usize>,
    #[serde(with = "zoo_train::float")]
    first: f64,
    #[serde(with = "zoo_train::float")]
    last: f64,
    /// The loss every `every` steps (for the figure).
    #[serde(with = "zoo_train::float::vec")]
    losses: Vec<f64>,
    every: usize,
}

/// [`full_batch_descent`], stored as a trial.
fn descend(ctx: &Context, lr: f64, seed: u64, steps: usize) -> Result<Descent, ClaimError> {
    ctx.unit("i3 descent", &(lr, seed, steps), || full_batch_descent(lr, seed, steps, &ctx.device))
}

fn full_batch_descent(lr: f64, seed: u64, steps: usize, device: &Device) -> Result<Descent, ClaimError> {
    let model =
        MlpConfig::new(2, vec![16, 16], 0).with_activation(ActivationKind::Tanh).with_init(InitScheme::XavierNormal);
    let config = TrainConfig::new(DataSource::Moons { n: 400, noise: 0.1 }, model)
        .with_seed(seed)
        .with_optimizer(OptimizerKind::Sgd)
        .with_lr(lr)
        .with_batch_size(None)
        .with_epochs(steps)
        .with_probe_every(0);
    let data = prepared(&config);
    let mut run = Run::new(&config, &data, device)?;
    let mut losses: Vec<f32> = Vec::with_capacity(steps);
    let mut first_increase = None;
    // One epoch is one full-batch update; the loss each update returns is the one before it.
    while let Some(batches) = run.next_epoch() {
        let (x, y) = run.batch(&batches[0]);
        let value = run.step(x, y).into_scalar::<f32>();
        let previous = losses.last().copied();
        losses.push(value);
        if !value.is_finite() || value > 1e4 || previous.is_some_and(|p| value > p) {
            first_increase = Some(losses.len() - 1);
            break;
        }
    }
    let every = (steps / 200).max(1);
    Ok(Descent {
        first_increase,
        first: losses.first().map_or(f64::NAN, |v| f64::from(*v)),
        last: losses.last().map_or(f64::NAN, |v| f64::from(*v)),
        losses: losses.iter().step_by(every).map(|v| f64::from(*v)).collect(),
        every,
    })
}
