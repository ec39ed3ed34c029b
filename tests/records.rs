//! Run records whose numbers are not all finite (a diverged run's losses, the NaN loss of an empty test split):
//! saved, read back as written, evaluated, rerun from their `run.json` and exported.

use std::path::PathBuf;

use trainer::Outcome;
use zoo_train::{RunRecord, Status};

fn scratch(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("zoo-records-{}-{name}", std::process::id()))
}

/// Runs `trainer ARGS` in-process; returns what it left behind.
fn trainer(args: &[&str]) -> Outcome {
    let mut argv = vec!["trainer"];
    argv.extend_from_slice(args);
    trainer::run(argv, &mut Vec::new()).unwrap_or_else(|error| panic!("trainer {args:?}: {error:#}"))
}

/// Trains `args` into `dir`; returns the record.
fn train_into(dir: &PathBuf, args: &[&str]) -> RunRecord {
    let _ = std::fs::remove_dir_all(dir);
    let out = dir.to_str().expect("utf-8 temp dir");
    match trainer(&[&["--quiet", "--out", out], args].concat()) {
        Outcome::Trained { record, .. } => *record,
        other => panic!("trainer {args:?} did not train: {other:?}"),
    }
}

/// Equal, with NaN equal to NaN.
fn same(a: f64, b: f64) -> bool {
    a == b || (a.is_nan() && b.is_nan())
}

/// Every epoch's losses and accuracies, for NaN-aware comparison.
fn curve(record: &RunRecord) -> Vec<[f64; 4]> {
    let acc = |a: Option<f64>| a.unwrap_or(-1.0);
    record.epochs.iter().map(|e| [e.train_loss, acc(e.train_acc), e.test_loss, acc(e.test_acc)]).collect()
}

fn same_curve(a: &RunRecord, b: &RunRecord) -> bool {
    let (a, b) = (curve(a), curve(b));
    a.len() == b.len() && a.iter().zip(&b).all(|(x, y)| x.iter().zip(y).all(|(x, y)| same(*x, *y)))
}

/// Trains `args`, checks `expect` on the record, then: `run.json` reads back as the record written (every field,
/// NaN as NaN), `trainer eval --model DIR` evaluates it, `trainer --config DIR/run.json` reruns it to the same
/// curve, and `trainer export --model DIR` writes SafeTensors.
fn check(name: &str, args: &[&str], expect: fn(&RunRecord) -> bool) {
    let dir = scratch(name);
    let record = train_into(&dir, args);
    assert!(expect(&record), "{name}: unexpected record {:?} {:?}", record.status, curve(&record));

    let (read, _) = zoo_train::load_run(&dir, &burn::prelude::Device::flex())
        .unwrap_or_else(|error| panic!("{name}: run.json does not read back: {error}"));
    let json = |r: &RunRecord| serde_json::to_value(r).expect("a record serialises");
    assert_eq!(json(&read), json(&record), "{name}: the record read back differs");
    assert!(same_curve(&read, &record), "{name}: {:?} read back as {:?}", curve(&record), curve(&read));

    let model = dir.to_str().expect("utf-8");
    assert!(matches!(trainer(&["eval", "--model", model]), Outcome::Evaluated(_)), "{name}: eval");

    let config = dir.join("run.json");
    let again = train_into(&scratch(&format!("{name}-again")), &["--config", config.to_str().expect("utf-8")]);
    assert!(same_curve(&again, &record), "{name}: rerun {:?} vs {:?}", curve(&again), curve(&record));

    let file = dir.join("model.safetensors");
    let exported =
        trainer(&["export", "--model", model, "--format", "safetensors", "--out", file.to_str().expect("utf-8")]);
    assert!(matches!(exported, Outcome::Converted(_)) && file.is_file(), "{name}: export");
}

#[test]
fn records_with_non_finite_numbers_read_back_evaluate_rerun_and_export() {
    check("diverged", &["--dataset", "moons", "--lr", "1e300", "--epochs", "3", "--probe-every", "1"], |r| {
        matches!(r.status, Status::Diverged { .. }) && r.last().is_some_and(|m| !m.train_loss.is_finite())
    });
    check("no-test-split", &["--dataset", "xor", "--test-fraction", "0", "--epochs", "3"], |r| {
        r.n_test == 0 && r.last().is_some_and(|m| m.test_loss.is_nan())
    });
}
