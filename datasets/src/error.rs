//! The crate's one error type: every way loading, generating or splitting data can fail.
//!
//! Each variant names the file it concerns (or the data set / parameter, where no file is involved)
//! and says what is wrong in one lower-case line, with a hint on how to fix it where there is one.

use std::path::PathBuf;

/// Largest class id a CSV label may have (a guard against a regression target read as a class id).
pub const MAX_CLASS_ID: u32 = 65_535;

/// The most bytes a data file may hold once decompressed (1 GiB: MNIST is 55 MB): a gzip bomb or a device such
/// as `/dev/zero` given as data stops here instead of filling memory.
pub const MAX_FILE_BYTES: u64 = 1 << 30;

/// Why data could not be loaded, generated or split.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// A file or directory could not be read.
    #[error("{}: cannot read: {reason}", path.display())]
    Io {
        /// The file that failed.
        path: PathBuf,
        /// The operating system's reason (kept in the message, not as an error source, so that a printed error
        /// chain names it once).
        reason: std::io::Error,
    },
    /// A data file is larger than [`MAX_FILE_BYTES`] (decompressed), or is not a regular file.
    #[error("{}: {what}; data files are regular files of at most 1 GiB (decompressed): give a smaller file", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        what: &'static str,
    },
    /// A gzip file is corrupt or not gzip at all.
    #[error("{}: bad gzip data ({reason}); re-download the file or pass it uncompressed without the .gz suffix", path.display())]
    Gzip {
        /// The gzip file.
        path: PathBuf,
        /// The decoder's reason.
        reason: std::io::Error,
    },
    /// A CSV file has no data rows.
    #[error("{}: no data rows; the file is empty{}", path.display(), if *header { " apart from its header line" } else { "" })]
    CsvEmpty {
        /// The CSV file.
        path: PathBuf,
        /// Whether a header line was expected (and skipped).
        header: bool,
    },
    /// A CSV feature field is not a number.
    #[error("{}: line {line}, field {field}: '{text}' is not a number; features must be numeric (is there a header line? then say so)", path.display())]
    CsvNotNumber {
        /// The CSV file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// 1-based field (column) number.
        field: usize,
        /// The offending text.
        text: String,
    },
    /// A CSV field is NaN or infinite.
    #[error("{}: line {line}, field {field}: '{text}' is not a finite number; remove or impute missing values first", path.display())]
    CsvNotFinite {
        /// The CSV file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// 1-based field (column) number.
        field: usize,
        /// The offending text.
        text: String,
    },
    /// A CSV row has a different number of fields than the first row.
    #[error("{}: line {line} has {found} fields, expected {expected} like the first row", path.display())]
    CsvRagged {
        /// The CSV file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// Fields on this line.
        found: usize,
        /// Fields on the first data line.
        expected: usize,
    },
    /// A CSV label is not a class id.
    #[error("{}: line {line}, field {field}: label '{text}' is not a class id; labels must be integers from 0 to {max} (regression targets are not read from csv)", path.display(), max = MAX_CLASS_ID)]
    CsvLabel {
        /// The CSV file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// 1-based field (column) number.
        field: usize,
        /// The offending text.
        text: String,
    },
    /// The requested label column does not exist.
    #[error("{}: label column {column} (0-based) does not exist or leaves no feature: rows have {n_fields} fields", path.display())]
    CsvLabelColumn {
        /// The CSV file.
        path: PathBuf,
        /// The 0-based column asked for.
        column: usize,
        /// Fields per row.
        n_fields: usize,
    },
    /// A bundled CSV file's header line disagrees with its contents.
    #[error("{}: header line says {expected}, the data has {found}", path.display())]
    CsvHeader {
        /// The file.
        path: PathBuf,
        /// What the header announces.
        expected: String,
        /// What the rows contain.
        found: String,
    },
    /// An IDX file does not start with the expected magic number.
    #[error("{}: magic number {found:#010x} is not an idx ubyte file (expected {expected:#010x}); is this the right file?", path.display())]
    IdxMagic {
        /// The IDX file.
        path: PathBuf,
        /// The first four bytes, big-endian.
        found: u32,
        /// The expected magic number.
        expected: u32,
    },
    /// An IDX file has the wrong number of dimensions.
    #[error("{}: has {found} dimensions, expected {expected} ({what})", path.display())]
    IdxDims {
        /// The IDX file.
        path: PathBuf,
        /// Dimensions in the header.
        found: u8,
        /// Dimensions expected.
        expected: u8,
        /// What the file should hold.
        what: &'static str,
    },
    /// An IDX file is shorter than its header says.
    #[error("{}: truncated: header promises {expected} bytes, found {found}; re-download the file", path.display())]
    IdxTruncated {
        /// The IDX file.
        path: PathBuf,
        /// Bytes the header promises (header included).
        expected: u128,
        /// Bytes present.
        found: usize,
    },
    /// An IDX file is longer than its header says.
    #[error("{}: {extra} bytes after the {expected} bytes the header describes; the file is corrupt", path.display())]
    IdxTrailing {
        /// The IDX file.
        path: PathBuf,
        /// Bytes the header describes (header included).
        expected: usize,
        /// Bytes beyond that.
        extra: usize,
    },
    /// An IDX images file and its labels file disagree on the number of items.
    #[error("{}: {n_images} images, but {} has {n_labels} labels; the two files must come from the same set", images.display(), labels.display())]
    IdxCount {
        /// The images file.
        images: PathBuf,
        /// The labels file.
        labels: PathBuf,
        /// Items in the images file.
        n_images: usize,
        /// Items in the labels file.
        n_labels: usize,
    },
    /// The train and test images of an IDX directory have different sizes.
    #[error("{}: images are {train_rows}x{train_cols}, but {} has {test_rows}x{test_cols}", train.display(), test.display())]
    IdxShape {
        /// The train images file.
        train: PathBuf,
        /// The test images file.
        test: PathBuf,
        /// Rows of a train image.
        train_rows: usize,
        /// Columns of a train image.
        train_cols: usize,
        /// Rows of a test image.
        test_rows: usize,
        /// Columns of a test image.
        test_cols: usize,
    },
    /// An IDX file holds no items.
    #[error("{}: holds no items", path.display())]
    IdxEmpty {
        /// The IDX file.
        path: PathBuf,
    },
    /// Some of the four IDX files are missing from a directory.
    #[error("{}: missing {missing} (each looked for raw and with .gz); {hint}", dir.display())]
    IdxMissing {
        /// The directory searched.
        dir: PathBuf,
        /// The missing file names, comma-separated.
        missing: String,
        /// How to get the files.
        hint: String,
    },
    /// A generator or loader parameter is out of range.
    #[error("{source_name}: {message}")]
    InvalidParameter {
        /// The data source's name.
        source_name: String,
        /// What is wrong and what is allowed.
        message: String,
    },
    /// A data set name that `DataSource::parse` does not know.
    #[error("unknown data set '{name}'; valid names: {valid}")]
    UnknownName {
        /// The name given.
        name: String,
        /// All valid names, comma-separated.
        valid: String,
    },
    /// A split is impossible for this data and test fraction.
    #[error("{name}: cannot split: {message}")]
    Split {
        /// The data set's name.
        name: String,
        /// What is wrong and what to change.
        message: String,
    },
    /// Data has labels of the other kind than the caller needs.
    #[error("{name}: has {found} labels, but {needed} labels are needed here")]
    LabelKind {
        /// The data set's name.
        name: String,
        /// The kind the data has ("class" or "value").
        found: &'static str,
        /// The kind needed.
        needed: &'static str,
    },
    /// A standardiser was fitted on data with another number of features.
    #[error("{name}: has {found} features, but the standardiser was fitted on {expected}")]
    FeatureCount {
        /// The data set's name.
        name: String,
        /// Features in the data.
        found: usize,
        /// Features the standardiser knows.
        expected: usize,
    },
}
