//! `cargo xtask bench`: our training step, activations and whole jobs beside the PyTorch and NumPy references
//! of `bench/reference`, in one run; writes the JSON lines and regenerates the README's Performance section.
//! `--gpu` times the step workloads on wgpu with a real adapter and PyTorch on CUDA instead.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use crate::{cargo, trainer};

/// Flags of `cargo xtask bench`.
#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// The references' virtual environment (with torch and numpy: bench/reference/README.md); skipped when absent.
    #[arg(long, default_value = "bench/reference/venv")]
    venv: PathBuf,
    /// The references' scripts.
    #[arg(long, default_value = "bench/reference")]
    scripts: PathBuf,
    /// Time the step workloads on a GPU instead: ours on wgpu with a hardware adapter, PyTorch on CUDA when the
    /// venv's torch sees one; lines to docs/performance/bench-gpu.jsonl (the README is not touched).
    #[arg(long)]
    gpu: bool,
    /// Seconds of timed steps per workload, ours and theirs.
    #[arg(long, default_value_t = 2.0)]
    min_time: f64,
    /// Where the JSON lines go (the README section is rendered from this file).
    #[arg(long, default_value = "docs/performance/bench.jsonl")]
    out: PathBuf,
    /// Only re-render the README section from `--out`, without measuring.
    #[arg(long)]
    render_only: bool,
}

/// Measures everything, writes `args.out`, and regenerates the README section from it.
pub fn bench(args: &BenchArgs) -> Result<()> {
    cargo(&["build", "--release", "--quiet", "-p", "trainer"])?;
    if args.gpu {
        return gpu(args);
    }
    if !args.render_only {
        let lines = measure(args)?;
        let text: String = lines.iter().map(|line| format!("{line}\n")).collect();
        write_atomic(&args.out, &text)?;
        eprintln!("wrote {} ({} lines)", args.out.display(), lines.len());
    }
    print!("{}", capture(Command::new(trainer()).args(["bench", "--report"]).arg(&args.out))?);
    let status =
        Command::new(trainer()).args(["bench", "--report"]).arg(&args.out).args(["--readme", "README.md"]).status()?;
    if !status.success() {
        bail!("trainer bench --report failed ({status})");
    }
    Ok(())
}

fn measure(args: &BenchArgs) -> Result<Vec<Value>> {
    let min_time = args.min_time.to_string();
    let mut lines = vec![machine()];
    for backend in ["flex", "ndarray"] {
        for threads in ["1", "2"] {
            eprintln!("ours: {backend}, {threads} thread(s)");
            lines.extend(ours(&["--backend", backend, "--threads", threads, "--min-time", &min_time])?);
            lines.extend(ours(&["--backend", backend, "--threads", threads, "--min-time", &min_time, "--gemm"])?);
        }
    }
    for threads in ["1", "2"] {
        eprintln!("ours: flex through Burn's ops (no fused layer), {threads} thread(s)");
        lines.extend(ours(&["--threads", threads, "--min-time", &min_time, "--kernels", "plain"])?);
    }
    lines.extend(ours(&["--activations", "--min-time", &min_time])?);
    for job in ["tiny-2000", "mnist-epoch", "mnist-probes"] {
        eprintln!("ours: job {job}");
        let mut command = Command::new(trainer());
        command.args(["bench", "--threads", "1", "--job", job]).env("MATMUL_NUM_THREADS", "1");
        lines.extend(timed_process(&mut command)?);
    }
    eprintln!("ours: quick sweep");
    lines.push(sweep()?);
    let python = args.venv.join("bin/python");
    if !python.is_file() {
        eprintln!("no reference venv at {} (bench/reference/README.md): references skipped", args.venv.display());
        return Ok(lines);
    }
    let script = |name: &str| args.scripts.join(name);
    let reference = |name: &str, extra: &[&str]| {
        let mut command = Command::new(&python);
        command.env_remove("OPENBLAS_CORETYPE").env_remove("OPENBLAS_L2_SIZE").arg(script(name)).args(extra);
        command
    };
    let workloads = "tiny,digits,mnist,wide,deep-relu,deep-sigmoid,deep-tanh";
    for threads in ["1", "2"] {
        eprintln!("references: {threads} thread(s)");
        let common = ["--threads", threads, "--min-time", &min_time];
        lines
            .extend(torch(parse_lines(&capture(reference("torch_mlp.py", &common).args(["--workloads", workloads]))?)));
        lines.extend(parse_lines(&capture(reference("numpy_mlp.py", &common).args(["--workloads", workloads]))?));
        lines.extend(parse_lines(&capture(&mut reference("gemm_peak.py", &["--lib", "numpy", "--threads", threads]))?));
    }
    lines.extend(torch(parse_lines(&capture(&mut reference("torch_mlp.py", &["--activations", "--threads", "1"]))?)));
    for job in ["tiny-2000", "mnist-epoch"] {
        eprintln!("references: job {job}");
        lines.extend(torch(timed_process(&mut reference("torch_mlp.py", &["--threads", "1", "--job", job]))?));
    }
    lines.extend(timed_process(&mut reference("numpy_mlp.py", &["--threads", "1", "--job", "mnist-epoch"]))?);
    Ok(lines)
}

/// The step workloads on wgpu with a hardware adapter, and PyTorch's on CUDA when the venv has a torch that sees
/// one, to `docs/performance/bench-gpu.jsonl`.
fn gpu(args: &BenchArgs) -> Result<()> {
    let min_time = args.min_time.to_string();
    let mut lines = vec![machine()];
    eprintln!("ours: wgpu");
    lines.extend(ours(&["--backend", "wgpu", "--wgpu-device", "discrete", "--min-time", &min_time])?);
    let python = args.venv.join("bin/python");
    let cuda = python.is_file()
        && capture(Command::new(&python).args(["-c", "import torch; print(torch.cuda.is_available())"]))
            .is_ok_and(|out| out.trim() == "True");
    if cuda {
        eprintln!("references: torch on cuda");
        let script = args.scripts.join("torch_mlp.py");
        let flags = ["--device", "cuda", "--threads", "1", "--min-time", &min_time];
        lines.extend(torch(parse_lines(&capture(Command::new(&python).arg(script).args(flags))?)));
    } else {
        eprintln!("no torch with CUDA in {}: PyTorch's GPU reference skipped", args.venv.display());
    }
    let out = Path::new("docs/performance/bench-gpu.jsonl");
    write_atomic(out, &lines.iter().map(|line| format!("{line}\n")).collect::<String>())?;
    for line in &lines {
        println!("{line}");
    }
    eprintln!("wrote {} ({} lines)", out.display(), lines.len());
    Ok(())
}

/// The quick sweep's trainings per minute, from its `claims.json`.
fn sweep() -> Result<Value> {
    let out = std::env::temp_dir().join(format!("zoo-bench-sweep-{}", std::process::id()));
    let started = std::time::Instant::now();
    capture(Command::new(trainer()).args(["sweep", "--quick", "--out"]).arg(&out))?;
    let wall = started.elapsed().as_secs_f64();
    let claims: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(out.join("claims.json"))?)?;
    let trials: u64 = claims.iter().filter_map(|c| c["trials"].as_u64()).sum();
    Ok(json!({"bench": "sweep", "impl": "burn-flex", "scale": "quick", "claims": claims.len(), "trials": trials,
        "wall_s": (wall * 10.0).round() / 10.0, "trials_per_minute": (trials as f64 / wall * 60.0).round()}))
}

/// torch_mlp.py leaves `impl` out of some lines (activations, env); name it.
fn torch(mut lines: Vec<Value>) -> Vec<Value> {
    for line in &mut lines {
        if line.get("impl").is_none() {
            line["impl"] = json!("torch-eager");
        }
    }
    lines
}

/// `trainer bench FLAGS`; ndarray's matmul (matrixmultiply) keeps its own threads, sized by
/// `MATMUL_NUM_THREADS`, which is set to the run's thread count.
fn ours(flags: &[&str]) -> Result<Vec<Value>> {
    let threads = flags.iter().position(|f| *f == "--threads").and_then(|i| flags.get(i + 1)).unwrap_or(&"1");
    Ok(parse_lines(&capture(Command::new(trainer()).arg("bench").args(flags).env("MATMUL_NUM_THREADS", threads))?))
}

/// Runs `command` under GNU time and adds the process's wall time and peak memory to its `job` line.
fn timed_process(command: &mut Command) -> Result<Vec<Value>> {
    let report = std::env::temp_dir().join(format!("zoo-bench-time-{}", std::process::id()));
    let program = command.get_program().to_owned();
    let mut timed = Command::new("/usr/bin/time");
    timed.args(["-f", "%e %M", "-o"]).arg(&report).arg(program).args(command.get_args());
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => timed.env(key, value),
            None => timed.env_remove(key),
        };
    }
    let mut lines =
        parse_lines(&capture(&mut timed).context("GNU time is needed for whole jobs (apt-get install time)")?);
    let text = std::fs::read_to_string(&report).context("GNU time wrote no report")?;
    let fields: Vec<f64> = text.split_whitespace().filter_map(|f| f.parse().ok()).collect();
    let [wall, kib] = fields[..] else { bail!("unexpected GNU time report: {text}") };
    for line in lines.iter_mut().filter(|line| line["bench"] == "job") {
        line["process_wall_s"] = json!(wall);
        line["process_peak_mib"] = json!((kib / 1024.0).round());
    }
    Ok(lines)
}

fn machine() -> Value {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model =
        cpuinfo.lines().find_map(|l| l.strip_prefix("model name")).map(|m| m.trim_start_matches([' ', '\t', ':']));
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let date = capture(Command::new("date").args(["-u", "+%Y-%m-%d"])).unwrap_or_default();
    json!({"bench": "machine", "cpu": model, "cores": cores, "date": date.trim()})
}

fn capture(command: &mut Command) -> Result<String> {
    let output = command.output().with_context(|| format!("cannot run {:?}", command.get_program()))?;
    if !output.status.success() {
        bail!("{:?} failed ({}): {}", command.get_program(), output.status, String::from_utf8_lossy(&output.stderr));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

fn parse_lines(text: &str) -> Vec<Value> {
    text.lines().filter_map(|line| serde_json::from_str(line).ok()).collect()
}

fn write_atomic(path: &Path, text: &str) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))
}
