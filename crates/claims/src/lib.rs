//! Each claim of the lesson as data — statement, experiment, threshold, anchor — with a function that runs the
//! experiment and returns numbers and a verdict. Adding a claim is adding one entry to [`CLAIMS`].

pub mod finding;
pub mod harness;
pub mod runner;

mod data;
mod error;
mod sec_a;
mod sec_b;
mod sec_c;
mod sec_d;
mod sec_e;
mod sec_f;
mod sec_g;
mod sec_h;
mod sec_i;

pub use error::ClaimError;
pub use finding::{ChosenRate, Finding, Measure, Verdict, named};
pub use harness::{Context, LR_GRID, Scale};
pub use runner::{ClaimResult, run_claims, select, verdict_table};
pub use sec_i::configure_f64_device;

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

/// Every claim, in the lesson's order.
pub static CLAIMS: &[Claim] = &[
    sec_a::A1,
    sec_a::A2,
    sec_a::A3,
    sec_b::B1,
    sec_b::B2,
    sec_b::B3,
    sec_c::C1,
    sec_c::C2,
    sec_c::C3,
    sec_d::D1,
    sec_d::D2,
    sec_e::E1,
    sec_e::E2,
    sec_e::E3,
    sec_f::F,
    sec_g::G1,
    sec_g::G2,
    sec_h::H1,
    sec_h::H2,
    sec_h::H3,
    sec_i::I1,
    sec_i::I2,
    sec_i::I3,
];
