//! Section (b), claim b3: during training the top sigmoid layer saturates at 0 early while the lower layers stay
//! near ½, and the sigmoid net ends with a higher test error than tanh with Xavier's init (Glorot & Bengio 2010).

use burn::prelude::*;
use zoo_datasets::DataSource;
use zoo_models::{ActivationKind, InitScheme, MlpConfig};
use zoo_report::{Figure, Mark};
use zoo_train::{OptimizerKind, Prepared, Run, TrainConfig, host, mean};

use crate::data::prepared;
use crate::figures::{chart, line, reference, tuning};
use crate::harness::{Context, LR_GRID, final_loss, test_acc, tune};
use crate::{Claim, ClaimError, Finding, Floats, Measure};

/// b3: during training (exploratory).
pub const B3: Claim = Claim {
    id: "b3",
    lesson: "During training the top sigmoid layer saturates at 0 early and the sigmoid net ends worse than tanh",
    experiment: "digits (8×8), 5 hidden layers of 128, plain SGD minibatch 10, 20 epochs (quick: 10): sigmoid with \
                 U[±1/√n] vs tanh with Xavier-uniform (gain 1), lr tuned per arm over the whole grid 0.003–10 on the final \
                 training loss (quick: 0.1–1); at the sigmoid's rate, the mean activation of every hidden layer on 300 \
                 fixed test examples every 10 updates; test error measured once at each arm's rate (Fashion-MNIST not \
                 used)",
    threshold: "exploratory: in ≥ 7 of 10 seeds the top sigmoid layer's mean falls below 0.1 within the first 10 epochs' \
                worth of updates while layers 1–4 are all in [0.4, 0.6] at that point, and sigmoid's final test error \
                exceeds tanh's by ≥ 1 point in ≥ 7 of 10 seeds",
    anchor: "Glorot & Bengio 2010, Fig. 2 and Table 1 (Shapeset test error 82.61 % sigmoid vs 15.60 % tanh with \
             normalised init; MNIST 2.21 % vs 1.64 %); an independent CIFAR-10 replication confirmed the sigmoid \
             result but not the tanh one",
    run: b3,
};

/// Updates between two activation logs.
const LOG_EVERY: usize = 10;

/// The window, in epochs, within which the top layer must saturate.
const EARLY_EPOCHS: usize = 10;

fn b3(ctx: &Context) -> Result<Finding, ClaimError> {
    let seeds = ctx.seeds(10, 2);
    let epochs = ctx.pick(20, 10);
    let base = |activation, init| {
        let model = MlpConfig::new(64, vec![128; 5], 0).with_activation(activation).with_init(init);
        TrainConfig::new(DataSource::Digits, model)
            .with_optimizer(OptimizerKind::Sgd)
            .with_batch_size(Some(10))
            .with_epochs(epochs)
            .with_eval_every(epochs)
            .with_probe_every(0)
    };
    let arms = vec![
        ("sigmoid+glorot-standard".to_string(), base(ActivationKind::Sigmoid, InitScheme::GlorotStandard)),
        ("tanh+xavier".to_string(), base(ActivationKind::Tanh, InitScheme::XavierUniform)),
    ];
    let grid = ctx.pick(&LR_GRID[..], &LR_GRID[3..6]);
    let data = |seed| prepared(&arms[0].1.clone().with_seed(seed));
    let tuned = tune(ctx, &arms, grid, &seeds, &data, final_loss)?;
    let error = |t: usize| tuned[t].measure("test error", |r| 1.0 - test_acc(r));
    let (sigmoid, tanh) = (error(0), error(1));
    let rates: Vec<_> = tuned.iter().map(|t| t.rate.clone()).collect();
    // The sigmoid arm again at its chosen rate, logging the mean activation of every hidden layer.
    let sigmoid_config = arms[0].1.clone().with_lr(tuned[0].rate.lr);
    let logs: Vec<Vec<Floats>> = ctx.try_parallel(&seeds, |seed| {
        let config = sigmoid_config.clone().with_seed(*seed);
        let item = (&config, LOG_EVERY);
        ctx.unit("b3 activation log", &item, || activation_log(&config, &data(*seed), &ctx.device))
    })?;
    let per_epoch = data(seeds[0]).split.train.len().div_ceil(10);
    let early = EARLY_EPOCHS * per_epoch;
    let crossings: Vec<Option<&Floats>> = logs.iter().map(|log| first_crossing(log, early)).collect();
    let n = seeds.len();
    let in_band = |point: &Floats| point.0[1..5].iter().all(|m| (0.4..=0.6).contains(m));
    let top_low = crossings.iter().flatten().count();
    let saturating = crossings.iter().flatten().filter(|p| in_band(p)).count();
    let worse = sigmoid.per_seed.iter().zip(&tanh.per_seed).filter(|(s, t)| **s - **t >= 0.01).count();
    let holds = saturating * 10 >= 7 * n && worse * 10 >= 7 * n;
    let lowest_top = Measure::new(
        "sigmoid top-layer lowest mean within 10 epochs",
        logs.iter()
            .map(|log| log.iter().filter(|p| p.0[0] <= early as f64).map(|p| p.0[5]).fold(f64::INFINITY, f64::min))
            .collect(),
    );
    let at = Measure::new(
        "sigmoid epoch the top-layer mean first falls below 0.1",
        crossings.iter().map(|p| p.map_or(f64::INFINITY, |p| p.0[0] / per_epoch as f64)).collect(),
    );
    let (lower_lo, lower_hi) = crossings
        .iter()
        .flatten()
        .flat_map(|p| &p.0[1..5])
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), m| (lo.min(*m), hi.max(*m)));
    let lower = if top_low == 0 {
        "no crossing to judge layers 1–4 at".to_string()
    } else {
        format!("layers 1–4 then {lower_lo:.3}–{lower_hi:.3}, all in [0.4, 0.6] in {saturating}/{n}")
    };
    let reason = format!(
        "top sigmoid layer mean < 0.1 within {EARLY_EPOCHS} epochs ({early} updates) in {top_low}/{n} seeds (median \
         lowest {:.3}, median epoch of the crossing {}); {lower}; test error sigmoid {:.1} % vs tanh {:.1} % \
         (median), sigmoid worse by ≥ 1 point in {worse}/{n} seeds",
        lowest_top.median,
        crate::finding::fmt(at.median),
        100.0 * sigmoid.median,
        100.0 * tanh.median
    );
    let mut measured = vec![sigmoid, tanh, lowest_top, at];
    measured.extend((0..5).map(|l| {
        Measure::new(
            format!("sigmoid final mean activation layer {}", l + 1),
            logs.iter().map(|log| log.last().map_or(f64::NAN, |p| p.0[l + 1])).collect(),
        )
    }));
    let figures = vec![mean_figure(&logs, early), tuning("digits: final training loss against learning rate", &tuned)];
    let finding =
        Finding::new(holds, reason.clone(), measured, &seeds).on("digits").with_rates(rates).with_figures(figures);
    Ok(if finding.measure("test error tanh+xavier").is_none_or(|m| m.median > 0.5) {
        finding.inconclusive(format!("the tanh reference did not train: {reason}"))
    } else {
        finding
    })
}

/// The first logged point after the start, within `early` updates, where the top layer's mean is below 0.1.
fn first_crossing(log: &[Floats], early: usize) -> Option<&Floats> {
    log.iter().skip(1).take_while(|p| p.0[0] <= early as f64).find(|p| p.0[5] < 0.1)
}

/// Mean activation of every layer against the update (median over seeds), the lower layers' band [0.4, 0.6]
/// shaded, the top layer's threshold 0.1 dashed, the end of the early window marked.
fn mean_figure(logs: &[Vec<Floats>], early: usize) -> Figure {
    let points = logs.iter().map(Vec::len).min().unwrap_or(0);
    let update = |i: usize| logs.first().map_or(0.0, |log| log[i].0[0]);
    let layer_curve = |l: usize| -> Vec<(f64, f64)> {
        (0..points)
            .map(|i| (update(i), Measure::new("", logs.iter().map(|log| log[i].0[l + 1]).collect()).median))
            .collect()
    };
    let mut lines: Vec<_> = (0..5).map(|l| line(format!("layer {}", l + 1), layer_curve(l))).collect();
    let last = if points > 0 { update(points - 1) } else { 0.0 };
    lines.push(reference("0.1: the top layer's threshold", vec![(0.0, 0.1), (last, 0.1)]));
    let mut figure = chart(
        "sigmoid net on digits: mean activation per layer every 10 updates (median over seeds); band: [0.4, 0.6]",
        "update",
        "mean activation (300 test examples)",
        (false, false),
        lines,
    );
    figure.band = Some((0.4, 0.6));
    figure.marks = vec![Mark { x: early as f64, label: format!("{EARLY_EPOCHS} epochs") }];
    Figure::Lines(figure)
}

/// Trains `config` through a [`Run`] (the updates of `zoo_train::train`) and returns, before the first update and
/// every [`LOG_EVERY`] updates, `[update, mean of hidden layer 1, …, mean of layer 5]` on the first 300 test
/// examples.
fn activation_log(config: &TrainConfig, data: &Prepared, device: &Device) -> Result<Vec<Floats>, ClaimError> {
    let mut run = Run::new(config, data, device)?;
    let (probe, _) = run.test_set().range(0, run.test_set().len.min(300));
    let means = |run: &Run| {
        let trace = run.model().valid().forward_traced(probe.clone());
        let hidden = trace.a[..trace.a.len() - 1].iter().map(|a| mean(&host(a.clone())));
        Floats(std::iter::once(run.updates() as f64).chain(hidden).collect())
    };
    let mut log = vec![means(&run)];
    while let Some(batches) = run.next_epoch() {
        for batch in batches {
            let (x, y) = run.batch(&batch);
            run.step(x, y);
            if run.updates().is_multiple_of(LOG_EVERY) {
                log.push(means(&run));
            }
        }
    }
    Ok(log)
}
