//! Throwaway: runs some claims and prints the verdict table.
use burn::prelude::*;
use zoo_claims::{Context, Scale, run_claims, select, verdict_table};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let scale = if args.iter().any(|a| a == "full") { Scale::Full } else { Scale::Quick };
    let ids: Vec<String> = args.into_iter().filter(|a| a != "full" && a != "quick").collect();
    let ctx = Context { seeds: None, scale, device: Device::flex(), workers: 2, f64_device: None };
    let claims = select(&ids).unwrap_or_default();
    let results = run_claims(&claims, &ctx, &mut |r| {
        println!("{} {:?} {:.1}s: {}", r.id, r.finding.verdict, r.seconds, r.finding.reason);
        for m in &r.finding.measured {
            println!("    {}", m.summary());
        }
    });
    println!("{}", verdict_table(&results));
}
