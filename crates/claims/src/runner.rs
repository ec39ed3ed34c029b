//! Running a selection of claims and presenting the results: `claims.json` and the verdict table.

use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::{CLAIMS, Claim, ClaimError, Context, Finding};

/// A claim with what its experiment found (one entry of `claims.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimResult {
    /// The claim's id.
    pub id: String,
    /// What the lesson says.
    pub lesson: String,
    /// The experiment.
    pub experiment: String,
    /// The pass criterion.
    pub threshold: String,
    /// The published anchor.
    pub anchor: String,
    /// What was found.
    #[serde(flatten)]
    pub finding: Finding,
    /// Wall time of the experiment in this process (not written: `claims.json` depends on the results only).
    #[serde(skip)]
    pub seconds: f64,
    /// Trials the experiment asked for (stored or trained).
    #[serde(default)]
    pub trials: usize,
}

/// The claims whose id is in `ids` (a claim `b` selects `b1`, `b2`, `b3`); all when `ids` is empty.
/// Unknown ids are an error listing the known ones.
pub fn select(ids: &[String]) -> Result<Vec<&'static Claim>, String> {
    if ids.is_empty() {
        return Ok(CLAIMS.iter().collect());
    }
    let mut chosen = Vec::new();
    for id in ids {
        let matching: Vec<&Claim> =
            CLAIMS.iter().filter(|c| c.id == id || c.id.starts_with(id.as_str()) && id.len() == 1).collect();
        if matching.is_empty() {
            let known: Vec<&str> = CLAIMS.iter().map(|c| c.id).collect();
            return Err(format!("unknown claim `{id}`: expected one of {} (or a section letter)", known.join(", ")));
        }
        for claim in matching {
            if !chosen.iter().any(|k: &&Claim| k.id == claim.id) {
                chosen.push(claim);
            }
        }
    }
    Ok(chosen)
}

/// Runs `claims` one after the other (each parallelises its own trials), calling `done` after each; stops early
/// when a stop was asked (`ctx.stop`), returning the claims finished before it.
pub fn run_claims(claims: &[&Claim], ctx: &Context, done: &mut dyn FnMut(&ClaimResult)) -> Vec<ClaimResult> {
    claims
        .iter()
        .map_while(|claim| {
            let (start, before) = (Instant::now(), ctx.asked_count());
            let finding = match (claim.run)(ctx) {
                Ok(finding) => finding,
                Err(ClaimError::Interrupted) => return None,
                Err(error) => Finding::new(false, String::new(), Vec::new(), &[]).inconclusive(error.to_string()),
            };
            let result = ClaimResult {
                id: claim.id.to_string(),
                lesson: claim.lesson.to_string(),
                experiment: claim.experiment.to_string(),
                threshold: claim.threshold.to_string(),
                anchor: claim.anchor.to_string(),
                finding,
                seconds: start.elapsed().as_secs_f64(),
                trials: ctx.asked_count() - before,
            };
            done(&result);
            Some(result)
        })
        .collect()
}

/// The verdict table for a terminal: claim, lesson says, measured, threshold, verdict, anchor.
pub fn verdict_table(results: &[ClaimResult]) -> String {
    let mut out = String::new();
    for r in results {
        out += &format!("{:<4} {:<13} {}\n", r.id, r.finding.verdict.word(), r.lesson);
        out += &format!("     measured:  {}\n", r.finding.reason);
        out += &format!("     threshold: {}\n", r.threshold);
        if let Some(data) = &r.finding.dataset {
            out += &format!(
                "     data:      {data} ({}, {} seeds, {:.1} s)\n",
                r.finding.precision,
                r.finding.seeds.len(),
                r.seconds
            );
        }
        for rate in &r.finding.learning_rates {
            let edge = if rate.at_grid_edge { " (at grid edge)" } else { "" };
            out += &format!("     lr:        {} = {}{edge}\n", rate.arm, rate.lr);
        }
        out += &format!("     anchor:    {}\n", r.anchor);
    }
    out
}
