//! Every claim at small scale (`--quick`), and the exact ones at full strength: each must hold.

use burn::prelude::*;
use zoo_claims::{CLAIMS, Context, Scale, Verdict, run_claims};

/// Claims that are exact (algebra, single networks) and cheap: run with the full protocol.
const EXACT: &[&str] = &["a1", "c1", "e3", "f", "g2", "h3", "i1", "i2"];

fn context(scale: Scale) -> Context {
    Context { seeds: None, scale, device: Device::flex(), workers: 2, f64_device: None }
}

fn check(ids: &[&str], scale: Scale) {
    let claims: Vec<&zoo_claims::Claim> = CLAIMS.iter().filter(|c| ids.contains(&c.id)).collect();
    assert_eq!(claims.len(), ids.len(), "unknown claim among {ids:?}");
    let results = run_claims(&claims, &context(scale), &mut |r| eprintln!("{} {:?} {:.1}s: {}", r.id, r.finding.verdict, r.seconds, r.finding.reason));
    for result in results {
        assert_eq!(result.finding.verdict, Verdict::Holds, "claim {} at {scale:?} scale: {}", result.id, result.finding.reason);
        assert!(!result.finding.measured.is_empty(), "claim {} measured nothing", result.id);
    }
}

#[test]
fn every_claim_holds_at_quick_scale() {
    let ids: Vec<&str> = CLAIMS.iter().map(|c| c.id).filter(|id| !EXACT.contains(id)).collect();
    check(&ids, Scale::Quick);
}

#[test]
fn exact_claims_hold_at_full_strength() {
    let ids: Vec<&str> = EXACT.iter().copied().filter(|id| CLAIMS.iter().any(|c| c.id == *id)).collect();
    check(&ids, Scale::Full);
}
