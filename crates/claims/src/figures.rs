//! The figures experiments attach to their findings: line charts per layer or per epoch, loss against learning
//! rate for every tuned arm, loss curves with epochs-to-target marked, decision boundaries of trained nets.

use zoo_datasets::Labels;
use zoo_report::{Axis, Boundaries, Boundary, Figure, Line, LineFigure, Mark, Style};
use zoo_train::{ClassGrid, Prepared, RunRecord, TrainConfig, class_grid, plane_of, train};

use crate::harness::{Context, Tuned, epochs_to_target};
use crate::{ClaimError, Measure};

/// A solid line named `name` through `points`.
pub fn line(name: impl Into<String>, points: Vec<(f64, f64)>) -> Line {
    Line { name: name.into(), points, style: Style::Solid }
}

/// A dashed reference line.
pub fn reference(name: impl Into<String>, points: Vec<(f64, f64)>) -> Line {
    Line { name: name.into(), points, style: Style::Dashed }
}

/// A line figure; `log` = (x on a log scale, y on a log scale).
pub fn chart(title: &str, x_label: &str, y_label: &str, log: (bool, bool), lines: Vec<Line>) -> LineFigure {
    let axis = |log: bool| if log { Axis::Log } else { Axis::Linear };
    LineFigure {
        title: title.into(),
        x_label: x_label.into(),
        y_label: y_label.into(),
        x_axis: axis(log.0),
        y_axis: axis(log.1),
        lines,
        marks: Vec::new(),
        band: None,
    }
}

/// The medians of `measures` against layer 1, 2, … (one point per measure).
pub fn per_layer(measures: &[Measure]) -> Vec<(f64, f64)> {
    measures.iter().enumerate().map(|(l, m)| ((l + 1) as f64, m.median)).collect()
}

/// Median final training loss against learning rate for every tuned arm (log–log, diverged rates as ×), the
/// chosen rates as dots.
pub fn tuning(title: &str, tuned: &[Tuned]) -> Figure {
    let mut lines: Vec<Line> =
        tuned.iter().map(|t| line(format!("{} (lr {})", t.arm, t.rate.lr), t.by_rate.clone())).collect();
    let chosen = tuned.iter().filter_map(|t| t.by_rate.iter().find(|(lr, _)| *lr == t.rate.lr).copied()).collect();
    lines.push(Line { name: "chosen rate".into(), points: chosen, style: Style::Dots });
    Figure::Lines(chart(title, "learning rate", "median final training loss", (true, true), lines))
}

/// Median training loss per epoch of every tuned arm at its chosen rate, with each arm's median epochs-to-target
/// marked.
pub fn loss_curves(title: &str, tuned: &[Tuned]) -> Figure {
    let median_curve = |records: &[RunRecord]| -> Vec<(f64, f64)> {
        let epochs = records.iter().map(|r| r.epochs.len()).max().unwrap_or(0);
        (0..epochs)
            .filter_map(|e| {
                let at: Vec<f64> = records.iter().filter_map(|r| r.epochs.get(e)).map(|m| m.train_loss).collect();
                let epoch = records.iter().find_map(|r| r.epochs.get(e)).map(|m| m.epoch as f64)?;
                Some((epoch, Measure::new("", at).median))
            })
            .collect()
    };
    let lines = tuned.iter().map(|t| line(t.arm.clone(), median_curve(&t.records))).collect();
    let mut figure = chart(title, "epoch", "median training loss", (false, true), lines);
    figure.marks = tuned
        .iter()
        .filter_map(|t| {
            let reached = t.measure("", epochs_to_target).median;
            reached.is_finite().then(|| Mark { x: reached, label: format!("{} reaches target", t.arm) })
        })
        .collect();
    Figure::Lines(figure)
}

/// Trains `config` on `data` (stored as a trial) and returns its predicted classes over the plane of `data`.
pub fn trained_plane(ctx: &Context, config: &TrainConfig, data: &Prepared) -> Result<ClassGrid, ClaimError> {
    ctx.unit("decision boundary", config, || {
        let trained = train(config, data, &ctx.device, &mut |_| {})?;
        Ok(class_grid(&trained.model, plane_of(&data.split.train), 60, &ctx.device))
    })
}

/// Decision boundaries side by side: one panel per `(title, grid)`, over the training examples of `data`.
pub fn boundaries(title: &str, data: &Prepared, panels: Vec<(String, ClassGrid)>) -> Figure {
    let train = &data.split.train;
    let points: Vec<(f64, f64, u32)> = match &train.labels {
        Labels::Classes { y, .. } => {
            (0..train.len()).map(|i| (f64::from(train.row(i)[0]), f64::from(train.row(i)[1]), y[i])).collect()
        }
        Labels::Values { .. } => Vec::new(),
    };
    Figure::Boundaries(Boundaries {
        title: title.into(),
        panels: panels
            .into_iter()
            .map(|(title, grid)| Boundary {
                title,
                x: grid.x,
                y: grid.y,
                resolution: grid.n,
                cells: grid.cells,
                points: points.clone(),
            })
            .collect(),
    })
}

/// Every seed's value of each of `measures` (one dotted series per measure) against the seed: the spread of a
/// measurement that has no curve. On a log axis exact zeros cannot be placed: they are left out and the title
/// says so (a non-finite value is still drawn as diverged).
pub fn per_seed(title: &str, y_label: &str, measures: &[&Measure], seeds: &[u64], log_y: bool) -> Figure {
    let placed = |v: f64| !(log_y && v <= 0.0);
    let zeros = measures.iter().flat_map(|m| &m.per_seed).filter(|v| !placed(**v)).count();
    let lines = measures
        .iter()
        .map(|m| Line {
            name: m.name.clone(),
            points: seeds.iter().zip(&m.per_seed).filter(|(_, v)| placed(**v)).map(|(s, v)| (*s as f64, *v)).collect(),
            style: Style::Dots,
        })
        .collect();
    let title = if zeros > 0 { format!("{title} ({zeros} exact zeros not drawn)") } else { title.to_string() };
    Figure::Lines(chart(&title, "seed", y_label, (false, log_y), lines))
}
