//! zoo-datasets end to end: every data source's shape, balance and determinism, splits, standardisation,
//! tensors and Burn's data loader; the file loaders' cases are in `datasets/files.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use burn::data::dataloader::DataLoaderBuilder;
use burn::prelude::*;
use zoo_datasets::{
    Data, DataError, DataSource, ExampleBatcher, Labels, Loaded, Standardizer, Targets, split_stratified,
};

/// A whole (not pre-split) data set by name.
fn whole(name: &str, seed: u64) -> Data {
    match DataSource::parse(name).unwrap().load(seed).unwrap() {
        Loaded::Whole(data) => data,
        Loaded::PreSplit(_) => panic!("{name} came pre-split"),
    }
}

/// Checks a whole set's size, feature count, outputs and (if given) exact class counts.
fn check_shape(name: &str, n: usize, d_input: usize, d_output: usize, counts: Option<&[usize]>) {
    let data = whole(name, 1);
    assert_eq!((data.len(), data.d_input, data.d_output()), (n, d_input, d_output), "{name}");
    assert_eq!(data.features.len(), n * d_input, "{name}");
    assert!(data.features.iter().all(|x| x.is_finite()), "{name}");
    if let Some(counts) = counts {
        assert_eq!(data.class_counts().unwrap(), counts, "{name}");
    }
    if let Labels::Classes { names, n_classes, .. } = &data.labels {
        assert_eq!(names.len(), *n_classes, "{name}");
    }
}

#[test]
fn shapes_and_balance() {
    check_shape("xor", 4, 2, 2, Some(&[2, 2]));
    check_shape("noisy-xor", 400, 2, 2, Some(&[200, 200]));
    check_shape("circles", 400, 2, 2, Some(&[200, 200]));
    check_shape("moons", 400, 2, 2, Some(&[200, 200]));
    check_shape("spirals", 600, 2, 2, Some(&[300, 300]));
    check_shape("two-spirals", 600, 2, 2, Some(&[300, 300]));
    check_shape("gaussians", 400, 2, 3, Some(&[134, 133, 133]));
    check_shape("threshold-1d", 200, 1, 2, None);
    check_shape("sine", 200, 1, 1, None);
    check_shape("plane", 200, 2, 1, None);
    check_shape("iris", 150, 4, 3, Some(&[50, 50, 50]));
    check_shape("wine", 178, 13, 3, Some(&[59, 71, 48]));
    check_shape("breast-cancer", 569, 30, 2, Some(&[212, 357]));
    check_shape("digits", 1797, 64, 10, Some(&[178, 182, 177, 183, 181, 182, 181, 179, 174, 180]));
    // threshold-1d is balanced in expectation only.
    let counts = whole("threshold-1d", 1).class_counts().unwrap();
    assert!(counts.iter().all(|&c| (70..=130).contains(&c)), "{counts:?}");
}

/// Same seed → identical data; another seed → different data (for seeded sources).
fn check_determinism(name: &str, seeded: bool) {
    let (a, b, c) = (whole(name, 5), whole(name, 5), whole(name, 6));
    assert_eq!((&a.features, &a.labels), (&b.features, &b.labels), "{name}");
    assert_eq!(a.features != c.features, seeded, "{name}");
}

#[test]
fn determinism() {
    for name in
        ["noisy-xor", "circles", "moons", "spirals", "two-spirals", "gaussians", "threshold-1d", "sine", "plane"]
    {
        check_determinism(name, true);
    }
    for name in ["xor", "iris", "digits"] {
        check_determinism(name, false);
    }
}

/// Per-feature mean and population std of `data`, in f64.
fn moments(data: &Data) -> Vec<(f64, f64)> {
    let n = data.len() as f64;
    (0..data.d_input)
        .map(|j| {
            let column: Vec<f64> = (0..data.len()).map(|i| f64::from(data.row(i)[j])).collect();
            let mean = column.iter().sum::<f64>() / n;
            (mean, (column.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n).sqrt())
        })
        .collect()
}

/// After standardisation the train part has mean 0 and std 1 per feature (std 0 for constant features).
fn check_standardized(name: &str) {
    let split = split_stratified(&whole(name, 3), 0.25, 3).unwrap();
    let raw_test = split.test.clone();
    let (split, scaler) = split.standardized();
    for (j, (mean, std)) in moments(&split.train).into_iter().enumerate() {
        assert!(mean.abs() < 1e-4, "{name} feature {j}: mean {mean}");
        assert!((std - 1.0).abs() < 1e-4 || std == 0.0, "{name} feature {j}: std {std}");
    }
    // The test part is scaled with the train statistics, not its own.
    let mut again = raw_test;
    scaler.apply(&mut again);
    assert_eq!(again.features, split.test.features, "{name}");
    assert_eq!(scaler, Standardizer::fit(&whole_train(name)), "{name}");
}

fn whole_train(name: &str) -> Data {
    split_stratified(&whole(name, 3), 0.25, 3).unwrap().train
}

#[test]
fn standardisation() {
    for name in ["iris", "wine", "breast-cancer", "digits", "circles", "spirals", "two-spirals", "sine", "plane"] {
        check_standardized(name);
    }
}

/// Each class's test count is its share of the fraction, to within one example; nothing is lost.
fn check_stratified(name: &str, fraction: f64) {
    let data = whole(name, 2);
    let split = split_stratified(&data, fraction, 9).unwrap();
    assert_eq!(split.train.len() + split.test.len(), data.len(), "{name}");
    let (all, test) = (data.class_counts().unwrap(), split.test.class_counts().unwrap());
    for (class, (&n, &t)) in all.iter().zip(&test).enumerate() {
        let expected = n as f64 * fraction;
        assert!((t as f64 - expected).abs() <= 1.0, "{name} class {class}: {t} of {n} at {fraction}");
    }
    let again = split_stratified(&data, fraction, 9).unwrap();
    assert_eq!(again.test.features, split.test.features, "{name}");
}

#[test]
fn stratified_splits() {
    for name in ["iris", "wine", "breast-cancer", "digits", "spirals", "gaussians", "threshold-1d"] {
        for fraction in [0.2, 0.25, 0.5] {
            check_stratified(name, fraction);
        }
    }
    check_stratified("xor", 0.5);
    // Two examples per class and a fraction that rounds to no test example: an error, not an empty test set.
    check_err(split_stratified(&whole("xor", 0), 0.2, 0), &["xor: cannot split", "no test example"]);
    let split = split_stratified(&whole("sine", 1), 0.25, 1).unwrap();
    assert_eq!((split.train.len(), split.test.len()), (150, 50));
}

#[test]
fn tensors_and_data_loader() {
    let device = Device::flex();
    let (inputs, targets) = whole("iris", 0).to_tensors(&device);
    assert_eq!(inputs.dims(), [150, 4]);
    assert!(matches!(targets, Targets::Classes(t) if t.dims() == [150]));
    let (_, targets) = whole("plane", 0).to_tensors(&device);
    assert!(matches!(targets, Targets::Values(t) if t.dims() == [200, 1]));

    let loader =
        DataLoaderBuilder::new(ExampleBatcher).batch_size(32).shuffle(1).set_device(device).build(whole("wine", 0));
    let sizes: Vec<usize> = loader.iter().map(|b| b.unwrap().targets.dims()[0]).collect();
    assert_eq!(sizes.iter().sum::<usize>(), 178);
    assert_eq!(sizes.len(), 6);
}

/// Two-spirals of `n` points with `turns` and `noise`: class counts, every radius within `radius` (min, max), and
/// (without noise) arm 1 is arm 0 rotated by π: the sorted points of arm 1 are the sorted negated points of arm 0.
fn check_two_spirals(n: usize, turns: f64, noise: f64, counts: [usize; 2], radius: (f32, f32)) {
    let data = zoo_datasets::synthetic::two_spirals(n, turns, noise, 4).unwrap();
    let case = format!("two-spirals n {n}, turns {turns}, noise {noise}");
    assert_eq!(data.class_counts().unwrap(), counts, "{case}");
    let Labels::Classes { y, .. } = &data.labels else { panic!("{case}: classes") };
    let norms: Vec<f32> = (0..data.len()).map(|i| data.row(i).iter().map(|v| v * v).sum::<f32>().sqrt()).collect();
    let (low, high) = norms.iter().fold((f32::INFINITY, 0.0f32), |(lo, hi), r| (lo.min(*r), hi.max(*r)));
    assert!(low >= radius.0 && high <= radius.1, "{case}: radii {low}..{high}, expected within {radius:?}");
    if noise == 0.0 && counts[0] == counts[1] {
        let arm = |label: u32, sign: f32| {
            let mut points: Vec<(f32, f32)> = (0..data.len())
                .filter(|i| y[*i] == label)
                .map(|i| (sign * data.row(i)[0], sign * data.row(i)[1]))
                .collect();
            points.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
            points
        };
        let (arm0, arm1) = (arm(0, -1.0), arm(1, 1.0));
        assert!(arm0.iter().zip(&arm1).all(|(p, q)| (p.0 - q.0).abs() < 1e-6 && (p.1 - q.1).abs() < 1e-6), "{case}");
        // The arm winds `turns` times: the angle of successive points (by radius) turns by 2π · turns in all.
        let mut by_radius: Vec<(f32, f32)> = arm(0, 1.0);
        by_radius.sort_by(|a, b| a.0.hypot(a.1).total_cmp(&b.0.hypot(b.1)));
        let winding: f64 = by_radius
            .windows(2)
            .map(|w| {
                let step = f64::from(w[1].1.atan2(w[1].0) - w[0].1.atan2(w[0].0));
                (step + std::f64::consts::PI).rem_euclid(2.0 * std::f64::consts::PI) - std::f64::consts::PI
            })
            .sum();
        let expected = 2.0 * std::f64::consts::PI * turns;
        assert!((winding - expected).abs() < 1e-3, "{case}: the arm turns {winding} rad, expected {expected}");
    }
}

#[test]
fn two_spirals_are_balanced_within_their_radius_and_point_symmetric() {
    check_two_spirals(600, 2.0, 0.0, [300, 300], (0.2 - 1e-6, 1.0 + 1e-6));
    check_two_spirals(600, 3.5, 0.0, [300, 300], (0.2 - 1e-6, 1.0 + 1e-6));
    check_two_spirals(100, 0.5, 0.0, [50, 50], (0.2 - 1e-6, 1.0 + 1e-6));
    check_two_spirals(7, 2.0, 0.0, [4, 3], (0.2 - 1e-6, 1.0 + 1e-6));
    // The default noise (σ 0.02 per coordinate) moves no point more than ~0.1 off the arm.
    check_two_spirals(600, 2.0, 0.02, [300, 300], (0.1, 1.1));
    check_err(zoo_datasets::synthetic::two_spirals(600, 0.0, 0.02, 0), &["two-spirals", "turns = 0", "above 0"]);
    check_err(zoo_datasets::synthetic::two_spirals(600, 101.0, 0.02, 0), &["turns = 101", "at most 100"]);
    check_err(zoo_datasets::synthetic::two_spirals(600, f64::INFINITY, 0.02, 0), &["turns = inf", "finite"]);
    check_err(zoo_datasets::synthetic::two_spirals(600, 2.0, -0.1, 0), &["noise = -0.1"]);
}

/// The error's message contains every fragment.
fn check_err<T: std::fmt::Debug>(result: Result<T, DataError>, fragments: &[&str]) {
    let message = result.expect_err("expected an error").to_string();
    assert!(!message.contains('\n'), "one line: {message}");
    for fragment in fragments {
        assert!(message.contains(fragment), "'{fragment}' not in: {message}");
    }
}

#[path = "datasets/files.rs"] // explicit, so the module resolves however this file is included
mod files;
