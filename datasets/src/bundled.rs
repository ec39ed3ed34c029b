//! The four UCI sets embedded in the binary (iris, wine, breast cancer, digits 8×8), as scikit-learn ships
//! them; see `datasets/data/PROVENANCE.md` for sources and licences.

use std::io::Read;
use std::path::Path;

use flate2::read::GzDecoder;

use crate::{Data, DataError, csv::parse_table};

const IRIS: &str = include_str!("../data/iris.csv");
const WINE: &str = include_str!("../data/wine_data.csv");
const BREAST_CANCER: &str = include_str!("../data/breast_cancer.csv");
const DIGITS_GZ: &[u8] = include_bytes!("../data/digits.csv.gz");

/// Fisher's iris: 150 examples, 4 features (cm), 3 classes (setosa, versicolor, virginica).
///
/// # Errors
///
/// None in practice (the embedded file is checked by tests); a [`DataError`] if it were malformed.
///
/// ```
/// let iris = zoo_datasets::bundled::iris()?;
/// assert_eq!((iris.len(), iris.d_input, iris.d_output()), (150, 4, 3));
/// # Ok::<(), zoo_datasets::DataError>(())
/// ```
pub fn iris() -> Result<Data, DataError> {
    with_header("iris", "embedded/iris.csv", IRIS)
}

/// UCI wine: 178 examples, 13 chemical features, 3 cultivars.
///
/// # Errors
///
/// None in practice (the embedded file is checked by tests); a [`DataError`] if it were malformed.
///
/// ```
/// let wine = zoo_datasets::bundled::wine()?;
/// assert_eq!((wine.len(), wine.d_input, wine.d_output()), (178, 13, 3));
/// # Ok::<(), zoo_datasets::DataError>(())
/// ```
pub fn wine() -> Result<Data, DataError> {
    with_header("wine", "embedded/wine_data.csv", WINE)
}

/// Breast Cancer Wisconsin (diagnostic): 569 examples, 30 features, 2 classes (malignant, benign).
///
/// # Errors
///
/// None in practice (the embedded file is checked by tests); a [`DataError`] if it were malformed.
///
/// ```
/// let data = zoo_datasets::bundled::breast_cancer()?;
/// assert_eq!((data.len(), data.d_input, data.d_output()), (569, 30, 2));
/// # Ok::<(), zoo_datasets::DataError>(())
/// ```
pub fn breast_cancer() -> Result<Data, DataError> {
    with_header("breast-cancer", "embedded/breast_cancer.csv", BREAST_CANCER)
}

/// Optical digits 8×8: 1797 examples, 64 pixel features in `0..=16` (unscaled), 10 classes `"0"`–`"9"`.
///
/// # Errors
///
/// None in practice (the embedded file is checked by tests); a [`DataError`] if it were malformed.
///
/// ```
/// let digits = zoo_datasets::bundled::digits()?;
/// assert_eq!((digits.len(), digits.d_input, digits.d_output()), (1797, 64, 10));
/// # Ok::<(), zoo_datasets::DataError>(())
/// ```
pub fn digits() -> Result<Data, DataError> {
    let path = Path::new("embedded/digits.csv.gz");
    let mut text = String::new();
    GzDecoder::new(DIGITS_GZ)
        .read_to_string(&mut text)
        .map_err(|reason| DataError::Gzip { path: path.into(), reason })?;
    let data = parse_table(&text, path, None, 0)?.into_data("digits".into(), None);
    check_size(path, &data, 1797, 64, 10)?;
    Ok(data)
}

/// Parses scikit-learn's format: a header `n_samples,n_features,class names…`, then `features…,label` rows.
fn with_header(name: &str, file: &str, text: &str) -> Result<Data, DataError> {
    let path = Path::new(file);
    let header: Vec<&str> = text.lines().next().unwrap_or("").split(',').map(str::trim).collect();
    let bad_header = || DataError::CsvHeader {
        path: path.into(),
        expected: "a first line 'n_samples,n_features,class names...'".into(),
        found: header.join(","),
    };
    let (n, d, names) = match header.as_slice() {
        [n, d, names @ ..] if !names.is_empty() => (
            n.parse::<usize>().map_err(|_| bad_header())?,
            d.parse::<usize>().map_err(|_| bad_header())?,
            names.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        ),
        _ => return Err(bad_header()),
    };
    let n_classes = names.len();
    let data = parse_table(text, path, None, 1)?.into_data(name.into(), Some(names));
    check_size(path, &data, n, d, n_classes)?;
    Ok(data)
}

/// Checks the parsed shape against the announced one.
fn check_size(path: &Path, data: &Data, n: usize, d: usize, n_classes: usize) -> Result<(), DataError> {
    let found = (data.len(), data.d_input, data.d_output());
    if found == (n, d, n_classes) {
        Ok(())
    } else {
        Err(DataError::CsvHeader {
            path: path.into(),
            expected: format!("{n} examples, {d} features, {n_classes} classes"),
            found: format!("{} examples, {} features, {} classes", found.0, found.1, found.2),
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    type Loader = fn() -> Result<Data, DataError>;

    #[test]
    fn bundled_shapes() {
        // (loader, examples, features, class counts)
        let cases: [(Loader, usize, usize, Vec<usize>); 4] = [
            (iris, 150, 4, vec![50, 50, 50]),
            (wine, 178, 13, vec![59, 71, 48]),
            (breast_cancer, 569, 30, vec![212, 357]),
            (digits, 1797, 64, vec![178, 182, 177, 183, 181, 182, 181, 179, 174, 180]),
        ];
        for (load, n, d, counts) in cases {
            let data = load().unwrap();
            assert_eq!((data.len(), data.d_input), (n, d), "{}", data.name);
            assert_eq!(data.class_counts().unwrap(), counts, "{}", data.name);
        }
    }

    #[test]
    fn header_mismatch_is_an_error() {
        let message = with_header("x", "x.csv", "3,2,a,b\n1,2,0\n3,4,1\n").unwrap_err().to_string();
        assert!(message.contains("3 examples, 2 features, 2 classes"), "{message}");
        assert!(with_header("x", "x.csv", "oops\n1,2,0\n").is_err());
    }
}
