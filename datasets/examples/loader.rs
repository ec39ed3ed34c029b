//! How another Burn project uses zoo-datasets: a data set by name, a seeded stratified split, standardisation
//! fitted on the training part, and Burn's `DataLoader` feeding a model — here a softmax regression on the
//! embedded 8x8 digits, trained for a few epochs.
//!
//! Run with `cargo run --release --example loader`.

use burn::data::dataloader::DataLoaderBuilder;
use burn::nn::loss::CrossEntropyLossConfig;
use burn::nn::{Linear, LinearConfig};
use burn::optim::{GradientsParams, SgdConfig};
use burn::prelude::*;
use zoo_datasets::{DataSource, ExampleBatcher};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let device = Device::flex().autodiff();

    // 1. Data: embedded, nothing downloaded; a seeded 75/25 split, stratified by class.
    let split = DataSource::parse("digits")?.load(0)?.into_split(0.25, 0)?;
    let (split, scaler) = split.standardized(); // fitted on the train part, applied to both
    let widest = scaler.std.iter().fold(0.0f32, |m, s| m.max(*s));
    println!(
        "digits: {} train / {} test, {} features (largest std before scaling: {widest:.2})",
        split.train.len(),
        split.test.len(),
        split.train.d_input
    );

    // 2. Burn's data loader: `Data` is a `Dataset<Example>`, `ExampleBatcher` stacks examples on the device.
    let loader = DataLoaderBuilder::new(ExampleBatcher)
        .batch_size(32)
        .shuffle(0)
        .set_device(device.clone())
        .build(split.train.clone());

    // 3. Any Burn model: here one linear layer (softmax regression).
    let mut model: Linear = LinearConfig::new(split.train.d_input, 10).init(&device);
    let mut optimizer = SgdConfig::new().init();
    let loss_fn = CrossEntropyLossConfig::new().init(&device);
    for epoch in 1..=5 {
        for batch in loader.iter() {
            let batch = batch?;
            let loss = loss_fn.forward(model.forward(batch.inputs), batch.targets);
            let grads = GradientsParams::from_grads(loss.backward(), &model);
            model = optimizer.step(0.1, model, grads);
        }
        // 4. Whole-split tensors for evaluation, on a plain (non-autodiff) device.
        let plain = device.clone().without_autodiff();
        let (x, y) = split.test.to_tensors(&plain);
        let zoo_datasets::Targets::Classes(y) = y else { unreachable!("digits has classes") };
        let correct = model.valid().forward(x).argmax(1).squeeze_dim::<1>(1).equal(y).int().sum().into_scalar::<i64>();
        println!("epoch {epoch}: test accuracy {:.1} %", 100.0 * correct as f64 / split.test.len() as f64);
    }
    Ok(())
}
