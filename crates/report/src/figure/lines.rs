//! Drawing a [`LineFigure`]: curves broken at diverged points, those points as red "×" at the top edge, marks,
//! the pass band, and a legend in the emptiest corner.

use plotters::coord::combinators::{LogCoord, WithKeyPoints};
use plotters::coord::ranged1d::ValueFormatter;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{Axis, LABEL_SIZE, Line, LineFigure, Style, title_size};
use crate::number::{log_ticks, tick};
use crate::palette::{BAND, DIVERGED, MARK, categorical};

const SIZE: (u32, u32) = (640, 400);

type DrawResult = Result<(), DrawingAreaErrorKind<std::io::Error>>;

/// The SVG of `figure`, or why there is nothing to draw.
pub(super) fn draw(figure: &LineFigure) -> Result<String, String> {
    let layout = Layout::of(figure)?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let mut builder = ChartBuilder::on(&root);
        builder
            .caption(&figure.title, ("sans-serif", title_size(&figure.title, SIZE.0)))
            .margin(12)
            .margin_right(24)
            .x_label_area_size(48)
            .y_label_area_size(72);
        let ((x0, x1), (y0, y1)) = (layout.x, layout.y);
        let drawn = match (figure.x_axis, figure.y_axis) {
            (Axis::Linear, Axis::Linear) => {
                builder.build_cartesian_2d(x0..x1, y0..y1).map(|c| plot(c, figure, &layout))
            }
            (Axis::Log, Axis::Linear) => {
                builder.build_cartesian_2d(log(x0, x1), y0..y1).map(|c| plot(c, figure, &layout))
            }
            (Axis::Linear, Axis::Log) => {
                builder.build_cartesian_2d(x0..x1, log(y0, y1)).map(|c| plot(c, figure, &layout))
            }
            (Axis::Log, Axis::Log) => {
                builder.build_cartesian_2d(log(x0, x1), log(y0, y1)).map(|c| plot(c, figure, &layout))
            }
        };
        drawn.map_err(|e| e.to_string())?.map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

/// A log axis over [lo, hi] with ticks of [`log_ticks`] (plotters' own put none between decades).
fn log(lo: f64, hi: f64) -> WithKeyPoints<LogCoord<f64>> {
    (lo..hi).log_scale().with_key_points(log_ticks(lo, hi))
}

/// What is decided before drawing: the axes' ranges, which values can be placed, where the legend goes.
struct Layout {
    x: (f64, f64),
    y: (f64, f64),
    x_log: bool,
    y_log: bool,
    legend: SeriesLabelPosition,
}

impl Layout {
    fn of(figure: &LineFigure) -> Result<Layout, String> {
        let (x_log, y_log) = (figure.x_axis == Axis::Log, figure.y_axis == Axis::Log);
        let points = || figure.lines.iter().flat_map(|line| line.points.iter().copied());
        let mut xs: Vec<f64> = points().map(|p| p.0).filter(|x| placeable(*x, x_log)).collect();
        let ys: Vec<f64> = points().filter(|p| placeable(p.0, x_log) && placeable(p.1, y_log)).map(|p| p.1).collect();
        if ys.is_empty() {
            return Err("no finite point to draw".into());
        }
        xs.extend(figure.marks.iter().map(|m| m.x).filter(|x| placeable(*x, x_log)));
        let band = figure.band.iter().flat_map(|&(lo, hi)| [lo, hi]).filter(|y| placeable(*y, y_log));
        let y = padded(ys.iter().copied().chain(band), y_log);
        let mut layout =
            Layout { x: padded(xs.into_iter(), x_log), y, x_log, y_log, legend: SeriesLabelPosition::UpperRight };
        layout.legend = layout.emptiest_corner(figure);
        Ok(layout)
    }

    fn x_ok(&self, x: f64) -> bool {
        placeable(x, self.x_log)
    }

    fn y_ok(&self, y: f64) -> bool {
        placeable(y, self.y_log)
    }

    /// `(x, y)` as fractions of the plot's width and height.
    fn unit(&self, (x, y): (f64, f64)) -> (f64, f64) {
        let scale = |v: f64, (lo, hi): (f64, f64), log: bool| {
            if log { (v.log10() - lo.log10()) / (hi.log10() - lo.log10()) } else { (v - lo) / (hi - lo) }
        };
        (scale(x, self.x, self.x_log), scale(y, self.y, self.y_log))
    }

    /// The corner the fewest curve points, "×" markers and mark labels fall into, so the legend hides least.
    fn emptiest_corner(&self, figure: &LineFigure) -> SeriesLabelPosition {
        let mut taken: Vec<(f64, f64)> = Vec::new();
        for line in &figure.lines {
            let points: Vec<(f64, f64)> = line.points.iter().copied().filter(|p| self.x_ok(p.0)).collect();
            for pair in points.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                if !(self.y_ok(a.1) && self.y_ok(b.1)) || line.style == Style::Dots {
                    continue;
                }
                let (ua, ub) = (self.unit(a), self.unit(b));
                taken.extend(
                    (1..8).map(|k| k as f64 / 8.0).map(|t| (ua.0 + t * (ub.0 - ua.0), ua.1 + t * (ub.1 - ua.1))),
                );
            }
            taken.extend(
                points.iter().map(|&p| if self.y_ok(p.1) { self.unit(p) } else { (self.unit((p.0, self.y.1)).0, 1.0) }),
            );
        }
        taken.extend(figure.marks.iter().filter(|m| self.x_ok(m.x)).map(|m| (self.unit((m.x, self.y.1)).0, 1.0)));
        let corners = [
            (SeriesLabelPosition::UpperRight, true, true),
            (SeriesLabelPosition::LowerRight, true, false),
            (SeriesLabelPosition::UpperLeft, false, true),
            (SeriesLabelPosition::LowerLeft, false, false),
        ];
        let count = |right: bool, upper: bool| {
            let inside = |&&(x, y): &&(f64, f64)| {
                (if right { x > 0.55 } else { x < 0.45 }) && (if upper { y > 0.6 } else { y < 0.4 })
            };
            taken.iter().filter(inside).count()
        };
        let best = corners.iter().min_by_key(|(_, right, upper)| count(*right, *upper));
        best.map_or(SeriesLabelPosition::UpperRight, |c| c.0.clone())
    }
}

fn plot<'a, X, Y>(
    mut chart: ChartContext<'a, SVGBackend<'a>, Cartesian2d<X, Y>>,
    figure: &LineFigure,
    layout: &Layout,
) -> DrawResult
where
    X: Ranged<ValueType = f64> + ValueFormatter<f64>,
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let ((x0, x1), (y0, y1)) = (layout.x, layout.y);
    chart
        .configure_mesh()
        .x_desc(&figure.x_label)
        .y_desc(&figure.y_label)
        .x_labels(8)
        .y_labels(6)
        .x_label_formatter(&|v| tick(*v, x1 - x0))
        .y_label_formatter(&|v| tick(*v, y1 - y0))
        .label_style(("sans-serif", LABEL_SIZE))
        .axis_desc_style(("sans-serif", LABEL_SIZE))
        .light_line_style(WHITE.mix(0.0))
        .bold_line_style(BLACK.mix(0.08))
        .draw()?;
    let mut legend = false;
    if let Some((lo, hi)) = figure.band.filter(|(lo, hi)| !lo.is_nan() && !hi.is_nan()) {
        let lo = if layout.y_ok(lo) { lo.max(y0) } else { y0 };
        let hi = if layout.y_ok(hi) { hi.min(y1) } else { y1 };
        if lo < hi {
            let fill = BAND.mix(0.15).filled();
            chart
                .draw_series(std::iter::once(Rectangle::new([(x0, lo), (x1, hi)], fill)))?
                .label("pass threshold")
                .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 20, y + 6)], fill));
            legend = true;
        }
    }
    draw_marks(&mut chart, figure, layout)?;
    let mut colour = 0;
    for (index, line) in figure.lines.iter().enumerate() {
        // A dashed reference takes the colour of the curve before it.
        let follows = line.style == Style::Dashed && index > 0 && figure.lines[index - 1].style != Style::Dashed;
        colour += usize::from(index > 0 && !follows);
        legend |= draw_line(&mut chart, line, categorical(colour), layout)?;
    }
    let diverged: Vec<f64> = figure
        .lines
        .iter()
        .flat_map(|line| line.points.iter())
        .filter(|p| layout.x_ok(p.0) && !layout.y_ok(p.1))
        .map(|p| p.0)
        .collect();
    if !diverged.is_empty() {
        let cross = |x: f64| EmptyElement::at((x, y1)) + Cross::new((0, 9), 5, DIVERGED.stroke_width(2));
        chart.draw_series(diverged.into_iter().map(cross))?.label("× diverged");
        legend = true;
    }
    if legend {
        chart
            .configure_series_labels()
            .position(layout.legend.clone())
            .label_font(("sans-serif", LABEL_SIZE))
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK.mix(0.3))
            .draw()?;
    }
    Ok(())
}

/// Draws `line` broken at its diverged points; true when it put an entry in the legend.
fn draw_line<'a, X, Y>(
    chart: &mut ChartContext<'a, SVGBackend<'a>, Cartesian2d<X, Y>>,
    line: &Line,
    color: RGBColor,
    layout: &Layout,
) -> Result<bool, DrawingAreaErrorKind<std::io::Error>>
where
    X: Ranged<ValueType = f64> + ValueFormatter<f64>,
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let style = color.stroke_width(2);
    let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
    for &(x, y) in &line.points {
        if !layout.x_ok(x) {
            continue;
        }
        match runs.last_mut() {
            Some(run) if layout.y_ok(y) => run.push((x, y)),
            Some(run) if run.is_empty() => {}
            _ => runs.push(Vec::new()),
        }
    }
    runs.retain(|run| !run.is_empty());
    let (kind, named) = (line.style, !line.name.is_empty());
    // The legend glyph: two strokes (one line, or a dash and a gap) and a dot, invisible where the style has none.
    let glyph = move |(x, y): (i32, i32)| {
        let none = TRANSPARENT.stroke_width(0);
        let (first, second, dot) = match kind {
            Style::Solid => (((0, 0), (20, 0)), none, none),
            Style::Dashed => (((0, 0), (7, 0)), style, none),
            Style::Dots => (((0, 0), (0, 0)), none, color.filled()),
        };
        let first_style = if kind == Style::Dots { none } else { style };
        EmptyElement::at((x, y))
            + PathElement::new(vec![first.0, first.1], first_style)
            + PathElement::new(vec![(13, 0), (20, 0)], second)
            + Circle::new((10, 0), 3, dot)
    };
    if runs.is_empty() && named {
        chart.draw_series(std::iter::empty::<Circle<(f64, f64), i32>>())?.label(line.name.clone()).legend(glyph);
    }
    for (k, run) in runs.into_iter().enumerate() {
        let anno = match line.style {
            Style::Solid => chart.draw_series(LineSeries::new(run, style))?,
            Style::Dashed => chart.draw_series(DashedLineSeries::new(run, 8, 5, style))?,
            Style::Dots => chart.draw_series(run.into_iter().map(|p| Circle::new(p, 3, color.filled())))?,
        };
        if k == 0 && named {
            anno.label(line.name.clone()).legend(glyph);
        }
    }
    Ok(named)
}

fn draw_marks<'a, X, Y>(
    chart: &mut ChartContext<'a, SVGBackend<'a>, Cartesian2d<X, Y>>,
    figure: &LineFigure,
    layout: &Layout,
) -> DrawResult
where
    X: Ranged<ValueType = f64> + ValueFormatter<f64>,
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let ((y0, y1), dash) = (layout.y, MARK.stroke_width(1));
    let mut marks: Vec<_> = figure.marks.iter().filter(|m| layout.x_ok(m.x)).collect();
    marks.sort_by(|a, b| a.x.total_cmp(&b.x));
    for (rank, mark) in marks.into_iter().enumerate() {
        chart.draw_series(DashedLineSeries::new([(mark.x, y0), (mark.x, y1)], 6, 4, dash))?;
        let right = layout.unit((mark.x, y1)).0 > 0.7;
        let anchor = Pos::new(if right { HPos::Right } else { HPos::Left }, VPos::Top);
        let font = ("sans-serif", LABEL_SIZE).into_font().color(&MARK).pos(anchor);
        let offset = (if right { -4 } else { 4 }, 18 + 18 * (rank as i32 % 2));
        chart.draw_series(std::iter::once(
            EmptyElement::at((mark.x, y1)) + Text::new(mark.label.clone(), offset, font),
        ))?;
    }
    Ok(())
}

/// Whether `value` can be placed on an axis (finite, and positive on a log axis).
fn placeable(value: f64, log: bool) -> bool {
    value.is_finite() && (!log || value > 0.0)
}

/// The range of `values` (placeable, at least one) with 5 % padding, multiplicative on a log axis; never empty.
fn padded(values: impl Iterator<Item = f64>, log: bool) -> (f64, f64) {
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if log {
        let pad = if hi > lo { (hi / lo).powf(0.05) } else { 2.0 };
        return (lo / pad, hi * pad);
    }
    let pad = if hi > lo { 0.05 * (hi - lo) } else { 0.5 * lo.abs().max(1.0) };
    (lo - pad, hi + pad)
}
