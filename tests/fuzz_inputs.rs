//! The fuzz targets' committed inputs (`fuzz/seeds/`, and `fuzz/regressions/` for every crash found and fixed) run
//! through the same loaders on stable, so CI keeps them fixed without nightly or cargo fuzz.

use std::path::{Path, PathBuf};

use burn::prelude::*;
use zoo_datasets::csv::parse_csv;
use zoo_datasets::idx::{decode, parse_idx};
use zoo_models::{ActivationKind, MlpConfig, interop};
use zoo_train::RunRecord;

fn inputs(target: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    ["seeds", "regressions"]
        .iter()
        .flat_map(|kind| std::fs::read_dir(root.join(kind).join(target)).into_iter().flatten().flatten())
        .map(|entry| entry.path())
        .collect()
}

/// Runs `load` on every input of `target`; `valid` counts the seeds that must load (a seed is a valid file).
fn check(target: &str, load: impl Fn(&[u8]) -> bool) -> usize {
    let files = inputs(target);
    assert!(!files.is_empty(), "no inputs for fuzz target {target}");
    files.iter().filter(|path| load(&std::fs::read(path).expect("readable input"))).count()
}

#[test]
fn the_fuzz_inputs_load_or_fail_without_panicking() {
    let csv = check("csv", |bytes| {
        decode(bytes.to_vec(), Path::new("f.csv")).is_ok_and(|text| {
            parse_csv(&text, Path::new("f.csv"), None, false)
                .or_else(|_| parse_csv(&text, Path::new("f.csv"), None, true))
                .is_ok()
        })
    });
    let idx = check("idx", |bytes| {
        decode(bytes.to_vec(), Path::new("f"))
            .is_ok_and(|raw| [1, 3].iter().any(|d| parse_idx(raw.clone(), Path::new("f"), *d, "fuzz").is_ok()))
    });
    let records = check("records", |bytes| {
        serde_json::from_slice::<RunRecord>(bytes).is_ok_and(|r| r.config.validate().is_ok())
            || serde_json::from_slice::<MlpConfig>(bytes).is_ok_and(|c| c.validate().is_ok())
    });
    let device = Device::flex();
    let safetensors =
        check("safetensors", |bytes| interop::from_safetensors(bytes, Some(ActivationKind::Relu), &device).is_ok());
    // Every committed seed is a valid file of its kind (regressions may be either).
    let loaded = [csv, idx, records, safetensors];
    assert!(loaded.iter().zip([4, 3, 2, 1]).all(|(n, seeds)| *n >= seeds), "valid inputs per target: {loaded:?}");
}
