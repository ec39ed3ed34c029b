//! Drawing a [`Heatmap`] in pixel space: viridis cells with their values printed, grey cells for missing values,
//! tick names, a colour bar, and an optional curve over the map.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{Heatmap, LABEL_SIZE, TITLE_HEIGHT, title_size};
use crate::number::{linear_ticks, log_ticks, sig3, tick};
use crate::palette::{MISSING, ink_on, viridis};

/// Slices of the colour bar.
pub(super) const STEPS: usize = 32;
/// Cell height, and the least cell width.
const CELL: u32 = 80;
/// The least width of the whole figure.
const MIN_WIDTH: u32 = 480;
/// Estimated width of one character of label text (plotters cannot measure SVG text).
const CHAR: f64 = 7.5;

/// The SVG of `map`, or why it cannot be drawn.
pub(super) fn draw(map: &Heatmap) -> Result<String, String> {
    let (nx, ny) = (map.x_ticks.len(), map.y_ticks.len());
    if nx == 0 || ny == 0 || map.values.len() != nx * ny {
        return Err(format!("{} values for {ny} rows × {nx} columns", map.values.len()));
    }
    let scale = Scale::of(map);
    let layout = Layout::of(map, &scale);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, layout.size).into_drawing_area();
        paint(&root, map, &scale, &layout).map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

/// How values map to colours: the range of the colourable values, on a log scale or not.
struct Scale {
    range: Option<(f64, f64)>,
    log: bool,
}

impl Scale {
    fn of(map: &Heatmap) -> Scale {
        let log = map.log_color;
        let range = map.values.iter().copied().filter(|v| v.is_finite() && (!log || *v > 0.0)).fold(None, |r, v| {
            let (lo, hi): (f64, f64) = r.unwrap_or((v, v));
            Some((lo.min(v), hi.max(v)))
        });
        Scale { range, log }
    }

    /// The colour of `value`, grey when it cannot be coloured.
    fn color(&self, value: f64) -> RGBColor {
        match (self.range, self.position(value)) {
            (Some(_), Some(t)) => viridis(t),
            _ => MISSING,
        }
    }

    /// Where `value` falls in the range, 0 to 1; None when it has no colour.
    fn position(&self, value: f64) -> Option<f64> {
        let (lo, hi) = self.range?;
        if !value.is_finite() || (self.log && value <= 0.0) {
            return None;
        }
        let f = |v: f64| if self.log { v.log10() } else { v };
        Some(if hi > lo { (f(value) - f(lo)) / (f(hi) - f(lo)) } else { 0.5 })
    }
}

/// Where everything goes, in pixels.
struct Layout {
    size: (u32, u32),
    left: i32,
    top: i32,
    cell: (i32, i32),
    /// Height of the x tick names; they stand upright when too wide for a cell.
    x_ticks: (i32, bool),
}

impl Layout {
    fn of(map: &Heatmap, scale: &Scale) -> Layout {
        let widest = |ticks: &[String]| ticks.iter().map(|t| t.chars().count()).max().unwrap_or(0) as f64 * CHAR;
        let left = 12 + 24 + widest(&map.y_ticks).ceil() as u32 + 8;
        let right = if scale.range.is_some() { 16 + 18 + 8 + 56 + 28 } else { 16 };
        let nx = map.x_ticks.len() as u32;
        let cell_w = CELL.max((MIN_WIDTH.saturating_sub(left + right)).div_ceil(nx));
        let upright = widest(&map.x_ticks) > (cell_w - 8) as f64;
        let x_ticks = if upright { widest(&map.x_ticks).ceil() as i32 + 4 } else { 22 };
        let top = TITLE_HEIGHT + 8;
        let height = top + CELL * map.y_ticks.len() as u32 + 6 + x_ticks as u32 + 36;
        Layout {
            size: (left + nx * cell_w + right, height),
            left: left as i32,
            top: top as i32,
            cell: (cell_w as i32, CELL as i32),
            x_ticks: (x_ticks, upright),
        }
    }
}

fn paint(
    root: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    map: &Heatmap,
    scale: &Scale,
    at: &Layout,
) -> Result<(), DrawingAreaErrorKind<std::io::Error>> {
    let (nx, ny) = (map.x_ticks.len() as i32, map.y_ticks.len() as i32);
    let (cw, ch) = at.cell;
    let (right, bottom) = (at.left + nx * cw, at.top + ny * ch);
    let text =
        |anchor: (HPos, VPos)| ("sans-serif", LABEL_SIZE).into_font().color(&BLACK).pos(Pos::new(anchor.0, anchor.1));
    let upright = |anchor: (HPos, VPos)| text(anchor).transform(FontTransform::Rotate270);
    root.fill(&WHITE)?;
    let title = ("sans-serif", title_size(&map.title, at.size.0))
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Center, VPos::Center));
    root.draw(&Text::new(map.title.clone(), (at.size.0 as i32 / 2, TITLE_HEIGHT as i32 / 2 + 4), title))?;
    let corner = |i: usize| {
        let (row, col) = ((i / nx as usize) as i32, (i % nx as usize) as i32);
        (at.left + col * cw, at.top + (ny - 1 - row) * ch)
    };
    for (i, value) in map.values.iter().enumerate() {
        let corner = corner(i);
        root.draw(&Rectangle::new([corner, (corner.0 + cw, corner.1 + ch)], scale.color(*value).filled()))?;
    }
    // The curve goes under the values, so every number stays readable.
    if let Some(curve) = &map.curve {
        let pixel = |(x, y): (f64, f64)| {
            ((at.left as f64 + x * cw as f64).round() as i32, (bottom as f64 - y * ch as f64).round() as i32)
        };
        for run in curve.split(|(x, y)| !(x.is_finite() && y.is_finite())).filter(|run| run.len() > 1) {
            let path: Vec<(i32, i32)> = run.iter().copied().map(pixel).collect();
            root.draw(&PathElement::new(path.clone(), BLACK.mix(0.8).stroke_width(5)))?;
            root.draw(&PathElement::new(path, WHITE.stroke_width(2)))?;
        }
    }
    for (i, value) in map.values.iter().enumerate() {
        let corner = corner(i);
        let ink = ink_on(scale.color(*value));
        let font = ("sans-serif", LABEL_SIZE).into_font().color(&ink).pos(Pos::new(HPos::Center, VPos::Center));
        // Under a curve (which runs through cell centres) the number moves to the bottom of its cell.
        let y = if map.curve.is_some() { corner.1 + ch - 16 } else { corner.1 + ch / 2 };
        root.draw(&Text::new(sig3(*value), (corner.0 + cw / 2, y), font))?;
    }
    for (col, name) in map.x_ticks.iter().enumerate() {
        let x = at.left + col as i32 * cw + cw / 2;
        if at.x_ticks.1 {
            root.draw(&Text::new(name.clone(), (x, bottom + 6), upright((HPos::Right, VPos::Center))))?;
        } else {
            root.draw(&Text::new(name.clone(), (x, bottom + 6), text((HPos::Center, VPos::Top))))?;
        }
    }
    for (row, name) in map.y_ticks.iter().enumerate() {
        let y = at.top + (ny - 1 - row as i32) * ch + ch / 2;
        root.draw(&Text::new(name.clone(), (at.left - 8, y), text((HPos::Right, VPos::Center))))?;
    }
    let x_label = (at.left + nx * cw / 2, bottom + 6 + at.x_ticks.0 + 8);
    root.draw(&Text::new(map.x_label.clone(), x_label, text((HPos::Center, VPos::Top))))?;
    root.draw(&Text::new(map.y_label.clone(), (24, at.top + ny * ch / 2), upright((HPos::Center, VPos::Center))))?;
    if scale.range.is_some() {
        let bar = right + 16;
        let slice = |k: i32| at.top + ny * ch - (k * ny * ch) / STEPS as i32;
        for k in 0..STEPS as i32 {
            let t = (k as f64 + 0.5) / STEPS as f64;
            root.draw(&Rectangle::new([(bar, slice(k + 1)), (bar + 18, slice(k))], viridis(t).filled()))?;
        }
        root.draw(&Rectangle::new([(bar, at.top), (bar + 18, bottom)], BLACK.mix(0.5)))?;
        let ticks = match scale.range {
            Some((lo, hi)) if hi > lo && scale.log => log_ticks(lo, hi),
            Some((lo, hi)) if hi > lo => linear_ticks(lo, hi),
            Some((lo, _)) => vec![lo],
            None => vec![],
        };
        let span = scale.range.map_or(1.0, |(lo, hi)| hi - lo);
        for value in ticks {
            let t = scale.position(value).unwrap_or(0.0);
            let y = bottom - (t * (ny * ch) as f64).round() as i32;
            root.draw(&PathElement::new(vec![(bar + 18, y), (bar + 22, y)], BLACK))?;
            root.draw(&Text::new(tick(value, span), (bar + 25, y), text((HPos::Left, VPos::Center))))?;
        }
        let label_x = bar + 18 + 8 + 56 + 14;
        root.draw(&Text::new(
            map.value_label.clone(),
            (label_x, at.top + ny * ch / 2),
            upright((HPos::Center, VPos::Center)),
        ))?;
    }
    Ok(())
}
