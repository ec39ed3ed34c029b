//! The pictures of a run directory: loss and accuracy curves, per-layer gradient norms, the decision boundary.

use std::path::Path;

use anyhow::Result;
use burn::prelude::Device;
use zoo_datasets::{Data, Labels};
use zoo_models::Mlp;
use zoo_report::{Boundary, Series, decision_boundary, line_chart};
use zoo_train::{RunRecord, class_grid, plane_of, write_atomic};

/// Writes `loss.svg`, `accuracy.svg`, `gradients.svg` and (for 2-D classification) `boundary.svg` into `dir`;
/// returns the names written.
pub fn draw(dir: &Path, record: &RunRecord, model: &Mlp, train: &Data, device: &Device) -> Result<Vec<String>> {
    let mut written = Vec::new();
    let mut save = |name: &str, svg: String| -> Result<()> {
        write_atomic(&dir.join(name), svg.as_bytes())?;
        written.push(name.to_string());
        Ok(())
    };
    let curve = |name: &str, f: &dyn Fn(&zoo_train::EpochMetrics) -> Option<f64>| Series {
        name: name.to_string(),
        points: record.epochs.iter().filter_map(|e| f(e).map(|v| (e.epoch as f64, v))).collect(),
    };
    let losses = [curve("train", &|e| Some(e.train_loss)), curve("test", &|e| Some(e.test_loss))];
    save(
        "loss.svg",
        line_chart(&format!("{} on {}: loss", record.model_name, record.dataset), "epoch", "loss", &losses, true)?,
    )?;
    let accuracy = [curve("train", &|e| e.train_acc), curve("test", &|e| e.test_acc)];
    if accuracy.iter().any(|s| !s.points.is_empty()) {
        save("accuracy.svg", line_chart("accuracy", "epoch", "accuracy", &accuracy, false)?)?;
    }
    let layers = record.epochs.iter().filter_map(|e| e.probes.as_ref().map(Vec::len)).max().unwrap_or(0);
    let gradients: Vec<Series> = (0..layers)
        .map(|l| {
            curve(&format!("layer {}", l + 1), &|e| {
                e.probes.as_ref().and_then(|p| p.get(l)).map(|p| p.weight_grad_norm)
            })
        })
        .collect();
    if gradients.iter().any(|s| s.points.iter().any(|p| p.1 > 0.0)) {
        save("gradients.svg", line_chart("‖∂L/∂W‖ per layer", "epoch", "gradient norm", &gradients, true)?)?;
    }
    if let (2, Labels::Classes { y, .. }) = (train.d_input, &train.labels) {
        save("boundary.svg", decision_boundary(&boundary(record, model, train, y, device))?)?;
    }
    Ok(written)
}

fn boundary(record: &RunRecord, model: &Mlp, train: &Data, y: &[u32], device: &Device) -> Boundary {
    let points = (0..train.len()).map(|i| (f64::from(train.row(i)[0]), f64::from(train.row(i)[1]), y[i])).collect();
    let grid = class_grid(model, plane_of(train), 120, device);
    Boundary {
        title: format!("{} on {}: decision boundary", record.model_name, record.dataset),
        x: grid.x,
        y: grid.y,
        resolution: grid.n,
        cells: grid.cells,
        points,
    }
}
