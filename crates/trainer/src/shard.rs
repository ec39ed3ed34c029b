//! Which shard of a sweep this process is: `--shard i/n`, a Slurm job array task, or a Kubernetes Indexed Job.

use anyhow::{Context as _, Result, bail};
use zoo_claims::Mode;

/// The environment variables a cluster sets, read once.
#[derive(Debug, Default, Clone)]
pub struct ClusterEnv {
    /// `SLURM_ARRAY_TASK_ID`, `SLURM_ARRAY_TASK_COUNT`, `SLURM_ARRAY_TASK_MIN`, `SLURM_ARRAY_TASK_STEP`.
    pub slurm: [Option<String>; 4],
    /// `JOB_COMPLETION_INDEX` (Kubernetes Indexed Jobs, 0-based).
    pub k8s_index: Option<String>,
}

impl ClusterEnv {
    /// The variables of this process.
    pub fn current() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        Self {
            slurm: ["SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_STEP"]
                .map(var),
            k8s_index: var("JOB_COMPLETION_INDEX"),
        }
    }
}

/// The mode of this process from `--shard`, `--shards` and the environment.
pub fn mode(shard: Option<&str>, shards: Option<u64>) -> Result<Mode> {
    mode_in(shard, shards, &ClusterEnv::current())
}

/// [`mode`] with the environment given: an explicit `--shard i/n` (1-based) first; then a Kubernetes index with
/// `--shards n`; then a Slurm array task (index = (ID − MIN) / STEP, so arrays from 1 and with steps work);
/// else the whole sweep.
pub fn mode_in(shard: Option<&str>, shards: Option<u64>, env: &ClusterEnv) -> Result<Mode> {
    if let Some(text) = shard {
        let bad = || format!("invalid --shard `{text}`: expected i/n with 1 ≤ i ≤ n (e.g. 2/8)");
        let (i, n) = text.split_once('/').with_context(bad)?;
        let (i, n): (u64, u64) = (i.trim().parse().with_context(bad)?, n.trim().parse().with_context(bad)?);
        if i == 0 || i > n {
            bail!("{}", bad());
        }
        return Ok(Mode::Shard { index: i - 1, count: n });
    }
    if let Some(count) = shards {
        let index = env.k8s_index.as_deref().with_context(
            || "--shards needs JOB_COMPLETION_INDEX (set by a Kubernetes Indexed Job); elsewhere use --shard i/n",
        )?;
        let index: u64 =
            index.trim().parse().with_context(|| format!("JOB_COMPLETION_INDEX `{index}` is not a number"))?;
        if index >= count {
            bail!("JOB_COMPLETION_INDEX {index} is not below --shards {count}: set --shards to the job's completions");
        }
        return Ok(Mode::Shard { index, count });
    }
    let [Some(id), count, min, step] = &env.slurm else { return Ok(Mode::Train) };
    let number = |name: &str, value: Option<&String>, default: Option<u64>| -> Result<u64> {
        match value {
            Some(v) => v.trim().parse().with_context(|| format!("{name} `{v}` is not a number")),
            None => default.with_context(|| format!("{name} is not set: is this a Slurm job array (sbatch --array)?")),
        }
    };
    let id = number("SLURM_ARRAY_TASK_ID", Some(id), None)?;
    let count = number("SLURM_ARRAY_TASK_COUNT", count.as_ref(), None)?;
    let min = number("SLURM_ARRAY_TASK_MIN", min.as_ref(), Some(0))?;
    let step = number("SLURM_ARRAY_TASK_STEP", step.as_ref(), Some(1))?.max(1);
    let offset = id.checked_sub(min).filter(|o| o % step == 0).with_context(|| {
        format!("SLURM_ARRAY_TASK_ID {id} is not MIN {min} plus a multiple of STEP {step}: use --array=A-B[:S]")
    })?;
    let index = offset / step;
    if count == 0 || index >= count {
        bail!("SLURM_ARRAY_TASK_ID {id} gives shard {index}, but the array has {count} tasks");
    }
    Ok(Mode::Shard { index, count })
}
