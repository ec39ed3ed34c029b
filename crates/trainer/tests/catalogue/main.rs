//! The bad-input catalogue and the kill-and-resume tests (a training, a sweep), through the real binary. The catalogue: every row runs the real `trainer` binary on one bad input (flags, CSV, IDX, run.json,
//! model.json, SafeTensors, checkpoints) and checks its exit code, that the first line of stderr names the
//! problem, that nothing panicked or hung, and that nothing was left in the working directory.

#![allow(clippy::expect_used)] // A test fails by panicking.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod fixtures;
mod resume;
mod sweep;

use fixtures::Fixtures;

/// One row: arguments (`{F}` is the fixtures folder, `{R}` the repository), the exit code, a fragment of the first stderr line.
type Case = (&'static [&'static str], i32, &'static str);

/// Usage errors (clap) exit with 2, every other error with 1.
const CASES: &[Case] = &[
    // Flags of `trainer` (train).
    (&["--dataset", "nonsense"], 2, "nonsense"),
    (&["--lr", "-1"], 1, "learning rate"),
    (&["--lr", "0"], 1, "learning rate"),
    (&["--lr", "nan"], 1, "learning rate"),
    (&["--lr", "inf"], 1, "learning rate"),
    (&["--lr", "fast"], 2, "fast"),
    (&["--batch-size", "0"], 1, "batch-size"),
    (&["--batch-size", "many"], 1, "batch-size"),
    (&["--epochs", "-1"], 2, "--epochs"),
    (&["--epochs", "99999999999"], 1, "epochs"),
    (&["--hidden", "100000,100000"], 1, "parameters"),
    (&["--hidden", "18446744073709551615"], 1, "too wide"),
    (&["--hidden", "99999999999999999999"], 2, "--hidden"),
    (&["--hidden", "64,0"], 1, "width 0"),
    (&["--hidden", "4000000", "--batch-size", "full"], 1, "smaller --batch-size"),
    (&["--init", "uniform:-1"], 2, "positive number"),
    (&["--init", "normal:nan"], 2, "finite number"),
    (&["--init", "constant:inf"], 2, "finite number"),
    (&["--init", "normal"], 2, "normal:<number>"),
    (&["--activation", "leaky-relu:1e400"], 2, "finite number"),
    (&["--activation", "swoosh"], 2, "swoosh"),
    (&["--optimizer", "rmsprop"], 2, "rmsprop"),
    (&["--target-acc", "95"], 1, "target accuracy"),
    (&["--test-fraction", "1"], 1, "test fraction"),
    (&["--test-fraction", "nan"], 1, "test fraction"),
    (&["--weight-decay", "inf"], 1, "weight decay"),
    (&["--weight-decay", "-1"], 1, "weight decay"),
    (&["--samples", "-5"], 2, "--samples"),
    (&["--noise", "-1"], 1, "noise"),
    (&["--threads", "0"], 2, "--threads"),
    (&["--samples", "0"], 1, "n = 0"),
    (&["--samples", "100000000000"], 1, "n = 100000000000"),
    (&["--noise", "nan"], 1, "noise"),
    (&["--backend", "cuda"], 2, "cuda"),
    (&["--seed", "-1"], 2, "--seed"),
    (&["--dataset", "iris", "--binary-logit"], 1, "outputs"),
    (&["--dataset", "iris", "--samples", "10"], 1, "--samples"),
    (&["--checkpoint-every", "0"], 2, "--checkpoint-every"),
    (&["--probe-every", "often"], 2, "--probe-every"),
    (&["--out", "{F}/a-file"], 1, "not a directory"),
    (&["--out", "/proc/version/run"], 1, "cannot write the run directory"),
    (&["--config", "/nonexistent/run.json"], 1, "/nonexistent/run.json"),
    (&["--config", "{F}/garbage.json"], 1, "not a run record"),
    (&["--config", "{F}/absurd/run.json"], 1, "parameters"),
    (&["--config", "{F}/version/run.json"], 1, "not a run record"),
    // CSV files.
    (&["--csv", "/nonexistent/data.csv"], 1, "/nonexistent/data.csv"),
    (&["--csv", "{F}/empty.csv"], 1, "no data rows"),
    (&["--csv", "{F}/header-only.csv", "--header"], 1, "apart from its header"),
    (&["--csv", "{F}/ragged.csv"], 1, "line 2 has 2 fields, expected 3"),
    (&["--csv", "{F}/words.csv"], 1, "'abc' is not a number"),
    (&["--csv", "{F}/nan.csv"], 1, "not a finite number"),
    (&["--csv", "{F}/inf.csv"], 1, "not a finite number"),
    (&["--csv", "{F}/label-range.csv"], 1, "is not a class id"),
    (&["--csv", "{F}/label-fraction.csv"], 1, "is not a class id"),
    (&["--csv", "{F}/one-class.csv"], 1, "at least two classes"),
    (&["--csv", "{F}/one-column.csv"], 1, "leaves no feature"),
    (&["--csv", "{F}/wide.csv"], 1, "too wide"),
    (&["--csv", "{F}"], 1, "not a regular file"),
    (&["--csv", "/dev/zero"], 1, "not a regular file"),
    (&["--csv", "{F}/bomb.csv.gz"], 1, "larger than 1 GiB"),
    (&["--csv", "{F}/cut.csv.gz"], 1, "bad gzip data"),
    (&["--csv", "{F}/not-gzip.csv.gz"], 1, "bad gzip data"),
    // IDX directories.
    (&["--idx-dir", "/nonexistent/idx"], 1, "/nonexistent/idx"),
    (&["--idx-dir", "{F}/idx-missing"], 1, "missing"),
    (&["--idx-dir", "{F}/idx-magic"], 1, "magic number"),
    (&["--idx-dir", "{F}/idx-rank"], 1, "dimensions"),
    (&["--idx-dir", "{F}/idx-count"], 1, "labels"),
    (&["--idx-dir", "{F}/idx-truncated"], 1, "truncated"),
    (&["--idx-dir", "{F}/idx-trailing"], 1, "bytes after"),
    (&["--idx-dir", "{F}/idx-gzip-cut"], 1, "bad gzip data"),
    (&["--idx-dir", "{F}/idx-empty"], 1, "holds no items"),
    // Run directories for eval and export.
    (&["eval", "--model", "/nonexistent/run"], 1, "/nonexistent/run"),
    (&["eval", "--model", "{F}/garbage"], 1, "not a run record"),
    (&["eval", "--model", "{F}/absurd"], 1, "parameters"),
    (&["eval", "--model", "{F}/no-weights"], 1, "model.bpk"),
    (&["eval", "--model", "{F}/cut-weights"], 1, "model.bpk"),
    (&["eval", "--model", "{F}/other-shape"], 1, "model.bpk"),
    (&["eval", "--model", "{F}/run", "--dataset", "iris"], 1, "features"),
    (&["export", "--out", "x.safetensors"], 1, "--preset NAME or --model DIR"),
    (&["export", "--preset", "nope", "--out", "x.safetensors"], 1, "nope"),
    (&["export", "--model", "{F}/garbage", "--out", "x.safetensors"], 1, "not a run record"),
    (&["export", "--model", "{F}/model-json", "--out", "x.safetensors"], 1, "not a model config"),
    (&["export", "--model", "{F}/run", "--out", "{F}"], 1, "is a directory"),
    (&["export", "--model", "{F}/run", "--format", "onnx", "--out", "x.onnx"], 1, "ONNX export is not available"),
    // SafeTensors for import.
    (&["import", "/nonexistent.safetensors", "--out", "m"], 1, "/nonexistent.safetensors"),
    (&["import", "{F}/garbage.safetensors", "--out", "m"], 1, "not a SafeTensors file"),
    (&["import", "{F}/f64.safetensors", "--out", "m", "--activation", "relu"], 1, "not F32"),
    (&["import", "{F}/chain.safetensors", "--out", "m", "--activation", "relu"], 1, "the layer before gives"),
    (&["import", "{F}/huge.safetensors", "--out", "m", "--activation", "relu"], 1, "parameters"),
    (&["import", "{F}/short.safetensors", "--out", "m", "--activation", "relu"], 1, "truncated"),
    (&["import", "{F}/no-activation.safetensors", "--out", "m"], 1, "activation"),
    // Sweeps, benchmarks, the zoo.
    (&["sweep", "--seeds", "18446744073709551615"], 1, "seeds"),
    (&["sweep", "--seeds", "100000000000"], 1, "seeds"),
    (&["sweep", "--seeds", "5..2"], 1, "seeds"),
    (&["sweep", "--claims", "zz9"], 1, "zz9"),
    (&["sweep", "--jobs", "0"], 2, "--jobs"),
    (&["sweep", "--shard", "0/3"], 1, "--shard"),
    (&["sweep", "--shard", "2"], 1, "--shard"),
    (&["sweep", "--shards", "3"], 1, "JOB_COMPLETION_INDEX"),
    (&["sweep", "--grid", "depth=x"], 1, "depth=x"),
    (&["sweep", "--grid", "speed=1,2"], 1, "speed"),
    (&["sweep", "--grid", "depth"], 1, "knob=v1,v2"),
    (&["sweep", "--grid", "depth=1,2", "depth=3"], 1, "each knob once"),
    (&["sweep", "--grid", "activation=swoosh"], 1, "swoosh"),
    (&["sweep", "--grid", "width=100000", "depth=100"], 1, "parameters"),
    (&["sweep", "--grid", "depth=1", "--claims", "a1"], 1, "--claims"),
    (&["sweep", "--tune-lr"], 1, "--grid"),
    (&["sweep", "--out", "{F}/a-file", "--claims", "a1"], 1, "a-file"),
    (&["report"], 1, "--from"),
    (&["report", "--from", "/nonexistent"], 1, "sweep.json"),
    (&["report", "--from", "{F}"], 1, "sweep.json"),
    (&["report", "--from", "{F}/damaged-sweep"], 1, "damaged"),
    (&["report", "--from", "{F}/alien-sweep"], 1, "flags this trainer does not take"),
    (&["bench", "--min-time", "-1"], 2, "seconds from 0 to 3600"),
    (&["bench", "--min-time", "nan"], 2, "seconds from 0 to 3600"),
    (&["bench", "--min-time", "inf"], 2, "seconds from 0 to 3600"),
    (&["bench", "--workloads", "nope", "--min-time", "0"], 1, "nope"),
    (&["bench", "--job", "nope"], 1, "nope"),
    (&["bench", "--report", "/nonexistent.jsonl"], 1, "/nonexistent.jsonl"),
    (&["bench", "--report", "{F}/garbage.json"], 1, "garbage.json"),
    (&["bench", "--report", "{R}/docs/performance/bench.jsonl", "--readme", "{F}/reversed.md"], 1, "comes before"),
    (&["bench", "--report", "{R}/docs/performance/bench.jsonl", "--readme", "{F}/no-markers.md"], 1, "marker"),
    (&["zoo", "show", "nope"], 1, "nope"),
    (&["zoo", "eval", "nope"], 1, "nope"),
    (&["zoo", "train", "nope", "--out", "zoo"], 1, "nope"),
    (&["zoo", "fly"], 2, "fly"),
    // Checkpoints of another run, or damaged.
    (
        &["--dataset", "xor", "--epochs", "3", "--checkpoint-every", "1", "--out", "{F}/cp-other/run"],
        1,
        "another config",
    ),
    (&["--dataset", "xor", "--epochs", "3", "--checkpoint-every", "1", "--out", "{F}/cp-cut/run"], 1, "remove"),
];

/// Files that are odd but valid: these train (one epoch) and exit 0.
const ACCEPTED: &[Case] = &[
    (&["--csv", "{F}/crlf.csv", "--epochs", "1"], 0, ""),
    (&["--csv", "{F}/bom.csv", "--epochs", "1"], 0, ""),
    (&["--csv", "{F}/header.csv", "--header", "--epochs", "1"], 0, ""),
];

fn run(fixtures: &Path, args: &[&str]) -> (Option<i32>, String, PathBuf, Duration) {
    let work = fixtures.parent().unwrap_or(fixtures).join(format!("work-{}", fixtures::unique()));
    fs::create_dir_all(&work).expect("a working directory");
    let repo = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let args: Vec<String> =
        args.iter().map(|a| a.replace("{F}", fixtures.to_str().expect("utf-8")).replace("{R}", repo)).collect();
    let started = Instant::now();
    // Training flags (no subcommand) take --quiet; the subcommands print nothing but their result anyway.
    let quiet = args.first().is_some_and(|a| a.starts_with("--")).then_some("--quiet");
    let mut child = Command::new(env!("CARGO_BIN_EXE_trainer"))
        .args(&args)
        .args(quiet)
        .current_dir(&work)
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the trainer binary starts");
    // A hang fails the row instead of the whole test run.
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break Some(status);
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut pipe, &mut stderr);
    }
    (status.and_then(|s| s.code()), stderr, work, started.elapsed())
}

fn check(fixtures: &Path, (args, code, fragment): &Case) -> Result<(), String> {
    let (status, stderr, work, took) = run(fixtures, args);
    let first = stderr.lines().next().unwrap_or_default();
    let left: Vec<_> = walk(&work);
    let problem = if status.is_none() {
        Some(format!("did not end within 60 s (or was killed by a signal) after {took:?}"))
    } else if status != Some(*code) {
        Some(format!("exit code {status:?}, expected {code}"))
    } else if stderr.contains("panicked") || stderr.contains("memory allocation") {
        Some("panicked or aborted".to_string())
    } else if *code != 0 && !(first.starts_with("error:") && first.contains(fragment)) {
        Some(format!("first line does not name the problem (`{fragment}`)"))
    } else if *code != 0 && !left.is_empty() {
        Some(format!("left files behind: {left:?}"))
    } else {
        None
    };
    let _ = fs::remove_dir_all(&work);
    problem.map_or(Ok(()), |p| Err(format!("trainer {}: {p}\n    stderr: {}", args.join(" "), stderr.trim_end())))
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        found.push(entry.path());
        if entry.path().is_dir() {
            found.extend(walk(&entry.path()));
        }
    }
    found
}

#[test]
fn every_bad_input_fails_cleanly_with_one_line_naming_it() {
    let fixtures = Fixtures::build();
    let before = walk(fixtures.path());
    let failures: Vec<String> =
        CASES.iter().chain(ACCEPTED).filter_map(|case| check(fixtures.path(), case).err()).collect();
    assert!(CASES.len() >= 60, "the catalogue has {} rows", CASES.len());
    assert!(failures.is_empty(), "{} of {} rows failed:\n{}", failures.len(), CASES.len(), failures.join("\n"));
    assert_eq!(walk(fixtures.path()), before, "a command changed the fixtures");
}

#[test]
fn a_full_stderr_is_not_a_panic() {
    let root = std::env::temp_dir().join(format!("zoo-catalogue-full-{}", std::process::id()));
    for args in [&["--lr", "-1"][..], &["--dataset", "xor", "--epochs", "1", "--out", "run"][..]] {
        let full = fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
        let work = root.join(format!("full-{}", fixtures::unique()));
        fs::create_dir_all(&work).expect("work dir");
        let status = Command::new(env!("CARGO_BIN_EXE_trainer"))
            .args(args)
            .current_dir(&work)
            .stdout(Stdio::null())
            .stderr(full)
            .status()
            .expect("runs");
        let expected = if args[0] == "--lr" { 1 } else { 0 };
        assert_eq!(status.code(), Some(expected), "trainer {args:?} with stderr on /dev/full");
    }
    let _ = fs::remove_dir_all(&root);
}

#[test]
fn a_path_that_is_not_utf8_is_refused_with_a_message() {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::OsStr::from_bytes(b"/nonexistent/zoo-\xff.csv");
    let output = Command::new(env!("CARGO_BIN_EXE_trainer"))
        .arg("--csv")
        .arg(path)
        .args(["--quiet", "--out", "/nonexistent/out"])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.starts_with("error:") && stderr.contains("not valid UTF-8"), "{stderr}");
}
