//! Fuzzes the readers of run.json and model.json: parse, then validate; what validates must be describable.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zoo_models::MlpConfig;
use zoo_train::RunRecord;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(record) = serde_json::from_slice::<RunRecord>(bytes)
        && record.config.validate().is_ok()
        && record.model.validate().is_ok()
    {
        let _ = (record.model.name(), record.model.num_params(), record.config.fingerprint(), record.metrics_csv());
    }
    if let Ok(config) = serde_json::from_slice::<MlpConfig>(bytes)
        && config.validate().is_ok()
    {
        let _ = (config.name(), config.num_params());
    }
});
