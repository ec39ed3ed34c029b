//! The figures of a report as plain data (line figures, heatmaps, rows of decision boundaries) and [`draw`], which
//! turns one into an SVG document.
//!
//! What every figure promises its reader: labelled axes with readable ticks, the Okabe–Ito palette, no
//! non-finite number ever plotted as if it were one (a diverged point is a red "×" at the top edge), and the same
//! bytes for the same input.

mod heatmap;
mod lines;
#[cfg(test)]
mod tests;

use plotters::prelude::*;

use crate::error::ReportError;
use crate::plot::{Boundary, boundary_on, check_grid};

/// One figure of a report.
#[derive(Debug, Clone, PartialEq)]
pub enum Figure {
    /// Curves over a shared x axis (loss against epoch, accuracy against learning rate, …).
    Lines(LineFigure),
    /// A grid of numbers coloured by value (a sweep over two axes).
    Heatmap(Heatmap),
    /// Decision boundaries side by side.
    Boundaries(Boundaries),
}

/// The scale of an axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Axis {
    /// Evenly spaced values.
    Linear,
    /// Evenly spaced powers of ten; values ≤ 0 cannot be placed on it.
    Log,
}

/// Curves over a shared x axis.
#[derive(Debug, Clone, PartialEq)]
pub struct LineFigure {
    /// The figure's title, drawn above it.
    pub title: String,
    /// The x axis's label.
    pub x_label: String,
    /// The y axis's label.
    pub y_label: String,
    /// The x axis's scale.
    pub x_axis: Axis,
    /// The y axis's scale.
    pub y_axis: Axis,
    /// The curves, coloured in order from the palette.
    pub lines: Vec<Line>,
    /// Vertical reference lines ("chosen lr", "target reached").
    pub marks: Vec<Mark>,
    /// A shaded horizontal band of y values (low, high): the pass threshold.
    pub band: Option<(f64, f64)>,
}

/// One curve of a [`LineFigure`].
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The legend text (empty: no legend entry).
    pub name: String,
    /// (x, y) points in order. A point whose y is not finite (or ≤ 0 on a log y axis) is a diverged run: drawn as
    /// a red "×" at the top edge, the line broken there. A point whose x cannot be placed is left out.
    pub points: Vec<(f64, f64)>,
    /// How the points are drawn.
    pub style: Style,
}

/// How a [`Line`] is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// A solid line: a measured curve.
    Solid,
    /// A dashed line: a reference or contrast curve, in the colour of the line before it (the curve it is the
    /// reference for), or the next colour when it comes first.
    Dashed,
    /// Markers only: a scatter of separate measurements.
    Dots,
}

/// A vertical dashed line at `x` with a small label at the top.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// Where the line stands on the x axis.
    pub x: f64,
    /// Its label ("chosen lr", "target reached").
    pub label: String,
}

/// A grid of numbers coloured by value.
#[derive(Debug, Clone, PartialEq)]
pub struct Heatmap {
    /// The figure's title, drawn above it.
    pub title: String,
    /// The x axis's label.
    pub x_label: String,
    /// The y axis's label.
    pub y_label: String,
    /// The name of every column, left to right.
    pub x_ticks: Vec<String>,
    /// The name of every row, bottom to top.
    pub y_ticks: Vec<String>,
    /// The values, row-major: `y_ticks.len()` rows of `x_ticks.len()` columns, row 0 at the bottom. A value that
    /// cannot be coloured (NaN, ±∞, ≤ 0 with `log_color`) leaves its cell grey.
    pub values: Vec<f64>,
    /// What the values are (the colour legend's label).
    pub value_label: String,
    /// Colour by log10 of the value rather than the value.
    pub log_color: bool,
    /// A line drawn over the map in cell coordinates: x in 0..columns (cell centres at i + 0.5), y likewise in
    /// 0..rows; the line breaks at non-finite points.
    pub curve: Option<Vec<(f64, f64)>>,
}

/// Decision boundaries side by side (one classifier per panel, say one per activation).
#[derive(Debug, Clone, PartialEq)]
pub struct Boundaries {
    /// The figure's title, drawn above the panels.
    pub title: String,
    /// The panels, left to right, each titled by its own `title`.
    pub panels: Vec<Boundary>,
}

impl Figure {
    /// The figure's title.
    pub fn title(&self) -> &str {
        match self {
            Figure::Lines(figure) => &figure.title,
            Figure::Heatmap(figure) => &figure.title,
            Figure::Boundaries(figure) => &figure.title,
        }
    }
}

/// `figure` as one SVG document (with explicit width and height, no XML prologue).
///
/// # Errors
///
/// A [`ReportError`] naming the figure when there is nothing to draw: a line figure without a single finite
/// point, a heatmap whose values do not fill its rows × columns, no panels or a malformed panel.
pub fn draw(figure: &Figure) -> Result<String, ReportError> {
    let result = match figure {
        Figure::Lines(lines) => lines::draw(lines),
        Figure::Heatmap(heatmap) => heatmap::draw(heatmap),
        Figure::Boundaries(boundaries) => draw_boundaries(boundaries),
    };
    result.map_err(|message| ReportError { title: figure.title().to_string(), message })
}

/// The title's font size for a figure `width` wide: [`TITLE_SIZE`], smaller for a long title so it fits (down to
/// 15 units ≈ 12 px; a title longer than that is clipped).
pub(crate) fn title_size(title: &str, width: u32) -> u32 {
    // A sans-serif character is about 0.46 font units wide on average.
    let fit = f64::from(width.saturating_sub(24)) / (0.46 * title.chars().count().max(1) as f64);
    (fit.floor() as u32).clamp(15, TITLE_SIZE)
}

/// Width and height of one panel of a [`Boundaries`] figure.
const PANEL: u32 = 300;
/// Height of a figure's title row.
pub(crate) const TITLE_HEIGHT: u32 = 36;
/// Font size (plotters' units: the SVG font size is this / 1.24) of a figure's title.
pub(crate) const TITLE_SIZE: u32 = 24;
/// Font size of tick labels, axis labels and legends: 16 / 1.24 ≈ 12.9 px in the SVG.
pub(crate) const LABEL_SIZE: u32 = 16;

fn draw_boundaries(figure: &Boundaries) -> Result<String, String> {
    if figure.panels.is_empty() {
        return Err("no panels to draw".into());
    }
    for panel in &figure.panels {
        check_grid(panel).map_err(|e| format!("panel `{}`: {e}", panel.title))?;
    }
    let size = (PANEL * figure.panels.len() as u32, PANEL + TITLE_HEIGHT);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let font = ("sans-serif", title_size(&figure.title, size.0));
        let below = root.titled(&figure.title, font).map_err(|e| e.to_string())?;
        for (area, panel) in below.split_evenly((1, figure.panels.len())).iter().zip(&figure.panels) {
            boundary_on(area, panel, 18).map_err(|e| e.to_string())?;
        }
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}
