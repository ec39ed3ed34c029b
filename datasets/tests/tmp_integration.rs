//! temporary: compiles the workspace integration test module against this crate alone
#[path = "../../tests/datasets.rs"]
mod datasets;
