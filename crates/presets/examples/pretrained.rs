//! How another Burn project uses a trained network from the zoo: find a preset, load its embedded weights,
//! standardise inputs as in training, and classify — here a grid over the plane, printed as the decision
//! regions of the two-spirals preset.
//!
//! Run with `cargo run --release -p zoo-presets --example pretrained` (optionally with a preset name on 2-D data).

use burn::prelude::*;
use zoo_models::loss;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let name = std::env::args().nth(1).unwrap_or_else(|| "mlp-2x64-relu-he.spirals".to_string());
    let device = Device::flex();
    let preset = zoo_presets::find(&name)?;
    let metrics = preset.metrics()?;
    println!(
        "{name}: {} on {}, test accuracy {:.2} % ({})",
        preset.config().name(),
        preset.dataset,
        100.0 * metrics.test_accuracy,
        preset.teaches
    );
    if preset.d_input != 2 {
        return Err(format!("{name} takes {} inputs; this example draws 2-D presets", preset.d_input).into());
    }
    let model = preset.load(&device)?;

    // A 60x24 grid over the raw (unstandardised) coordinates the data set lives in.
    let scaling = metrics.input_scaling.as_ref().ok_or("this preset was trained on raw inputs")?;
    let (columns, rows) = (60usize, 24usize);
    let span = |axis: usize, t: f32| scaling.mean[axis] + (2.0 * t - 1.0) * 2.5 * scaling.std[axis];
    let points: Vec<f32> = (0..rows)
        .flat_map(|r| {
            (0..columns).flat_map(move |c| {
                [span(0, c as f32 / (columns - 1) as f32), span(1, 1.0 - r as f32 / (rows - 1) as f32)]
            })
        })
        .collect();
    let x = Tensor::<2>::from_data(TensorData::new(points, [rows * columns, 2]), &device);
    let classes: Vec<i64> =
        loss::predict_class(model.forward(scaling.apply_tensor(x))).into_data().iter::<i64>().collect();
    for row in classes.chunks(columns) {
        println!("{}", row.iter().map(|c| if *c == 0 { '.' } else { '#' }).collect::<String>());
    }
    Ok(())
}
