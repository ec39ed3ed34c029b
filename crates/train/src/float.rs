//! Serde for `f64` values that may be NaN or ±∞ (a diverged loss, the loss of an empty test split): finite numbers
//! are JSON numbers, the others the strings `"NaN"`, `"inf"` and `"-inf"`, so a record reads back as written.
//! JSON has no such numbers and serde_json writes them as `null`; `null` reads back as NaN (records written
//! before this module).
//!
//! Use with `#[serde(with = "crate::float")]` on `f64` fields and `#[serde(with = "crate::float::option")]` on
//! `Option<f64>` fields.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A number as written: a JSON number or one of the three names.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum Written {
    Number(f64),
    Name(String),
}

fn to_written(value: f64) -> Written {
    match value {
        v if v.is_finite() => Written::Number(v),
        v if v.is_nan() => Written::Name("NaN".into()),
        v if v > 0.0 => Written::Name("inf".into()),
        _ => Written::Name("-inf".into()),
    }
}

fn from_written<E: serde::de::Error>(written: Option<Written>) -> Result<f64, E> {
    match written {
        None => Ok(f64::NAN),
        Some(Written::Number(v)) => Ok(v),
        Some(Written::Name(name)) => match name.as_str() {
            "NaN" => Ok(f64::NAN),
            "inf" => Ok(f64::INFINITY),
            "-inf" => Ok(f64::NEG_INFINITY),
            other => {
                Err(E::custom(format!("`{other}` is not a number (expected a number, \"NaN\", \"inf\" or \"-inf\")")))
            }
        },
    }
}

/// Writes `value` as a number, or as `"NaN"`, `"inf"`, `"-inf"`.
pub fn serialize<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    to_written(*value).serialize(serializer)
}

/// Reads what [`serialize`] writes (and `null` as NaN).
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    from_written(Option::<Written>::deserialize(deserializer)?)
}

/// The same for `Vec<f64>`: every element written as above.
pub mod vec {
    use super::{Written, from_written, to_written};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Writes every element as [`super::serialize`] does.
    pub fn serialize<S: Serializer>(values: &[f64], serializer: S) -> Result<S::Ok, S::Error> {
        values.iter().map(|v| to_written(*v)).collect::<Vec<_>>().serialize(serializer)
    }

    /// Reads what [`serialize`] writes.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<f64>, D::Error> {
        Vec::<Option<Written>>::deserialize(deserializer)?.into_iter().map(from_written).collect()
    }
}

/// The same for `Option<f64>`: `None` is `null`, `Some` is written as above.
pub mod option {
    use super::{Written, from_written, to_written};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Writes `None` as `null` and `Some(v)` as [`super::serialize`] does.
    pub fn serialize<S: Serializer>(value: &Option<f64>, serializer: S) -> Result<S::Ok, S::Error> {
        value.map(to_written).serialize(serializer)
    }

    /// Reads what [`serialize`] writes.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<f64>, D::Error> {
        Option::<Written>::deserialize(deserializer)?.map(|w| from_written(Some(w))).transpose()
    }
}
