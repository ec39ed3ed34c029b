//! Each claim of the lesson as data — statement, experiment, threshold, anchor — with a function that runs the
//! experiment and returns numbers and a verdict. Adding a claim is adding one entry to [`CLAIMS`].

mod claim;
mod data;
mod error;
mod figures;
mod finding;
mod grid;
mod harness;
mod runner;
mod sec_a;
mod sec_b;
mod sec_b3;
mod sec_c;
mod sec_d;
mod sec_e;
mod sec_e2;
mod sec_f;
mod sec_g;
mod sec_g2;
mod sec_h;
mod sec_i;
mod sec_i3;
mod store;
mod table;

pub use claim::Claim;
pub use error::ClaimError;
pub use finding::{ChosenRate, Finding, Floats, Measure, Verdict, fmt, named};
pub use grid::{GRID_ID, GridSpec, KNOBS, run_grid};
pub use harness::{Context, Counts, LR_GRID, Mode, Scale};
pub use runner::{ClaimResult, run_claims, select, verdict_table};
pub use sec_i::configure_f64_device;
pub use store::{FORMAT, Store, TrialSpec, data_fingerprint};
pub use table::CLAIMS;
