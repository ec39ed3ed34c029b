//! The colours of every figure: the Okabe–Ito palette for lines and classes, viridis for heatmaps, and the few
//! fixed colours (diverged marker, missing cell, marks) that mean the same thing in every figure.

use plotters::style::RGBColor;

/// Okabe & Ito's colour-blind-safe palette, in the order lines and classes take it; the yellow (#F0E442) is left
/// out because it vanishes on white.
const OKABE_ITO: [RGBColor; 7] = [
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0x00, 0x00, 0x00),
];

/// Viridis sampled at 9 evenly spaced stops (matplotlib's table); [`viridis`] interpolates between them.
const VIRIDIS: [(u8, u8, u8); 9] = [
    (0x44, 0x01, 0x54),
    (0x47, 0x2C, 0x7A),
    (0x3B, 0x51, 0x8B),
    (0x2C, 0x71, 0x8E),
    (0x21, 0x90, 0x8D),
    (0x27, 0xAD, 0x81),
    (0x5C, 0xC8, 0x63),
    (0xAA, 0xDC, 0x32),
    (0xFD, 0xE7, 0x25),
];

/// The marker of a diverged point (y not finite): a red "×", whatever the line's colour.
pub(crate) const DIVERGED: RGBColor = RGBColor(0xCC, 0x00, 0x00);
/// A heatmap cell without a value.
pub(crate) const MISSING: RGBColor = RGBColor(0xBD, 0xBD, 0xBD);
/// Marks (vertical reference lines) and their labels.
pub(crate) const MARK: RGBColor = RGBColor(0x60, 0x60, 0x60);
/// The shaded pass band of a line figure (drawn translucent).
pub(crate) const BAND: RGBColor = RGBColor(0x00, 0x9E, 0x73);

/// The colour of line or class `index`, cycling through the palette.
pub(crate) fn categorical(index: usize) -> RGBColor {
    OKABE_ITO[index % OKABE_ITO.len()]
}

/// Viridis at `t` in [0, 1] (clamped; NaN reads as 0).
pub(crate) fn viridis(t: f64) -> RGBColor {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let at = t * (VIRIDIS.len() - 1) as f64;
    let i = (at.floor() as usize).min(VIRIDIS.len() - 2);
    let f = at - i as f64;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    let mix = |a: u8, b: u8| (a as f64 + f * (b as f64 - a as f64)).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Black or white, whichever reads better on `background` (by relative luminance).
pub(crate) fn ink_on(background: RGBColor) -> RGBColor {
    let RGBColor(r, g, b) = background;
    let luminance = 0.2126 * r as f64 + 0.7152 * g as f64 + 0.0722 * b as f64;
    if luminance > 140.0 { RGBColor(0, 0, 0) } else { RGBColor(0xFF, 0xFF, 0xFF) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viridis_hits_its_stops_and_clamps() {
        let check = |t: f64, want: RGBColor| assert_eq!(viridis(t), want, "viridis({t})");
        check(0.0, RGBColor(0x44, 0x01, 0x54));
        check(-3.0, RGBColor(0x44, 0x01, 0x54));
        check(f64::NAN, RGBColor(0x44, 0x01, 0x54));
        check(0.5, RGBColor(0x21, 0x90, 0x8D));
        check(1.0, RGBColor(0xFD, 0xE7, 0x25));
        check(7.0, RGBColor(0xFD, 0xE7, 0x25));
    }

    #[test]
    fn ink_contrasts_with_the_background() {
        assert_eq!(ink_on(viridis(0.0)), RGBColor(0xFF, 0xFF, 0xFF));
        assert_eq!(ink_on(viridis(1.0)), RGBColor(0, 0, 0));
        assert_eq!(categorical(7), categorical(0));
    }
}
