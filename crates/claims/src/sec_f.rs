//! Section (f): softmax turns K scores into probabilities that sum to 1 — and what floating point does to (0, 1).

use burn::prelude::*;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, StandardNormal};
use zoo_datasets::{DataSource, Targets};
use zoo_models::{ActivationKind, InitScheme, MlpConfig, loss};

use zoo_train::{DeviceSet, TrainConfig, fit_model_to_data, host};

use crate::data::prepared;
use crate::figures;
use crate::harness::Context;
use crate::{Claim, ClaimError, Finding, Measure, named};

/// f: softmax.
pub const F: Claim = Claim {
    id: "f",
    lesson: "Softmax turns K scores into probabilities in (0, 1) that sum to 1",
    experiment: "Burn's softmax (f32) on 10⁵ vectors per distribution, K uniform in 2…100, entries from U[−1000, 1000] \
                 (multiples of 2⁻¹⁰) and N(0, 1) (multiples of 2⁻¹⁶), shifted by integers so z + c is exact; ∂CE/∂z by \
                 f64 centred differences (h = 1e-5) on every 4th vector (≤ 2000 per seed); mean CE of small-weight MLPs (N(0, 0.01²)) \
                 on iris (K = 3), gaussians (K = 5) and digits (K = 10)",
    threshold: "every output finite and in [0, 1], in (0, 1) for N(0, 1) entries; |Σp − 1| ≤ 1e-5; |p(z + c) − p(z)| ≤ \
                1e-6; argmax preserved in every vector; |finite difference − (p − y)| ≤ 1e-5; mean CE within ln K ± 0.05 \
                in every seed",
    anchor: "the definition pᵢ = e^{zᵢ} / Σⱼ e^{zⱼ}; ∂(−log p_y)/∂z = p − onehot(y); CE at init ≈ ln K (2.302 for 10 classes)",
    run: f,
};

/// What one seed's vectors of one distribution showed.
#[derive(Debug, Clone, Copy, Default)]
struct Checks {
    non_finite: usize,
    out_of_range: usize,
    /// Outputs exactly 0 or exactly 1.
    closed: usize,
    outputs: usize,
    sum_error: f64,
    shift_error: f64,
    argmax_changed: usize,
    grad_error: f64,
}

fn f(ctx: &Context) -> Result<Finding, ClaimError> {
    let seeds = ctx.seeds(10, 3);
    let per_seed = ctx.pick(10_000, 3_334);
    let checks: Vec<[Checks; 2]> = ctx.parallel(&seeds, |seed| {
        [check_vectors(*seed, per_seed, true, &ctx.device), check_vectors(*seed, per_seed, false, &ctx.device)]
    });
    let sets = [
        ("iris", DataSource::Iris, 3usize),
        ("gaussians", DataSource::Gaussians { n: 400, k: 5, std: 1.0 }, 5),
        ("digits", DataSource::Digits, 10),
    ];
    let items: Vec<(usize, u64)> = (0..sets.len()).flat_map(|d| seeds.iter().map(move |s| (d, *s))).collect();
    let losses: Vec<f64> = ctx.parallel(&items, |(d, seed)| initial_loss(sets[*d].1.clone(), *seed, &ctx.device));

    let mut measured = Vec::new();
    let mut holds = true;
    let mut parts = Vec::new();
    for (i, name) in ["U[−1000, 1000]", "N(0, 1)"].iter().enumerate() {
        let c = |f: fn(&Checks) -> f64| checks.iter().map(|c| f(&c[i])).collect::<Vec<f64>>();
        let m = [
            Measure::new(format!("non-finite outputs {name}"), c(|c| c.non_finite as f64)),
            Measure::new(format!("outputs outside [0, 1] {name}"), c(|c| c.out_of_range as f64)),
            Measure::new(
                format!("share of outputs exactly 0 or 1 {name}"),
                c(|c| c.closed as f64 / c.outputs.max(1) as f64),
            ),
            Measure::new(format!("max |Σp − 1| {name}"), c(|c| c.sum_error)),
            Measure::new(format!("max |p(z + c) − p(z)| {name}"), c(|c| c.shift_error)),
            Measure::new(format!("argmax changed {name}"), c(|c| c.argmax_changed as f64)),
            Measure::new(format!("max |finite difference − (p − y)| {name}"), c(|c| c.grad_error)),
        ];
        holds &= m[0].max == 0.0
            && m[1].max == 0.0
            && m[3].max <= 1e-5
            && m[4].max <= 1e-6
            && m[5].max == 0.0
            && m[6].max <= 1e-5;
        if i == 1 {
            holds &= m[2].max == 0.0;
        }
        parts.push(format!(
            "{name}: max |Σp − 1| {:.1e}, shift {:.1e}, gradient {:.1e}, {} non-finite, {} outside [0, 1], {} argmax changes",
            m[3].max, m[4].max, m[6].max, m[0].max, m[1].max, m[5].max
        ));
        measured.extend(m);
    }
    for (d, (name, _, k)) in sets.iter().enumerate() {
        let m = Measure::new(
            format!("initial mean CE {name} (ln {k} = {:.3})", (*k as f64).ln()),
            losses[d * seeds.len()..(d + 1) * seeds.len()].to_vec(),
        );
        holds &= m.all(|l| (l - (*k as f64).ln()).abs() <= 0.05);
        parts.push(format!("initial CE {name} {:.4} (ln {k} = {:.4})", m.median, (*k as f64).ln()));
        measured.push(m);
    }
    let zeros = named(&measured, "share of outputs exactly 0 or 1 U[−1000, 1000]")?.median;
    let reason = format!(
        "{} vectors per distribution — {}. Caveat: (0, 1) does not survive f32 — {:.1} % of the U[−1000, 1000] outputs \
         are exactly 0 or 1 (e^−gap underflows for gaps above ~103); [0, 1] holds always, (0, 1) for the N(0, 1) vectors",
        per_seed * seeds.len(),
        parts.join("; "),
        100.0 * zeros,
    );
    let initial: Vec<&Measure> = measured.iter().filter(|m| m.name.starts_with("initial mean CE")).collect();
    let figure = figures::per_seed(
        "cross-entropy of an untrained net against ln K, per data set",
        "initial mean CE",
        &initial,
        &seeds,
        false,
    );
    Ok(Finding::new(holds, reason, measured, &seeds)
        .on("random score vectors; iris, gaussians, digits")
        .with_figures(vec![figure]))
}

/// Draws `n` vectors (K uniform in 2..=100) from one distribution and checks Burn's softmax on them.
fn check_vectors(seed: u64, n: usize, uniform: bool, device: &Device) -> Checks {
    let mut rng = StdRng::seed_from_u64(seed ^ if uniform { 0xF0 } else { 0xF1 });
    let mut by_k: Vec<usize> = vec![0; 101];
    for _ in 0..n {
        by_k[rng.random_range(2..=100usize)] += 1;
    }
    let mut checks = Checks::default();
    let mut gradients_left = 2000usize;
    for (k, count) in by_k.iter().enumerate().filter(|(_, c)| **c > 0) {
        // Entries on a grid fine enough to look continuous, coarse enough that z + c is exact in f32.
        let entry = |rng: &mut StdRng| -> f32 {
            if uniform {
                (rng.random_range(-1000.0f64..1000.0) * 1024.0).round() as f32 / 1024.0
            } else {
                let v: f64 = StandardNormal.sample(rng);
                (v.clamp(-7.0, 7.0) * 65536.0).round() as f32 / 65536.0
            }
        };
        let z: Vec<f32> = (0..count * k).map(|_| entry(&mut rng)).collect();
        let bound = if uniform { 1000i32 } else { 64 };
        let shifts: Vec<f32> = (0..*count).map(|_| rng.random_range(-bound..=bound) as f32).collect();
        let shifted: Vec<f32> = z.iter().enumerate().map(|(i, v)| v + shifts[i / k]).collect();
        let p = host(loss::softmax(Tensor::from_data(TensorData::new(z.clone(), [*count, k]), device)));
        let q = host(loss::softmax(Tensor::from_data(TensorData::new(shifted, [*count, k]), device)));
        for (row, (zr, (pr, qr))) in z.chunks(k).zip(p.chunks(k).zip(q.chunks(k))).enumerate() {
            checks.outputs += k;
            checks.non_finite += pr.iter().filter(|v| !v.is_finite()).count();
            checks.out_of_range += pr.iter().filter(|v| !(0.0..=1.0).contains(*v)).count();
            checks.closed += pr.iter().filter(|v| **v == 0.0 || **v == 1.0).count();
            let sum: f64 = pr.iter().map(|v| f64::from(*v)).sum();
            checks.sum_error = checks.sum_error.max((sum - 1.0).abs());
            let shift = pr.iter().zip(qr).map(|(a, b)| f64::from((a - b).abs())).fold(0.0, f64::max);
            checks.shift_error = checks.shift_error.max(shift);
            checks.argmax_changed += usize::from(argmax(zr) != argmax(pr));
            if gradients_left > 0 && row % 4 == 0 {
                gradients_left -= 1;
                let label = rng.random_range(0..k);
                checks.grad_error = checks.grad_error.max(gradient_error(zr, pr, label));
            }
        }
    }
    checks
}

/// The first index of the largest value.
fn argmax(values: &[f32]) -> usize {
    values.iter().enumerate().fold(0, |best, (i, v)| if *v > values[best] { i } else { best })
}

/// max |∂CE/∂zᵢ by f64 centred differences − (pᵢ − yᵢ)| for CE(z) = log Σ e^z − z_y.
fn gradient_error(z: &[f32], p: &[f32], label: usize) -> f64 {
    const H: f64 = 1e-5;
    let z: Vec<f64> = z.iter().map(|v| f64::from(*v)).collect();
    let ce = |z: &[f64]| {
        let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        max + z.iter().map(|v| (v - max).exp()).sum::<f64>().ln() - z[label]
    };
    (0..z.len())
        .map(|i| {
            let (mut up, mut down) = (z.clone(), z.clone());
            up[i] += H;
            down[i] -= H;
            let numeric = (ce(&up) - ce(&down)) / (2.0 * H);
            let analytic = f64::from(p[i]) - f64::from(u8::from(i == label));
            (numeric - analytic).abs()
        })
        .fold(0.0, f64::max)
}

/// Mean softmax cross-entropy of a fresh tanh MLP with N(0, 0.01²) weights on a seed's training split.
fn initial_loss(source: DataSource, seed: u64, device: &Device) -> f64 {
    let model = MlpConfig::new(1, vec![32], 0)
        .with_activation(ActivationKind::Tanh)
        .with_init(InitScheme::Normal { std: 0.01 });
    let config = TrainConfig::new(source, model).with_seed(seed);
    let data = prepared(&config);
    let mlp = fit_model_to_data(config.model.clone(), &data.split.train).init_seeded(seed, device);
    let set = DeviceSet::new(&data.split.train, device);
    match set.y {
        Targets::Classes(y) => f64::from(loss::cross_entropy(mlp.forward(set.x), y).into_scalar::<f32>()),
        Targets::Values(_) => f64::NAN,
    }
}
