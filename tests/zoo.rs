//! The model zoo, driven by its table: every preset loads and runs on every backend, `trainer zoo eval`
//! reproduces every reported accuracy on flex and wgpu, `zoo train` reproduces the committed weights byte for
//! byte, the README table is current, and SafeTensors export/import round-trips in PyTorch's layout.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use burn::prelude::*;
use trainer::Outcome;
use trainer::zoo::ZooOutcome;
use zoo_datasets::Standardizer;
use zoo_models::{ActivationKind, MlpConfig, interop};
use zoo_presets::{self as zoo, Evaluation, PRESETS};
use zoo_tests::{assert_close, devices, host, inputs, tensor};

fn scratch(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("zoo-zoo-{}-{name}", std::process::id()))
}

/// Runs `trainer ARGS` in-process; returns what it did and what it printed.
fn run(args: &[&str]) -> (Outcome, String) {
    let mut out = Vec::new();
    let outcome = trainer::run(std::iter::once("trainer").chain(args.iter().copied()), &mut out)
        .unwrap_or_else(|e| panic!("trainer {args:?} failed: {e:#}"));
    (outcome, String::from_utf8_lossy(&out).into_owned())
}

fn run_error(args: &[&str]) -> String {
    match trainer::run(std::iter::once("trainer").chain(args.iter().copied()), &mut Vec::new()) {
        Ok(_) => panic!("trainer {args:?} should fail"),
        Err(error) => format!("{error:#}"),
    }
}

/// `ZOO_WGPU_ALL=1` evaluates every preset on wgpu too, as the zoo's acceptance does (about a minute on lavapipe,
/// which compiles kernels for every new graph and shape); CI runs every preset's forward pass there and evaluates
/// one.
fn wgpu_all() -> bool {
    std::env::var("ZOO_WGPU_ALL").is_ok_and(|v| v == "1")
}

fn fashion_installed() -> bool {
    Path::new(zoo_datasets::idx::FASHION_MNIST_DIR).is_dir()
}

#[test]
fn every_preset_has_metrics_that_match_its_row_and_loads_on_every_backend() {
    assert!(PRESETS.len() >= 10);
    let devices = devices();
    for preset in PRESETS {
        assert_eq!(PRESETS.iter().filter(|p| p.name == preset.name).count(), 1, "{} listed twice", preset.name);
        assert!(preset.name.ends_with(&format!(".{}", preset.dataset)), "{}: name must end in .dataset", preset.name);
        let metrics = preset.metrics().unwrap_or_else(|e| panic!("{e}"));
        let stale = "the table changed since the weights were trained: run `cargo xtask zoo train`";
        assert_eq!((metrics.name.as_str(), metrics.dataset.as_str()), (preset.name, preset.dataset), "{stale}");
        assert_eq!((&metrics.model, &metrics.recipe), (&preset.config(), &preset.recipe), "{}: {stale}", preset.name);
        assert!((0.0..=1.0).contains(&metrics.test_accuracy) && metrics.test_loss.is_finite());
        assert_eq!(metrics.input_scaling.is_some(), preset.recipe.standardize);
        let x = inputs(3 * preset.d_input, 5);
        let reference = host(preset.load(&devices[0].1).unwrap_or_else(|e| panic!("{e}")).forward(tensor(
            x.clone(),
            [3, preset.d_input],
            &devices[0].1,
        )));
        for (backend, device) in &devices {
            let model = zoo::load(preset.name, device).unwrap_or_else(|e| panic!("{backend}: {e}"));
            let logits = model.forward(tensor(x.clone(), [3, preset.d_input], device));
            assert_eq!(logits.dims(), [3, preset.d_output], "{} on {backend}", preset.name);
            let expected = tensor(reference.clone(), [3, preset.d_output], device);
            assert_close(&format!("{} logits on {backend}", preset.name), logits, expected, 1e-4, 1e-4);
        }
    }
    assert!(
        matches!(zoo::find("resnet50"), Err(zoo::PresetError::Unknown { known, .. }) if known.contains("logistic.circles"))
    );
}

#[test]
fn stored_input_scaling_and_split_sizes_match_the_data() {
    for preset in PRESETS.iter().filter(|p| p.dataset != "fashion-mnist" || fashion_installed()) {
        let metrics = preset.metrics().unwrap_or_else(|e| panic!("{e}"));
        let config = preset.train_config().unwrap_or_else(|e| panic!("{e:#}"));
        let split = zoo_train::load_split(&config).unwrap_or_else(|e| panic!("{}: {e}", preset.name));
        assert_eq!((split.train.len(), split.test.len()), (metrics.n_train, metrics.n_test), "{}", preset.name);
        let expected = Some(Standardizer::fit(&split.train));
        assert!(
            metrics.input_scaling == expected,
            "{}: stored input scaling differs from the training split's",
            preset.name
        );
    }
}

fn check_eval(names: &[&str], backend_args: &[&str]) {
    let mut args = vec!["zoo", "eval"];
    args.extend_from_slice(names);
    args.extend_from_slice(backend_args);
    let (outcome, printed) = run(&args);
    let Outcome::Zoo(ZooOutcome::Evaluated(rows)) = outcome else { panic!("zoo eval did not evaluate") };
    for Evaluation { name, reported, measured, .. } in &rows {
        let points = 100.0 * (measured - reported).abs();
        assert!(
            points <= 0.5,
            "{name} {backend_args:?}: measured {measured}, reported {reported} ({points:.2} points)"
        );
    }
    let installed = PRESETS.iter().filter(|p| p.dataset != "fashion-mnist" || fashion_installed()).count();
    assert_eq!(rows.len(), if names.is_empty() { installed } else { names.len() }, "{printed}");
    if names.is_empty() && !fashion_installed() {
        eprintln!("skipped fashion-mnist preset: data not installed (apt-get install dataset-fashion-mnist)");
        assert!(printed.contains("skipped"), "{printed}");
    }
}

#[test]
fn zoo_eval_reproduces_the_reported_accuracies_on_flex_and_wgpu() {
    check_eval(&[], &[]);
    if zoo_tests::wgpu().is_some() {
        // Every preset's logits were compared with flex's on wgpu above; one evaluation checks the loss and
        // accuracy path there.
        let names: &[&str] = if wgpu_all() { &[] } else { &["mlp-2x64-relu-he.spirals"] };
        check_eval(names, &["--backend", "wgpu", "--wgpu-device", "cpu"]);
    }
}

#[test]
fn zoo_train_reproduces_the_committed_weights_and_metrics_byte_for_byte() {
    let dir = scratch("train");
    let _ = std::fs::remove_dir_all(&dir);
    let names = ["mlp-1x8-relu-he.iris", "logistic.circles", "mlp-2x16-tanh-zeros.circles"];
    let mut args = vec!["zoo", "train", "--out", dir.to_str().expect("utf-8 temp dir")];
    args.extend_from_slice(&names);
    let (outcome, _) = run(&args);
    assert!(matches!(outcome, Outcome::Zoo(ZooOutcome::Trained(ref m)) if m.len() == names.len()));
    for name in names {
        let preset = zoo::find(name).unwrap_or_else(|e| panic!("{e}"));
        let weights = std::fs::read(dir.join(name).join("model.bpk")).expect("model.bpk written");
        assert!(
            Some(weights.as_slice()) == preset.weights(),
            "{name}: retrained weights differ from the committed ones"
        );
        let text = std::fs::read_to_string(dir.join(name).join("metrics.json")).expect("metrics.json written");
        let mut metrics: zoo::Metrics = serde_json::from_str(&text).expect("metrics.json parses");
        let committed = preset.metrics().unwrap_or_else(|e| panic!("{e}"));
        metrics.date = committed.date.clone();
        // The weights above are bit-identical on every x86-64 CPU seen; the mean loss over a split is not: flex
        // sums with the widest SIMD the CPU has (AVX-512 or AVX2), so the last f32 bits of a mean differ between
        // machines (seen: 0.69326040 vs 0.69326045). Losses are compared to f32 rounding, everything else exactly.
        for (retrained, committed) in
            [(metrics.train_loss, committed.train_loss), (metrics.test_loss, committed.test_loss)]
        {
            let relative = (retrained - committed).abs() / committed.abs().max(1e-12);
            assert!(relative < 1e-6, "{name}: retrained loss {retrained} vs committed {committed}");
        }
        (metrics.train_loss, metrics.test_loss) = (committed.train_loss, committed.test_loss);
        assert_eq!(metrics, committed, "{name}: retrained metrics differ");
    }
    // A rerun over unchanged files keeps them byte-identical, date included.
    let before = std::fs::read(dir.join(names[0]).join("metrics.json")).expect("metrics.json");
    run(&["zoo", "train", "--out", dir.to_str().expect("utf-8"), names[0]]);
    assert_eq!(std::fs::read(dir.join(names[0]).join("metrics.json")).expect("metrics.json"), before);
}

#[test]
fn readme_zoo_table_is_generated_from_the_current_metrics() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md");
    let text = std::fs::read_to_string(&path).expect("README.md");
    let table = zoo::readme_table(&zoo::embedded_metrics());
    let current =
        zoo_report::splice(&text, zoo::TABLE_BEGIN, zoo::TABLE_END, &table).expect("README has the zoo table markers");
    assert!(current == text, "the README's zoo table is stale: run `cargo xtask zoo train` (it rewrites the table)");
}

#[test]
fn the_trainers_data_set_defaults_are_the_reference_presets_recipes() {
    for (dataset, name) in trainer::settings::REFERENCE_PRESETS {
        let preset = zoo::find(name).unwrap_or_else(|e| panic!("{e}"));
        let same_data = preset.dataset == *dataset || (*dataset == "mnist" && preset.dataset == "fashion-mnist");
        assert!(same_data && !preset.failure_case, "{dataset}: {name}");
        let defaults = trainer::settings::defaults(dataset);
        let recipe = preset.recipe;
        assert_eq!(
            (defaults.hidden.as_slice(), defaults.lr, defaults.batch_size, defaults.epochs),
            (preset.hidden, recipe.lr, recipe.batch_size, recipe.epochs),
            "{dataset}"
        );
    }
}

#[test]
fn zoo_list_show_and_bad_names() {
    let (outcome, printed) = run(&["zoo", "list"]);
    assert!(matches!(outcome, Outcome::Zoo(ZooOutcome::Shown(ref names)) if names.len() == PRESETS.len()));
    for preset in PRESETS {
        assert!(printed.contains(preset.name), "{printed}");
    }
    assert!(printed.contains("failure case"), "{printed}");
    let (_, shown) = run(&["zoo", "show", "mlp-2x64-relu-he.spirals"]);
    for expected in ["momentum lr 0.05", "test       accuracy", "zoo_presets::load"] {
        assert!(shown.contains(expected), "`{expected}` not in {shown}");
    }
    for args in [
        &["zoo", "show", "nonsense"][..],
        &["zoo", "eval", "nonsense"],
        &["export", "--preset", "nonsense", "--out", "/tmp/x"],
    ] {
        let error = run_error(args);
        assert!(error.contains("unknown preset `nonsense`") && error.contains("mlp-2x64-relu-he.spirals"), "{error}");
    }
}

/// Tensor name → (dtype, shape, f32 values) of a SafeTensors file, read independently of the library.
fn read_safetensors(bytes: &[u8]) -> BTreeMap<String, (String, Vec<usize>, Vec<f32>)> {
    let n = u64::from_le_bytes(bytes[..8].try_into().expect("8 bytes")) as usize;
    let header: BTreeMap<String, serde_json::Value> = serde_json::from_slice(&bytes[8..8 + n]).expect("json header");
    let data = &bytes[8 + n..];
    header
        .into_iter()
        .filter(|(name, _)| name != "__metadata__")
        .map(|(name, info)| {
            let shape = serde_json::from_value(info["shape"].clone()).expect("shape");
            let [start, end]: [usize; 2] = serde_json::from_value(info["data_offsets"].clone()).expect("offsets");
            let values =
                data[start..end].chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect();
            (name, (info["dtype"].as_str().unwrap_or("?").to_string(), shape, values))
        })
        .collect()
}

#[test]
fn safetensors_export_uses_pytorch_names_and_layout_and_round_trips() {
    let device = Device::flex();
    let no_bias =
        MlpConfig::new(3, vec![5, 4], 2).with_activation(ActivationKind::LeakyRelu { slope: 0.2 }).with_bias(false);
    let models = [zoo::load("mlp-2x64-relu-he.spirals", &device).expect("preset"), no_bias.init_seeded(3, &device)];
    for model in models {
        let bytes = interop::to_safetensors(&model).expect("export");
        let tensors = read_safetensors(&bytes);
        let bias = model.layers[0].bias.is_some();
        assert_eq!(tensors.len(), model.layers.len() * (1 + usize::from(bias)), "{:?}", tensors.keys());
        for (i, layer) in model.layers.iter().enumerate() {
            let [d_in, d_out] = layer.weight.dims();
            let (dtype, shape, values) = &tensors[&format!("layers.{i}.weight")];
            assert_eq!(
                (dtype.as_str(), shape.as_slice()),
                ("F32", &[d_out, d_in][..]),
                "layers.{i}.weight is [out, in]"
            );
            let burn = host(layer.weight.val()); // [in, out], row-major
            let transposed: Vec<f32> =
                (0..d_out).flat_map(|o| (0..d_in).map(move |k| (o, k))).map(|(o, k)| burn[k * d_out + o]).collect();
            assert_eq!(values, &transposed, "layers.{i}.weight values");
            if let Some(b) = &layer.bias {
                assert_eq!(tensors[&format!("layers.{i}.bias")].2, host(b.val()));
            }
        }
        let back = interop::from_safetensors(&bytes, None, &device).expect("import");
        assert_eq!((back.widths(), back.activation), (model.widths(), model.activation));
        let x = tensor(inputs(6 * model.widths()[0], 9), [6, model.widths()[0]], &device);
        assert_eq!(host(back.forward(x.clone())), host(model.forward(x)), "logits after the round trip");
    }
    assert!(matches!(
        interop::from_safetensors(b"not safetensors", None, &device),
        Err(interop::InteropError::Format(_))
    ));
}

#[test]
fn trainer_export_import_round_trips_and_refuses_onnx_clearly() {
    let dir = scratch("interop");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let (first, second, imported) = (dir.join("a.safetensors"), dir.join("b.safetensors"), dir.join("imported"));
    let s = |p: &Path| p.to_str().expect("utf-8").to_string();
    run(&["export", "--preset", "mlp-2x16-tanh-xavier.circles", "--format", "safetensors", "--out", &s(&first)]);
    let (_, printed) = run(&["import", &s(&first), "--out", &s(&imported)]);
    assert!(printed.contains("tanh"), "{printed}");
    run(&["export", "--model", &s(&imported), "--out", &s(&second)]);
    let read = |p: &Path| read_safetensors(&std::fs::read(p).expect("exported file"));
    assert_eq!(read(&first), read(&second), "export → import → export changed the tensors");
    let error =
        run_error(&["export", "--preset", "logistic.circles", "--format", "onnx", "--out", &s(&dir.join("m.onnx"))]);
    assert!(error.contains("ONNX export is not available"), "{error}");
    // A file saved by PyTorch has no activation in its metadata: import needs --activation.
    let plain = dir.join("plain.safetensors");
    let bytes = std::fs::read(&first).expect("exported file");
    std::fs::write(&plain, strip_metadata(&bytes)).expect("write");
    assert!(run_error(&["import", &s(&plain), "--out", &s(&dir.join("x"))]).contains("activation"));
    run(&["import", &s(&plain), "--activation", "tanh", "--out", &s(&dir.join("x"))]);
}

/// The same SafeTensors file without its `__metadata__` (what `safetensors.torch.save_file` writes by default).
fn strip_metadata(bytes: &[u8]) -> Vec<u8> {
    let n = u64::from_le_bytes(bytes[..8].try_into().expect("8 bytes")) as usize;
    let mut header: BTreeMap<String, serde_json::Value> =
        serde_json::from_slice(&bytes[8..8 + n]).expect("json header");
    header.remove("__metadata__");
    let mut json = serde_json::to_vec(&header).expect("json");
    while !(8 + json.len()).is_multiple_of(8) {
        json.push(b' ');
    }
    let mut out = (json.len() as u64).to_le_bytes().to_vec();
    out.extend_from_slice(&json);
    out.extend_from_slice(&bytes[8 + n..]);
    out
}
