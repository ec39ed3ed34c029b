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
    // Rows stay bitwise identical, but the constant-init net does not match a width-1 net within ±1 point.
    ("g2", Verdict::Fails),
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
    // Exploratory (Glorot & Bengio Fig. 2): the top-layer saturation pattern does not appear on digits.
    ("b3", Verdict::Fails),
    // Seven offsets (stricter than the spec's four): c = 0.5 converges faster than c = 0, whose best rate
    // lies above the grid.
    ("c2", Verdict::Fails),
    ("c3", Verdict::Holds),
    // On the two-spirals ReLU reaches 95 % in ~83 epochs; tanh and sigmoid not within the 300-epoch budget.
    ("d1", Verdict::Holds),
    ("e1", Verdict::Holds),
    // The dead fraction at the largest stable rate stays far below 0.20 on moons.
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
    }
}

/// Claims whose verdict is a timing ratio: measured in the sweep, never asserted in a test.
const TIMED: &[&str] = &["d2"];

#[test]
fn every_claim_is_tested() {
    for claim in CLAIMS {
        let listed = EXACT.iter().chain(QUICK).filter(|(id, _)| *id == claim.id).count()
            + usize::from(TIMED.contains(&claim.id));
        assert_eq!(listed, 1, "claim {} must appear exactly once in EXACT, QUICK or TIMED", claim.id);
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
