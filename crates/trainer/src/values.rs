//! Typed flag values: a clap value parser for each library enum with a `FromStr` and a list of names, so flags
//! are typed from the start, errors come from the library's own parser, and `--help` lists the enum's names.

use std::ffi::OsStr;

use clap::builder::{PossibleValue, TypedValueParser};

/// Parses with `T::from_str`; `names` are shown in `--help` (values such as `leaky-relu:0.2` or `normal:0.01`
/// that carry an argument are accepted too: the names are a list, not a check).
#[derive(Clone)]
pub struct Named<T: 'static> {
    names: &'static [&'static str],
    parse: fn(&str) -> Result<T, String>,
}

/// The value parser of an enum with a `FromStr` and the names `names`.
pub fn named<T>(names: &'static [&'static str]) -> Named<T>
where
    T: std::str::FromStr + 'static,
    T::Err: std::fmt::Display,
{
    Named { names, parse: |text| text.parse::<T>().map_err(|e| e.to_string()) }
}

impl<T: Clone + Send + Sync + 'static> TypedValueParser for Named<T> {
    type Value = T;

    fn parse_ref(&self, cmd: &clap::Command, arg: Option<&clap::Arg>, value: &OsStr) -> Result<T, clap::Error> {
        // A plain function parser: clap's own "invalid value 'X' for '--flag <FLAG>': <the library's error>".
        self.parse.parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(self.names.iter().map(|name| PossibleValue::new(*name))))
    }
}
