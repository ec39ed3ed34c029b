//! A training killed with SIGKILL mid-run and started again with the same command resumes from its newest
//! checkpoint and ends with the record an uninterrupted run writes (times apart).

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const ARGS: &[&str] = &["--dataset", "spirals", "--samples", "3000", "--epochs", "30", "--probe-every", "5", "--quiet"];

fn trainer(out: &Path, checkpoint: bool) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_trainer"));
    command.args(ARGS).args(["--out", out.to_str().expect("utf-8")]).stdout(Stdio::null());
    if checkpoint {
        command.args(["--checkpoint-every", "2"]);
    }
    command
}

/// run.json without what differs from run to run: wall times.
fn record(dir: &Path) -> Value {
    let mut record: Value = serde_json::from_slice(&fs::read(dir.join("run.json")).expect("run.json")).expect("json");
    record["wall_seconds"] = Value::Null;
    for epoch in record["epochs"].as_array_mut().expect("epochs") {
        epoch["seconds"] = Value::Null;
    }
    record
}

/// The newest checkpoint's epoch, if any.
fn checkpointed(dir: &Path) -> Option<usize> {
    let entries = fs::read_dir(dir).ok()?;
    entries.flatten().filter_map(|e| e.file_name().to_str()?.strip_prefix("epoch-")?.parse().ok()).max()
}

#[test]
fn a_killed_run_resumes_from_its_checkpoint_to_the_uninterrupted_record() {
    let root = std::env::temp_dir().join(format!("zoo-resume-{}", std::process::id()));
    let _ = fs::remove_dir_all(&root);
    let (whole, killed) = (root.join("whole"), root.join("killed"));
    assert!(trainer(&whole, false).status().expect("runs").success());
    let checkpoints = root.join("killed.checkpoints");
    let mut kills = Vec::new();
    // Killed twice at different points; each rerun continues from the newest checkpoint.
    for at_least in [4, 12] {
        let mut child = trainer(&killed, true).spawn().expect("starts");
        let started = Instant::now();
        while checkpointed(&checkpoints).is_none_or(|epoch| epoch < at_least) {
            assert!(child.try_wait().expect("wait").is_none(), "the run ended before it could be killed");
            assert!(started.elapsed() < Duration::from_secs(120), "no checkpoint after 120 s");
            std::thread::sleep(Duration::from_millis(5));
        }
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        kills.push(checkpointed(&checkpoints));
        assert!(!killed.exists(), "a killed run published a run directory");
    }
    assert!(trainer(&killed, true).status().expect("runs").success());
    assert!(!checkpoints.exists(), "checkpoints are removed once the run is saved");
    assert_eq!(record(&killed), record(&whole), "resumed after kills at {kills:?}");
    let _ = fs::remove_dir_all(&root);
}
