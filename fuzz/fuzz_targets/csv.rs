//! Fuzzes the CSV loader: any bytes, raw or gzip, with and without a header, either label column.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use zoo_datasets::csv::parse_csv;
use zoo_datasets::idx::decode;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = decode(bytes.to_vec(), Path::new("fuzz.csv")) else { return };
    for (label_column, header) in [(None, false), (None, true), (Some(0), false)] {
        if let Ok(data) = parse_csv(&text, Path::new("fuzz.csv"), label_column, header) {
            assert_eq!(data.features.len(), data.len() * data.d_input);
            assert!(data.features.iter().all(|v| v.is_finite()));
        }
    }
});
