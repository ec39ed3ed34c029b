//! How numbers are written in figures: three significant digits in heatmap cells, short tick labels on axes.

/// `value` to three significant digits ("0.500", "12.3", "1230", "1.23e-5"); "–" for NaN, "∞"/"−∞" for infinities.
pub(crate) fn sig3(value: f64) -> String {
    if value.is_nan() {
        return "–".into();
    }
    if value.is_infinite() {
        return if value > 0.0 { "∞".into() } else { "−∞".into() };
    }
    if value == 0.0 {
        return "0".into();
    }
    let rounded = round_sig(value, 3);
    let exponent = rounded.abs().log10().floor() as i32;
    if (-3..=3).contains(&exponent) {
        format!("{:.*}", (2 - exponent).max(0) as usize, rounded)
    } else {
        format!("{rounded:.2e}")
    }
}

/// A tick label: at most three significant digits, trailing zeros dropped ("0.5", "1e-3", "2.5e6"); a value
/// within a billionth of `span` of zero is "0" (so float noise never prints as "-2.7e-17").
pub(crate) fn tick(value: f64, span: f64) -> String {
    if !value.is_finite() {
        return String::new();
    }
    if value == 0.0 || value.abs() < span.abs() * 1e-9 {
        return "0".into();
    }
    let rounded = round_sig(value, 3);
    let exponent = rounded.abs().log10().floor() as i32;
    if (-2..=4).contains(&exponent) {
        trim_zeros(format!("{:.*}", (2 - exponent).max(0) as usize, rounded))
    } else {
        let text = format!("{rounded:.2e}");
        match text.split_once('e') {
            Some((mantissa, power)) => format!("{}e{power}", trim_zeros(mantissa.to_string())),
            None => text,
        }
    }
}

/// Tick positions for a log axis over [lo, hi] (0 < lo < hi): decades when there are at least three (at most
/// eight, every other decade or sparser beyond), else 1-2-5 steps, else every 1…9 × 10ᵏ, else five evenly spaced.
pub(crate) fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let inside = |v: &f64| *v >= lo * (1.0 - 1e-9) && *v <= hi * (1.0 + 1e-9);
    let (first, last) = (lo.log10().floor() as i32, hi.log10().ceil() as i32);
    let with = |leads: &[f64]| -> Vec<f64> {
        (first..=last).flat_map(|k| leads.iter().map(move |m| m * 10f64.powi(k))).filter(inside).collect()
    };
    let decades = with(&[1.0]);
    if decades.len() >= 3 {
        let step = decades.len().div_ceil(8);
        return decades.into_iter().step_by(step).collect();
    }
    for leads in [&[1.0, 2.0, 5.0][..], &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0][..]] {
        let ticks = with(leads);
        if ticks.len() >= 3 {
            return ticks;
        }
    }
    (0..5).map(|k| round_sig(10f64.powf(lo.log10() + k as f64 / 4.0 * (hi / lo).log10()), 3)).filter(inside).collect()
}

/// Tick positions for a linear axis over [lo, hi] (lo < hi): multiples of a 1-2-5 step, about five of them.
pub(crate) fn linear_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let raw = (hi - lo) / 5.0;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * power).find(|s| *s >= raw).unwrap_or(10.0 * power);
    let (first, last) = ((lo / step).ceil() as i64, (hi / step).floor() as i64);
    (first..=last).map(|k| k as f64 * step).collect()
}

/// `value` rounded to `digits` significant digits (finite, non-zero `value`).
fn round_sig(value: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits - 1 - value.abs().log10().floor() as i32);
    let rounded = (value * scale).round() / scale;
    if rounded.is_finite() { rounded } else { value }
}

fn trim_zeros(text: String) -> String {
    if !text.contains('.') {
        return text;
    }
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_show_three_significant_digits() {
        let check = |value: f64, want: &str| assert_eq!(sig3(value), want, "sig3({value})");
        check(0.5, "0.500");
        check(0.012345, "0.0123");
        check(0.0012345, "0.00123");
        check(0.00012345, "1.23e-4");
        check(12.345, "12.3");
        check(1234.5, "1230");
        check(12345.0, "1.23e4");
        check(9.996, "10.0");
        check(-0.25, "-0.250");
        check(0.0, "0");
        check(f64::NAN, "–");
        check(f64::INFINITY, "∞");
        check(f64::NEG_INFINITY, "−∞");
    }

    #[test]
    fn ticks_are_short() {
        let check = |value: f64, want: &str| assert_eq!(tick(value, 1.0), want, "tick({value})");
        check(0.5, "0.5");
        check(0.30000000000000004, "0.3");
        check(-2.7e-17, "0");
        check(1e-4, "1e-4");
        check(0.001, "1e-3");
        check(0.01, "0.01");
        check(2.5e6, "2.5e6");
        check(10000.0, "10000");
        check(100.0, "100");
        check(f64::NAN, "");
    }

    #[test]
    fn log_ticks_are_decades_or_finer_steps() {
        let check = |lo: f64, hi: f64, want: &[f64]| close(&log_ticks(lo, hi), want);
        check(5e-5, 2.0, &[1e-4, 1e-3, 1e-2, 1e-1, 1.0]);
        check(1e-12, 1.0, &[1e-12, 1e-10, 1e-8, 1e-6, 1e-4, 1e-2, 1.0]);
        check(0.013, 2.0, &[0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0]);
        check(0.45, 1.05, &[0.5, 0.6, 0.7, 0.8, 0.9, 1.0]);
        check(0.91, 0.99, &[0.91, 0.929, 0.949, 0.969, 0.99]);
    }

    #[test]
    fn linear_ticks_step_by_one_two_five() {
        let check = |lo: f64, hi: f64, want: &[f64]| close(&linear_ticks(lo, hi), want);
        check(0.0, 1.0, &[0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        check(-3.0, 7.0, &[-2.0, 0.0, 2.0, 4.0, 6.0]);
        check(0.5, 0.53, &[0.5, 0.51, 0.52, 0.53]);
    }

    fn close(got: &[f64], want: &[f64]) {
        let near = |(g, w): (&f64, &f64)| (g - w).abs() <= 1e-9 * w.abs().max(1e-300);
        assert!(got.len() == want.len() && got.iter().zip(want).all(near), "{got:?} != {want:?}");
    }
}
