//! What a figure must show, case by case: one `check` over a drawn figure's SVG text.

use super::*;
use crate::palette::{DIVERGED, MISSING, categorical};

/// Draws `figure` and checks `want`: for an SVG, how often each snippet occurs in it (beyond what every figure
/// must satisfy: an `<svg>` root with a width and a height, no NaN or infinity written, fonts of at least 12 px,
/// the same bytes twice); for an error, a snippet of its message.
#[track_caller]
fn check(figure: Figure, want: Result<&[(&str, usize)], &str>) {
    match (draw(&figure), want) {
        (Ok(svg), Ok(counts)) => {
            let head = svg.lines().next().unwrap_or_default();
            assert!(head.starts_with("<svg width=\"") && head.contains(" height=\""), "root: {head}");
            assert!(svg.trim_end().ends_with("</svg>"));
            for absent in ["NaN", "inf"] {
                assert!(!svg.contains(absent), "`{absent}` written in the SVG");
            }
            for size in svg.split("font-size=\"").skip(1) {
                let px: f64 = size.split('"').next().and_then(|s| s.parse().ok()).unwrap_or(0.0);
                assert!(px >= 12.0, "font of {px} px");
            }
            assert_eq!(draw(&figure).ok(), Some(svg.clone()), "not deterministic");
            for (snippet, n) in counts {
                assert_eq!(svg.matches(snippet).count(), *n, "`{snippet}` in\n{svg}");
            }
        }
        (Err(e), Err(message)) => {
            assert_eq!(e.title, figure.title());
            assert!(e.message.contains(message), "{e}");
        }
        (got, want) => panic!("got {got:?}, want {want:?}"),
    }
}

fn lines(x_axis: Axis, y_axis: Axis, lines: Vec<Line>) -> Figure {
    let title = "loss".to_string();
    let (x_label, y_label) = ("epoch".to_string(), "test loss".to_string());
    Figure::Lines(LineFigure { title, x_label, y_label, x_axis, y_axis, lines, marks: vec![], band: None })
}

fn line(name: &str, style: Style, points: &[(f64, f64)]) -> Line {
    Line { name: name.into(), points: points.to_vec(), style }
}

fn with(figure: Figure, marks: Vec<Mark>, band: Option<(f64, f64)>) -> Figure {
    match figure {
        Figure::Lines(f) => Figure::Lines(LineFigure { marks, band, ..f }),
        other => other,
    }
}

fn heatmap(columns: usize, rows: usize, values: &[f64], log_color: bool) -> Figure {
    let ticks = |n: usize, name: &str| (0..n).map(|i| format!("{name}{i}")).collect();
    Figure::Heatmap(Heatmap {
        title: "sweep".into(),
        x_label: "width".into(),
        y_label: "depth".into(),
        x_ticks: ticks(columns, "w"),
        y_ticks: ticks(rows, "d"),
        values: values.to_vec(),
        value_label: "accuracy".into(),
        log_color,
        curve: None,
    })
}

fn panel(title: &str, cells: Vec<u32>) -> Boundary {
    let points = vec![(0.5, 0.5, 1), (-0.5, -0.5, 0), (f64::NAN, 0.0, 0)];
    Boundary { title: title.into(), x: (-1.0, 1.0), y: (-1.0, 1.0), resolution: 2, cells, points }
}

fn boundaries(panels: Vec<Boundary>) -> Figure {
    Figure::Boundaries(Boundaries { title: "boundaries".into(), panels })
}

/// A drawn `color` as an SVG attribute value.
fn hex(RGBColor(r, g, b): RGBColor) -> String {
    format!("\"#{r:02X}{g:02X}{b:02X}\"")
}

const NAN: f64 = f64::NAN;
const INF: f64 = f64::INFINITY;

#[test]
fn a_diverged_point_is_a_red_cross_at_the_top() {
    let red = format!("stroke={}", hex(DIVERGED));
    let (red, log, lin) = (red.as_str(), Axis::Log, Axis::Linear);
    let one_nan = [(1e-3, 0.5), (1e-2, 0.1), (1.0, NAN)];
    check(lines(log, log, vec![line("relu", Style::Solid, &one_nan)]), Ok(&[("× diverged", 1), (red, 2)]));
    check(lines(log, lin, vec![line("", Style::Dots, &one_nan)]), Ok(&[("× diverged", 1), (red, 2)]));
    let infinities = [(1.0, 0.5), (2.0, INF), (3.0, -INF), (4.0, 0.2)];
    check(lines(lin, lin, vec![line("a", Style::Dashed, &infinities)]), Ok(&[("× diverged", 1), (red, 4)]));
    // On a log axis a y ≤ 0 cannot be placed either; on a linear one it is an ordinary point.
    let non_positive = [(1.0, 0.5), (2.0, 0.0), (3.0, -1.0), (4.0, 0.2)];
    check(lines(lin, log, vec![line("a", Style::Solid, &non_positive)]), Ok(&[("× diverged", 1), (red, 4)]));
    check(lines(lin, lin, vec![line("a", Style::Solid, &non_positive)]), Ok(&[("× diverged", 0), (red, 0)]));
    // Two lines diverging: one legend entry, a cross each.
    let two = vec![line("a", Style::Solid, &one_nan), line("b", Style::Solid, &one_nan)];
    check(lines(log, log, two), Ok(&[("× diverged", 1), (red, 4)]));
    // An x that a log axis cannot place is left out, not drawn as diverged.
    check(lines(log, lin, vec![line("a", Style::Solid, &[(0.0, NAN), (1.0, 1.0)])]), Ok(&[("× diverged", 0)]));
}

#[test]
fn a_line_breaks_where_it_diverged() {
    let blue = format!("<polyline fill=\"none\" opacity=\"1\" stroke={}", hex(categorical(0)));
    let (blue, lin) = (blue.as_str(), Axis::Linear);
    let broken = [(0.0, 1.0), (1.0, 2.0), (2.0, NAN), (3.0, 1.0), (4.0, 3.0)];
    check(lines(lin, lin, vec![line("", Style::Solid, &broken)]), Ok(&[(blue, 2)]));
    let whole = [(0.0, 1.0), (1.0, 2.0), (3.0, 1.0)];
    check(lines(lin, lin, vec![line("", Style::Solid, &whole)]), Ok(&[(blue, 1)]));
    // A named line adds its legend glyph.
    check(lines(lin, lin, vec![line("train", Style::Solid, &broken)]), Ok(&[(blue, 3), (">\ntrain\n</text>", 1)]));
    // Dots are markers only: one circle per finite point, no line.
    check(lines(lin, lin, vec![line("", Style::Dots, &broken)]), Ok(&[("<circle", 4), (blue, 0)]));
}

#[test]
fn lines_take_the_palette_in_order() {
    let lin = Axis::Linear;
    let pts = [(0.0, 1.0), (1.0, 2.0)];
    let three = vec![line("a", Style::Solid, &pts), line("b", Style::Dashed, &pts), line("c", Style::Dots, &pts)];
    // Each line and its legend glyph: a polyline each for the solid one, a circle each for the dots. The dashed
    // line is the solid one's reference and shares its colour, so the dots take the second colour.
    let solid = format!("stroke={} stroke-width=\"2\" points=\"108,326 590,56 \"", hex(categorical(0)));
    let (second, dots_fill) = (format!("stroke={}", hex(categorical(1))), format!("fill={}", hex(categorical(1))));
    let want = [(solid.as_str(), 1), (second.as_str(), 0), ("<circle cx=", 3), (dots_fill.as_str(), 3)];
    check(lines(lin, lin, three), Ok(&want));
    // A dashed line that comes first takes the first colour, and the next line the second.
    let first = vec![line("b", Style::Dashed, &pts), line("c", Style::Dots, &pts)];
    check(lines(lin, lin, first), Ok(&[(dots_fill.as_str(), 3)]));
}

#[test]
fn marks_and_band_are_drawn() {
    let (log, lin) = (Axis::Log, Axis::Linear);
    let pts = [(1e-4, 2.0), (1e-2, 0.1), (1.0, 0.05)];
    let marks = vec![Mark { x: 1e-2, label: "chosen lr".into() }, Mark { x: 0.5, label: "target reached".into() }];
    let figure = with(lines(log, log, vec![line("loss", Style::Solid, &pts)]), marks, None);
    check(figure, Ok(&[(">\nchosen lr\n</text>", 1), (">\ntarget reached\n</text>", 1), ("fill=\"#606060\"", 2)]));
    // A mark the axis cannot place is left out.
    let figure =
        with(lines(log, lin, vec![line("loss", Style::Solid, &pts)]), vec![Mark { x: -1.0, label: "m".into() }], None);
    check(figure, Ok(&[(">\nm\n</text>", 0)]));
    let band = format!("opacity=\"0.15\" fill={}", hex(crate::palette::BAND));
    let figure =
        with(lines(lin, lin, vec![line("acc", Style::Solid, &[(0.0, 0.5), (9.0, 0.9)])]), vec![], Some((0.95, 1.0)));
    check(figure, Ok(&[(band.as_str(), 2), ("pass threshold", 1)]));
    let figure = with(lines(lin, log, vec![line("loss", Style::Solid, &pts)]), vec![], Some((0.0, 0.05)));
    check(figure, Ok(&[(band.as_str(), 2)]));
    let figure = with(lines(lin, lin, vec![line("acc", Style::Solid, &pts)]), vec![], Some((NAN, 1.0)));
    check(figure, Ok(&[(band.as_str(), 0), ("pass threshold", 0)]));
}

#[test]
fn nothing_to_draw_is_an_error() {
    let (log, lin) = (Axis::Log, Axis::Linear);
    check(lines(lin, lin, vec![]), Err("no finite point"));
    check(lines(lin, lin, vec![line("a", Style::Solid, &[])]), Err("no finite point"));
    check(lines(lin, lin, vec![line("a", Style::Solid, &[(0.0, NAN), (1.0, INF)])]), Err("no finite point"));
    check(lines(lin, log, vec![line("a", Style::Solid, &[(0.0, 0.0), (1.0, -2.0)])]), Err("no finite point"));
    check(lines(log, lin, vec![line("a", Style::Solid, &[(0.0, 1.0), (-1.0, 2.0)])]), Err("no finite point"));
    let marks_only = with(lines(lin, lin, vec![]), vec![Mark { x: 1.0, label: "m".into() }], Some((0.0, 1.0)));
    check(marks_only, Err("no finite point"));
    check(heatmap(3, 2, &[1.0; 5], false), Err("5 values for 2 rows × 3 columns"));
    check(heatmap(0, 0, &[], false), Err("0 values for 0 rows × 0 columns"));
    check(boundaries(vec![]), Err("no panels"));
    check(boundaries(vec![panel("relu", vec![0, 1])]), Err("panel `relu`: expected 4 grid cells, got 2"));
}

#[test]
fn a_heatmap_has_a_cell_and_a_number_for_every_value() {
    use super::heatmap::STEPS;
    let grey = format!("fill={}", hex(MISSING));
    let grey = grey.as_str();
    // Background, cells, colour bar slices and its frame.
    let rects = |cells: usize, bar: bool| 1 + cells + if bar { STEPS + 1 } else { 0 };
    let values = [0.5, 0.25, 0.125, 1.0, 2.0, 4.0];
    check(
        heatmap(3, 2, &values, false),
        Ok(&[("<rect", rects(6, true)), (">\n0.500\n</text>", 1), (">\n4.00\n</text>", 1), (grey, 0), ("accuracy", 1)]),
    );
    let missing = [0.5, NAN, 0.125, INF, 2.0, -1.0];
    check(
        heatmap(3, 2, &missing, true),
        Ok(&[
            ("<rect", rects(6, true)),
            (">\n–\n</text>", 1),
            (">\n∞\n</text>", 1),
            (">\n-1.00\n</text>", 1),
            (grey, 3),
        ]),
    );
    // Nothing colourable: grey cells, numbers, no colour bar.
    check(heatmap(2, 1, &[NAN, NAN], false), Ok(&[("<rect", rects(2, false)), (grey, 2), (">\n–\n</text>", 2)]));
    check(
        heatmap(1, 1, &[3.0], false),
        Ok(&[("<rect", rects(1, true)), (">\n3.00\n</text>", 1), (">\n3\n</text>", 1)]),
    );
    // Rows and columns are named, row 0 at the bottom.
    let svg = draw(&heatmap(2, 2, &[1.0, 2.0, 3.0, 4.0], false)).unwrap_or_default();
    let y_of = |text: &str| {
        svg.find(&format!(">\n{text}\n</text>")).map(|at| &svg[..at]).and_then(|head| {
            head.rsplit("<text x=\"").next()?.split("y=\"").nth(1)?.split('"').next()?.parse::<i32>().ok()
        })
    };
    assert!(y_of("d0") > y_of("d1") && y_of("1.00") > y_of("3.00"), "row 0 is not at the bottom");
}

#[test]
fn a_heatmap_curve_breaks_at_non_finite_points() {
    let curve = |points: Vec<(f64, f64)>| match heatmap(3, 2, &[1.0; 6], false) {
        Figure::Heatmap(map) => Figure::Heatmap(Heatmap { curve: Some(points), ..map }),
        other => other,
    };
    let white = "stroke=\"#FFFFFF\" stroke-width=\"2\"";
    check(curve(vec![(0.5, 0.5), (1.5, 1.5), (2.5, 1.0)]), Ok(&[(white, 1)]));
    check(curve(vec![(0.5, 0.5), (1.5, 1.5), (NAN, 1.0), (2.5, 1.0), (2.5, 2.0)]), Ok(&[(white, 2)]));
    check(curve(vec![(0.5, 0.5)]), Ok(&[(white, 0)]));
}

#[test]
fn boundaries_stand_side_by_side() {
    let three = vec![panel("relu", vec![0, 1, 1, 0]), panel("tanh", vec![1; 4]), panel("sigmoid", vec![0, 0, 1, 1])];
    check(
        boundaries(three),
        Ok(&[
            ("<svg width=\"900\" height=\"336\"", 1),
            (">\nrelu\n</text>", 1),
            (">\ntanh\n</text>", 1),
            ("<circle", 6),
        ]),
    );
    // Equal neighbours in a row share one rectangle: background + 2 + 1 + 2.
    check(boundaries(vec![panel("p", vec![0, 0, 1, 0])]), Ok(&[("<rect", 4)]));
    let mut flat = panel("flat", vec![0; 4]);
    flat.y = (1.0, 1.0);
    check(boundaries(vec![flat]), Err("empty plane"));
}
