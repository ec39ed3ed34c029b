//! Export a zoo preset for PyTorch and write Burn's logits beside it, so PyTorch can check it computes the same.
//!
//! ```sh
//! cargo run --release -p zoo-presets --example pytorch_export -- mlp-2x128-relu-he.digits target/pytorch-check
//! python docs/check_pytorch.py target/pytorch-check      # needs torch and safetensors
//! ```
//!
//! Writes `model.safetensors` (PyTorch's `nn.Linear` layout), and `check.json` with the widths, the activation,
//! 16 standardised inputs and Burn's logits for them (flex, f32).

use std::path::PathBuf;

use burn::prelude::*;
use zoo_models::interop;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "mlp-2x64-relu-he.spirals".to_string());
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "target/pytorch-check".to_string()));
    let device = Device::flex();
    let preset = zoo_presets::find(&name)?;
    let model = preset.load(&device)?;

    // Deterministic inputs in roughly the standardised range, so no data set is needed.
    let n = 16;
    let x: Vec<f32> = (0..n * preset.d_input).map(|i| ((i * 7919 % 1000) as f32 / 500.0 - 1.0) * 1.5).collect();
    let logits = model.forward(Tensor::<2>::from_data(TensorData::new(x.clone(), [n, preset.d_input]), &device));
    let logits: Vec<f32> = logits.into_data().iter::<f32>().collect();

    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join("model.safetensors"), interop::to_safetensors(&model)?)?;
    let check = format!(
        "{{\"preset\": {name:?}, \"widths\": {:?}, \"activation\": {:?}, \"n\": {n}, \"x\": {x:?}, \"logits\": {logits:?}}}\n",
        model.widths(),
        model.activation.name()
    );
    std::fs::write(dir.join("check.json"), check)?;
    println!("wrote {0}/model.safetensors and {0}/check.json; now: python docs/check_pytorch.py {0}", dir.display());
    Ok(())
}
