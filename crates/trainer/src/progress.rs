//! Progress while training (a bar on a terminal, plain lines otherwise) and the closing results table.

use std::io::{IsTerminal, Write};

use indicatif::{ProgressBar, ProgressStyle};
use zoo_train::{EpochMetrics, RunRecord, Status};

/// Writes one line to stderr; a closed or full stderr (`2>/dev/full`) must not stop a run, so errors are dropped.
pub fn note(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// How progress is shown: a bar, plain lines on stderr, or nothing.
pub enum Progress {
    /// An indicatif bar (stderr is a terminal).
    Bar(ProgressBar),
    /// One line per epoch on stderr (not a terminal).
    Lines,
    /// Nothing (`--quiet`).
    Silent,
}

impl Progress {
    /// The right kind for this terminal and `--quiet`; progress always goes to stderr, so `--json` output stays clean.
    pub fn new(epochs: usize, quiet: bool) -> Self {
        if quiet {
            return Self::Silent;
        }
        if !std::io::stderr().is_terminal() {
            return Self::Lines;
        }
        let bar = ProgressBar::new(epochs as u64);
        let style = ProgressStyle::with_template("{bar:30} {pos}/{len} epochs {msg} [{elapsed}]")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        Self::Bar(bar)
    }

    /// Announces the run.
    pub fn start(&self, message: &str) {
        if !matches!(self, Self::Silent) {
            note(message);
        }
    }

    /// Reports one epoch.
    pub fn epoch(&mut self, metrics: &EpochMetrics) {
        let line = epoch_line(metrics);
        match self {
            Self::Bar(bar) => {
                bar.set_position(metrics.epoch as u64);
                bar.set_message(line);
            }
            Self::Lines => note(&format!("epoch {:>4}  {line}", metrics.epoch)),
            Self::Silent => {}
        }
    }

    /// Ends the bar.
    pub fn finish(&self) {
        if let Self::Bar(bar) = self {
            bar.finish();
        }
    }
}

fn epoch_line(m: &EpochMetrics) -> String {
    let acc = |a: Option<f64>| a.map_or(String::new(), |a| format!(" acc {:.1}%", 100.0 * a));
    format!("loss {:.4}{} | test loss {:.4}{}", m.train_loss, acc(m.train_acc), m.test_loss, acc(m.test_acc))
}

/// The short results table printed after training.
pub fn summary(record: &RunRecord) -> String {
    let Some(last) = record.last() else { return String::new() };
    let pct = |a: Option<f64>| a.map_or("-".to_string(), |a| format!("{:.2} %", 100.0 * a));
    let status = match record.status {
        Status::Completed | Status::Running => format!("completed {} epochs", last.epoch),
        Status::ReachedTarget { epoch } => format!("reached the target accuracy at epoch {epoch}"),
        Status::Diverged { epoch } => {
            format!("DIVERGED at epoch {epoch} (loss {}): lower the learning rate", last.train_loss)
        }
    };
    let mut out = format!(
        "\n{} on {} ({} parameters, {}): {status}\n",
        record.model_name,
        record.dataset,
        record.num_params,
        record.backend.name()
    );
    out += "          loss      accuracy\n";
    out += &format!("  train   {:<9.4} {}\n", last.train_loss, pct(last.train_acc));
    out += &format!("  test    {:<9.4} {}\n", last.test_loss, pct(last.test_acc));
    out += &format!("  time    {:.2} s\n", record.wall_seconds);
    out
}

/// Progress of a sweep: on a terminal a bar over the trials (done of the total a finished pass counted, reused,
/// ETA) with the claims' lines above it; off a terminal the claims' lines only.
pub struct SweepProgress {
    bar: Option<ProgressBar>,
    quiet: bool,
}

impl SweepProgress {
    /// A bar out of `expected` trials (a spinner with counts when unknown); lines only off a terminal; nothing
    /// when `quiet`.
    pub fn new(expected: Option<usize>, quiet: bool) -> Self {
        if quiet || !std::io::stderr().is_terminal() {
            return Self { bar: None, quiet };
        }
        let (bar, template) = match expected {
            Some(total) => {
                (ProgressBar::new(total as u64), "{bar:30} {pos}/{len} trials, {msg} [{elapsed} elapsed, ETA {eta}]")
            }
            None => (ProgressBar::new_spinner(), "{spinner} {pos} trials, {msg} [{elapsed}]"),
        };
        bar.set_style(ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()));
        Self { bar: Some(bar), quiet }
    }

    /// Runs `work`, refreshing the bar from `ctx`'s counters four times a second until it returns.
    pub fn watch<T>(&self, ctx: &zoo_claims::Context, work: impl FnOnce() -> T) -> T {
        let Some(bar) = &self.bar else { return work() };
        let done = std::sync::atomic::AtomicBool::new(false);
        let result = std::thread::scope(|scope| {
            scope.spawn(|| {
                while !done.load(std::sync::atomic::Ordering::Relaxed) {
                    let (trained, reused) = (ctx.trained_count(), ctx.reused_count());
                    bar.set_message(format!("{trained} trained, {reused} reused"));
                    if let Some(length) = bar.length() {
                        bar.set_length(length.max((trained + reused) as u64));
                    }
                    bar.set_position((trained + reused) as u64);
                    std::thread::sleep(std::time::Duration::from_millis(250));
                }
            });
            let result = work();
            done.store(true, std::sync::atomic::Ordering::Relaxed);
            result
        });
        bar.finish_and_clear();
        result
    }

    /// A line above the bar (or on stderr; nothing when quiet).
    pub fn line(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.println(line),
            None if !self.quiet => note(line),
            None => {}
        }
    }
}
