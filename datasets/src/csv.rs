//! The CSV reader: numeric features and an integer class-id label per row, optional header, gzip allowed.
//!
//! Deliberately small: comma-separated, one record per line, fields trimmed of blanks and of surrounding
//! double quotes, blank lines skipped. Every failure names the file, the 1-based line and field.

use std::path::Path;

use crate::{Data, DataError, Labels};

pub use crate::error::MAX_CLASS_ID;

/// Loads a CSV file (gzip-compressed if its name ends in `.gz`) as a classification [`Data`] set.
///
/// `label_column` is the 0-based column holding the class id (default: the last); every other column is
/// a feature. With `header`, the first line is skipped (its names are not used). The data set is named
/// after the file's stem. Labels must be integers `0..=MAX_CLASS_ID`; `n_classes` is the largest + 1.
///
/// # Errors
///
/// [`DataError::Io`] or [`DataError::Gzip`] if the file cannot be read; [`DataError::CsvEmpty`],
/// [`DataError::CsvNotNumber`], [`DataError::CsvNotFinite`], [`DataError::CsvRagged`],
/// [`DataError::CsvLabel`], [`DataError::CsvLabelColumn`] for malformed contents.
///
/// ```
/// let path = std::env::temp_dir().join(format!("zoo-doc-{}.csv", std::process::id()));
/// std::fs::write(&path, "x1,x2,label\n0.5,1.0,0\n2.0,-1.0,1\n1.5,0.0,1\n")?;
/// let data = zoo_datasets::csv::load_csv(&path, None, true)?;
/// assert_eq!((data.len(), data.d_input, data.class_counts()), (3, 2, Some(vec![1, 2])));
/// # std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn load_csv(path: &Path, label_column: Option<usize>, header: bool) -> Result<Data, DataError> {
    parse_csv(&crate::idx::read_maybe_gz(path)?, path, label_column, header)
}

/// [`load_csv`] on bytes already read (and gunzipped): `path` names the data set and the file in errors.
///
/// # Errors
///
/// As [`load_csv`], for malformed contents.
pub fn parse_csv(bytes: &[u8], path: &Path, label_column: Option<usize>, header: bool) -> Result<Data, DataError> {
    let text = String::from_utf8_lossy(bytes);
    // A byte-order mark (spreadsheets write one) is not part of the first field.
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let table = parse_table(text, path, label_column, usize::from(header))?;
    let name = path
        .file_name()
        .map(|f| f.to_string_lossy())
        .map(|f| f.trim_end_matches(".gz").trim_end_matches(".csv").to_string())
        .unwrap_or_else(|| "csv".into());
    Ok(table.into_data(name, None))
}

/// Rows parsed from CSV text: features row-major and one class id per row.
pub(crate) struct Table {
    pub features: Vec<f32>,
    pub d_input: usize,
    pub y: Vec<u32>,
    /// 1-based number of the first data line (for header checks).
    pub first_line: usize,
}

impl Table {
    /// The table as [`Data`], with class names if given (otherwise `"0"`, `"1"`, …).
    pub fn into_data(self, name: String, names: Option<Vec<String>>) -> Data {
        let n_classes = self.y.iter().max().map_or(0, |&m| m as usize + 1);
        let labels = match names {
            Some(names) => Labels::Classes { y: self.y, n_classes: n_classes.max(names.len()), names },
            None => Labels::numbered(self.y, n_classes),
        };
        Data { name, features: self.features, d_input: self.d_input, labels }
    }
}

/// Parses `text` (from `path`, for messages), skipping its first `skip_lines` lines.
pub(crate) fn parse_table(
    text: &str,
    path: &Path,
    label_column: Option<usize>,
    skip_lines: usize,
) -> Result<Table, DataError> {
    let mut table = Table { features: Vec::new(), d_input: 0, y: Vec::new(), first_line: 0 };
    let mut n_fields = 0;
    let mut label_at = 0;
    for (index, line) in text.lines().enumerate().skip(skip_lines) {
        let line_no = index + 1;
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split(',').map(|f| f.trim().trim_matches('"').trim()).collect();
        if table.y.is_empty() {
            n_fields = fields.len();
            label_at = label_column.unwrap_or(n_fields.saturating_sub(1));
            if n_fields < 2 || label_at >= n_fields {
                return Err(DataError::CsvLabelColumn { path: path.into(), column: label_at, n_fields });
            }
            table.d_input = n_fields - 1;
            table.first_line = line_no;
        } else if fields.len() != n_fields {
            return Err(DataError::CsvRagged {
                path: path.into(),
                line: line_no,
                found: fields.len(),
                expected: n_fields,
            });
        }
        for (column, text) in fields.iter().enumerate() {
            let at = || (path.to_path_buf(), line_no, column + 1, text.to_string());
            if column == label_at {
                let label = parse_label(text).ok_or_else(|| {
                    let (path, line, field, text) = at();
                    DataError::CsvLabel { path, line, field, text }
                })?;
                table.y.push(label);
            } else {
                let value: f32 = text.parse().map_err(|_| {
                    let (path, line, field, text) = at();
                    DataError::CsvNotNumber { path, line, field, text }
                })?;
                if !value.is_finite() {
                    let (path, line, field, text) = at();
                    return Err(DataError::CsvNotFinite { path, line, field, text });
                }
                table.features.push(value);
            }
        }
    }
    if table.y.is_empty() {
        return Err(DataError::CsvEmpty { path: path.into(), header: skip_lines > 0 });
    }
    Ok(table)
}

/// A class id: an integer (`3` or `3.0`) in `0..=MAX_CLASS_ID`.
fn parse_label(text: &str) -> Option<u32> {
    if let Ok(id) = text.parse::<u32>() {
        return (id <= MAX_CLASS_ID).then_some(id);
    }
    let value: f64 = text.parse().ok()?;
    let integral = value.is_finite() && value.fract() == 0.0 && (0.0..=f64::from(MAX_CLASS_ID)).contains(&value);
    integral.then_some(value as u32)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn parse(text: &str, label_column: Option<usize>, header: bool) -> Result<Data, String> {
        parse_table(text, Path::new("t.csv"), label_column, usize::from(header))
            .map(|t| t.into_data("t".into(), None))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn valid_tables() {
        let data = parse("a,b,c\n1,2,0\n\n3.5, 4 ,2\r\n", None, true).unwrap();
        assert_eq!((data.len(), data.d_input, data.d_output()), (2, 2, 3));
        assert_eq!(data.features, vec![1.0, 2.0, 3.5, 4.0]);
        let data = parse("1,0.5,7\n0,1.5,8\n", Some(0), false).unwrap();
        assert_eq!(data.features, vec![0.5, 7.0, 1.5, 8.0]);
        assert_eq!(data.labels, Labels::numbered(vec![1, 0], 2));
        assert_eq!(parse("\"1\",2.0\n", None, false).unwrap().labels, Labels::numbered(vec![2], 3));
    }

    #[test]
    fn bad_tables() {
        // (text, label column, header, expected fragment of the message)
        let cases: &[(&str, Option<usize>, bool, &str)] = &[
            ("", None, false, "t.csv: no data rows"),
            ("x,y\n", None, true, "apart from its header"),
            ("1,2,0\n1,x,0\n", None, false, "line 2, field 2: 'x' is not a number"),
            ("1,2,0\n1,2\n", None, false, "line 2 has 2 fields, expected 3"),
            ("1,2,0.5\n", None, false, "line 1, field 3: label '0.5' is not a class id"),
            ("1,2,-1\n", None, false, "label '-1'"),
            ("1,2,70000\n", None, false, "label '70000'"),
            ("nan,2,1\n", None, false, "line 1, field 1: 'nan' is not a finite number"),
            ("1,2,1\n", Some(3), false, "label column 3 (0-based) does not exist"),
            ("1\n", None, false, "rows have 1 fields"),
        ];
        for &(text, column, header, expected) in cases {
            let message = parse(text, column, header).unwrap_err();
            assert!(message.contains(expected), "{text:?}: {message}");
        }
    }
}
