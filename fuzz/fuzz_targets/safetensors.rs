//! Fuzzes SafeTensors import: any bytes, with and without an activation given.
#![no_main]

use burn::prelude::*;
use libfuzzer_sys::fuzz_target;
use zoo_models::{ActivationKind, interop};

fuzz_target!(|bytes: &[u8]| {
    let device = Device::flex();
    for activation in [None, Some(ActivationKind::Relu)] {
        if let Ok(mlp) = interop::from_safetensors(bytes, activation, &device) {
            assert!(!mlp.layers.is_empty());
        }
    }
});
