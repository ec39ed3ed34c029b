//! zoo-datasets loaders on small files written to a temporary directory: every CSV and IDX error, valid
//! CSV and IDX (raw and gzipped) files, and Fashion-MNIST when the Debian package is installed.

use std::io::Write;
use std::path::{Path, PathBuf};

use zoo_datasets::{DataSource, Labels, Loaded, Split};

use super::check_err;

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
    type Case = (&'static str, bool, &'static str, Option<Vec<u8>>, Vec<&'static str>);
    let cases: Vec<Case> = vec![
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
