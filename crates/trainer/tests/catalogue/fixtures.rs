//! The catalogue's bad files, written once per test into a temporary folder: CSV, IDX, run directories,
//! SafeTensors and checkpoints, each broken in one way (and a few odd but valid ones).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use flate2::Compression;
use flate2::write::GzEncoder;
use serde_json::{Value, json};

/// A number unique within this process (for folder names).
pub fn unique() -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// The fixtures folder; removed when dropped.
pub struct Fixtures(PathBuf);

impl Drop for Fixtures {
    fn drop(&mut self) {
        if let Some(parent) = self.0.parent() {
            let _ = fs::remove_dir_all(parent);
        }
    }
}

fn write(path: &Path, bytes: impl AsRef<[u8]>) {
    fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
    fs::write(path, bytes).expect("write a fixture");
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    encoder.write_all(bytes).expect("gzip");
    encoder.finish().expect("gzip")
}

/// Two well-separated classes, `n` rows of two features and a label, with `end` as the line ending.
fn two_classes(n: usize, end: &str) -> String {
    (0..n).map(|i| format!("{},{},{}{end}", i % 2, (i * 7 % 5) as f32 / 5.0, i % 2)).collect()
}

/// An unsigned-byte IDX file: magic with `dims.len()` dimensions, the sizes, then `data`.
fn idx(dims: &[u32], data: &[u8]) -> Vec<u8> {
    let mut bytes = vec![0, 0, 8, dims.len() as u8];
    for d in dims {
        bytes.extend_from_slice(&d.to_be_bytes());
    }
    bytes.extend_from_slice(data);
    bytes
}

/// The four files of a valid 2×2-pixel IDX set (10 train, 4 test), by name.
fn idx_set() -> Vec<(&'static str, Vec<u8>)> {
    let labels = |n: u32| (0..n).map(|i| (i % 2) as u8).collect::<Vec<u8>>();
    let images = |n: u32| idx(&[n, 2, 2], &(0..n * 4).map(|i| (i * 37 % 256) as u8).collect::<Vec<u8>>());
    vec![
        ("train-images-idx3-ubyte", images(10)),
        ("train-labels-idx1-ubyte", idx(&[10], &labels(10))),
        ("t10k-images-idx3-ubyte", images(4)),
        ("t10k-labels-idx1-ubyte", idx(&[4], &labels(4))),
    ]
}

/// A change to one file of an IDX set: its name and bytes in, the file to write (or none) out.
type Edit<'a> = dyn Fn(&str, Vec<u8>) -> Option<(String, Vec<u8>)> + 'a;

/// A SafeTensors file: a header of `(name, dtype, shape, byte length)` and `data_len` bytes of data.
fn safetensors(tensors: &[(&str, &str, &[u64], u64)], metadata: Option<Value>, data_len: usize) -> Vec<u8> {
    let mut header = serde_json::Map::new();
    let mut offset = 0;
    for (name, dtype, shape, len) in tensors {
        header
            .insert(name.to_string(), json!({"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len]}));
        offset += len;
    }
    if let Some(metadata) = metadata {
        header.insert("__metadata__".into(), metadata);
    }
    let text = serde_json::to_vec(&header).expect("json");
    let mut bytes = (text.len() as u64).to_le_bytes().to_vec();
    bytes.extend_from_slice(&text);
    bytes.extend(std::iter::repeat_n(0u8, data_len));
    bytes
}

/// Trains `args` with the real binary into `out` (quietly); the fixtures that need a real run start from it.
fn train(out: &Path, args: &[&str]) {
    let status = Command::new(env!("CARGO_BIN_EXE_trainer"))
        .args(args)
        .args(["--quiet", "--out", out.to_str().expect("utf-8")])
        .status()
        .expect("trainer runs");
    assert!(status.success(), "fixture run {args:?} failed");
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("read dir").flatten() {
        fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
    }
}

/// A run.json with `edit` applied to its JSON.
fn edited_run(from: &Path, to: &Path, edit: impl FnOnce(&mut Value)) {
    copy_dir(from, to);
    let mut record: Value = serde_json::from_slice(&fs::read(from.join("run.json")).expect("run.json")).expect("json");
    edit(&mut record);
    write(&to.join("run.json"), serde_json::to_vec_pretty(&record).expect("json"));
}

impl Fixtures {
    /// Writes every fixture.
    pub fn build() -> Self {
        let root = std::env::temp_dir().join(format!("zoo-catalogue-{}-{}", std::process::id(), unique()));
        let f = root.join("fixtures");
        fs::create_dir_all(&f).expect("fixtures dir");
        write(&f.join("a-file"), "not a directory");
        write(&f.join("garbage.json"), "{ this is not json");
        Self::csv(&f);
        Self::idx(&f);
        Self::runs(&f);
        Self::safetensors(&f);
        Self(f)
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.0
    }

    fn csv(f: &Path) {
        write(&f.join("empty.csv"), "");
        write(&f.join("header-only.csv"), "x,y,label\n");
        write(&f.join("ragged.csv"), "1,2,0\n3,1\n");
        write(&f.join("words.csv"), "1,abc,0\n2,3,1\n");
        write(&f.join("nan.csv"), "1,NaN,0\n2,3,1\n");
        write(&f.join("inf.csv"), "1,inf,0\n2,3,1\n");
        write(&f.join("label-range.csv"), "1,2,70000\n2,3,1\n");
        write(&f.join("label-fraction.csv"), "1,2,0.5\n2,3,1\n");
        write(&f.join("one-class.csv"), two_classes(40, "\n").replace(",0\n", ",1\n"));
        write(&f.join("one-column.csv"), "0\n1\n");
        // More features than a layer may be wide (zoo_models::MAX_WIDTH = 2^22), on four rows.
        let row = |label: usize| format!("{}{label}\n", "0,".repeat((1 << 22) + 8));
        write(&f.join("wide.csv"), [row(0), row(1), row(0), row(1)].concat());
        // 1 GiB + 1 MiB of zeros in 1 MiB of gzip: the reader stops at 1 GiB.
        let mut bomb = GzEncoder::new(Vec::new(), Compression::fast());
        let chunk = vec![b'0'; 1 << 20];
        for _ in 0..1025 {
            bomb.write_all(&chunk).expect("gzip");
        }
        write(&f.join("bomb.csv.gz"), bomb.finish().expect("gzip"));
        let good = gzip(two_classes(40, "\n").as_bytes());
        write(&f.join("cut.csv.gz"), &good[..good.len() / 2]);
        write(&f.join("not-gzip.csv.gz"), two_classes(40, "\n"));
        write(&f.join("crlf.csv"), two_classes(40, "\r\n"));
        write(&f.join("bom.csv"), format!("\u{feff}{}", two_classes(40, "\n")));
        write(&f.join("header.csv"), format!("x,y,label\n{}", two_classes(40, "\n")));
    }

    /// Writes the IDX set into `f/DIR`, each file through `edit` (`None`: leave it out).
    fn idx(f: &Path) {
        let set = |dir: &str, edit: &Edit<'_>| {
            for (name, bytes) in idx_set() {
                if let Some((name, bytes)) = edit(name, bytes) {
                    write(&f.join(dir).join(name), bytes);
                }
            }
        };
        let images = |name: &str| name == "train-images-idx3-ubyte";
        let keep = |name: &str, bytes| Some((name.to_string(), bytes));
        set("idx-missing", &|name, bytes| (!name.starts_with("t10k-labels")).then(|| (name.to_string(), bytes)));
        set("idx-magic", &|name, mut bytes| {
            if images(name) {
                bytes[2] = 9;
            }
            keep(name, bytes)
        });
        set("idx-rank", &|name, bytes| keep(name, if images(name) { idx(&[10, 4], &bytes[16..]) } else { bytes }));
        set("idx-count", &|name, bytes| {
            keep(name, if name == "train-labels-idx1-ubyte" { idx(&[9], &bytes[8..17]) } else { bytes })
        });
        set("idx-truncated", &|name, bytes| keep(name, if images(name) { bytes[..30].to_vec() } else { bytes }));
        set("idx-trailing", &|name, mut bytes| {
            if images(name) {
                bytes.extend_from_slice(&[1, 2, 3]);
            }
            keep(name, bytes)
        });
        set("idx-gzip-cut", &|name, bytes| {
            if images(name) {
                let packed = gzip(&bytes);
                return Some((format!("{name}.gz"), packed[..packed.len() - 12].to_vec()));
            }
            keep(name, bytes)
        });
        set("idx-empty", &|name, bytes| {
            keep(name, if name.starts_with("train-") && images(name) { idx(&[0, 2, 2], &[]) } else { bytes })
        });
    }

    fn runs(f: &Path) {
        let run = f.join("run");
        train(&run, &["--dataset", "xor", "--epochs", "1", "--hidden", "4"]);
        let narrow = f.join("narrow");
        train(&narrow, &["--dataset", "xor", "--epochs", "1", "--hidden", "3"]);
        write(&f.join("garbage/run.json"), "garbage");
        let absurd = |record: &mut Value| {
            record["model"]["d_hidden"] = json!([100_000, 100_000]);
            record["config"]["model"]["d_hidden"] = json!([100_000, 100_000]);
        };
        edited_run(&run, &f.join("absurd"), absurd);
        edited_run(&run, &f.join("version"), |record| {
            record.as_object_mut().expect("an object").remove("epochs");
        });
        copy_dir(&run, &f.join("no-weights"));
        fs::remove_file(f.join("no-weights/model.bpk")).expect("rm");
        copy_dir(&run, &f.join("cut-weights"));
        let weights = fs::read(run.join("model.bpk")).expect("model.bpk");
        write(&f.join("cut-weights/model.bpk"), &weights[..weights.len() / 2]);
        copy_dir(&run, &f.join("other-shape"));
        fs::copy(narrow.join("model.bpk"), f.join("other-shape/model.bpk")).expect("copy");
        write(&f.join("model-json/model.json"), "{\"d_input\": \"two\"}");
        fs::copy(run.join("model.bpk"), f.join("model-json/model.bpk")).expect("copy");
        // Checkpoints the next run must refuse: one of another config, one cut short.
        let state = json!({"key": "0000000000000000", "epoch": 1, "updates": 1, "lr": 0.1, "record": null});
        write(&f.join("cp-other/run.checkpoints/epoch-000001/checkpoint.json"), state.to_string());
        write(&f.join("cp-cut/run.checkpoints/epoch-000001/checkpoint.json"), &state.to_string()[..20]);
    }

    fn safetensors(f: &Path) {
        let relu = Some(json!({"zoo.activation": "relu"}));
        write(&f.join("garbage.safetensors"), "hello, world");
        let f64_layer: &[(&str, &str, &[u64], u64)] = &[("layers.0.weight", "F64", &[2, 2], 32)];
        write(&f.join("f64.safetensors"), safetensors(f64_layer, None, 32));
        let chain: &[(&str, &str, &[u64], u64)] =
            &[("layers.0.weight", "F32", &[4, 2], 32), ("layers.1.weight", "F32", &[2, 5], 40)];
        write(&f.join("chain.safetensors"), safetensors(chain, None, 72));
        let huge: &[(&str, &str, &[u64], u64)] = &[("layers.0.weight", "F32", &[1 << 20, 1 << 20], 1 << 42)];
        write(&f.join("huge.safetensors"), safetensors(huge, None, 0));
        let short: &[(&str, &str, &[u64], u64)] = &[("layers.0.weight", "F32", &[2, 2], 16)];
        write(&f.join("short.safetensors"), safetensors(short, relu, 8));
        write(&f.join("no-activation.safetensors"), safetensors(short, None, 16));
    }
}
