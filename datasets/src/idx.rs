//! The IDX reader (the MNIST / Fashion-MNIST file format), raw or gzipped, and the gzip-aware file read.
//!
//! An IDX file is a big-endian header — magic `0x0000_08nn` (unsigned bytes, `nn` dimensions), then one
//! `u32` size per dimension — followed by the data. Images are `[count, rows, columns]`, labels `[count]`.

use std::io::Read;
use std::path::{Path, PathBuf};

use flate2::read::GzDecoder;

use crate::error::MAX_FILE_BYTES;
use crate::{Data, DataError, Labels, Split};

/// Where Debian's `dataset-fashion-mnist` package installs Fashion-MNIST.
pub const FASHION_MNIST_DIR: &str = "/usr/share/datasets/fashion-mnist";
/// Where the `mnist` data source looks for the MNIST files by default.
pub const MNIST_DIR: &str = "/usr/share/datasets/mnist";
/// The four files of an IDX directory, in the order train images, train labels, test images, test labels;
/// each may also carry a `.gz` suffix.
pub const IDX_FILES: [&str; 4] =
    ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

/// Reads the four IDX files in `dir` as a train/test [`Split`], pixels scaled to `[0, 1]`.
///
/// Each file is looked for first as named in [`IDX_FILES`], then with `.gz`. The data sets are named after
/// the directory; classes are numbered `0..=max label`.
///
/// # Errors
///
/// [`DataError::IdxMissing`] (with how to get the files) when any file is absent; [`DataError::Io`],
/// [`DataError::Gzip`], [`DataError::IdxMagic`], [`DataError::IdxDims`], [`DataError::IdxTruncated`],
/// [`DataError::IdxTrailing`], [`DataError::IdxEmpty`], [`DataError::IdxCount`], [`DataError::IdxShape`]
/// when a file cannot be read or is malformed.
///
/// ```no_run
/// // Reads Fashion-MNIST where the Debian package `dataset-fashion-mnist` puts it.
/// let split = zoo_datasets::load_idx_dir(std::path::Path::new(zoo_datasets::idx::FASHION_MNIST_DIR))?;
/// assert_eq!((split.train.len(), split.test.len(), split.train.d_input), (60_000, 10_000, 784));
/// # Ok::<(), zoo_datasets::DataError>(())
/// ```
pub fn load_idx_dir(dir: &Path) -> Result<Split, DataError> {
    let located: Vec<Option<PathBuf>> = IDX_FILES.iter().map(|name| locate(dir, name)).collect();
    let missing: Vec<&str> =
        IDX_FILES.iter().zip(&located).filter(|(_, found)| found.is_none()).map(|(name, _)| *name).collect();
    let [Some(train_images), Some(train_labels), Some(test_images), Some(test_labels)] = located.as_slice() else {
        return Err(DataError::IdxMissing { dir: dir.into(), missing: missing.join(", "), hint: hint(dir) });
    };
    let train = read_pair(train_images, train_labels)?;
    let test = read_pair(test_images, test_labels)?;
    if (train.rows, train.cols) != (test.rows, test.cols) {
        return Err(DataError::IdxShape {
            train: train_images.clone(),
            test: test_images.clone(),
            train_rows: train.rows,
            train_cols: train.cols,
            test_rows: test.rows,
            test_cols: test.cols,
        });
    }
    let n_classes = train.labels.iter().chain(&test.labels).max().map_or(0, |&m| usize::from(m) + 1);
    let name = dir.file_name().map_or_else(|| "idx".to_string(), |f| f.to_string_lossy().into_owned());
    let to_data = |part: Pair| Data {
        name: name.clone(),
        features: part.pixels.iter().map(|&p| f32::from(p) / 255.0).collect(),
        d_input: part.rows * part.cols,
        labels: Labels::numbered(part.labels.iter().map(|&c| u32::from(c)).collect(), n_classes),
    };
    Ok(Split { train: to_data(train), test: to_data(test) })
}

/// Reads a whole file, gunzipping it when its name ends in `.gz` or its content starts with the gzip magic.
///
/// # Errors
///
/// [`DataError::Io`] if the file cannot be read, [`DataError::Gzip`] if it is not valid gzip.
///
/// ```no_run
/// let bytes = zoo_datasets::idx::read_maybe_gz(std::path::Path::new("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz"))?;
/// assert_eq!(bytes.len(), 8 + 10_000); // the header and one byte per label
/// # Ok::<(), zoo_datasets::DataError>(())
/// ```
pub fn read_maybe_gz(path: &Path) -> Result<Vec<u8>, DataError> {
    let io = |reason| DataError::Io { path: path.into(), reason };
    let too_large = |what| DataError::TooLarge { path: path.into(), what };
    let file = std::fs::File::open(path).map_err(io)?;
    if !file.metadata().map_err(io)?.is_file() {
        return Err(too_large("not a regular file"));
    }
    decode(read_capped(file, path, io)?, path)
}

/// The bytes of a file as read, gunzipped (to at most [`MAX_FILE_BYTES`]) when `path` ends in `.gz` or the bytes
/// start with the gzip magic; `path` is only named in errors and looked at for its extension.
///
/// # Errors
///
/// [`DataError::Gzip`] for bad gzip data, [`DataError::TooLarge`] past the cap.
pub fn decode(bytes: Vec<u8>, path: &Path) -> Result<Vec<u8>, DataError> {
    let gz_name = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    if !gz_name && !bytes.starts_with(&[0x1f, 0x8b]) {
        return Ok(bytes);
    }
    read_capped(GzDecoder::new(bytes.as_slice()), path, |reason| DataError::Gzip { path: path.into(), reason })
}

/// Everything `reader` gives, up to [`MAX_FILE_BYTES`]; more is [`DataError::TooLarge`].
fn read_capped(
    reader: impl Read,
    path: &Path,
    error: impl Fn(std::io::Error) -> DataError,
) -> Result<Vec<u8>, DataError> {
    let mut out = Vec::new();
    reader.take(MAX_FILE_BYTES + 1).read_to_end(&mut out).map_err(error)?;
    if out.len() as u64 > MAX_FILE_BYTES {
        return Err(DataError::TooLarge { path: path.into(), what: "larger than 1 GiB" });
    }
    Ok(out)
}

/// An images file and its labels file, read and checked against each other.
struct Pair {
    rows: usize,
    cols: usize,
    pixels: Vec<u8>,
    labels: Vec<u8>,
}

fn read_pair(images_path: &Path, labels_path: &Path) -> Result<Pair, DataError> {
    let (image_dims, pixels) = read_idx(images_path, 3, "images: count, rows, columns")?;
    let (label_dims, labels) = read_idx(labels_path, 1, "labels: count")?;
    let (&[n_images, rows, cols], &[n_labels]) = (image_dims.as_slice(), label_dims.as_slice()) else {
        // read_idx returned exactly the dimensions it was asked for.
        return Err(DataError::IdxEmpty { path: images_path.into() });
    };
    if n_images != n_labels {
        return Err(DataError::IdxCount { images: images_path.into(), labels: labels_path.into(), n_images, n_labels });
    }
    Ok(Pair { rows, cols, pixels, labels })
}

/// Reads an unsigned-byte IDX file with `n_dims` dimensions: its sizes and its data.
fn read_idx(path: &Path, n_dims: u8, what: &'static str) -> Result<(Vec<usize>, Vec<u8>), DataError> {
    parse_idx(read_maybe_gz(path)?, path, n_dims, what)
}

/// Parses the bytes of an unsigned-byte IDX file with `n_dims` dimensions (`what` names them in errors, `path`
/// names the file): its sizes and its data, checked to hold exactly what the header promises.
///
/// # Errors
///
/// [`DataError::IdxMagic`], [`DataError::IdxDims`], [`DataError::IdxTruncated`], [`DataError::IdxTrailing`],
/// [`DataError::IdxEmpty`].
pub fn parse_idx(
    mut bytes: Vec<u8>,
    path: &Path,
    n_dims: u8,
    what: &'static str,
) -> Result<(Vec<usize>, Vec<u8>), DataError> {
    let truncated = |expected: usize, found: usize| DataError::IdxTruncated {
        path: path.into(),
        expected: expected as u128,
        found,
    };
    let magic = be_u32(&bytes, 0).ok_or_else(|| truncated(4, bytes.len()))?;
    let expected_magic = 0x0800 | u32::from(n_dims);
    if magic >> 8 != 0x08 {
        return Err(DataError::IdxMagic { path: path.into(), found: magic, expected: expected_magic });
    }
    let found_dims = (magic & 0xff) as u8;
    if found_dims != n_dims {
        return Err(DataError::IdxDims { path: path.into(), found: found_dims, expected: n_dims, what });
    }
    let header = 4 + 4 * usize::from(n_dims);
    let dims: Vec<usize> = (0..usize::from(n_dims))
        .map(|d| be_u32(&bytes, 4 + 4 * d).map(|v| v as usize).ok_or_else(|| truncated(header, bytes.len())))
        .collect::<Result<_, _>>()?;
    let items: u128 = dims.iter().map(|&d| d as u128).product();
    let expected = header as u128 + items;
    if (bytes.len() as u128) < expected {
        return Err(DataError::IdxTruncated { path: path.into(), expected, found: bytes.len() });
    }
    let expected = header + items as usize;
    if bytes.len() > expected {
        return Err(DataError::IdxTrailing { path: path.into(), expected, extra: bytes.len() - expected });
    }
    if items == 0 {
        return Err(DataError::IdxEmpty { path: path.into() });
    }
    bytes.drain(..header);
    Ok((dims, bytes))
}

/// The big-endian `u32` at byte `at`, if the slice is long enough.
fn be_u32(bytes: &[u8], at: usize) -> Option<u32> {
    let word: [u8; 4] = bytes.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(u32::from_be_bytes(word))
}

/// `dir/name` if it is a file, else `dir/name.gz` if that is.
fn locate(dir: &Path, name: &str) -> Option<PathBuf> {
    [dir.join(name), dir.join(format!("{name}.gz"))].into_iter().find(|p| p.is_file())
}

/// How to get the files of `dir`.
fn hint(dir: &Path) -> String {
    let absent = if dir.is_dir() { "" } else { "the directory does not exist; " };
    if dir == Path::new(FASHION_MNIST_DIR) {
        format!("{absent}install it with `apt-get install dataset-fashion-mnist` or pass a directory")
    } else {
        format!("{absent}pass a directory holding the four files of mnist, fashion-mnist or another idx set")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn be_u32_reads_and_bounds() {
        assert_eq!(be_u32(&[0, 0, 8, 3, 9], 0), Some(0x0803));
        assert_eq!(be_u32(&[0, 0, 8], 0), None);
        assert_eq!(be_u32(&[0, 0, 8, 3], usize::MAX - 1), None);
    }

    #[test]
    fn hints_name_the_package() {
        assert!(hint(Path::new(FASHION_MNIST_DIR)).contains("apt-get install dataset-fashion-mnist"));
        assert!(hint(Path::new("/nonexistent/zoo")).starts_with("the directory does not exist"));
    }
}
