//! The workspace's integration tests, linked into one binary (each binary would link all of Burn).

mod bench;
mod claims;
mod cli;
mod datasets;
mod models;
mod probes;
mod records;
mod zoo;
