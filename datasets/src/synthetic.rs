//! Seeded synthetic generators: xor, noisy xor, circles, moons, spirals, the classic two-spirals, gaussian blobs,
//! a 1-d threshold, and two regression sets (sine, plane).
//!
//! Every generator draws from one `StdRng` seeded with `seed`, so the same arguments give the same data,
//! bit for bit, on every platform; rows come out shuffled (as scikit-learn's `shuffle=True`).
//!
//! An example of each is in the [crate docs](crate#generators).

use std::f64::consts::PI;

use rand::{RngExt, SeedableRng, rngs::StdRng, seq::SliceRandom};
use rand_distr::StandardNormal;

use crate::{Data, DataError, Labels};

/// Largest `n` a generator accepts (larger requests are almost surely typos and would exhaust memory).
pub const MAX_EXAMPLES: usize = 10_000_000;

/// The four points of `{0,1}²`, labelled `x1 xor x2` (in the order 00, 01, 10, 11; not shuffled).
pub fn xor() -> Data {
    Data {
        name: "xor".into(),
        features: vec![0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0],
        d_input: 2,
        labels: Labels::numbered(vec![0, 1, 1, 0], 2),
    }
}

/// `n` points around the corners of `{0,1}²` (corner `i % 4` for point `i`, so the corners are balanced),
/// each coordinate plus `N(0, noise²)`; label `x1 xor x2` of the corner.
///
/// # Errors
///
/// [`DataError::InvalidParameter`] unless `2 <= n <= MAX_EXAMPLES` and `noise` is finite and `>= 0`.
pub fn noisy_xor(n: usize, noise: f64, seed: u64) -> Result<Data, DataError> {
    check_n("noisy-xor", n, 2)?;
    check_spread("noisy-xor", "noise", noise)?;
    let mut rng = StdRng::seed_from_u64(seed);
    let corners = [(0.0, 0.0, 0), (0.0, 1.0, 1), (1.0, 0.0, 1), (1.0, 1.0, 0)];
    let mut points = Points::default();
    for i in 0..n {
        let (a, b, label) = corners[i % 4];
        points.push_noisy(a, b, label, noise, &mut rng);
    }
    Ok(points.into_data("noisy-xor", names(&["0", "1"]), &mut rng))
}

/// scikit-learn's `make_circles`: `n / 2` points on the unit circle (label 0, "outer") and the rest on a
/// circle of radius `factor` (label 1, "inner"), at evenly spaced angles in `[0, 2π)`, each coordinate plus
/// `N(0, noise²)`; centred on the origin.
///
/// # Errors
///
/// [`DataError::InvalidParameter`] unless `2 <= n <= MAX_EXAMPLES`, `noise >= 0` and `0 <= factor < 1`.
pub fn circles(n: usize, noise: f64, factor: f64, seed: u64) -> Result<Data, DataError> {
    check_n("circles", n, 2)?;
    check_spread("circles", "noise", noise)?;
    if !(0.0..1.0).contains(&factor) {
        return Err(invalid("circles", format!("factor {factor} must be in [0, 1) (inner radius / outer radius)")));
    }
    let mut rng = StdRng::seed_from_u64(seed);
    let n_out = n / 2;
    let mut points = Points::default();
    for (count, radius, label) in [(n_out, 1.0, 0), (n - n_out, factor, 1)] {
        for angle in linspace(0.0, 2.0 * PI, count, false) {
            points.push_noisy(radius * angle.cos(), radius * angle.sin(), label, noise, &mut rng);
        }
    }
    Ok(points.into_data("circles", names(&["outer", "inner"]), &mut rng))
}

/// scikit-learn's `make_moons`: `n / 2` points on the upper half of the unit circle (label 0) and the rest
/// on a lower half circle centred at (1, 0.5) (label 1), angles evenly spaced in `[0, π]`, each coordinate
/// plus `N(0, noise²)`.
///
/// # Errors
///
/// [`DataError::InvalidParameter`] unless `2 <= n <= MAX_EXAMPLES` and `noise` is finite and `>= 0`.
pub fn moons(n: usize, noise: f64, seed: u64) -> Result<Data, DataError> {
    check_n("moons", n, 2)?;
    check_spread("moons", "noise", noise)?;
    let mut rng = StdRng::seed_from_u64(seed);
    let n_out = n / 2;
    let mut points = Points::default();
    for t in linspace(0.0, PI, n_out, true) {
        points.push_noisy(t.cos(), t.sin(), 0, noise, &mut rng);
    }
    for t in linspace(0.0, PI, n - n_out, true) {
        points.push_noisy(1.0 - t.cos(), 1.0 - t.sin() - 0.5, 1, noise, &mut rng);
    }
    Ok(points.into_data("moons", names(&["upper", "lower"]), &mut rng))
}

/// `arms` interleaved spiral arms, the CS231n spiral: arm `j` has about `n / arms` points with radius
/// `r = linspace(0, 1)` and angle `θ = linspace(4j, 4(j + 1)) + N(0, noise²)`, at `(r sin θ, r cos θ)`;
/// label `j`. With 600 points, 2 arms and noise 0.2 a 2×64 ReLU MLP reaches ≥ 98 % test accuracy.
///
/// # Errors
///
/// [`DataError::InvalidParameter`] unless `2 <= arms <= n <= MAX_EXAMPLES` and `noise` is finite, `>= 0`.
pub fn spirals(n: usize, arms: usize, noise: f64, seed: u64) -> Result<Data, DataError> {
    check_classes("spirals", "arms", arms, n)?;
    check_spread("spirals", "noise", noise)?;
    let mut rng = StdRng::seed_from_u64(seed);
    let mut points = Points::default();
    for (j, m) in per_class(n, arms).into_iter().enumerate() {
        let start = 4.0 * j as f64;
        for (r, t) in linspace(0.0, 1.0, m, true).into_iter().zip(linspace(start, start + 4.0, m, true)) {
            let t = t + noise * normal(&mut rng);
            points.push(r * t.sin(), r * t.cos(), j as u32);
        }
    }
    let labels: Vec<String> = (0..arms).map(|j| format!("arm {j}")).collect();
    Ok(points.into_data("spirals", labels, &mut rng))
}

/// The classic two-spirals of Lang & Witbrock (1988): arm 0 winds `turns` times around the origin with radius
/// growing linearly from 0.2 to 1 (point `i` of `m` at `t = i / (m − 1)`: radius `0.2 + 0.8 t`, angle
/// `2π · turns · t`, at `(r cos θ, r sin θ)`), arm 1 is arm 0 rotated by π (point `i` of arm 1 is minus point `i` of
/// arm 0); each coordinate plus `N(0, noise²)`. `n / 2` points per arm (arm 0 gets the odd one; the arms are
/// exact mirror images for even `n`), label = arm. Unlike [`spirals`] (under one turn per arm, ~74 % linearly
/// separable), no straight line does better than chance: the best logistic model fits ~50 % of the default 600.
///
/// # Errors
///
/// [`DataError::InvalidParameter`] unless `2 <= n <= MAX_EXAMPLES`, `turns` is finite with `0 < turns <= 100`, and
/// `noise` is finite and `>= 0`.
pub fn two_spirals(n: usize, turns: f64, noise: f64, seed: u64) -> Result<Data, DataError> {
    check_n("two-spirals", n, 2)?;
    if !(turns.is_finite() && turns > 0.0 && turns <= MAX_TURNS) {
        return Err(invalid(
            "two-spirals",
            format!("turns = {turns} must be a finite number of turns above 0 and at most {MAX_TURNS}"),
        ));
    }
    check_spread("two-spirals", "noise", noise)?;
    let mut rng = StdRng::seed_from_u64(seed);
    let mut points = Points::default();
    for (arm, m) in per_class(n, 2).into_iter().enumerate() {
        // Arm 1 is arm 0 rotated by π: (x, y) → (−x, −y).
        let sign = if arm == 0 { 1.0 } else { -1.0 };
        for t in linspace(0.0, 1.0, m, true) {
            let (r, angle) = (0.2 + 0.8 * t, 2.0 * PI * turns * t);
            points.push_noisy(sign * r * angle.cos(), sign * r * angle.sin(), arm as u32, noise, &mut rng);
        }
    }
    Ok(points.into_data("two-spirals", names(&["arm 0", "arm 1"]), &mut rng))
}

/// The most turns [`two_spirals`] accepts (more would put neighbouring windings closer than f32 resolves at
/// useful sizes, and is almost surely a typo).
pub const MAX_TURNS: f64 = 100.0;

/// `k` isotropic Gaussian blobs with standard deviation `std`, centres evenly spaced on a circle of radius 3
/// (centre `j` at angle `2πj / k`); about `n / k` points each, label `j`.
///
/// # Errors
///
/// [`DataError::InvalidParameter`] unless `2 <= k <= n <= MAX_EXAMPLES` and `std` is finite and `>= 0`.
pub fn gaussians(n: usize, k: usize, std: f64, seed: u64) -> Result<Data, DataError> {
    check_classes("gaussians", "k", k, n)?;
    check_spread("gaussians", "std", std)?;
    let mut rng = StdRng::seed_from_u64(seed);
    let mut points = Points::default();
    for (j, m) in per_class(n, k).into_iter().enumerate() {
        let angle = 2.0 * PI * j as f64 / k as f64;
        let (cx, cy) = (3.0 * angle.cos(), 3.0 * angle.sin());
        for _ in 0..m {
            points.push_noisy(cx, cy, j as u32, std, &mut rng);
        }
    }
    let labels: Vec<String> = (0..k).map(|j| format!("blob {j}")).collect();
    Ok(points.into_data("gaussians", labels, &mut rng))
}

/// One feature `x ~ U[0, 4]`, label `x > 2` (classes "x <= 2" and "x > 2"; balanced in expectation only).
///
/// # Errors
///
/// [`DataError::InvalidParameter`] unless `2 <= n <= MAX_EXAMPLES`.
pub fn threshold_1d(n: usize, seed: u64) -> Result<Data, DataError> {
    check_n("threshold-1d", n, 2)?;
    let mut rng = StdRng::seed_from_u64(seed);
    let features: Vec<f32> = (0..n).map(|_| rng.random_range(0.0..4.0f32)).collect();
    let y = features.iter().map(|&x| u32::from(x > 2.0)).collect();
    let labels = Labels::Classes { y, n_classes: 2, names: names(&["x <= 2", "x > 2"]) };
    Ok(Data { name: "threshold-1d".into(), features, d_input: 1, labels })
}

/// Regression: `x ~ U[-π, π]`, `y = sin x + N(0, noise²)` (one feature, one target).
///
/// # Errors
///
/// [`DataError::InvalidParameter`] unless `2 <= n <= MAX_EXAMPLES` and `noise` is finite and `>= 0`.
pub fn sine(n: usize, noise: f64, seed: u64) -> Result<Data, DataError> {
    check_n("sine", n, 2)?;
    check_spread("sine", "noise", noise)?;
    let mut rng = StdRng::seed_from_u64(seed);
    let (mut features, mut y) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for _ in 0..n {
        let x = rng.random_range(-PI..PI);
        features.push(x as f32);
        y.push((x.sin() + noise * normal(&mut rng)) as f32);
    }
    Ok(Data { name: "sine".into(), features, d_input: 1, labels: Labels::Values { y, d_output: 1 } })
}

/// Regression: two features `~ U[-1, 1]`, `y = 2 x1 − 3 x2 + 1 + N(0, noise²)`.
///
/// # Errors
///
/// [`DataError::InvalidParameter`] unless `2 <= n <= MAX_EXAMPLES` and `noise` is finite and `>= 0`.
pub fn plane(n: usize, noise: f64, seed: u64) -> Result<Data, DataError> {
    check_n("plane", n, 2)?;
    check_spread("plane", "noise", noise)?;
    let mut rng = StdRng::seed_from_u64(seed);
    let (mut features, mut y) = (Vec::with_capacity(2 * n), Vec::with_capacity(n));
    for _ in 0..n {
        let (a, b): (f64, f64) = (rng.random_range(-1.0..1.0), rng.random_range(-1.0..1.0));
        features.extend([a as f32, b as f32]);
        y.push((2.0 * a - 3.0 * b + 1.0 + noise * normal(&mut rng)) as f32);
    }
    Ok(Data { name: "plane".into(), features, d_input: 2, labels: Labels::Values { y, d_output: 1 } })
}

/// 2-d labelled points being generated.
#[derive(Default)]
struct Points {
    features: Vec<f32>,
    y: Vec<u32>,
}

impl Points {
    fn push(&mut self, x: f64, y: f64, label: u32) {
        self.features.extend([x as f32, y as f32]);
        self.y.push(label);
    }

    /// Pushes `(x, y)` plus `N(0, std²)` on each coordinate (x's draw first).
    fn push_noisy(&mut self, x: f64, y: f64, label: u32, std: f64, rng: &mut StdRng) {
        let dx = std * normal(rng);
        let dy = std * normal(rng);
        self.push(x + dx, y + dy, label);
    }

    /// The points as [`Data`], rows shuffled with `rng`.
    fn into_data(self, name: &str, names: Vec<String>, rng: &mut StdRng) -> Data {
        let n_classes = names.len();
        let labels = Labels::Classes { y: self.y, n_classes, names };
        let data = Data { name: name.into(), features: self.features, d_input: 2, labels };
        let mut order: Vec<usize> = (0..data.len()).collect();
        order.shuffle(rng);
        data.subset(&order)
    }
}

/// A standard normal draw.
fn normal(rng: &mut StdRng) -> f64 {
    rng.sample(StandardNormal)
}

/// numpy's `linspace(a, b, m, endpoint)`.
fn linspace(a: f64, b: f64, m: usize, endpoint: bool) -> Vec<f64> {
    let steps = if endpoint { m.saturating_sub(1).max(1) } else { m.max(1) };
    (0..m).map(|i| a + (b - a) * i as f64 / steps as f64).collect()
}

/// `n` split into `k` near-equal class sizes, the first `n % k` one larger.
fn per_class(n: usize, k: usize) -> Vec<usize> {
    (0..k).map(|j| n / k + usize::from(j < n % k)).collect()
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn invalid(source_name: &str, message: String) -> DataError {
    DataError::InvalidParameter { source_name: source_name.into(), message }
}

fn check_n(source_name: &str, n: usize, min: usize) -> Result<(), DataError> {
    if (min..=MAX_EXAMPLES).contains(&n) {
        Ok(())
    } else {
        Err(invalid(source_name, format!("n = {n} must be between {min} and {MAX_EXAMPLES}")))
    }
}

fn check_classes(source_name: &str, what: &str, k: usize, n: usize) -> Result<(), DataError> {
    if k < 2 || k > n {
        return Err(invalid(source_name, format!("{what} = {k} must be at least 2 and at most n = {n}")));
    }
    check_n(source_name, n, 2)
}

fn check_spread(source_name: &str, what: &str, value: f64) -> Result<(), DataError> {
    if value.is_finite() && value >= 0.0 {
        Ok(())
    } else {
        Err(invalid(source_name, format!("{what} = {value} must be a finite number >= 0")))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn linspace_matches_numpy() {
        assert_eq!(linspace(0.0, 1.0, 5, true), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
        assert_eq!(linspace(0.0, 1.0, 4, false), vec![0.0, 0.25, 0.5, 0.75]);
        assert_eq!(linspace(2.0, 3.0, 1, true), vec![2.0]);
        assert!(linspace(0.0, 1.0, 0, true).is_empty());
        assert_eq!(per_class(7, 3), vec![3, 2, 2]);
    }

    #[test]
    fn noiseless_shapes_are_exact() {
        // Circles without noise: outer points on radius 1, inner on radius `factor`.
        let data = circles(10, 0.0, 0.5, 3).unwrap();
        let Labels::Classes { y, .. } = &data.labels else { panic!("classes") };
        for (i, &label) in y.iter().enumerate() {
            let r = data.row(i).iter().map(|v| v * v).sum::<f32>().sqrt();
            assert!((r - [1.0, 0.5][label as usize]).abs() < 1e-6, "{r} {label}");
        }
        // Noiseless spirals: radius grows linearly to 1 along each arm.
        let data = spirals(6, 2, 0.0, 0).unwrap();
        let max_r = (0..6).map(|i| data.row(i).iter().map(|v| v * v).sum::<f32>().sqrt()).fold(0.0, f32::max);
        assert!((max_r - 1.0).abs() < 1e-6);
        // Plane without noise is exactly the plane.
        let data = plane(20, 0.0, 1).unwrap();
        let Labels::Values { y, .. } = &data.labels else { panic!("values") };
        for (i, &t) in y.iter().enumerate() {
            let r = data.row(i);
            assert!((2.0 * r[0] - 3.0 * r[1] + 1.0 - t).abs() < 1e-5);
        }
    }

    #[test]
    fn moons_match_sklearn_ends() {
        let data = moons(4, 0.0, 0).unwrap();
        let mut rows: Vec<(i32, i32, u32)> = (0..4)
            .map(|i| {
                let r = data.row(i);
                let Labels::Classes { y, .. } = &data.labels else { panic!("classes") };
                ((r[0] * 10.0).round() as i32, (r[1] * 10.0).round() as i32, y[i])
            })
            .collect();
        rows.sort();
        assert_eq!(rows, vec![(-10, 0, 0), (0, 5, 1), (10, 0, 0), (20, 5, 1)]);
    }

    #[test]
    fn bad_parameters() {
        assert!(circles(10, 0.1, 1.0, 0).is_err());
        assert!(circles(10, -0.1, 0.5, 0).is_err());
        assert!(moons(1, 0.1, 0).is_err());
        assert!(spirals(10, 1, 0.1, 0).is_err());
        assert!(spirals(3, 4, 0.1, 0).is_err());
        assert!(two_spirals(600, 0.0, 0.02, 0).is_err());
        assert!(two_spirals(600, 100.5, 0.02, 0).is_err());
        assert!(two_spirals(600, f64::NAN, 0.02, 0).is_err());
        assert!(two_spirals(1, 2.0, 0.02, 0).is_err());
        assert!(two_spirals(600, 2.0, -1.0, 0).is_err());
        assert!(gaussians(100, 3, f64::NAN, 0).is_err());
        assert!(sine(MAX_EXAMPLES + 1, 0.1, 0).is_err());
    }
}
