//! The sweep's report: the README's verdict table is the committed sweep's, and report.html — opened in a real
//! browser (headless Chromium) — lays out every figure of every claim with a non-empty size.

use std::path::{Path, PathBuf};
use std::process::Command;

use zoo_claims::ClaimResult;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn the_readme_verdict_table_is_rendered_from_the_committed_sweep() {
    let readme_path = root().join("README.md");
    let json = std::fs::read_to_string(trainer::sweep::committed_claims(&readme_path)).expect("docs/claims.json");
    let results: Vec<ClaimResult> = serde_json::from_str(&json).expect("docs/claims.json parses");
    assert_eq!(results.len(), zoo_claims::CLAIMS.len(), "docs/claims.json is a sweep of every claim");
    let readme = std::fs::read_to_string(&readme_path).expect("README.md");
    let table = trainer::report::readme_table(&results);
    let expected = zoo_report::splice(&readme, trainer::report::BEGIN, trainer::report::END, &table)
        .expect("README.md has the claims markers");
    assert!(expected == readme, "README.md's verdict table is stale: run `cargo xtask report --from DIR --readme`");
    for result in &results {
        assert!(table.contains(&format!("| {} |", result.id)), "claim {} missing from the table", result.id);
    }
}

/// Debian's Chromium, or `None` with a visible "skipped" line (a failure under `ZOO_REQUIRE_CHROMIUM=1`, which CI
/// sets after installing it).
fn chromium() -> Option<&'static str> {
    let found = ["chromium", "chromium-browser"]
        .into_iter()
        .find(|name| Command::new(name).arg("--version").output().is_ok_and(|o| o.status.success()));
    if found.is_none() {
        assert!(std::env::var("ZOO_REQUIRE_CHROMIUM").is_err(), "ZOO_REQUIRE_CHROMIUM is set but chromium is missing");
        eprintln!("skipped the browser check: no chromium (apt-get install chromium)");
    }
    found
}

/// A page (outside the report, which has no script) that opens report.html in a frame and writes, for every
/// `<figure>`, its claim and the laid-out size of its SVG into its own DOM, for `--dump-dom` to print.
const PROBE: &str = r#"<!doctype html><html><body><pre id="out">not loaded</pre>
<iframe id="r" src="report.html" style="width:1280px;height:900px" onload="
  const d = document.getElementById('r').contentDocument;
  const rows = [...d.querySelectorAll('figure.figure')].map(f => {
    const s = f.querySelector('svg'); const b = s ? s.getBoundingClientRect() : {width: 0, height: 0};
    return f.dataset.claim + ' ' + Math.round(b.width) + 'x' + Math.round(b.height) + ' ' + (s ? s.querySelectorAll('*').length : 0);
  });
  document.getElementById('out').textContent = 'figures\n' + rows.join('\n') + '\nmissing ' + d.querySelectorAll('.missing-figure').length;
"></iframe></body></html>"#;

#[test]
fn every_figure_of_a_quick_sweeps_report_has_a_size_in_chromium() {
    let dir = std::env::temp_dir().join(format!("zoo-report-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    // One claim per kind of figure: lines with a reference (b2), a heatmap (e1), decision boundaries (h2), a
    // per-seed scatter (i2), a descent curve (i3).
    let argv = ["trainer", "sweep", "--quick", "--claims", "b2,e1,h2,i2,i3", "--seeds", "2", "--out"];
    let mut out = Vec::new();
    let swept = trainer::run(argv.into_iter().chain([dir.to_str().expect("utf-8")]), &mut out).expect("sweep runs");
    let trainer::Outcome::Swept(results) = swept else { panic!("not a sweep") };
    let html = std::fs::read_to_string(dir.join("report.html")).expect("report.html");
    let expected: usize = results.iter().map(|r| r.finding.figures.len()).sum();
    assert!(expected >= 6, "every claim draws its figures: {expected}");
    assert!(
        !html.contains("<script") && !html.contains("class=\"missing-figure\""),
        "report.html has a script or a missing figure"
    );
    let Some(chromium) = chromium() else { return };
    std::fs::write(dir.join("probe.html"), PROBE).expect("probe.html");
    let output = Command::new(chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--allow-file-access-from-files"])
        .args(["--virtual-time-budget=10000", "--dump-dom"])
        .arg(format!("file://{}", dir.join("probe.html").display()))
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&output.stdout);
    let text = dom.split("<pre id=\"out\">").nth(1).and_then(|t| t.split("</pre>").next()).unwrap_or_default();
    let rows: Vec<&str> = text.lines().skip(1).filter(|l| !l.starts_with("missing")).collect();
    assert_eq!(
        rows.len(),
        expected,
        "figures laid out by Chromium:\n{text}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for row in rows {
        let [claim, size, elements] = row.split(' ').collect::<Vec<_>>()[..] else { panic!("row `{row}`") };
        let (w, h) = size.split_once('x').expect("WxH");
        let (w, h, elements): (u32, u32, u32) = (w.parse().unwrap(), h.parse().unwrap(), elements.parse().unwrap());
        assert!(w >= 300 && h >= 200, "claim {claim}: figure laid out at {w}×{h}");
        assert!(elements >= 20, "claim {claim}: a figure of {elements} SVG elements is empty");
    }
    for claim in ["b2", "e1", "h2", "i2", "i3"] {
        assert!(text.contains(&format!("\n{claim} ")), "no figure of {claim} in the browser:\n{text}");
    }
    assert!(text.ends_with("missing 0"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}
