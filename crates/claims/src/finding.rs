//! What an experiment found: measured numbers across seeds, chosen learning rates, and a verdict with its reason.

use serde::{Deserialize, Serialize};

/// Whether the lesson's claim reproduced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Every threshold met.
    Holds,
    /// A threshold missed: the numbers say the claim does not reproduce here.
    Fails,
    /// The experiment could not decide (for example: the reference arm itself did not train).
    Inconclusive,
}

impl Verdict {
    /// `HOLDS`, `FAILS` or `INCONCLUSIVE`: the word tables and reports show.
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Holds => "HOLDS",
            Verdict::Fails => "FAILS",
            Verdict::Inconclusive => "INCONCLUSIVE",
        }
    }
}

/// One measured quantity across seeds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measure {
    /// What was measured (`rho_delta sigmoid+xavier`).
    pub name: String,
    /// Median over seeds (∞ for "not reached" counts as larger than any number).
    #[serde(with = "zoo_train::float")]
    pub median: f64,
    /// Smallest value.
    #[serde(with = "zoo_train::float")]
    pub min: f64,
    /// Largest value.
    #[serde(with = "zoo_train::float")]
    pub max: f64,
    /// The value for every seed, in seed order (non-finite values written as `"inf"`, `"NaN"`).
    #[serde(with = "zoo_train::float::vec")]
    pub per_seed: Vec<f64>,
}

/// Numbers stored exactly, NaN and ±∞ included: the result type of an experiment's own trainings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Floats(#[serde(with = "zoo_train::float::vec")] pub Vec<f64>);

/// The learning rate tuned for one arm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChosenRate {
    /// The arm (activation/init/bias setting).
    pub arm: String,
    /// The best rate of the grid.
    pub lr: f64,
    /// The best rate is the smallest or largest of the grid: the true optimum may lie outside it.
    pub at_grid_edge: bool,
}

/// The outcome of one experiment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Holds, fails or inconclusive.
    pub verdict: Verdict,
    /// Why, in one sentence with the deciding numbers.
    pub reason: String,
    /// Every quantity measured.
    pub measured: Vec<Measure>,
    /// Per-arm tuned learning rates (training experiments).
    pub learning_rates: Vec<ChosenRate>,
    /// The data set used.
    pub dataset: Option<String>,
    /// `f32` or `f64`.
    pub precision: String,
    /// The seeds used.
    pub seeds: Vec<u64>,
    /// Pictures of what was measured, for the report (drawn from the same numbers; not written to claims.json).
    #[serde(skip)]
    pub figures: Vec<zoo_report::Figure>,
}

impl Measure {
    /// Summarises per-seed values (NaN sorts as +∞).
    pub fn new(name: impl Into<String>, per_seed: Vec<f64>) -> Self {
        let mut sorted: Vec<f64> = per_seed.iter().map(|v| if v.is_nan() { f64::INFINITY } else { *v }).collect();
        sorted.sort_by(f64::total_cmp);
        let median = match sorted.len() {
            0 => f64::NAN,
            n if n % 2 == 1 => sorted[n / 2],
            n => {
                let (a, b) = (sorted[n / 2 - 1], sorted[n / 2]);
                if a.is_infinite() || b.is_infinite() { b } else { (a + b) / 2.0 }
            }
        };
        Self {
            name: name.into(),
            median,
            min: sorted.first().copied().unwrap_or(f64::NAN),
            max: sorted.last().copied().unwrap_or(f64::NAN),
            per_seed,
        }
    }

    /// How many seeds satisfy `test`.
    pub fn count(&self, test: impl Fn(f64) -> bool) -> usize {
        self.per_seed.iter().filter(|v| test(**v)).count()
    }

    /// Whether every seed satisfies `test`.
    pub fn all(&self, test: impl Fn(f64) -> bool) -> bool {
        self.count(test) == self.per_seed.len()
    }

    /// `name: median (min–max, n seeds)`, numbers with 3 significant digits.
    pub fn summary(&self) -> String {
        format!("{} {} ({}–{}, n={})", self.name, fmt(self.median), fmt(self.min), fmt(self.max), self.per_seed.len())
    }
}

impl Finding {
    /// A finding on f32 with the given measures and no tuned rates; the verdict follows from `holds`.
    pub fn new(holds: bool, reason: impl Into<String>, measured: Vec<Measure>, seeds: &[u64]) -> Self {
        Self {
            verdict: if holds { Verdict::Holds } else { Verdict::Fails },
            reason: reason.into(),
            measured,
            learning_rates: Vec::new(),
            dataset: None,
            precision: "f32".to_string(),
            seeds: seeds.to_vec(),
            figures: Vec::new(),
        }
    }

    /// The same finding with the data set named.
    pub fn on(mut self, dataset: impl Into<String>) -> Self {
        self.dataset = Some(dataset.into());
        self
    }

    /// The same finding with the tuned learning rates.
    pub fn with_rates(mut self, rates: Vec<ChosenRate>) -> Self {
        self.learning_rates = rates;
        self
    }

    /// The same finding with these figures.
    pub fn with_figures(mut self, figures: Vec<zoo_report::Figure>) -> Self {
        self.figures = figures;
        self
    }

    /// The same finding marked inconclusive, with the reason.
    pub fn inconclusive(mut self, reason: impl Into<String>) -> Self {
        self.verdict = Verdict::Inconclusive;
        self.reason = reason.into();
        self
    }

    /// The measure called `name`, if any.
    pub fn measure(&self, name: &str) -> Option<&Measure> {
        self.measured.iter().find(|m| m.name == name)
    }
}

/// A number with about 3 significant digits; ∞ as "∞" (not reached).
pub fn fmt(v: f64) -> String {
    if v.is_infinite() {
        return if v > 0.0 { "∞".into() } else { "−∞".into() };
    }
    if v == 0.0 || ((1e-3..1e5).contains(&v.abs())) {
        let digits = if v.abs() >= 100.0 {
            0
        } else if v.abs() >= 10.0 {
            1
        } else if v.abs() >= 1.0 {
            2
        } else {
            3
        };
        format!("{v:.digits$}")
    } else {
        format!("{v:.2e}")
    }
}

/// The measure called `name` among `measured`: experiments read their measures by name, not by position.
pub fn named<'a>(measured: &'a [Measure], name: &str) -> Result<&'a Measure, crate::ClaimError> {
    measured.iter().find(|m| m.name == name).ok_or_else(|| crate::ClaimError::NoMeasure(name.to_string()))
}
