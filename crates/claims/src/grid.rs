//! Grid sweeps: any knobs of a training config as axes (activation × init × depth …), every cell trained on one
//! data set for each seed through the trial store, and a heatmap per metric.

use zoo_models::{ActivationKind, InitScheme};
use zoo_report::{Figure, Heatmap};
use zoo_train::{OptimizerKind, Prepared, RunRecord, TrainConfig, prepare};

use crate::finding::fmt;
use crate::harness::{Context, LR_GRID, final_loss, test_acc, tune};
use crate::runner::ClaimResult;
use crate::{ClaimError, Finding, Measure, Verdict};

/// The id of a grid's result (in claims.json and the report).
pub const GRID_ID: &str = "grid";

/// The knobs an axis may turn.
pub const KNOBS: [&str; 9] =
    ["activation", "init", "depth", "width", "lr", "batch-size", "optimizer", "epochs", "bias"];

/// A grid: a base config and its axes, in the order given (the first two span each heatmap; further axes give one
/// heatmap per combination of their values).
#[derive(Debug, Clone)]
pub struct GridSpec {
    /// The config every cell starts from.
    pub base: TrainConfig,
    /// `(knob, values)` per axis.
    pub axes: Vec<(String, Vec<String>)>,
    /// Tune each cell's learning rate over the CLAIMS.md grid (on training loss) instead of the base rate.
    pub tune_lr: bool,
}

/// `config` with `knob` set to `value`.
pub fn apply(config: &TrainConfig, knob: &str, value: &str) -> Result<TrainConfig, String> {
    let mut c = config.clone();
    let number = |v: &str| v.parse::<usize>().map_err(|_| format!("{knob}={v}: expected a whole number"));
    match knob {
        "activation" => c.model.activation = ActivationKind::parse(value).map_err(|e| e.to_string())?,
        "init" => c.model.init = InitScheme::parse(value).map_err(|e| e.to_string())?,
        "depth" => {
            let width = c.model.d_hidden.first().copied().unwrap_or(64);
            c.model.d_hidden = vec![width; number(value)?];
        }
        "width" => {
            let width = number(value)?;
            c.model.d_hidden.iter_mut().for_each(|w| *w = width);
        }
        "lr" => c.lr = value.parse().map_err(|_| format!("lr={value}: expected a number"))?,
        "batch-size" => c.batch_size = if value == "full" { None } else { Some(number(value)?) },
        "optimizer" => c.optimizer = value.parse::<OptimizerKind>().map_err(|e| e.to_string())?,
        "epochs" => c.epochs = number(value)?,
        "bias" => c.model.bias = value.parse().map_err(|_| format!("bias={value}: expected true or false"))?,
        other => return Err(format!("unknown grid knob `{other}`: expected one of {}", KNOBS.join(", "))),
    }
    Ok(c)
}

impl GridSpec {
    /// Parses `knob=v1,v2` axes over `base`; every cell's config is built and validated here, before any training.
    pub fn parse(base: TrainConfig, axes: &[String], tune_lr: bool) -> Result<Self, String> {
        let mut parsed: Vec<(String, Vec<String>)> = Vec::new();
        for axis in axes {
            let (knob, values) = axis
                .split_once('=')
                .ok_or_else(|| format!("grid axis `{axis}`: expected knob=v1,v2 (e.g. depth=2,5)"))?;
            let values: Vec<String> =
                values.split(',').map(|v| v.trim().to_string()).filter(|v| !v.is_empty()).collect();
            if values.is_empty() || parsed.iter().any(|(k, _)| k == knob) {
                return Err(format!("grid axis `{axis}`: give each knob once, with at least one value"));
            }
            parsed.push((knob.trim().to_string(), values));
        }
        let spec = Self { base, axes: parsed, tune_lr };
        let cells = spec.cells()?;
        if cells.len() > 10_000 {
            return Err(format!("the grid has {} cells; a grid sweep takes at most 10000", cells.len()));
        }
        for (name, config) in &cells {
            config.validate().map_err(|e| format!("grid cell {name}: {e}"))?;
        }
        Ok(spec)
    }

    /// Every cell: its name (`activation=relu init=he-normal depth=2`) and config, the last axis varying fastest.
    pub fn cells(&self) -> Result<Vec<(String, TrainConfig)>, String> {
        let mut cells = vec![(String::new(), self.base.clone())];
        for (knob, values) in &self.axes {
            let mut next = Vec::new();
            for (name, config) in &cells {
                for value in values {
                    let label = format!("{name}{}{knob}={value}", if name.is_empty() { "" } else { " " });
                    next.push((label, apply(config, knob, value)?));
                }
            }
            cells = next;
        }
        Ok(cells)
    }
}

/// The training accuracy "epochs to target" counts to.
const TARGET: f64 = 0.95;

/// The metrics of a cell's record: (name, log colour scale).
const METRICS: [(&str, bool); 4] = [
    ("test accuracy", false),
    ("epochs to 95 % training accuracy", false),
    ("rho_delta at init", true),
    ("dead fraction", false),
];

fn metric(record: &RunRecord, index: usize) -> f64 {
    let probes = |at: Option<&zoo_train::EpochMetrics>| at.and_then(|m| m.probes.clone()).unwrap_or_default();
    match index {
        0 => test_acc(record),
        // The first evaluated epoch at the target (the run itself does not stop there); ∞ when never.
        1 => record
            .epochs
            .iter()
            .find(|m| m.train_acc.is_some_and(|a| a >= TARGET))
            .map_or(f64::INFINITY, |m| m.epoch as f64),
        2 => {
            let at_init = probes(record.epochs.first());
            let hidden = &at_init[..at_init.len().saturating_sub(1)];
            match (hidden.first(), hidden.last()) {
                (Some(first), Some(last)) => first.delta_rms / last.delta_rms,
                _ => f64::NAN,
            }
        }
        _ => {
            let dead: Vec<f64> = probes(record.last()).iter().filter_map(|p| p.dead).collect();
            if dead.is_empty() { f64::NAN } else { dead.iter().sum::<f64>() / dead.len() as f64 }
        }
    }
}

/// Runs the grid: every cell × seed as a stored trial (probes at initialisation and at the end), then one measure
/// per cell and metric (median over seeds) and a heatmap per metric and combination of the axes after the first two.
pub fn run_grid(spec: &GridSpec, ctx: &Context) -> ClaimResult {
    let start = std::time::Instant::now();
    let before = ctx.asked_count();
    let finding =
        grid_finding(spec, ctx).unwrap_or_else(|e| Finding::new(false, "", vec![], &[]).inconclusive(e.to_string()));
    ClaimResult {
        id: GRID_ID.into(),
        lesson: format!("grid sweep on {}", spec.base.data.name()),
        experiment: spec
            .axes
            .iter()
            .map(|(k, v)| format!("{k} ∈ {{{}}}", v.join(", ")))
            .collect::<Vec<_>>()
            .join(" × "),
        threshold: "none: a grid measures, it does not judge".into(),
        anchor: String::new(),
        finding,
        seconds: start.elapsed().as_secs_f64(),
        trials: ctx.asked_count() - before,
    }
}

fn grid_finding(spec: &GridSpec, ctx: &Context) -> Result<Finding, ClaimError> {
    let seeds = ctx.seeds(5, 2);
    let cells = spec.cells().map_err(ClaimError::Grid)?;
    let data = |seed: u64| -> Result<Prepared, ClaimError> { Ok(prepare(&spec.base.clone().with_seed(seed))?) };
    let prepared: Vec<Prepared> = seeds.iter().map(|s| data(*s)).collect::<Result<_, _>>()?;
    let probed = |c: &TrainConfig| c.clone().with_probe_every(c.epochs.max(1));
    let mut rates = Vec::new();
    let configs: Vec<TrainConfig> = if spec.tune_lr {
        let arms: Vec<(String, TrainConfig)> = cells.clone();
        let by_seed = |seed: u64| prepared[seeds.iter().position(|s| *s == seed).unwrap_or(0)].clone();
        let tuned = tune(ctx, &arms, &LR_GRID, &seeds, &by_seed, final_loss)?;
        rates = tuned.iter().map(|t| t.rate.clone()).collect();
        cells.iter().zip(&tuned).map(|((_, c), t)| c.clone().with_lr(t.rate.lr)).collect()
    } else {
        cells.iter().map(|(_, c)| c.clone()).collect()
    };
    let trials: Vec<(usize, usize)> = (0..cells.len()).flat_map(|c| (0..seeds.len()).map(move |s| (c, s))).collect();
    let records = ctx.try_parallel(&trials, |(c, s)| {
        ctx.record(&probed(&configs[*c]).with_seed(seeds[*s]), &prepared[*s], "grid")
    })?;
    let n = seeds.len();
    let mut measured = Vec::new();
    for (m, (metric_name, _)) in METRICS.iter().enumerate() {
        for (c, (cell, _)) in cells.iter().enumerate() {
            let values = records[c * n..(c + 1) * n].iter().map(|r| metric(r, m)).collect();
            measured.push(Measure::new(format!("{metric_name} {cell}"), values));
        }
    }
    let figures = heatmaps(spec, &cells, &measured, &seeds);
    let best = measured[..cells.len()].iter().max_by(|a, b| a.median.total_cmp(&b.median));
    let reason = best.map_or(String::new(), |m| {
        format!(
            "{} cells × {n} seeds; best median test accuracy {} ({})",
            cells.len(),
            fmt(m.median),
            m.name.trim_start_matches("test accuracy ")
        )
    });
    let mut finding = Finding::new(true, reason, measured, &seeds).on(spec.base.data.name()).with_rates(rates);
    finding.verdict = Verdict::Inconclusive;
    finding.figures = figures;
    Ok(finding)
}

/// One heatmap per metric and combination of the values of the axes after the first two: the second axis up,
/// the first across (a one-axis grid is one row).
fn heatmaps(spec: &GridSpec, cells: &[(String, TrainConfig)], measured: &[Measure], seeds: &[u64]) -> Vec<Figure> {
    let axis = |i: usize| spec.axes.get(i).cloned().unwrap_or_else(|| (String::new(), vec![String::new()]));
    let ((x_knob, xs), (y_knob, ys)) = (axis(0), axis(1));
    let per_map = xs.len() * ys.len();
    let maps = cells.len() / per_map.max(1);
    let mut figures = Vec::new();
    for (m, (metric_name, log)) in METRICS.iter().enumerate() {
        for map in 0..maps {
            // Cells are ordered with the first axis slowest: cell (x, y, rest) = (x * ys + y) * maps + rest.
            let mut values = Vec::with_capacity(per_map);
            for y in 0..ys.len() {
                for x in 0..xs.len() {
                    values.push(measured[m * cells.len() + (x * ys.len() + y) * maps + map].median);
                }
            }
            let rest: Vec<&str> = cells[map].0.split(' ').skip(2).collect();
            let seeds_text = format!("median over {} seeds", seeds.len());
            figures.push(Figure::Heatmap(Heatmap {
                title: format!(
                    "{metric_name}{}{} ({seeds_text})",
                    if rest.is_empty() { "" } else { ", " },
                    rest.join(" ")
                ),
                x_label: x_knob.clone(),
                y_label: y_knob.clone(),
                x_ticks: xs.clone(),
                y_ticks: ys.clone(),
                values,
                value_label: metric_name.to_string(),
                log_color: *log,
                curve: None,
            }));
        }
    }
    figures
}
