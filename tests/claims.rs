//! Every claim at small scale (`--quick`), and the exact ones at full strength, against the verdicts measured
//! on this code. A claim that does not reproduce is expected to say so (`Fails`), with the reason printed; a
//! changed verdict — either way — fails the test until the table (and the README/notes) are updated.

use burn::prelude::*;
use zoo_claims::{CLAIMS, Context, Scale, Verdict, run_claims};

/// Exact claims (algebra, single networks, cheap): run with the full protocol.
const EXACT: &[(&str, Verdict)] = &[
    ("a1", Verdict::Holds),
    ("c1", Verdict::Holds),
    ("e3", Verdict::Holds),
    ("f", Verdict::Holds),
    ("g2", Verdict::Holds),
    ("h3", Verdict::Holds),
    ("i1", Verdict::Holds),
    ("i2", Verdict::Holds),
];

/// Everything else at quick scale.
const QUICK: &[(&str, Verdict)] = &[
    ("a2", Verdict::Holds),
    // Quick scale (60 epochs, rates 0.03–0.3) is too short for the two-spirals (2 turns, best linear accuracy
    // ~50 %): ReLU reaches ~81 % test accuracy, tanh ~63 % (circles: 100 %). At full scale a3 holds (ReLU 98 %).
    ("a3", Verdict::Fails),
    ("b1", Verdict::Holds),
    ("b2", Verdict::Holds),
    // Exploratory (Glorot & Bengio Fig. 2): at quick scale (lr 0.3 chosen of 0.1–1) the top sigmoid layer does
    // fall below 0.1 within 2 epochs, but layer 4 has risen to ~0.63 by then, outside [0.4, 0.6]; at full scale the
    // sigmoid net stays on its chance plateau at every rate, so training-loss tuning picks lr 0.003 and nothing
    // saturates.
    ("b3", Verdict::Fails),
    ("c2", Verdict::Holds),
    // Quick scale has 3 seeds, so the 70 % rule needs all 3: through the fused layer (other rounding than Burn's
    // ops) σ − ½ reaches 98 % faster than σ in 2 of 3 (median epochs σ 58.1, σ − ½ 26.8, tanh 3.7).
    ("c3", Verdict::Fails),
    // On the two-spirals ReLU reaches 95 % in ~83 epochs; tanh and sigmoid not within the 300-epoch budget.
    ("d1", Verdict::Holds),
    ("e1", Verdict::Holds),
    // Quick scale (3 seeds, every other rate of the √2 grid) skips 0.453 and 0.905: the largest healthy rates are
    // 0.32–0.64 and the median dead fraction there is 0.115 < 0.20. Full scale (10 seeds, the whole grid) holds.
    ("e2", Verdict::Fails),
    ("g1", Verdict::Holds),
    ("h1", Verdict::Holds),
    ("h2", Verdict::Holds),
    ("i3", Verdict::Holds),
];

fn context(scale: Scale, store: Option<zoo_claims::Store>) -> Context {
    let mut ctx = Context::new(Device::flex(), scale);
    ctx.jobs = 2;
    ctx.f64_device = zoo_claims::configure_f64_device();
    ctx.store = store;
    ctx
}

fn check(expected: &[(&str, Verdict)], scale: Scale) {
    let claims: Vec<&zoo_claims::Claim> =
        expected.iter().filter_map(|(id, _)| CLAIMS.iter().find(|c| c.id == *id)).collect();
    assert_eq!(claims.len(), expected.len(), "unknown claim among {expected:?}");
    let ctx = context(scale, None);
    let results = run_claims(&claims, &ctx, &mut |r| {
        eprintln!("{} {:?} {:.1}s: {}", r.id, r.finding.verdict, r.seconds, r.finding.reason)
    });
    for (result, (_, verdict)) in results.iter().zip(expected) {
        assert_eq!(
            result.finding.verdict, *verdict,
            "claim {} at {scale:?} scale: {}",
            result.id, result.finding.reason
        );
        assert!(!result.finding.measured.is_empty(), "claim {} measured nothing", result.id);
        for (claim, name, stat, lo, hi) in NUMBERS.iter().filter(|n| n.0 == result.id) {
            let measure = result.finding.measure(name).unwrap_or_else(|| panic!("claim {claim} measured no `{name}`"));
            let value = match stat {
                Stat::Median => measure.median,
                Stat::Min => measure.min,
                Stat::Max => measure.max,
            };
            assert!((*lo..=*hi).contains(&value), "claim {claim}: {stat:?} of `{name}` = {value} outside [{lo}, {hi}]");
        }
    }
}

/// Which number of a measure a band applies to.
#[derive(Debug)]
enum Stat {
    Median,
    Min,
    Max,
}

/// The measured quantities each claim's test run must land on (bands from the full sweep in docs/claims.json,
/// wide enough for the quick run's fewer seeds): a broken experiment fails here even when its verdict does not
/// change.
const NUMBERS: &[(&str, &str, Stat, f64, f64)] = &[
    ("a1", "relative error depth 10", Stat::Max, 0.0, 1e-5),
    ("a2", "loss identity depth 3", Stat::Median, 0.6925, 0.6935),
    ("a2", "loss tanh 2-8-1", Stat::Max, 0.0, 0.05),
    ("a3", "best linear training accuracy on circles", Stat::Median, 0.45, 0.6),
    ("a3", "best linear training accuracy on two-spirals", Stat::Median, 0.45, 0.56),
    ("a3", "test accuracy tanh on circles", Stat::Median, 0.97, 1.0),
    ("a3", "test accuracy identity on circles", Stat::Median, 0.3, 0.6),
    ("b2", "std ratio to previous layer 5 tanh N(0,0.01²)", Stat::Median, 0.20, 0.24),
    ("b2", "activation std layer 10 tanh N(0,1/fan_in)", Stat::Median, 0.20, 0.26),
    ("b2", "activation std layer 10 relu+he", Stat::Median, 0.7, 1.0),
    ("b2", "activation std layer 10 relu+lecun", Stat::Median, 0.01, 0.05),
    ("b3", "test error tanh+xavier", Stat::Median, 0.0, 0.08),
    ("b3", "sigmoid final mean activation layer 1", Stat::Median, 0.4, 0.6),
    ("b1", "rho_delta sigmoid+xavier", Stat::Max, 1e-7, 1e-5),
    ("b1", "weight-grad ratio sigmoid+xavier", Stat::Max, 1e-8, 1e-5),
    ("b1", "rho_delta relu+he", Stat::Median, 0.7, 1.4),
    ("b1", "rho_delta tanh+xavier", Stat::Median, 0.15, 0.45),
    ("c1", "single-signed share per example sigmoid", Stat::Min, 1.0, 1.0),
    ("c1", "single-signed share per example tanh", Stat::Max, 0.0, 0.01),
    ("c1", "single-signed share minibatch-32 sum sigmoid", Stat::Median, 0.4, 0.75),
    ("c2", "steps to optimum c=0", Stat::Median, 20.0, 80.0),
    ("c2", "steps to optimum c=3", Stat::Median, 3000.0, 12000.0),
    ("c2", "steps(c=3)/steps(c=0) per seed", Stat::Min, 20.0, 1000.0),
    ("c3", "epochs to 98 % tanh", Stat::Median, 1.0, 8.0),
    ("c3", "epochs to 98 % sigmoid-centered", Stat::Median, 5.0, 40.0),
    ("d1", "best linear training accuracy on two-spirals", Stat::Median, 0.45, 0.56),
    ("d1", "epochs to 95 % relu+he on two-spirals", Stat::Median, 30.0, 150.0),
    ("e1", "P(constant) width 2 depth 10", Stat::Median, 0.85, 0.95),
    ("e1", "P(constant) width 3 depth 10", Stat::Median, 0.55, 0.70),
    ("e1", "P(constant) width 5 depth 10", Stat::Median, 0.08, 0.22),
    ("e1", "P(constant) width 10 depth 10", Stat::Max, 0.0, 0.02),
    ("e2", "dead fraction lr 0.100", Stat::Median, 0.02, 0.1),
    ("e2", "training accuracy lr 0.1", Stat::Median, 0.95, 1.0),
    ("e3", "largest |gradient| of the forced unit", Stat::Max, 0.0, 0.0),
    ("e3", "largest |gradient| of the other units", Stat::Min, 0.05, 10.0),
    ("f", "max |Σp − 1| U[−1000, 1000]", Stat::Max, 0.0, 1e-5),
    ("f", "initial mean CE digits (ln 10 = 2.303)", Stat::Median, 2.253, 2.353),
    ("g1", "final cost (f64) zeros", Stat::Max, std::f64::consts::LN_2 - 1e-9, std::f64::consts::LN_2 + 1e-9),
    ("g1", "train accuracy zeros", Stat::Max, 0.5, 0.5),
    ("g1", "train accuracy he", Stat::Median, 0.95, 1.0),
    ("g1", "train accuracy normal×10", Stat::Median, 0.6, 0.99),
    // Rounding only: the fused dense layer adds the bias before the products, so a net and its width-1 fold sum
    // in different orders (measured 3.0e-8; exactly 0 through Burn's ops, which add the bias last).
    ("g2", "largest |logit difference| net vs fold", Stat::Max, 0.0, 1e-6),
    ("g2", "rows of W1 bitwise identical (1 = yes)", Stat::Min, 1.0, 1.0),
    ("g2", "row spread constant 0.5 with dropout", Stat::Min, 1e-3, 100.0),
    ("h1", "test accuracy no bias", Stat::Median, 0.45, 0.55),
    ("h1", "test accuracy bias", Stat::Median, 0.98, 1.0),
    ("h2", "test accuracy relu [16] no bias", Stat::Median, 0.3, 0.6),
    ("h2", "test accuracy relu [16] bias", Stat::Median, 0.98, 1.0),
    ("h3", "mean BCE relu no bias", Stat::Min, 0.1732, 0.7),
    ("h3", "mean BCE tanh bias", Stat::Max, 0.0, 0.01),
    ("i1", "max relative error tanh", Stat::Max, 0.0, 1e-7),
    ("i2", "relative difference elu", Stat::Max, 0.0, 1e-10),
    ("i2", "relative difference sigmoid", Stat::Max, 0.0, 1e-10),
    ("i3", "first increase (step) lr 10", Stat::Max, 1.0, 3.0),
];

/// Claims whose verdict is a timing ratio: measured in the sweep, never asserted in a test.
const TIMED: &[&str] = &["d2"];

#[test]
fn every_claim_is_tested() {
    for claim in CLAIMS {
        let listed = EXACT.iter().chain(QUICK).filter(|(id, _)| *id == claim.id).count()
            + usize::from(TIMED.contains(&claim.id));
        assert_eq!(listed, 1, "claim {} must appear exactly once in EXACT, QUICK or TIMED", claim.id);
        let banded = NUMBERS.iter().any(|n| n.0 == claim.id);
        assert!(banded || TIMED.contains(&claim.id), "claim {} has no measured number in NUMBERS", claim.id);
    }
}

#[test]
fn quick_claims_give_their_verdicts() {
    check(QUICK, Scale::Quick);
}

#[test]
fn exact_claims_give_their_verdicts_at_full_strength() {
    check(EXACT, Scale::Full);
}

#[test]
fn a_rerun_with_a_store_reuses_every_trial_and_finds_the_same() {
    let dir = std::env::temp_dir().join(format!("zoo-store-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let claims: Vec<&zoo_claims::Claim> = CLAIMS.iter().filter(|c| c.id == "h1").collect();
    let run = || {
        let ctx = context(Scale::Quick, Some(zoo_claims::Store::new(&dir)));
        let results = run_claims(&claims, &ctx, &mut |_| {});
        (results[0].finding.clone(), ctx.trained_count(), ctx.reused_count())
    };
    let (first, trained, reused) = run();
    assert!(trained > 0 && reused == 0, "first run: {trained} trained, {reused} reused");
    let (second, trained_again, reused_again) = run();
    assert_eq!((trained_again, reused_again), (0, trained), "the rerun trains nothing and reuses every trial");
    assert_eq!(second, first, "the same finding from stored records");
    let _ = std::fs::remove_dir_all(&dir);
}
