//! A sweep killed with SIGKILL at random points and rerun, stopped with SIGINT and rerun, and run as 3 shards (one
//! duplicated) on a shared directory then reported, each gives the claims.json of one uninterrupted run, byte for
//! byte, with every trial trained once.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime};

/// Tuned trials (h1), an experiment's own trainings in stages (i3: rates from the largest down), and trainings that
/// depend on tuning (g2): every kind of trial a sweep has.
const SWEEP: &[&str] = &["sweep", "--quick", "--claims", "h1,g2,i3,e3", "--seeds", "3", "--jobs", "2"];

fn sweep(dir: &Path, extra: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_trainer"));
    command.args(SWEEP).args(extra).args(["--out", dir.to_str().expect("utf-8")]);
    command.stdout(Stdio::null()).stderr(Stdio::piped());
    command
}

fn finish(command: &mut Command) -> Output {
    let output = command.output().expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    output
}

/// Keys of the stored trial files.
fn stored(dir: &Path) -> BTreeSet<String> {
    let shards = fs::read_dir(dir.join("trials")).expect("trials").flatten().filter(|e| e.path().is_dir());
    shards
        .flat_map(|e| fs::read_dir(e.path()).expect("shard dir").flatten())
        .filter_map(|e| e.file_name().to_str()?.strip_suffix(".json").map(str::to_string))
        .collect()
}

/// The keys of trained.log, one per training finished, in order.
fn trained(dir: &Path) -> Vec<String> {
    let log = fs::read_to_string(dir.join("trials/trained.log")).unwrap_or_default();
    log.lines().filter_map(|l| l.split(' ').next().map(str::to_string)).collect()
}

fn claims(dir: &Path) -> Vec<u8> {
    fs::read(dir.join("claims.json")).expect("claims.json")
}

/// A number in `0..n` that differs from run to run: the kill points are not chosen.
fn random_below(n: u128) -> u64 {
    let nanos = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    ((nanos.wrapping_mul(6364136223846793005) >> 17) % n.max(1)) as u64
}

fn wait_for_trials(child: &mut Child, dir: &Path, at_least: usize) {
    let started = Instant::now();
    while trained(dir).len() < at_least {
        assert!(child.try_wait().expect("wait").is_none(), "the sweep ended before it could be stopped");
        assert!(started.elapsed() < Duration::from_secs(120), "no trial stored after 120 s");
        std::thread::sleep(Duration::from_millis(2));
    }
}

#[test]
fn killed_interrupted_and_sharded_sweeps_give_the_uninterrupted_claims() {
    let root = std::env::temp_dir().join(format!("zoo-sweep-{}", std::process::id()));
    let _ = fs::remove_dir_all(&root);
    let whole = root.join("whole");
    finish(&mut sweep(&whole, &[]));
    let planned = stored(&whole);
    assert!(planned.len() > 20, "the sweep stores its trials: {}", planned.len());
    assert_eq!(trained(&whole).len(), planned.len(), "one line of trained.log per stored trial");

    // SIGKILL three times at points nobody chose (after 1 .. planned − 1 trials), then the same command again.
    let killed = root.join("killed");
    let mut points = Vec::new();
    for _ in 0..3 {
        let mut child = sweep(&killed, &[]).stderr(Stdio::null()).spawn().expect("starts");
        let at = trained(&killed).len() + 1 + random_below(planned.len() as u128 / 3) as usize;
        wait_for_trials(&mut child, &killed, at.min(planned.len() - 1));
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        points.push(trained(&killed).len());
        assert!(!killed.join("claims.json").exists(), "a killed sweep wrote claims.json");
    }
    finish(&mut sweep(&killed, &[]));
    assert_eq!(claims(&killed), claims(&whole), "claims.json after kills at {points:?} trials");
    let log = trained(&killed);
    let once: BTreeSet<String> = log.iter().cloned().collect();
    assert_eq!(once.len(), log.len(), "a trial was trained twice (kills at {points:?})");
    assert_eq!(stored(&killed), planned, "the same trials");

    // SIGINT: the running trials finish, the exit code is 130 and the message says how to resume.
    let stopped = root.join("stopped");
    let mut child = sweep(&stopped, &[]).spawn().expect("starts");
    wait_for_trials(&mut child, &stopped, 3);
    let signal = Command::new("kill").args(["-INT", &child.id().to_string()]).status().expect("kill -INT");
    assert!(signal.success());
    let output = child.wait_with_output().expect("reaped");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("rerun the same command"), "{stderr}");
    assert!(trained(&stopped).len() < planned.len(), "SIGINT stopped nothing");
    finish(&mut sweep(&stopped, &[]));
    assert_eq!(claims(&stopped), claims(&whole), "claims.json after SIGINT");

    // Three shards on one directory, the third started twice; each reruns while it waits for the others (75).
    let shared = root.join("shared");
    const SHARDS: [&str; 4] = ["1/3", "2/3", "3/3", "3/3"];
    let started = Instant::now();
    let workers: Vec<_> = SHARDS
        .iter()
        .map(|shard| {
            let dir = shared.clone();
            std::thread::spawn(move || {
                loop {
                    let output = sweep(&dir, &["--shard", shard]).output().expect("runs");
                    match output.status.code() {
                        Some(0) => return,
                        Some(75) => std::thread::sleep(Duration::from_millis(100)),
                        code => panic!("shard {shard}: {code:?} {}", String::from_utf8_lossy(&output.stderr)),
                    }
                    assert!(started.elapsed() < Duration::from_secs(600), "shard {shard} never completed");
                }
            })
        })
        .collect();
    workers.into_iter().for_each(|w| w.join().expect("shard thread"));
    let merged = root.join("merged");
    let report = |from: &Path| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_trainer"));
        command.args(["report", "--from", from.to_str().expect("utf-8"), "--out", merged.to_str().expect("utf-8")]);
        command.stdout(Stdio::null()).stderr(Stdio::piped());
        command
    };
    finish(&mut report(&shared));
    assert_eq!(claims(&merged), claims(&whole), "3 shards (one twice) merged");
    assert_eq!(stored(&merged), planned);
    assert!(merged.join("report.html").exists() && merged.join("REPORT.md").exists());

    // A report from a directory missing trials says how many and exits non-zero.
    let partial = root.join("partial");
    fs::create_dir_all(&partial).expect("mkdir");
    fs::copy(whole.join("sweep.json"), partial.join("sweep.json")).expect("copy");
    let mut command = Command::new(env!("CARGO_BIN_EXE_trainer"));
    let output = command.args(["report", "--from", partial.to_str().expect("utf-8")]).output().expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.starts_with("error: ") && stderr.contains("trials are missing"), "{stderr}");
    assert!(partial.join("missing.txt").exists() && !partial.join("claims.json").exists());
    let _ = fs::remove_dir_all(&root);
}

#[test]
fn a_grid_sweep_trains_every_cell_resumes_and_draws_a_heatmap_per_metric() {
    let dir = std::env::temp_dir().join(format!("zoo-grid-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    let grid = |dir: &Path| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_trainer"));
        command.args(["sweep", "--grid", "activation=relu,tanh", "depth=1,2", "epochs=3", "--dataset", "moons"]);
        command.args(["--seeds", "2", "--out", dir.to_str().expect("utf-8")]).stderr(Stdio::null());
        String::from_utf8(finish(&mut command).stdout).expect("utf-8")
    };
    let first = grid(&dir);
    assert!(first.contains("8 trials (8 trained, 0 reused)"), "{first}");
    for cell in ["activation=relu depth=1 epochs=3", "activation=tanh depth=2 epochs=3"] {
        assert!(first.contains(&format!("| {cell} | ")), "no row for {cell}:\n{first}");
    }
    let results: serde_json::Value = serde_json::from_slice(&claims(&dir)).expect("claims.json");
    let measured = results[0]["measured"].as_array().expect("measured");
    assert_eq!(measured.len(), 4 * 4, "4 metrics × 4 cells");
    for m in measured {
        assert_eq!(m["per_seed"].as_array().map(Vec::len), Some(2), "{m}");
    }
    let accuracy = measured[0]["median"].as_f64().expect("a number");
    assert!((0.5..=1.0).contains(&accuracy), "test accuracy of a trained cell: {accuracy}");
    for n in 1..=4 {
        let svg = fs::read_to_string(dir.join(format!("figures/grid-{n}.svg"))).expect("a heatmap per metric");
        assert!(svg.matches("<rect").count() >= 5, "heatmap {n} has no cells");
    }
    let again = grid(&dir);
    assert!(again.contains("8 trials (0 trained, 8 reused)"), "{again}");
    let _ = fs::remove_dir_all(&dir);
}
