//! The report page: a card of provenance, a verdict table and one section per claim with its figures, written as
//! one self-contained HTML file ([`html`]) or as Markdown with SVG files beside it ([`markdown`]).
//!
//! The HTML opens from disk with nothing else: inline style, inline SVG, no script, no external URL.

#[cfg(test)]
mod tests;

use std::fmt::Write as _;

use crate::figure::{Figure, draw};
use crate::table::markdown_table;

/// A whole report.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The page's title (its `<h1>`).
    pub title: String,
    /// Provenance, as (key, value): commit, versions, backend, seeds, trials planned/trained/reused.
    pub card: Vec<(String, String)>,
    /// The claims, in the order they are shown.
    pub claims: Vec<ClaimSection>,
}

/// One claim of the report: what it says, what was measured, and the figures that show it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimSection {
    /// The claim's id ("b2-1"); the section's anchor is `claim-<id>`.
    pub id: String,
    /// The lesson's sentence the claim checks.
    pub lesson: String,
    /// The experiment that checks it, in words.
    pub experiment: String,
    /// The pass threshold, in words.
    pub threshold: String,
    /// "HOLDS", "FAILS" or "INCONCLUSIVE".
    pub verdict: String,
    /// Why the verdict is what it is.
    pub reason: String,
    /// One line per measure: "name median [min–max] (n seeds)"; the first two are the claim's key numbers.
    pub measured: Vec<String>,
    /// Rates (of seeds passing, of runs diverging, …), one line each.
    pub rates: Vec<String>,
    /// Where the lesson comes from (a paper, a chapter).
    pub anchor: String,
    /// The seeds behind the figures ("seeds 0–4").
    pub seeds: String,
    /// The figures, in order.
    pub figures: Vec<Figure>,
}

/// The page as one self-contained HTML document: the same page gives the same bytes.
pub fn html(page: &Page) -> String {
    let mut out = String::new();
    out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    let _ = writeln!(out, "<title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<main>", escape(&page.title));
    let _ = writeln!(out, "<h1>{}</h1>", escape(&page.title));
    if !page.card.is_empty() {
        out += "<dl class=\"card\">\n";
        for (key, value) in &page.card {
            let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", escape(key), escape(value));
        }
        out += "</dl>\n";
    }
    out += "<table class=\"verdicts\">\n<thead><tr><th>claim</th><th>lesson</th><th>verdict</th><th>key numbers</th>";
    out += "<th>threshold</th><th>anchor</th></tr></thead>\n<tbody>\n";
    for claim in &page.claims {
        let numbers: Vec<String> = claim.measured.iter().take(2).map(|m| escape(m)).collect();
        let _ = writeln!(
            out,
            "<tr><td><a href=\"#claim-{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            slug(&claim.id),
            escape(&claim.id),
            escape(&claim.lesson),
            badge(&claim.verdict),
            numbers.join("<br>"),
            escape(&claim.threshold),
            escape(&claim.anchor),
        );
    }
    out += "</tbody>\n</table>\n";
    for claim in &page.claims {
        section(&mut out, claim);
    }
    out += "</main>\n</body>\n</html>\n";
    out
}

/// The page as Markdown (REPORT.md), and the figure files it links: (relative path such as
/// `figures/b2-1-1.svg`, SVG text). A figure that cannot be drawn is named in the text instead.
pub fn markdown(page: &Page) -> (String, Vec<(String, String)>) {
    let flat = |text: &str| text.replace(['\n', '\r'], " ");
    let mut out = format!("# {}\n\n", flat(&page.title));
    let mut files = Vec::new();
    if !page.card.is_empty() {
        let rows: Vec<Vec<String>> = page.card.iter().map(|(k, v)| vec![flat(k), flat(v)]).collect();
        out += &markdown_table(&["", ""], &rows);
        out += "\n";
    }
    let rows: Vec<Vec<String>> = page
        .claims
        .iter()
        .map(|c| {
            vec![
                format!("[{}](#claim-{})", flat(&c.id), slug(&c.id)),
                flat(&c.lesson),
                format!("**{}**", flat(&c.verdict)),
                c.measured.iter().take(2).map(|m| flat(m)).collect::<Vec<_>>().join("; "),
                flat(&c.threshold),
                flat(&c.anchor),
            ]
        })
        .collect();
    out += &markdown_table(&["claim", "lesson", "verdict", "key numbers", "threshold", "anchor"], &rows);
    for claim in &page.claims {
        let _ = write!(
            out,
            "\n<a id=\"claim-{}\"></a>\n\n## {} — {}\n\n",
            slug(&claim.id),
            flat(&claim.id),
            flat(&claim.lesson)
        );
        let _ = write!(out, "**{}** — {}\n\n", flat(&claim.verdict), flat(&claim.reason));
        for (key, value) in facts(claim) {
            let _ = writeln!(out, "- {key}: {}", flat(value));
        }
        for (n, figure) in claim.figures.iter().enumerate() {
            let title = flat(figure.title()).replace('[', "\\[").replace(']', "\\]");
            match draw(figure) {
                Ok(svg) => {
                    let path = format!("figures/{}-{}.svg", slug(&claim.id), n + 1);
                    let _ = write!(out, "\n![{title}]({path})\n\n*{title} — {}*\n", flat(&claim.seeds));
                    files.push((path, svg));
                }
                Err(e) => {
                    let _ = write!(out, "\n> figure missing: {}\n", flat(&e.to_string()));
                }
            }
        }
        for (heading, lines) in [("Measured", &claim.measured), ("Rates", &claim.rates)] {
            if !lines.is_empty() {
                let _ = write!(out, "\n{heading}:\n\n");
                lines.iter().for_each(|line| out += &format!("- {}\n", flat(line)));
            }
        }
    }
    (out, files)
}

/// One claim's `<section>`.
fn section(out: &mut String, claim: &ClaimSection) {
    let id = escape(&claim.id);
    let _ = writeln!(out, "<section class=\"claim\" id=\"claim-{}\">", slug(&claim.id));
    let _ = writeln!(out, "<h2>{id} — {}</h2>", escape(&claim.lesson));
    let _ = writeln!(out, "<p class=\"verdict\">{} {}</p>", badge(&claim.verdict), escape(&claim.reason));
    out.push_str("<dl class=\"facts\">\n");
    for (key, value) in facts(claim) {
        let _ = writeln!(out, "<dt>{key}</dt><dd>{}</dd>", escape(value));
    }
    out.push_str("</dl>\n");
    // Figures first: the picture says it before the list of numbers.
    for figure in &claim.figures {
        match draw(figure) {
            Ok(svg) => {
                let _ = writeln!(
                    out,
                    "<figure class=\"figure\" data-claim=\"{id}\">\n{}",
                    without_prologue(&svg).trim_end()
                );
                let caption = format!("{} — {}", figure.title(), claim.seeds);
                let _ = writeln!(out, "<figcaption>{}</figcaption>\n</figure>", escape(&caption));
            }
            Err(e) => {
                let _ = writeln!(out, "<p class=\"missing-figure\">figure missing: {}</p>", escape(&e.to_string()));
            }
        }
    }
    for (heading, lines) in [("Measured", &claim.measured), ("Rates", &claim.rates)] {
        if !lines.is_empty() {
            let _ = writeln!(out, "<h3>{heading}</h3>\n<ul>");
            lines.iter().for_each(|line| out.push_str(&format!("<li>{}</li>\n", escape(line))));
            out.push_str("</ul>\n");
        }
    }
    out.push_str("</section>\n");
}

/// The claim's facts shown as a list, in order.
fn facts(claim: &ClaimSection) -> [(&'static str, &String); 4] {
    [
        ("experiment", &claim.experiment),
        ("threshold", &claim.threshold),
        ("anchor", &claim.anchor),
        ("seeds", &claim.seeds),
    ]
}

/// The verdict as a coloured badge whose text always says it (colour never carries it alone).
fn badge(verdict: &str) -> String {
    let class = match verdict {
        "HOLDS" => "holds",
        "FAILS" => "fails",
        _ => "inconclusive",
    };
    format!("<span class=\"badge {class}\">{}</span>", escape(verdict))
}

/// `svg` without an `<?xml …?>` prologue, so it can stand inside HTML.
fn without_prologue(svg: &str) -> &str {
    let trimmed = svg.trim_start();
    match trimmed.strip_prefix("<?xml").and_then(|rest| rest.split_once("?>")) {
        Some((_, rest)) => rest.trim_start(),
        None => trimmed,
    }
}

/// `text` safe anywhere in HTML text or a quoted attribute.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `id` as a fragment and file name: letters, digits, `-`, `_` and `.` kept, anything else `-`.
fn slug(id: &str) -> String {
    let slug: String =
        id.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '-' }).collect();
    if slug.is_empty() || slug.starts_with('.') { format!("c{slug}") } else { slug }
}

const STYLE: &str = "\
body { margin: 0; color: #1f1f1f; background: #fff; font: 16px/1.45 system-ui, -apple-system, 'Segoe UI', \
Roboto, Helvetica, Arial, sans-serif; }
main { max-width: 1080px; margin: 0 auto; padding: 24px; }
h1 { font-size: 1.8em; margin: 0 0 12px; }
h2 { font-size: 1.35em; margin: 0 0 8px; }
h3 { font-size: 1em; margin: 16px 0 4px; }
dl.card { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; font-size: .9em; \
background: #f5f5f5; padding: 10px 14px; border-radius: 6px; margin: 0 0 20px; }
dl.card dt, dl.facts dt { font-weight: 600; color: #555; }
dl.card dd, dl.facts dd { margin: 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; }
table.verdicts { border-collapse: collapse; width: 100%; font-size: .92em; margin: 0 0 32px; }
table.verdicts th, table.verdicts td { border-bottom: 1px solid #ddd; padding: 6px 8px; text-align: left; \
vertical-align: top; }
table.verdicts th { background: #f5f5f5; }
a { color: #0060A0; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-weight: 700; font-size: .85em; \
letter-spacing: .03em; color: #fff; white-space: nowrap; }
.badge.holds { background: #007A5A; }
.badge.fails { background: #C25400; }
.badge.inconclusive { background: #6B6B6B; }
section.claim { border-top: 2px solid #e4e4e4; padding: 20px 0; }
p.verdict { margin: 4px 0 12px; }
figure.figure { margin: 20px 0; overflow-x: auto; }
figure.figure svg { display: block; max-width: 100%; height: auto; }
figcaption { font-size: .9em; color: #555; margin-top: 4px; }
p.missing-figure { background: #fdecea; border-left: 4px solid #C25400; padding: 8px 12px; }
";
