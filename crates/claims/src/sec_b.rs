//! Section (b): the sigmoid saturates and kills gradients (vanishing gradients).

use burn::prelude::*;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use zoo_models::{ActivationKind, InitScheme, MlpConfig, loss};
use zoo_report::Figure;
use zoo_train::{host, norm, rms, saturated_fraction, std_dev as std};

use crate::data::normal_inputs;
use crate::figures::{chart, line, reference};
use crate::harness::Context;
use crate::{Claim, ClaimError, Finding, Measure, named};

/// b1: gradients at initialisation.
pub const B1: Claim = Claim {
    id: "b1",
    lesson: "Sigmoid saturates and kills gradients: the error signal vanishes on its way back",
    experiment: "at initialisation, 10 hidden layers of 64, 256 N(0,1) inputs with random labels, softmax CE: \
                 ρ_δ = rms(δ₁)/rms(δ₁₀) and ‖∂L/∂W₁‖/‖∂L/∂W₁₀‖ for sigmoid+Xavier, ReLU+He, tanh+Xavier \
                 (Xavier-normal, gain 1: σ² = 2/(fan_in + fan_out), which is 1/fan_in on the 64×64 layers)",
    threshold: "in every seed: sigmoid+Xavier ρ_δ < 1e-4 and ‖dW₁‖/‖dW₁₀‖ < 1e-3; ReLU+He ρ_δ in [0.3, 3]; \
                tanh+Xavier ρ_δ in [0.1, 2]",
    anchor: "Glorot & Bengio 2010, eq. 14 and Fig. 8: back-propagated gradients shrink layer by layer; \
             σ′ ≤ ¼ bounds the sigmoid's factor per layer",
    run: b1,
};

/// b2: the CS231n activation-statistics table.
pub const B2: Claim = Claim {
    id: "b2",
    lesson: "With a bad weight scale the activations of a deep tanh net collapse to 0 or saturate at ±1",
    experiment: "tanh, 10 layers of 500, no bias, inputs 1000×500 from N(0,1), at initialisation: per-layer \
                 activation std for weights N(0, 0.01²), N(0, 1), N(0, 1/fan_in); ReLU with He (N(0, 2/fan_in)) and, \
                 as a contrast, ReLU with LeCun (N(0, 1/fan_in), no √2); both gradient ratios",
    threshold: "N(0, 0.01²): every layer's std is 0.20–0.24 × the previous one; N(0, 1): std in [0.97, 0.99] and \
                ≥ 85 % of units saturated in every layer; 1/√fan_in: stds within ±0.03 of 0.627, 0.486, 0.409, \
                0.357, 0.320, 0.293, 0.271, 0.256, 0.243, 0.231; ReLU+He: every layer's median std over seeds in \
                [0.7, 1.0] and every seed's in [0.55, 1.25]; ReLU+LeCun: median std of layer 10 below 0.7 × \
                ReLU+He's",
    anchor: "Stanford CS231n lecture 6 (2017) table; He et al. 2015: std 0.01 shrinks the gradient reaching conv2 \
             of a 10-layer net to 1/(1.7×10⁴)",
    run: b2,
};

/// What one backward pass of softmax cross-entropy shows, per layer (input side first, output layer last).
pub(crate) struct Backprop {
    /// Activations aℓ on the host, row-major `[batch, width]` (the last entry: the logits).
    pub a: Vec<Vec<f32>>,
    /// δℓ = ∂L/∂zℓ on the host, row-major `[batch, width]`.
    pub delta: Vec<Vec<f32>>,
    /// ‖∂L/∂Wℓ‖ (Frobenius).
    pub weight_grad_norm: Vec<f64>,
}

/// Builds `config` from `seed`, feeds the row-major `[batch, d_input]` inputs `x`, takes softmax cross-entropy
/// against random labels (seeded) and back-propagates once; reads activations, δ and weight gradients back.
pub(crate) fn backprop(config: &MlpConfig, seed: u64, x: Vec<f32>, device: &Device) -> Backprop {
    let device = device.clone().autodiff();
    let batch = x.len() / config.d_input.max(1);
    let mlp = config.init_seeded(seed, &device);
    let mut rng = StdRng::seed_from_u64(seed ^ 0x1ABE1);
    let labels: Vec<i64> = (0..batch).map(|_| rng.random_range(0..config.d_output as i64)).collect();
    let x = Tensor::<2>::from_data(TensorData::new(x, [batch, config.d_input]), &device);
    let y = Tensor::<1, Int>::from_data(TensorData::new(labels, [batch]), &device);
    let taps = mlp.taps(batch, &device);
    let trace = mlp.forward_tapped(x, &taps);
    let grads = loss::cross_entropy(trace.logits(), y).backward();
    Backprop {
        a: trace.a.iter().map(|a| host(a.clone().inner())).collect(),
        delta: taps.iter().map(|t| t.grad(&grads).map(host).unwrap_or_default()).collect(),
        weight_grad_norm: mlp
            .layers
            .iter()
            .map(|l| l.weight.val().grad(&grads).map_or(0.0, |g| norm(&host(g))))
            .collect(),
    }
}

impl Backprop {
    /// ρ_δ = rms(δ of layer `first`) / rms(δ of layer `last`) (0-based layer indices).
    pub fn rho_delta(&self, first: usize, last: usize) -> f64 {
        rms(&self.delta[first]) / rms(&self.delta[last])
    }

    /// ‖∂L/∂W of layer `first`‖ / ‖∂L/∂W of layer `last`‖.
    pub fn weight_ratio(&self, first: usize, last: usize) -> f64 {
        self.weight_grad_norm[first] / self.weight_grad_norm[last]
    }
}

fn b1(ctx: &Context) -> Result<Finding, ClaimError> {
    let seeds = ctx.seeds(10, 5);
    let (depth, width, batch) = (10, 64, 256);
    let arms = [
        ("sigmoid+xavier", ActivationKind::Sigmoid, InitScheme::XavierNormal),
        ("relu+he", ActivationKind::Relu, InitScheme::HeNormal),
        ("tanh+xavier", ActivationKind::Tanh, InitScheme::XavierNormal),
    ];
    let trials: Vec<(usize, u64)> = (0..arms.len()).flat_map(|a| seeds.iter().map(move |s| (a, *s))).collect();
    let passes = ctx.parallel(&trials, |(a, seed)| {
        let config = MlpConfig::new(width, vec![width; depth], 10).with_activation(arms[*a].1).with_init(arms[*a].2);
        let pass = backprop(&config, *seed, normal_inputs(batch, width, *seed), &ctx.device);
        let deltas: Vec<f64> = pass.delta[..depth].iter().map(|d| rms(d)).collect();
        (
            (pass.rho_delta(0, depth - 1), pass.weight_ratio(0, depth - 1)),
            deltas,
            pass.weight_grad_norm[..depth].to_vec(),
        )
    });
    let ratios: Vec<(f64, f64)> = passes.iter().map(|p| p.0).collect();
    let n = seeds.len();
    // Per arm, layer 1..depth against the median over seeds of rms(δ) (`part` 0) or ‖∂L/∂W‖ (1).
    let layers = |a: usize, part: usize| -> Vec<(f64, f64)> {
        let at = |p: &(_, Vec<f64>, Vec<f64>), l: usize| if part == 0 { p.1[l] } else { p.2[l] };
        (0..depth)
            .map(|l| {
                ((l + 1) as f64, Measure::new("", passes[a * n..(a + 1) * n].iter().map(|p| at(p, l)).collect()).median)
            })
            .collect()
    };
    let figure = |part: usize, title: &str, y: &str| {
        let lines = arms.iter().enumerate().map(|(a, arm)| line(arm.0, layers(a, part))).collect();
        Figure::Lines(chart(title, "hidden layer (1 = input side)", y, (false, true), lines))
    };
    let figures = vec![
        figure(0, "error signal rms(δ) per layer at initialisation (median over seeds)", "rms(δ)"),
        figure(1, "weight gradient ‖∂L/∂W‖ per layer at initialisation (median)", "‖∂L/∂W‖"),
    ];
    let per_arm = |a: usize, pick: fn(&(f64, f64)) -> f64| {
        ratios[a * seeds.len()..(a + 1) * seeds.len()].iter().map(pick).collect()
    };
    let mut measured = Vec::new();
    for (a, (arm, _, _)) in arms.iter().enumerate() {
        measured.push(Measure::new(format!("rho_delta {arm}"), per_arm(a, |r| r.0)));
        measured.push(Measure::new(format!("weight-grad ratio {arm}"), per_arm(a, |r| r.1)));
    }
    let (sig_rho, sig_w, relu_rho, tanh_rho) = (
        named(&measured, "rho_delta sigmoid+xavier")?,
        named(&measured, "weight-grad ratio sigmoid+xavier")?,
        named(&measured, "rho_delta relu+he")?,
        named(&measured, "rho_delta tanh+xavier")?,
    );
    let holds = sig_rho.all(|r| r < 1e-4)
        && sig_w.all(|r| r < 1e-3)
        && relu_rho.all(|r| (0.3..=3.0).contains(&r))
        && tanh_rho.all(|r| (0.1..=2.0).contains(&r));
    let reason = format!(
        "ρ_δ sigmoid max {:.1e} (‖dW₁‖/‖dW₁₀‖ max {:.1e}); ReLU+He {:.2}–{:.2}; tanh+Xavier {:.2}–{:.2} over {} seeds",
        sig_rho.max,
        sig_w.max,
        relu_rho.min,
        relu_rho.max,
        tanh_rho.min,
        tanh_rho.max,
        seeds.len()
    );
    Ok(Finding::new(holds, reason, measured, &seeds).on("N(0,1) inputs, random labels").with_figures(figures))
}

/// The CS231n table for tanh with weights N(0, 1/fan_in), layers 1–10.
const CS231N_XAVIER: [f64; 10] = [0.627, 0.486, 0.409, 0.357, 0.320, 0.293, 0.271, 0.256, 0.243, 0.231];

fn b2(ctx: &Context) -> Result<Finding, ClaimError> {
    let seeds = ctx.seeds(10, 2);
    let (depth, width, batch) = (10, 500, 1000);
    let arms = [
        ("tanh N(0,0.01²)", ActivationKind::Tanh, InitScheme::Normal { std: 0.01 }),
        ("tanh N(0,1)", ActivationKind::Tanh, InitScheme::Normal { std: 1.0 }),
        ("tanh N(0,1/fan_in)", ActivationKind::Tanh, InitScheme::LecunNormal),
        ("relu+he", ActivationKind::Relu, InitScheme::HeNormal),
        ("relu+lecun", ActivationKind::Relu, InitScheme::LecunNormal),
    ];
    let trials: Vec<(usize, u64)> = (0..arms.len()).flat_map(|a| seeds.iter().map(move |s| (a, *s))).collect();
    let stats = ctx.parallel(&trials, |(a, seed)| {
        let (_, activation, init) = arms[*a];
        let config =
            MlpConfig::new(width, vec![width; depth], 10).with_activation(activation).with_init(init).with_bias(false);
        let x = normal_inputs(batch, width, *seed);
        let input_std = std(&x);
        let pass = backprop(&config, *seed, x, &ctx.device);
        let stds: Vec<f64> = pass.a[..depth].iter().map(|a| std(a)).collect();
        LayerStats {
            ratios: stds.iter().enumerate().map(|(l, s)| s / if l == 0 { input_std } else { stds[l - 1] }).collect(),
            saturated: pass.a[..depth].iter().map(|a| saturated_fraction(activation, a).unwrap_or(0.0)).collect(),
            stds,
            rho: pass.rho_delta(0, depth - 1),
            weight_ratio: pass.weight_ratio(0, depth - 1),
        }
    });
    let n = seeds.len();
    let mut measured = Vec::new();
    let mut checks = Vec::new();
    let mut curves = Vec::new();
    for (a, (arm, _, _)) in arms.iter().enumerate() {
        let of_arm = &stats[a * n..(a + 1) * n];
        let per_layer = |name: &str, pick: fn(&LayerStats) -> &Vec<f64>| -> Vec<Measure> {
            (0..depth)
                .map(|l| {
                    Measure::new(format!("{name} layer {} {arm}", l + 1), of_arm.iter().map(|s| pick(s)[l]).collect())
                })
                .collect()
        };
        let stds = per_layer("activation std", |s| &s.stds);
        curves.push(line(*arm, crate::figures::per_layer(&stds)));
        if a == 2 {
            let table = CS231N_XAVIER.iter().enumerate().map(|(l, s)| ((l + 1) as f64, *s)).collect();
            curves.push(reference("CS231n's table for N(0,1/fan_in)", table));
        }
        let (lo, hi) = extremes(&stds);
        let check = match a {
            0 => {
                let ratios = per_layer("std ratio to previous", |s| &s.ratios);
                let (lo, hi) = extremes(&ratios);
                measured.extend(ratios);
                (lo >= 0.20 && hi <= 0.24, format!("N(0,0.01²) std ratios {lo:.3}–{hi:.3}"))
            }
            1 => {
                let saturated = per_layer("saturated share", |s| &s.saturated);
                let (sat, _) = extremes(&saturated);
                measured.extend(saturated);
                (
                    lo >= 0.97 && hi <= 0.99 && sat >= 0.85,
                    format!("N(0,1) std {lo:.3}–{hi:.3}, saturated ≥ {:.1} %", 100.0 * sat),
                )
            }
            2 => {
                let off = stds
                    .iter()
                    .zip(CS231N_XAVIER)
                    .flat_map(|(m, table)| m.per_seed.iter().map(move |v| (v - table).abs()))
                    .fold(0.0, f64::max);
                (off <= 0.03, format!("1/√fan_in largest deviation from the CS231n table {off:.3}"))
            }
            3 => {
                let (mid_lo, mid_hi) = median_range(&stds);
                (
                    mid_lo >= 0.7 && mid_hi <= 1.0 && lo >= 0.55 && hi <= 1.25,
                    format!("ReLU+He median std per layer {mid_lo:.3}–{mid_hi:.3}, every seed {lo:.3}–{hi:.3}"),
                )
            }
            _ => {
                // The contrast: without He's √2 each ReLU layer halves the second moment; the band must tell it apart.
                let he = named(&measured, &format!("activation std layer {depth} relu+he"))?.median;
                let lecun = stds[depth - 1].median;
                (
                    lecun < 0.7 * he,
                    format!(
                        "ReLU+LeCun median std at layer {depth} {lecun:.3} vs ReLU+He {he:.3} (ratio {:.2})",
                        lecun / he
                    ),
                )
            }
        };
        measured.extend(stds);
        measured.push(Measure::new(format!("rho_delta {arm}"), of_arm.iter().map(|s| s.rho).collect()));
        measured
            .push(Measure::new(format!("weight-grad ratio {arm}"), of_arm.iter().map(|s| s.weight_ratio).collect()));
        checks.push(check);
    }
    let holds = checks.iter().all(|c| c.0);
    let reason: Vec<String> = checks.into_iter().map(|c| c.1).collect();
    let figure = chart(
        "activation std per layer, 10 layers of 500: tanh, ReLU+He, ReLU+LeCun (median over seeds)",
        "hidden layer",
        "std of the activations",
        (false, true),
        curves,
    );
    Ok(Finding::new(holds, reason.join("; "), measured, &seeds)
        .on("N(0,1) inputs 1000×500")
        .with_figures(vec![Figure::Lines(figure)]))
}

/// One b2 network's hidden layers at initialisation.
struct LayerStats {
    /// Activation std per layer.
    stds: Vec<f64>,
    /// Each layer's std over the previous one's (layer 1: over the input's).
    ratios: Vec<f64>,
    /// Saturated share per layer (0 for ReLU).
    saturated: Vec<f64>,
    /// ρ_δ between the first and the last hidden layer.
    rho: f64,
    /// ‖∂L/∂W₁‖ / ‖∂L/∂W₁₀‖.
    weight_ratio: f64,
}

/// The smallest and largest median of `measures`.
fn median_range(measures: &[Measure]) -> (f64, f64) {
    measures.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), m| (lo.min(m.median), hi.max(m.median)))
}

/// The smallest and largest value over every seed of every measure.
fn extremes(measures: &[Measure]) -> (f64, f64) {
    measures.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), m| (lo.min(m.min), hi.max(m.max)))
}
