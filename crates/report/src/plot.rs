//! SVG charts with plotters: line charts (linear or log y) and the decision boundary of a 2-D classifier.

use plotters::coord::Shift;
use plotters::coord::ranged1d::ValueFormatter;
use plotters::prelude::*;

use crate::error::ReportError;
use crate::number::tick;
use crate::palette::categorical;

/// One named line of a chart.
#[derive(Debug, Clone)]
pub struct Series {
    /// The legend text.
    pub name: String,
    /// (x, y) points in order; non-finite points are skipped (and, on a log axis, y ≤ 0).
    pub points: Vec<(f64, f64)>,
}

/// A classifier's view of the plane: a grid of predicted classes and the examples on top.
#[derive(Debug, Clone, PartialEq)]
pub struct Boundary {
    /// The chart's title.
    pub title: String,
    /// x range of the grid.
    pub x: (f64, f64),
    /// y range of the grid.
    pub y: (f64, f64),
    /// Grid cells per side.
    pub resolution: usize,
    /// Predicted class of every cell, row-major from (x.0, y.0), `resolution²` entries.
    pub cells: Vec<u32>,
    /// The examples: (x, y, class).
    pub points: Vec<(f64, f64, u32)>,
}

const SIZE: (u32, u32) = (720, 440);

/// A line chart as an SVG document; `log_y` puts the y axis on a log scale.
pub fn line_chart(
    title: &str,
    x_label: &str,
    y_label: &str,
    series: &[Series],
    log_y: bool,
) -> Result<String, ReportError> {
    let fail = |e: &dyn std::fmt::Display| ReportError { title: title.to_string(), message: e.to_string() };
    let keep = |(x, y): &(f64, f64)| x.is_finite() && y.is_finite() && (!log_y || *y > 0.0);
    let all: Vec<(f64, f64)> = series.iter().flat_map(|s| s.points.iter().copied().filter(keep)).collect();
    if all.is_empty() {
        return Err(fail(&"no finite points to draw"));
    }
    let (x0, x1) = padded(all.iter().map(|p| p.0), false);
    let (y0, y1) = padded(all.iter().map(|p| p.1), log_y);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(|e| fail(&e))?;
        if log_y {
            let chart =
                chart_builder(&root, title).build_cartesian_2d(x0..x1, (y0..y1).log_scale()).map_err(|e| fail(&e))?;
            draw_lines(chart, x_label, y_label, series, keep).map_err(|e| fail(&e))?;
        } else {
            let chart = chart_builder(&root, title).build_cartesian_2d(x0..x1, y0..y1).map_err(|e| fail(&e))?;
            draw_lines(chart, x_label, y_label, series, keep).map_err(|e| fail(&e))?;
        }
        root.present().map_err(|e| fail(&e))?;
    }
    Ok(svg)
}

/// The decision boundary chart as an SVG document: light cells for the predicted class, dots for the examples.
pub fn decision_boundary(boundary: &Boundary) -> Result<String, ReportError> {
    let fail = |e: &dyn std::fmt::Display| ReportError { title: boundary.title.clone(), message: e.to_string() };
    check_grid(boundary).map_err(|e| fail(&e))?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (560, 560)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| fail(&e))?;
        boundary_on(&root, boundary, 20).map_err(|e| fail(&e))?;
        root.present().map_err(|e| fail(&e))?;
    }
    Ok(svg)
}

/// Why `boundary`'s grid cannot be drawn, if it cannot.
pub(crate) fn check_grid(boundary: &Boundary) -> Result<(), String> {
    let n = boundary.resolution;
    let finite = [boundary.x.0, boundary.x.1, boundary.y.0, boundary.y.1].iter().all(|v| v.is_finite());
    if n == 0 || boundary.cells.len() != n * n {
        Err(format!("expected {} grid cells, got {}", n * n, boundary.cells.len()))
    } else if !finite || boundary.x.0 >= boundary.x.1 || boundary.y.0 >= boundary.y.1 {
        Err(format!("empty plane x {:?} y {:?}", boundary.x, boundary.y))
    } else {
        Ok(())
    }
}

/// Draws `boundary` (already checked by [`check_grid`]) on `area`, its title above it in `title_size` type.
pub(crate) fn boundary_on(
    area: &DrawingArea<SVGBackend<'_>, Shift>,
    boundary: &Boundary,
    title_size: u32,
) -> Result<(), DrawingAreaErrorKind<std::io::Error>> {
    let n = boundary.resolution;
    let (x0, x1) = boundary.x;
    let (y0, y1) = boundary.y;
    let (dx, dy) = ((x1 - x0) / n as f64, (y1 - y0) / n as f64);
    let mut chart = ChartBuilder::on(area)
        .caption(&boundary.title, ("sans-serif", title_size))
        .margin(8)
        .x_label_area_size(40)
        .y_label_area_size(48)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(5)
        .y_labels(5)
        .x_label_formatter(&|v| tick(*v, x1 - x0))
        .y_label_formatter(&|v| tick(*v, y1 - y0))
        .label_style(("sans-serif", 16))
        .axis_desc_style(("sans-serif", 16))
        .x_desc("x₁")
        .y_desc("x₂")
        .draw()?;
    // One rectangle per run of equal cells along a row: the same picture as one per cell, a fraction of the bytes.
    let mut cells = Vec::new();
    for (row, classes) in boundary.cells.chunks(n).enumerate() {
        let y = y0 + row as f64 * dy;
        let mut start = 0;
        for run in classes.chunk_by(|a, b| a == b) {
            let (from, to) = (x0 + start as f64 * dx, x0 + (start + run.len()) as f64 * dx);
            cells.push(Rectangle::new([(from, y), (to, y + dy)], color(run[0]).mix(0.25).filled()));
            start += run.len();
        }
    }
    chart.draw_series(cells)?;
    let inside = |x: f64, y: f64| x.is_finite() && y.is_finite() && (x0..=x1).contains(&x) && (y0..=y1).contains(&y);
    let points = boundary
        .points
        .iter()
        .filter(|(x, y, _)| inside(*x, *y))
        .map(|(x, y, class)| Circle::new((*x, *y), 3, color(*class).filled()));
    chart.draw_series(points)?;
    Ok(())
}

fn chart_builder<'a, 'b>(
    root: &'a DrawingArea<SVGBackend<'b>, Shift>,
    title: &str,
) -> ChartBuilder<'a, 'b, SVGBackend<'b>> {
    let mut builder = ChartBuilder::on(root);
    builder.caption(title, ("sans-serif", 20)).margin(12).x_label_area_size(40).y_label_area_size(64);
    builder
}

fn draw_lines<'a, X, Y>(
    mut chart: ChartContext<'a, SVGBackend<'a>, Cartesian2d<X, Y>>,
    x_label: &str,
    y_label: &str,
    series: &[Series],
    keep: impl Fn(&(f64, f64)) -> bool,
) -> Result<(), DrawingAreaErrorKind<std::io::Error>>
where
    X: Ranged<ValueType = f64> + ValueFormatter<f64>,
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    chart
        .configure_mesh()
        .x_desc(x_label)
        .y_desc(y_label)
        .label_style(("sans-serif", 16))
        .axis_desc_style(("sans-serif", 16))
        .light_line_style(WHITE.mix(0.0))
        .draw()?;
    for (index, line) in series.iter().enumerate() {
        let style = color(index as u32).stroke_width(2);
        let points: Vec<(f64, f64)> = line.points.iter().copied().filter(&keep).collect();
        chart
            .draw_series(LineSeries::new(points, style))?
            .label(line.name.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
    }
    if series.len() > 1 {
        chart
            .configure_series_labels()
            .label_font(("sans-serif", 16))
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .draw()?;
    }
    Ok(())
}

/// The range of `values` with 5 % padding (multiplicative on a log axis); never empty.
fn padded(values: impl Iterator<Item = f64>, log: bool) -> (f64, f64) {
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if log {
        return (lo / 1.5, hi * 1.5);
    }
    let pad = if hi > lo { 0.05 * (hi - lo) } else { 0.5 * lo.abs().max(1.0) };
    (lo - pad, hi + pad)
}

fn color(index: u32) -> RGBColor {
    categorical(index as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_chart_draws_every_series_and_refuses_empty_input() {
        let series = |name: &str| Series { name: name.into(), points: vec![(0.0, 1.0), (1.0, 0.1), (2.0, f64::NAN)] };
        let svg = line_chart("loss", "epoch", "loss", &[series("train"), series("test")], true).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("train") && svg.contains("test"));
        assert!(line_chart("empty", "x", "y", &[Series { name: "a".into(), points: vec![] }], false).is_err());
    }

    #[test]
    fn decision_boundary_checks_the_grid() {
        let boundary = Boundary {
            title: "b".into(),
            x: (-1.0, 1.0),
            y: (-1.0, 1.0),
            resolution: 2,
            cells: vec![0, 1, 1, 0],
            points: vec![(0.5, 0.5, 1)],
        };
        assert!(decision_boundary(&boundary).unwrap().contains("<circle"));
        assert!(decision_boundary(&Boundary { cells: vec![0], ..boundary }).is_err());
    }
}
