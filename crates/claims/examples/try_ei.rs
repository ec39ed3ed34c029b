//! Throwaway: runs claims e–i (ids from the command line, `--full` for Full scale).
use burn::prelude::*;
use zoo_claims::{Context, Scale, run_claims, select, verdict_table};

fn main() {
    let f64_device = zoo_claims::configure_f64_device();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let full = args.iter().any(|a| a == "--full");
    let nof64 = args.iter().any(|a| a == "--nof64");
    let ids: Vec<String> = args.into_iter().filter(|a| !a.starts_with("--")).collect();
    let scale = if full { Scale::Full } else { Scale::Quick };
    let ctx = Context { seeds: None, scale, device: Device::flex(), workers: 2, f64_device: if nof64 { None } else { f64_device } };
    let claims = select(&ids).unwrap_or_else(|e| panic!("{e}"));
    let results = run_claims(&claims, &ctx, &mut |r| println!("{} {:?} {:.1}s: {}", r.id, r.finding.verdict, r.seconds, r.finding.reason));
    println!("{}", verdict_table(&results));
    for r in &results {
        for m in &r.finding.measured {
            println!("  {} {}", r.id, m.summary());
        }
    }
}
