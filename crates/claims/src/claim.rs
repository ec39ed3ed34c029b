//! A claim of the lesson as data: its statement, experiment, threshold, anchor and the function that runs it.

use crate::error::ClaimError;
use crate::finding::Finding;
use crate::harness::Context;

/// One claim of the lesson and the experiment that tests it.
#[derive(Debug, Clone, Copy)]
pub struct Claim {
    /// The id used on the command line (`a1`, `b2`, `f`).
    pub id: &'static str,
    /// What the lesson says.
    pub lesson: &'static str,
    /// The experiment, in one line.
    pub experiment: &'static str,
    /// The pass criterion.
    pub threshold: &'static str,
    /// The published figure it is compared with.
    pub anchor: &'static str,
    /// Runs the experiment; an error (a setup that failed) makes the claim inconclusive with its reason.
    pub run: fn(&Context) -> Result<Finding, ClaimError>,
}
