//! The `trainer` command in-process: defaults, reproducibility, backends, bundled sets, eval, bad input.

use std::path::PathBuf;

use trainer::Outcome;
use zoo_train::RunRecord;

fn scratch(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("zoo-cli-{}-{name}", std::process::id()))
}

/// Runs `trainer ARGS --quiet --out <scratch>` and returns the record and the printed output.
fn train(name: &str, args: &[&str]) -> (RunRecord, String) {
    let dir = scratch(name);
    let _ = std::fs::remove_dir_all(&dir);
    let mut argv = vec!["trainer", "--quiet", "--out", dir.to_str().expect("utf-8 temp dir")];
    argv.extend_from_slice(args);
    let mut out = Vec::new();
    match trainer::run(argv, &mut out) {
        Ok(Outcome::Trained { record, .. }) => (*record, String::from_utf8_lossy(&out).into_owned()),
        other => panic!("trainer {args:?} did not train: {other:?}"),
    }
}

fn last_test_acc(record: &RunRecord) -> f64 {
    record.last().and_then(|m| m.test_acc).unwrap_or(0.0)
}

#[test]
fn default_run_reaches_97_percent_on_spirals_and_writes_its_directory() {
    let (record, printed) = train("default", &[]);
    assert!(last_test_acc(&record) >= 0.97, "default spirals test accuracy {}", last_test_acc(&record));
    let dir = scratch("default");
    for file in ["run.json", "metrics.csv", "model.bpk", "loss.svg", "accuracy.svg", "gradients.svg", "boundary.svg"] {
        assert!(dir.join(file).is_file(), "missing {file} in the run directory");
    }
    assert!(printed.contains("run directory"), "{printed}");
    let mut out = Vec::new();
    let eval = trainer::run(["trainer", "eval", "--model", dir.to_str().expect("utf-8")], &mut out).expect("eval runs");
    let Outcome::Evaluated(rows) = eval else { panic!("eval did not evaluate") };
    let test = rows.iter().find(|r| r.0 == "test").and_then(|r| r.2).expect("test accuracy");
    assert!((test - last_test_acc(&record)).abs() < 1e-9, "eval {test} vs recorded {}", last_test_acc(&record));
}

#[test]
fn the_default_run_directory_is_the_one_the_readme_names() {
    use clap::Parser;
    let cli = trainer::cli::Cli::try_parse_from(["trainer"]).expect("no flags parse");
    let config = trainer::settings::train_config(&cli.train).expect("the defaults are valid");
    let dir = trainer::settings::run_dir(None, &config, zoo_train::Backend::Flex).display().to_string();
    assert!(include_str!("../README.md").contains(&format!("`{dir}/`")), "README does not name {dir}");
    let other = trainer::settings::run_dir(None, &config.clone().with_lr(0.1), zoo_train::Backend::Flex);
    assert_ne!(other.display().to_string(), dir, "another learning rate must get another directory");
}

#[test]
fn same_seed_gives_identical_metrics_and_rerun_from_config_reproduces_them() {
    let strip = |r: &RunRecord| -> Vec<(f64, Option<f64>, f64, Option<f64>)> {
        r.epochs.iter().map(|e| (e.train_loss, e.train_acc, e.test_loss, e.test_acc)).collect()
    };
    let args = ["--dataset", "moons", "--epochs", "4", "--seed", "3"];
    let (a, _) = train("seed-a", &args);
    let (b, _) = train("seed-b", &args);
    assert_eq!(strip(&a), strip(&b));
    assert_eq!(
        a.epochs.iter().map(|e| e.probes.clone()).collect::<Vec<_>>(),
        b.epochs.iter().map(|e| e.probes.clone()).collect::<Vec<_>>()
    );
    let config = scratch("seed-a").join("run.json");
    let (c, _) = train("seed-c", &["--config", config.to_str().expect("utf-8")]);
    assert_eq!(strip(&a), strip(&c));
    let (d, _) = train("seed-d", &["--dataset", "moons", "--epochs", "4", "--seed", "4"]);
    assert_ne!(strip(&a), strip(&d), "another seed must change the run");
}

#[test]
fn flex_gives_the_same_record_at_one_and_two_threads() {
    let without_times = |mut record: RunRecord| {
        record.wall_seconds = 0.0;
        record.epochs.iter_mut().for_each(|e| e.seconds = 0.0);
        serde_json::to_string(&record).expect("json")
    };
    // Wide enough that flex splits its matmuls across threads.
    let args = ["--dataset", "digits", "--epochs", "2", "--hidden", "256,256", "--batch-size", "128"];
    let one = without_times(train("threads-1", &[&args[..], &["--threads", "1"]].concat()).0);
    let two = without_times(train("threads-2", &[&args[..], &["--threads", "2"]].concat()).0);
    assert!(one == two, "run.json differs between 1 and 2 threads");
}

#[test]
fn backends_agree_after_five_epochs() {
    let args = ["--dataset", "spirals", "--epochs", "5", "--seed", "1", "--probe-every", "0"];
    let (flex, _) = train("flex", &args);
    let mut others = vec![("ndarray", train("ndarray", &[&args[..], &["--backend", "ndarray"]].concat()).0)];
    if zoo_tests::wgpu().is_some() {
        others.push(("wgpu", train("wgpu", &[&args[..], &["--backend", "wgpu", "--wgpu-device", "cpu"]].concat()).0));
    }
    let loss = |r: &RunRecord| r.last().map_or(f64::NAN, |m| m.train_loss);
    for (name, record) in others {
        let relative = (loss(&record) - loss(&flex)).abs() / loss(&flex);
        assert!(relative < 1e-3, "{name}: final loss {} vs flex {} (relative {relative})", loss(&record), loss(&flex));
        let initial = (record.epochs[0].train_loss - flex.epochs[0].train_loss).abs() / flex.epochs[0].train_loss;
        assert!(initial < 1e-5, "{name}: initial loss differs by {initial}");
    }
}

#[test]
fn bundled_sets_reach_standard_accuracy_with_their_defaults() {
    for (dataset, floor) in [("iris", 0.93), ("wine", 0.94), ("breast-cancer", 0.95), ("digits", 0.96)] {
        let (record, _) = train(dataset, &["--dataset", dataset, "--probe-every", "0"]);
        assert!(last_test_acc(&record) >= floor, "{dataset}: test accuracy {} < {floor}", last_test_acc(&record));
    }
}

#[test]
fn fashion_mnist_reaches_87_percent_when_installed() {
    if !std::path::Path::new("/usr/share/datasets/fashion-mnist").is_dir() {
        eprintln!("skipped: fashion-mnist not installed (apt-get install dataset-fashion-mnist)");
        return;
    }
    let (record, _) = train("fashion", &["--dataset", "fashion-mnist", "--probe-every", "0"]);
    assert!(last_test_acc(&record) >= 0.87, "fashion-mnist test accuracy {}", last_test_acc(&record));
    assert!(record.epochs.len() <= 11);
}

fn check_error(args: &[&str], expected: &str) {
    let mut argv = vec!["trainer", "--quiet", "--out"];
    let dir = scratch("errors");
    argv.push(dir.to_str().expect("utf-8"));
    argv.extend_from_slice(args);
    let error = match trainer::run(argv, &mut Vec::new()) {
        Ok(_) => panic!("trainer {args:?} should fail"),
        Err(error) => format!("{error:#}"),
    };
    assert!(error.contains(expected), "trainer {args:?}: error `{error}` does not mention `{expected}`");
    assert!(!error.contains('\n') || error.starts_with("error:"), "one line expected: {error}");
}

#[test]
fn bad_input_gives_a_clear_error() {
    check_error(&["--dataset", "nonsense"], "nonsense");
    check_error(&["--csv", "/nonexistent/data.csv"], "/nonexistent/data.csv");
    check_error(&["--idx-dir", "/nonexistent/idx"], "/nonexistent/idx");
    check_error(&["--lr", "-1"], "learning rate");
    check_error(&["--lr", "0"], "learning rate");
    check_error(&["--batch-size", "0"], "batch-size");
    check_error(&["--activation", "swoosh"], "swoosh");
    check_error(&["--init", "normal"], "normal:<number>");
    check_error(&["--init", "uniform:-1"], "positive number");
    check_error(&["--init", "uniform:1e308"], "positive number");
    check_error(&["--init", "normal:0"], "positive number");
    check_error(&["--optimizer", "rmsprop"], "rmsprop");
    check_error(&["--optimizer", "rmsprop"], "expected one of sgd, momentum, nesterov, adam");
    check_error(&["--backend", "cuda"], "unknown backend `cuda`: expected one of flex, ndarray, wgpu");
    check_error(&["--backend", "wgpu", "--wgpu-device", "tpu"], "tpu");
    check_error(&["--activation", "swoosh"], "expected one of identity, sigmoid");
    check_error(&["--dataset", "cifar"], "valid names: xor");
    check_error(&["--target-acc", "95"], "target accuracy");
    check_error(&["--dataset", "iris", "--binary-logit"], "outputs");
    check_error(&["--dataset", "iris", "--samples", "10"], "--samples");
    check_error(&["--dataset", "moons", "--turns", "2"], "--turns applies to `two-spirals` only");
    check_error(&["--dataset", "two-spirals", "--turns", "0"], "turns = 0 must be a finite number");
    check_error(&["--dataset", "two-spirals", "--turns", "1e9"], "at most 100");
    check_error(&["--config", "/nonexistent/run.json"], "/nonexistent/run.json");
    let mut out = Vec::new();
    let missing = trainer::run(["trainer", "eval", "--model", "/nonexistent/run"], &mut out);
    assert!(format!("{:#}", missing.expect_err("eval of a missing run fails")).contains("/nonexistent/run"));
}

#[test]
fn a_diverging_run_ends_with_status_diverged() {
    let (record, printed) = train(
        "diverge",
        &["--dataset", "moons", "--lr", "1000", "--epochs", "20", "--optimizer", "sgd", "--init", "normal:3"],
    );
    assert!(matches!(record.status, zoo_train::Status::Diverged { .. }), "status {:?}", record.status);
    assert!(printed.contains("DIVERGED"));
}

#[test]
fn help_lists_the_values_of_every_typed_flag_from_its_enum() {
    let help = match trainer::run(["trainer", "--help"], &mut Vec::new()) {
        Ok(_) => panic!("--help is an early exit"),
        Err(error) => format!("{error}"),
    };
    let lists = [
        zoo_datasets::NAMES,
        zoo_models::ActivationKind::NAMES,
        zoo_models::InitScheme::NAMES,
        zoo_train::OptimizerKind::NAMES,
        zoo_train::Backend::NAMES,
        zoo_train::WgpuAdapter::NAMES,
    ];
    assert!(help.matches("possible values:").count() >= lists.len(), "{help}");
    for name in lists.iter().flat_map(|names| names.iter()) {
        assert!(help.contains(name), "`{name}` not in --help: {help}");
    }
}

/// `--shard`, `--shards` and the cluster's variables → (shard index, count), `None` for the whole sweep, or an
/// error naming the problem.
fn check_shard(
    shard: Option<&str>,
    shards: Option<u64>,
    slurm: [Option<&str>; 4],
    k8s: Option<&str>,
    want: Result<Option<(u64, u64)>, &str>,
) {
    let env =
        trainer::shard::ClusterEnv { slurm: slurm.map(|v| v.map(String::from)), k8s_index: k8s.map(String::from) };
    let got = trainer::shard::mode_in(shard, shards, &env);
    match (got, want) {
        (Ok(zoo_claims::Mode::Shard { index, count }), Ok(Some(expected))) => assert_eq!((index, count), expected),
        (Ok(zoo_claims::Mode::Train), Ok(None)) => {}
        (Err(error), Err(needle)) => assert!(error.to_string().contains(needle), "{error}"),
        (got, want) => panic!("{shard:?} {shards:?} {slurm:?} {k8s:?}: got {got:?}, want {want:?}"),
    }
}

#[test]
fn shards_come_from_the_flag_slurm_arrays_or_kubernetes_indexed_jobs() {
    let none = [None; 4];
    check_shard(None, None, none, None, Ok(None));
    check_shard(Some("1/3"), None, none, None, Ok(Some((0, 3))));
    check_shard(Some("3/3"), None, none, None, Ok(Some((2, 3))));
    check_shard(Some("0/3"), None, none, None, Err("1 ≤ i ≤ n"));
    check_shard(Some("4/3"), None, none, None, Err("1 ≤ i ≤ n"));
    check_shard(Some("two"), None, none, None, Err("i/n"));
    // The flag wins over the environment.
    check_shard(Some("2/2"), None, [Some("1"), Some("8"), Some("1"), Some("1")], None, Ok(Some((1, 2))));
    // Slurm: arrays from 0, from 1, with a step.
    check_shard(None, None, [Some("0"), Some("4"), Some("0"), Some("1")], None, Ok(Some((0, 4))));
    check_shard(None, None, [Some("1"), Some("4"), Some("1"), Some("1")], None, Ok(Some((0, 4))));
    check_shard(None, None, [Some("4"), Some("4"), Some("1"), Some("1")], None, Ok(Some((3, 4))));
    check_shard(None, None, [Some("7"), Some("3"), Some("3"), Some("2")], None, Ok(Some((2, 3))));
    check_shard(None, None, [Some("4"), Some("3"), Some("3"), Some("2")], None, Err("multiple of STEP"));
    check_shard(None, None, [Some("9"), Some("3"), Some("3"), Some("2")], None, Err("has 3 tasks"));
    check_shard(None, None, [Some("1"), None, None, None], None, Err("SLURM_ARRAY_TASK_COUNT"));
    check_shard(None, None, [Some("x"), Some("3"), None, None], None, Err("not a number"));
    // Kubernetes Indexed Jobs: 0-based, with --shards.
    check_shard(None, Some(4), none, Some("0"), Ok(Some((0, 4))));
    check_shard(None, Some(4), none, Some("3"), Ok(Some((3, 4))));
    check_shard(None, Some(4), none, Some("4"), Err("not below --shards 4"));
    check_shard(None, Some(4), none, None, Err("JOB_COMPLETION_INDEX"));
}
