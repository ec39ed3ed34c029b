//! What the report page must contain, case by case: one `check` of snippet counts over the rendered text.

use super::*;
use crate::figure::{Axis, Boundaries, Heatmap, Line, LineFigure, Mark, Style};
use crate::plot::Boundary;

/// How often each snippet occurs in `text`.
#[track_caller]
fn check(text: &str, want: &[(&str, usize)]) {
    for (snippet, n) in want {
        assert_eq!(text.matches(snippet).count(), *n, "`{snippet}` in\n{text}");
    }
}

fn line_figure() -> Figure {
    Figure::Lines(LineFigure {
        title: "loss against lr".into(),
        x_label: "learning rate".into(),
        y_label: "loss".into(),
        x_axis: Axis::Log,
        y_axis: Axis::Log,
        lines: vec![Line {
            name: "relu".into(),
            points: vec![(1e-3, 0.5), (1e-2, 0.1), (1.0, f64::NAN)],
            style: Style::Solid,
        }],
        marks: vec![Mark { x: 1e-2, label: "chosen lr".into() }],
        band: Some((0.0, 0.2)),
    })
}

fn heatmap(values: Vec<f64>) -> Figure {
    Figure::Heatmap(Heatmap {
        title: "depth × width".into(),
        x_label: "width".into(),
        y_label: "depth".into(),
        x_ticks: vec!["8".into(), "16".into()],
        y_ticks: vec!["1".into()],
        values,
        value_label: "accuracy".into(),
        log_color: false,
        curve: Some(vec![(0.5, 0.5), (1.5, 0.5)]),
    })
}

fn boundaries() -> Figure {
    let panel = |title: &str| Boundary {
        title: title.into(),
        x: (-1.0, 1.0),
        y: (-1.0, 1.0),
        resolution: 2,
        cells: vec![0, 1, 1, 0],
        points: vec![(0.5, 0.5, 1)],
    };
    Figure::Boundaries(Boundaries {
        title: "boundaries".into(),
        panels: vec![panel("relu"), panel("tanh"), panel("sigmoid")],
    })
}

fn claim(id: &str, verdict: &str, figures: Vec<Figure>) -> ClaimSection {
    ClaimSection {
        id: id.into(),
        lesson: "Depth <helps> & \"width\" doesn't".into(),
        experiment: "sweep of depth and width".into(),
        threshold: "accuracy ≥ 0.95".into(),
        verdict: verdict.into(),
        reason: "every seed passed".into(),
        measured: vec!["acc 0.97 [0.95–0.98] (5 seeds)".into(), "epochs 40".into(), "third measure".into()],
        rates: vec!["diverged 0/5".into()],
        anchor: "Goodfellow et al. 2016".into(),
        seeds: "seeds 0–4".into(),
        figures,
    }
}

fn page() -> Page {
    Page {
        title: "Claims & <report>".into(),
        card: vec![("commit".into(), "abc123".into()), ("backend".into(), "flex".into())],
        claims: vec![
            claim("b2-1", "HOLDS", vec![line_figure(), heatmap(vec![0.5, 0.9])]),
            claim("b2-2", "FAILS", vec![heatmap(vec![0.5]), boundaries()]),
            claim("b 3/1", "INCONCLUSIVE", vec![]),
        ],
    }
}

#[test]
fn the_html_is_self_contained_and_deterministic() {
    let html = html(&page());
    assert!(html.starts_with("<!DOCTYPE html>\n") && html.ends_with("</html>\n"));
    assert_eq!(html, super::html(&page()), "not deterministic");
    let svg_namespace = "xmlns=\"http://www.w3.org/2000/svg\"";
    // The only "http" is the SVG namespace, once per drawn figure; nothing is fetched, nothing runs.
    check(&html, &[("http", 3), (svg_namespace, 3), ("<script", 0), ("<?xml", 0), ("src=", 0), ("url(", 0)]);
    check(&html, &[("<link", 0), ("@import", 0), ("<img", 0), ("<style>", 1)]);
}

#[test]
fn every_figure_stands_once_in_its_figure_element() {
    let html = html(&page());
    check(&html, &[("<figure class=\"figure\"", 3), ("<svg", 3), ("</figure>", 3)]);
    check(&html, &[("data-claim=\"b2-1\"", 2), ("data-claim=\"b2-2\"", 1), ("<figcaption>", 3)]);
    let mut parts = html.split("<figure class=\"figure\"");
    assert!(!parts.next().unwrap_or_default().contains("<svg"), "an SVG outside a figure");
    for part in parts {
        let (inside, _) = part.split_once("</figure>").unwrap_or_default();
        check(inside, &[("<svg", 1), ("</svg>", 1), ("<figcaption>", 1)]);
        let tag = inside.split_once("<svg").map(|(_, rest)| rest.split('>').next().unwrap_or_default());
        let size =
            |attr: &str| tag.and_then(|t| t.split(&format!(" {attr}=\"")).nth(1)?.split('"').next()?.parse().ok());
        assert!(size("width").unwrap_or(0) > 0 && size("height").unwrap_or(0) > 0, "unsized SVG: {tag:?}");
    }
    check(
        &html,
        &[("<figcaption>loss against lr — seeds 0–4</figcaption>", 1), ("<figcaption>boundaries — seeds 0–4", 1)],
    );
    // A figure that cannot be drawn says so where it would have been.
    check(&html, &[("<p class=\"missing-figure\">", 1), ("1 values for 1 rows × 2 columns", 1)]);
}

#[test]
fn the_front_page_has_the_card_and_the_verdict_table() {
    let html = html(&page());
    check(&html, &[("<h1>Claims &amp; &lt;report&gt;</h1>", 1), ("<dt>commit</dt><dd>abc123</dd>", 1)]);
    check(&html, &[("<a href=\"#claim-b2-1\">b2-1</a>", 1), ("<section class=\"claim\" id=\"claim-b2-1\">", 1)]);
    check(&html, &[("<a href=\"#claim-b-3-1\">b 3/1</a>", 1), ("id=\"claim-b-3-1\"", 1)]);
    // The verdict is text in a coloured badge, in the table and in the section.
    check(&html, &[("<span class=\"badge holds\">HOLDS</span>", 2), ("<span class=\"badge fails\">FAILS</span>", 2)]);
    check(&html, &[("<span class=\"badge inconclusive\">INCONCLUSIVE</span>", 2)]);
    // Key numbers are the first two measured lines; the section lists all of them.
    check(&html, &[("acc 0.97 [0.95–0.98] (5 seeds)<br>epochs 40</td>", 3), ("third measure", 3)]);
    check(&html, &[("<li>third measure</li>", 3), ("<li>diverged 0/5</li>", 3), ("<dt>threshold</dt>", 3)]);
}

#[test]
fn text_is_escaped() {
    let html = html(&page());
    check(&html, &[("Depth &lt;helps&gt; &amp; &quot;width&quot; doesn&#39;t", 6), ("<helps>", 0), ("doesn't", 0)]);
    assert_eq!(escape("<a href='x'>&\"</a>"), "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
    assert_eq!(without_prologue("<?xml version=\"1.0\"?>\n<svg/>"), "<svg/>");
    assert_eq!(without_prologue("<svg/>"), "<svg/>");
    assert_eq!(
        (slug("b2-1"), slug("a/b c"), slug(""), slug("..")),
        ("b2-1".into(), "a-b-c".into(), "c".into(), "c..".into())
    );
}

#[test]
fn markdown_links_every_drawn_figure() {
    let (text, files) = markdown(&page());
    let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["figures/b2-1-1.svg", "figures/b2-1-2.svg", "figures/b2-2-2.svg"]);
    assert!(files.iter().all(|(_, svg)| svg.starts_with("<svg")));
    check(
        &text,
        &[("# Claims & <report>\n", 1), ("| claim | lesson | verdict | key numbers | threshold | anchor |", 1)],
    );
    check(&text, &[("[b2-1](#claim-b2-1)", 1), ("<a id=\"claim-b2-1\"></a>", 1), ("## b2-1 — Depth", 1)]);
    check(&text, &[("![loss against lr](figures/b2-1-1.svg)", 1), ("![depth × width](figures/b2-1-2.svg)", 1)]);
    check(&text, &[("![boundaries](figures/b2-2-2.svg)", 1), ("> figure missing: cannot draw `depth × width`", 1)]);
    check(
        &text,
        &[
            ("**HOLDS** — every seed passed", 1),
            ("- seeds: seeds 0–4", 3),
            ("acc 0.97 [0.95–0.98] (5 seeds); epochs 40", 3),
        ],
    );
    assert_eq!(markdown(&page()), (text, files), "not deterministic");
}
