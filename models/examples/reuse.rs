//! How another Burn project uses zoo-models: build an MLP from a config, train it a few steps, save and load it.
//!
//! Run with `cargo run --release --example reuse` from the workspace root (shares the workspace's Burn build).

use burn::optim::momentum::MomentumConfig;
use burn::optim::{GradientsParams, SgdConfig};
use burn::prelude::*;
use burn::store::{BurnpackStore, ModuleSnapshot};
use zoo_models::{ActivationKind, InitScheme, MlpConfig, loss};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. Pick a device; autodiff is a property of the device in Burn 0.22.
    let device = Device::flex().autodiff();

    // 2. Describe the network as data and build it: the same seed gives the same weights on every backend.
    let config =
        MlpConfig::new(2, vec![16, 16], 2).with_activation(ActivationKind::Tanh).with_init(InitScheme::XavierNormal);
    let mut mlp = config.init_seeded(42, &device);

    // 3. XOR, the lesson's smallest non-linear problem.
    let x = Tensor::<2>::from_data(TensorData::new(vec![0.0f32, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0], [4, 2]), &device);
    let y = Tensor::<1, Int>::from_data(TensorData::new(vec![0i64, 1, 1, 0], [4]), &device);

    // 4. The lesson's cycle: forward, loss, backward, update (SGD with PyTorch's momentum semantics).
    let mut optimizer = SgdConfig::new().with_momentum(Some(MomentumConfig::new().with_dampening(0.0))).init();
    for step in 0..300 {
        let value = loss::cross_entropy(mlp.forward(x.clone()), y.clone());
        if step % 100 == 0 {
            println!("step {step:3}: loss {:.4}", value.clone().into_scalar::<f32>());
        }
        let grads = GradientsParams::from_grads(value.backward(), &mlp);
        mlp = optimizer.step(0.1, mlp, grads);
    }
    let predicted = loss::predict_class(mlp.forward(x.clone()));
    println!("predictions: {:?}", predicted.into_data().iter::<i64>().collect::<Vec<_>>());

    // 5. Save as burnpack, and load into a freshly built network of the same config.
    let path = std::env::temp_dir().join("zoo-reuse-xor.bpk");
    mlp.save_into(&mut BurnpackStore::from_file(&path).auto_extension(false).overwrite(true))?;
    let mut loaded = config.init_seeded(0, &device);
    loaded.load_from(&mut BurnpackStore::from_file(&path).auto_extension(false))?;
    let same = loaded.forward(x.clone()).into_data() == mlp.forward(x).into_data();
    println!("saved to {} and loaded back: identical outputs = {same}", path.display());
    Ok(())
}
