//! Embeds the zoo's trained weights (with the `pretrained` feature): generates a lookup from preset name to the
//! `model.bpk` and `metrics.json` found under `zoo/<name>/`. A preset without both files (not trained yet) is
//! simply absent, so a checkout builds before `cargo xtask zoo train` has produced anything.

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

fn main() {
    println!("cargo:rerun-if-changed=zoo");
    let root = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap_or_default()).join("zoo");
    let mut names: Vec<String> = fs::read_dir(&root)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|entry| entry.path().join("model.bpk").is_file() && entry.path().join("metrics.json").is_file())
                .filter_map(|entry| entry.file_name().to_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let out = Path::new(&env::var("OUT_DIR").unwrap_or_default()).join("embedded.rs");
    if env::var_os("CARGO_FEATURE_PRETRAINED").is_none() {
        let code = "/// Without the `pretrained` feature no preset has embedded weights.\n\
                    fn embedded(_name: &str) -> Option<(&'static [u8], &'static str)> {\n    None\n}\n";
        if let Err(error) = fs::write(&out, code) {
            panic!("cannot write {}: {error}", out.display());
        }
        return;
    }
    // Burnpack aligns tensor data to 256 bytes within the file; the backends read it in place (zero copy) and
    // need the file itself aligned too, which `include_bytes!` alone (alignment 1) does not promise.
    let mut code = String::from(
        "/// Bytes with burnpack's tensor alignment.\n\
         #[repr(C, align(256))]\n\
         struct Aligned<B: ?Sized>(B);\n\n\
         /// The embedded `(model.bpk, metrics.json)` of a trained preset.\n\
         fn embedded(name: &str) -> Option<(&'static [u8], &'static str)> {\n    match name {\n",
    );
    for name in &names {
        let dir = root.join(name);
        let _ = writeln!(
            code,
            "        {name:?} => {{\n            static WEIGHTS: &Aligned<[u8]> = &Aligned(*include_bytes!({bpk:?}));\n            \
             Some((&WEIGHTS.0, include_str!({json:?})))\n        }}",
            bpk = dir.join("model.bpk").display().to_string(),
            json = dir.join("metrics.json").display().to_string(),
        );
    }
    code.push_str("        _ => None,\n    }\n}\n");
    if let Err(error) = fs::write(&out, code) {
        panic!("cannot write {}: {error}", out.display());
    }
}
