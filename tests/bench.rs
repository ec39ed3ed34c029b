//! `trainer bench` at its boundaries: JSON lines with the references' fields, bad names, and the README's
//! Performance section matching the committed bench run (speed itself is measured by `cargo xtask bench`).

use serde_json::Value;

/// Runs `trainer bench ARGS` in-process and returns its JSON lines (the `env` line first).
fn bench(args: &[&str]) -> Vec<Value> {
    let mut argv = vec!["trainer", "bench"];
    argv.extend_from_slice(args);
    let mut out = Vec::new();
    if let Err(error) = trainer::run(argv, &mut out) {
        panic!("trainer bench {args:?} failed: {error:#}");
    }
    String::from_utf8_lossy(&out).lines().map(|l| serde_json::from_str(l).expect("each line is JSON")).collect()
}

fn check(line: &Value, key: &str, ok: impl Fn(f64) -> bool) {
    let value = line[key].as_f64().unwrap_or(f64::NAN);
    assert!(ok(value), "{key} = {value} in {line}");
}

#[test]
fn a_step_timing_has_the_references_fields_and_a_consistent_flop_rate() {
    let lines = bench(&["--workloads", "tiny,digits", "--min-time", "0.05", "--warmup", "2"]);
    assert_eq!(lines[0]["bench"], "env");
    for (line, (name, params)) in lines[1..].iter().zip([("tiny", 4482.0), ("digits", 26122.0)]) {
        assert_eq!(
            (&line["bench"], &line["workload"], &line["impl"]),
            (&"train_step".into(), &name.into(), &"burn-flex".into())
        );
        check(line, "params", |p| p == params);
        check(line, "steps", |s| s >= 20.0);
        check(line, "median_ms", |ms| ms > 0.0);
        let (ms, batch) = (line["median_ms"].as_f64().unwrap_or(0.0), line["batch"].as_f64().unwrap_or(0.0));
        // GFLOP/s = 6·params·batch / step time, as the references count it.
        check(line, "gflops", |g| (g - 6.0 * params * batch / ms / 1e6).abs() <= 0.01 * g + 0.002);
        check(line, "p90_ms", |p90| p90 >= ms);
    }
}

#[test]
fn a_whole_job_trains_and_reports_its_loss_and_memory() {
    let lines = bench(&["--job", "tiny-2000"]);
    let job = &lines[1];
    assert_eq!((&job["bench"], &job["steps"]), (&"job".into(), &2000.into()));
    check(job, "train_acc", |acc| acc > 0.9);
    check(job, "train_s", |s| s > 0.0);
}

#[test]
fn bad_names_are_one_line_errors() {
    for (args, needle) in [
        (vec!["bench", "--workloads", "huge"], "unknown workload `huge`: use one of tiny"),
        (vec!["bench", "--job", "forever"], "unknown job `forever`: use one of tiny-2000"),
        (vec!["bench", "--report", "/nonexistent/bench.jsonl"], "cannot read /nonexistent/bench.jsonl"),
        (vec!["bench", "--min-time", "-1"], "not a number of seconds from 0 to 3600"),
        (vec!["bench", "--min-time", "NaN"], "not a number of seconds from 0 to 3600"),
        (vec!["bench", "--min-time", "inf"], "not a number of seconds from 0 to 3600"),
        (vec!["sweep", "--seeds", "18446744073709551615"], "a sweep takes at most 10000"),
        (vec!["sweep", "--seeds", "100000000000"], "a sweep takes at most 10000"),
        (vec!["sweep", "--seeds", "9223372036854775808..9223372036854775810"], "seeds go up to 9223372036854775807"),
        (vec!["sweep", "--seeds", "0..0"], "invalid --seeds `0..0`"),
    ] {
        let mut argv = vec!["trainer"];
        argv.extend(args);
        let error = trainer::run(argv, &mut Vec::new()).map(|_| ()).expect_err("bad input is an error");
        let text = format!("{error:#}");
        // One line, or clap's own message (its first line says what is wrong; a usage hint follows).
        let first = text.lines().next().unwrap_or_default();
        assert!(first.contains(needle) && (!text.contains('\n') || text.starts_with("error:")), "{text}");
    }
}

#[test]
fn the_readme_performance_section_is_rendered_from_the_committed_bench_run() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let jsonl =
        std::fs::read_to_string(root.join("docs/performance/bench.jsonl")).expect("docs/performance/bench.jsonl");
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let section = zoo_bench::render(&jsonl).expect("the committed bench run renders");
    let expected =
        zoo_report::splice(&readme, zoo_bench::BEGIN, zoo_bench::END, &section).expect("README.md has the markers");
    assert!(expected == readme, "README.md's Performance section is stale: run `cargo xtask bench --render-only`");
    assert!(section.contains("burn") || section.contains("Burn"), "{section}");
}

fn check_splice(text: &str, expected: Result<&str, &str>) {
    let result = zoo_report::splice(text, "<!-- b -->\n", "<!-- e -->", "new\n");
    match (result, expected) {
        (Ok(spliced), Ok(expected)) => assert_eq!(spliced, expected, "{text:?}"),
        (Err(error), Err(fragment)) => assert!(error.to_string().contains(fragment), "{text:?}: {error}"),
        (result, expected) => panic!("{text:?}: got {result:?}, expected {expected:?}"),
    }
}

#[test]
fn readme_sections_are_spliced_between_their_markers() {
    check_splice("a\n<!-- b -->\nold\n<!-- e -->\nz\n", Ok("a\n<!-- b -->\nnew\n<!-- e -->\nz\n"));
    check_splice("<!-- b -->\n<!-- e -->", Ok("<!-- b -->\nnew\n<!-- e -->"));
    check_splice("<!-- e -->\n<!-- b -->\nold\n<!-- e -->", Ok("<!-- e -->\n<!-- b -->\nnew\n<!-- e -->"));
    check_splice("no markers", Err("no `<!-- b -->` marker"));
    check_splice("<!-- b -->\nold", Err("no `<!-- e -->` marker"));
    check_splice("<!-- e -->\n<!-- b -->\nold", Err("comes before"));
}

#[test]
fn bench_lines_are_typed_and_the_committed_run_parses() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let jsonl =
        std::fs::read_to_string(root.join("docs/performance/bench.jsonl")).expect("docs/performance/bench.jsonl");
    let lines = zoo_bench::parse_lines(&jsonl).expect("every committed line parses");
    assert_eq!(lines.len(), jsonl.lines().count());
    assert!(lines.iter().any(|l| matches!(l, zoo_bench::Line::TrainStep(s) if s.implementation == "torch-eager")));
    let error = zoo_bench::parse_lines("{\"bench\":\"machine\"}").expect_err("a machine line needs its fields");
    assert!(error.to_string().contains("line 1"), "{error}");
}
