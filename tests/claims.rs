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
    // Our two-arm spirals (CS231n definition, 4 rad per arm) are ~74 % linearly separable: the identity arm
    // exceeds the 60 % bound while tanh and ReLU reach 100 %.
    ("a3", Verdict::Fails),
    ("b1", Verdict::Holds),
    ("b2", Verdict::Holds),
    // Exploratory (Glorot & Bengio Fig. 2): at quick scale (lr 0.3 chosen of 0.1–1) the top sigmoid layer does
    // fall below 0.1 within 2 epochs, but layer 4 has risen to ~0.63 by then, outside [0.4, 0.6]; at full scale the
    // sigmoid net stays on its chance plateau at every rate, so training-loss tuning picks lr 0.003 and nothing
    // saturates.
    ("b3", Verdict::Fails),
    ("c2", Verdict::Holds),
    ("c3", Verdict::Holds),
    // ReLU is not faster than tanh in epochs on spirals with tuned rates.
    ("d1", Verdict::Fails),
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
