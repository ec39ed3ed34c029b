//! The workspace's integration tests, linked into one binary (each binary would link all of Burn).

// In a test, a failed expectation is the test failing: `expect` with a message is the clearest way to say so.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod bench;
mod claims;
mod cli;
mod datasets;
mod fused;
mod fuzz_inputs;
mod models;
mod probes;
mod records;
mod report;
mod zoo;
