//! zoo-datasets end to end: every data source's shape, balance and determinism, splits, standardisation,
//! Burn's data loader, and every loader error on small files written to a temporary directory.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::{Path, PathBuf};

use burn::data::dataloader::DataLoaderBuilder;
use burn::prelude::*;
use zoo_datasets::{
    Data, DataError, DataSource, ExampleBatcher, Labels, Loaded, Split, Standardizer, Targets,
    split_stratified,
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
    for name in ["noisy-xor", "circles", "moons", "spirals", "gaussians", "threshold-1d", "sine", "plane"] {
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
    for name in ["iris", "wine", "breast-cancer", "digits", "circles", "spirals", "sine", "plane"] {
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

    let loader = DataLoaderBuilder::new(ExampleBatcher).batch_size(32).shuffle(1).set_device(device).build(whole("wine", 0));
    let sizes: Vec<usize> = loader.iter().map(|b| b.unwrap().targets.dims()[0]).collect();
    assert_eq!(sizes.iter().sum::<usize>(), 178);
    assert_eq!(sizes.len(), 6);
}

// ---------- loader errors, on files written to a temporary directory ----------

/// A fresh, empty directory under the system temp dir.
fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zoo-datasets-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// The error's message contains every fragment.
fn check_err<T: std::fmt::Debug>(result: Result<T, DataError>, fragments: &[&str]) {
    let message = result.expect_err("expected an error").to_string();
    assert!(!message.contains('\n'), "one line: {message}");
    for fragment in fragments {
        assert!(message.contains(fragment), "'{fragment}' not in: {message}");
    }
}

fn csv_source(path: &Path, label_column: Option<usize>, header: bool) -> DataSource {
    DataSource::Csv { path: path.to_string_lossy().into_owned(), label_column, header }
}

#[test]
fn csv_files() {
    let dir = temp_dir("csv");
    // (file name, contents, header, expected fragments of the error)
    let cases: &[(&str, &str, bool, &[&str])] = &[
        ("field.csv", "1,2,0\n3,4,1\n5,x,1\n", false, &["field.csv", "line 3, field 2", "'x' is not a number"]),
        ("ragged.csv", "a,b,y\n1,2,0\n1,2,3,0\n", true, &["ragged.csv", "line 3 has 4 fields, expected 3"]),
        ("empty.csv", "", false, &["empty.csv", "no data rows"]),
        ("header-only.csv", "a,b,y\n", true, &["no data rows", "header"]),
        ("label.csv", "1,2,0\n3,4,1.5\n", false, &["label.csv", "line 2, field 3", "label '1.5' is not a class id"]),
        ("nan.csv", "1,2,0\nNaN,4,1\n", false, &["line 2, field 1", "not a finite number"]),
        ("header.csv", "a,b,y\n1,2,0\n", false, &["line 1, field 1: 'a' is not a number", "header"]),
    ];
    for &(file, contents, header, fragments) in cases {
        let path = dir.join(file);
        std::fs::write(&path, contents).unwrap();
        check_err(csv_source(&path, None, header).load(0), fragments);
    }
    check_err(csv_source(&dir.join("absent.csv"), None, false).load(0), &["absent.csv", "cannot read"]);

    // Valid: header, label in column 0, gzipped.
    let path = dir.join("good.csv.gz");
    std::fs::write(&path, gzip(b"y,a,b\n2,0.5,1\n0,1.5,-2\n")).unwrap();
    let Loaded::Whole(data) = csv_source(&path, Some(0), true).load(0).unwrap() else { panic!("whole") };
    assert_eq!((data.name.as_str(), data.len(), data.d_input, data.d_output()), ("good", 2, 2, 3));
    assert_eq!(data.features, vec![0.5, 1.0, 1.5, -2.0]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// An unsigned-byte IDX file: magic, sizes, data.
fn idx(magic: u32, dims: &[u32], data: &[u8]) -> Vec<u8> {
    let mut bytes = magic.to_be_bytes().to_vec();
    for d in dims {
        bytes.extend(d.to_be_bytes());
    }
    bytes.extend_from_slice(data);
    bytes
}

/// A valid tiny IDX set: 3 train and 2 test images of 2×2, labels 0..=2.
fn tiny_idx() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("train-images-idx3-ubyte", idx(0x803, &[3, 2, 2], &[0, 255, 51, 102, 1, 2, 3, 4, 5, 6, 7, 8])),
        ("train-labels-idx1-ubyte", idx(0x801, &[3], &[0, 2, 1])),
        ("t10k-images-idx3-ubyte", idx(0x803, &[2, 2, 2], &[9, 9, 9, 9, 255, 255, 255, 255])),
        ("t10k-labels-idx1-ubyte", idx(0x801, &[2], &[1, 0])),
    ]
}

/// Writes the tiny set with `file` replaced by `contents` (dropped if `None`), gzipped or raw.
fn write_idx_dir(tag: &str, gz: bool, replace: Option<(&str, Option<Vec<u8>>)>) -> PathBuf {
    let dir = temp_dir(tag);
    for (name, bytes) in tiny_idx() {
        let bytes = match &replace {
            Some((file, contents)) if *file == name => match contents {
                Some(contents) => contents.clone(),
                None => continue,
            },
            _ => bytes,
        };
        let (name, bytes) = if gz { (format!("{name}.gz"), gzip(&bytes)) } else { (name.to_string(), bytes) };
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    dir
}

#[test]
fn idx_valid_raw_and_gz() {
    for gz in [false, true] {
        let dir = write_idx_dir(&format!("idx-ok-{gz}"), gz, None);
        let Split { train, test } = zoo_datasets::load_idx_dir(&dir).unwrap();
        assert_eq!((train.len(), test.len(), train.d_input, train.d_output()), (3, 2, 4, 3));
        assert_eq!(&train.features[..4], &[0.0, 1.0, 0.2, 0.4]);
        assert_eq!(train.labels, Labels::numbered(vec![0, 2, 1], 3));
        assert_eq!(test.row(1), &[1.0; 4]);
        let source = DataSource::Idx { dir: dir.to_string_lossy().into_owned() };
        assert!(matches!(source.load(0).unwrap(), Loaded::PreSplit(s) if s.train.len() == 3));
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn idx_errors() {
    let images = "train-images-idx3-ubyte";
    let labels = "train-labels-idx1-ubyte";
    // (tag, gzipped, file replaced, its new contents (None: removed), expected fragments)
    let cases: Vec<(&str, bool, &str, Option<Vec<u8>>, Vec<&str>)> = vec![
        ("magic", false, images, Some(idx(0x0903, &[3, 2, 2], &[0; 12])), vec![images, "magic number 0x00000903"]),
        ("dims", false, images, Some(idx(0x0802, &[3, 4], &[0; 12])), vec![images, "has 2 dimensions, expected 3"]),
        ("count", true, labels, Some(idx(0x801, &[2], &[0, 1])), vec![images, "3 images", labels, "has 2 labels"]),
        ("truncated", false, images, Some(idx(0x803, &[3, 2, 2], &[0; 10])), vec![images, "truncated"]),
        ("short-header", false, labels, Some(vec![0, 0, 8]), vec![labels, "truncated"]),
        ("trailing", false, labels, Some(idx(0x801, &[3], &[0; 5])), vec![labels, "2 bytes after"]),
        ("missing", false, "t10k-labels-idx1-ubyte", None, vec!["missing t10k-labels-idx1-ubyte", "with .gz"]),
    ];
    for (tag, gz, file, contents, fragments) in cases {
        let dir = write_idx_dir(&format!("idx-{tag}"), gz, Some((file, contents)));
        check_err(zoo_datasets::load_idx_dir(&dir), &fragments);
        let _ = std::fs::remove_dir_all(&dir);
    }
    // A .gz file that is not gzip.
    let dir = write_idx_dir("idx-bad-gz", true, None);
    std::fs::write(dir.join(format!("{labels}.gz")), b"this is not gzip").unwrap();
    check_err(zoo_datasets::load_idx_dir(&dir), &[labels, "bad gzip"]);
    let _ = std::fs::remove_dir_all(&dir);
    // No directory at all, through the data source.
    let source = DataSource::FashionMnist { dir: Some("/nonexistent/zoo-fashion".into()) };
    check_err(source.load(0), &["/nonexistent/zoo-fashion", "does not exist", "train-images-idx3-ubyte"]);
}

#[test]
fn fashion_mnist_when_installed() {
    if !Path::new(zoo_datasets::idx::FASHION_MNIST_DIR).is_dir() {
        eprintln!("skipped: fashion-mnist not installed (apt-get install dataset-fashion-mnist)");
        return;
    }
    let Loaded::PreSplit(Split { train, test }) = DataSource::parse("fashion-mnist").unwrap().load(0).unwrap() else {
        panic!("fashion-mnist comes pre-split");
    };
    assert_eq!((train.len(), test.len(), train.d_input, test.d_input), (60_000, 10_000, 784, 784));
    assert_eq!(train.class_counts().unwrap(), vec![6000; 10]);
    assert_eq!(test.class_counts().unwrap(), vec![1000; 10]);
    assert!(train.features.iter().all(|&p| (0.0..=1.0).contains(&p)));
    let Labels::Classes { names, .. } = &train.labels else { panic!("classes") };
    assert_eq!(names[9], "Ankle boot");
    assert_eq!(train.name, "fashion-mnist");
}
