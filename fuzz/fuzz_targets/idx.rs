//! Fuzzes the IDX reader: any bytes, raw or gzip, as an images file (3 dimensions) and a labels file (1).
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use zoo_datasets::idx::{decode, parse_idx};

fuzz_target!(|bytes: &[u8]| {
    let path = Path::new("fuzz-idx");
    let Ok(raw) = decode(bytes.to_vec(), path) else { return };
    for n_dims in [1, 3] {
        if let Ok((dims, data)) = parse_idx(raw.clone(), path, n_dims, "fuzz") {
            assert_eq!(dims.iter().product::<usize>(), data.len());
        }
    }
});
