//! Section (e), claim e2: a too-high learning rate kills ReLU units during training. Every seed is pushed to its
//! own largest healthy rate (finite loss at every epoch, training accuracy ≥ 95 %) on a √2-spaced grid, and the
//! share of dead hidden units there is compared with the share at lr 0.1.

use burn::prelude::*;
use zoo_datasets::DataSource;
use zoo_models::{ActivationKind, InitScheme, Mlp, MlpConfig};
use zoo_report::{Figure, Line, Style};
use zoo_train::{DeviceSet, OptimizerKind, Prepared, Status, TrainConfig, dead_fraction, host, train};

use crate::data::prepared;
use crate::figures::{chart, line};
use crate::harness::Context;
use crate::{ChosenRate, Claim, ClaimError, Finding, Floats, Measure, fmt};

/// e2: killed by a large learning rate.
pub const E2: Claim = Claim {
    id: "e2",
    lesson: "A too-high learning rate kills ReLU units during training",
    experiment: "ReLU 3×64 (He) on moons (400, noise 0.1), plain SGD minibatch 16, 50 epochs evaluated every epoch \
                 (a NaN/∞ or > 1e4 training loss ends the run as diverged), lr on the √2-spaced grid 0.01·2^(k/2) ≤ 3 \
                 (0.01 … 2.56; quick: every other rate) plus the reference lr 0.1; per seed its largest healthy rate \
                 (not diverged, final training accuracy ≥ 95 %); dead = pre-activation ≤ 0 on every training example, \
                 share of the 192 hidden units",
    threshold: "the median over seeds of the dead fraction at each seed's largest healthy rate is ≥ 0.20 and ≥ 3 × the \
                median dead fraction at lr 0.1",
    anchor: "CS231n: \"as much as 40 % of your network can be dead\" with a too-high learning rate",
    run: e2,
};

/// The reference rate the claim compares with.
const REFERENCE: f64 = 0.1;

/// The rates: 0.01·2^(k/2) up to 3 (every other one at quick scale) and [`REFERENCE`], ascending.
fn rates(ctx: &Context) -> Vec<f64> {
    let step = ctx.pick(1, 2);
    let mut rates: Vec<f64> =
        (0..).step_by(step).map(|k| 0.01 * 2f64.powf(f64::from(k) / 2.0)).take_while(|lr| *lr <= 3.0).collect();
    rates.push(REFERENCE);
    rates.sort_by(f64::total_cmp);
    rates
}

/// One training run: whether it is healthy, its training accuracy and its dead share (NaN when diverged).
#[derive(Debug, Clone, Copy)]
struct Outcome {
    healthy: bool,
    train_acc: f64,
    dead: f64,
}

fn e2(ctx: &Context) -> Result<Finding, ClaimError> {
    let seeds = ctx.seeds(10, 3);
    let epochs = 50;
    let rates = rates(ctx);
    let base = TrainConfig::new(
        DataSource::Moons { n: 400, noise: 0.1 },
        MlpConfig::new(2, vec![64; 3], 0).with_activation(ActivationKind::Relu).with_init(InitScheme::HeNormal),
    )
    .with_optimizer(OptimizerKind::Sgd)
    .with_batch_size(Some(16))
    .with_epochs(epochs)
    .with_eval_every(1)
    .with_probe_every(0);
    let data: Vec<Prepared> = seeds.iter().map(|s| prepared(&base.clone().with_seed(*s))).collect();
    let trials: Vec<(usize, usize)> = (0..seeds.len()).flat_map(|s| (0..rates.len()).map(move |r| (s, r))).collect();
    let runs: Vec<Outcome> = ctx.try_parallel(&trials, |(s, r)| {
        let config = base.clone().with_lr(rates[*r]).with_seed(seeds[*s]);
        // [diverged (1 or 0), final training accuracy, dead share]: a diverged network's dead share means nothing
        // (its weights may be NaN), recorded as NaN.
        let outcome: Floats = ctx.unit("e2 dead share, every epoch checked", &config, || {
            let trained = train(&config, &data[*s], &ctx.device, &mut |_| {})?;
            let last = trained.record.last();
            let diverged = matches!(trained.record.status, Status::Diverged { .. })
                || last.is_none_or(|m| !m.train_loss.is_finite());
            let acc = last.and_then(|m| m.train_acc).unwrap_or(0.0);
            let dead = if diverged { f64::NAN } else { dead_share(&trained.model, &data[*s], &ctx.device) };
            Ok(Floats(vec![f64::from(u8::from(diverged)), acc, dead]))
        })?;
        let [diverged, train_acc, dead] = outcome.0[..] else { return Err(ClaimError::NoMeasure("e2 outcome".into())) };
        Ok(Outcome { healthy: diverged == 0.0 && train_acc >= 0.95, train_acc, dead })
    })?;
    let k = rates.len();
    let of_seed = |s: usize| &runs[s * k..(s + 1) * k];
    let mut measured: Vec<Measure> = rates
        .iter()
        .enumerate()
        .map(|(r, lr)| {
            Measure::new(
                format!("dead fraction lr {}", fmt(*lr)),
                (0..seeds.len()).map(|s| of_seed(s)[r].dead).collect(),
            )
        })
        .collect();
    let healthy_count: Vec<usize> =
        (0..k).map(|r| (0..seeds.len()).filter(|s| of_seed(*s)[r].healthy).count()).collect();
    // Per seed: the index of its largest healthy rate.
    let top: Vec<Option<usize>> = (0..seeds.len()).map(|s| (0..k).rev().find(|r| of_seed(s)[*r].healthy)).collect();
    let at_top = Measure::new(
        "dead fraction at the largest healthy rate",
        top.iter().enumerate().map(|(s, r)| r.map_or(f64::NAN, |r| of_seed(s)[r].dead)).collect(),
    );
    let top_rate = Measure::new("largest healthy rate", top.iter().map(|r| r.map_or(f64::NAN, |r| rates[r])).collect());
    let reference = rates.iter().position(|lr| *lr == REFERENCE).unwrap_or(0);
    let at_reference = measured[reference].clone();
    let acc_reference =
        Measure::new("training accuracy lr 0.1", (0..seeds.len()).map(|s| of_seed(s)[reference].train_acc).collect());
    let holds = at_top.median >= 0.20 && at_top.median >= 3.0 * at_reference.median;
    let table: Vec<String> = rates
        .iter()
        .zip(&measured)
        .zip(&healthy_count)
        .map(|((lr, m), h)| format!("{} → {} ({h}/{} healthy)", fmt(*lr), fmt(m.median), seeds.len()))
        .collect();
    let reason = format!(
        "median dead fraction at each seed's largest healthy rate {} (seeds' rates {}–{}, dead {}–{}) vs {} at lr 0.1 \
         (×{}); median dead fraction per rate: {}",
        fmt(at_top.median),
        fmt(top_rate.min),
        fmt(top_rate.max),
        fmt(at_top.min),
        fmt(at_top.max),
        fmt(at_reference.median),
        fmt(at_top.median / at_reference.median),
        table.join(", ")
    );
    let figure = dead_figure(&rates, &seeds, &runs);
    let rate = ChosenRate {
        arm: "relu 3x64, largest healthy (median over seeds)".into(),
        lr: top_rate.median,
        at_grid_edge: top.iter().any(|r| *r == Some(k - 1)),
    };
    measured.extend([
        at_top,
        top_rate,
        acc_reference,
        Measure::new(
            "healthy rates per seed",
            (0..seeds.len()).map(|s| of_seed(s).iter().filter(|o| o.healthy).count() as f64).collect(),
        ),
    ]);
    let finding = Finding::new(holds, reason.clone(), measured, &seeds)
        .on("moons")
        .with_rates(vec![rate])
        .with_figures(vec![figure]);
    Ok(if top.iter().any(Option::is_none) {
        finding.inconclusive(format!("a seed has no healthy rate: {reason}"))
    } else {
        finding
    })
}

/// Dead fraction against the rate, one line per seed (a diverged run drawn as ×), healthy runs as dots and every
/// seed's largest healthy rate as a second series of dots.
fn dead_figure(rates: &[f64], seeds: &[u64], runs: &[Outcome]) -> Figure {
    let k = rates.len();
    let mut lines: Vec<Line> = seeds
        .iter()
        .enumerate()
        .map(|(s, seed)| {
            // One legend entry for all the seeds' lines: ten entries would cover the plot.
            line(
                if s == 0 { format!("one line per seed ({} seeds from {seed})", seeds.len()) } else { String::new() },
                rates.iter().zip(&runs[s * k..(s + 1) * k]).map(|(lr, o)| (*lr, o.dead)).collect(),
            )
        })
        .collect();
    let healthy = runs.iter().enumerate().filter(|(_, o)| o.healthy).map(|(i, o)| (rates[i % k], o.dead)).collect();
    let largest = (0..seeds.len())
        .filter_map(|s| (0..k).rev().find(|r| runs[s * k + r].healthy).map(|r| (rates[r], runs[s * k + r].dead)))
        .collect();
    lines.push(Line {
        name: "healthy (finite loss, training accuracy ≥ 95 %)".into(),
        points: healthy,
        style: Style::Dots,
    });
    lines.push(Line { name: "each seed's largest healthy rate".into(), points: largest, style: Style::Dots });
    Figure::Lines(chart(
        "ReLU 3×64 on moons: share of dead hidden units after 50 epochs of SGD",
        "learning rate",
        "dead fraction",
        (true, false),
        lines,
    ))
}

/// Share of hidden units whose pre-activation is ≤ 0 on every training example.
fn dead_share(model: &Mlp, data: &Prepared, device: &Device) -> f64 {
    let set = DeviceSet::new(&data.split.train, device);
    let trace = model.forward_traced(set.x);
    let hidden = &trace.z[..trace.z.len() - 1];
    let total: f64 = hidden.iter().map(|z| dead_fraction(&host(z.clone()), z.dims()[1]) * z.dims()[1] as f64).sum();
    total / hidden.iter().map(|z| z.dims()[1]).sum::<usize>() as f64
}
