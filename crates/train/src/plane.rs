//! A 2-D classifier's view of the plane: the padded range of its training inputs and its predicted class over a
//! grid of that range (decision-boundary pictures).

use burn::prelude::*;
use serde::{Deserialize, Serialize};
use zoo_datasets::Data;
use zoo_models::{Mlp, loss};

/// Predicted classes over an `n × n` grid of the plane.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassGrid {
    /// x range (first input).
    pub x: (f64, f64),
    /// y range (second input).
    pub y: (f64, f64),
    /// Cells per side.
    pub n: usize,
    /// Predicted class of every cell centre, row-major from (x.0, y.0).
    pub cells: Vec<u32>,
}

/// The ranges of the two inputs of `data`, padded by 10 % (one of 1e-6 when constant).
pub fn plane_of(data: &Data) -> ((f64, f64), (f64, f64)) {
    let range = |k: usize| {
        let values = || (0..data.len()).map(|i| f64::from(data.row(i)[k]));
        let (lo, hi) = (values().fold(f64::INFINITY, f64::min), values().fold(f64::NEG_INFINITY, f64::max));
        let pad = 0.1 * (hi - lo).max(1e-6);
        (lo - pad, hi + pad)
    };
    (range(0), range(1))
}

/// `model`'s predicted class at the centre of every cell of an `n × n` grid over `(x, y)`; evaluated in chunks, so
/// a very wide network's activations over the grid never have to fit in memory at once.
pub fn class_grid(model: &Mlp, (x, y): ((f64, f64), (f64, f64)), n: usize, device: &Device) -> ClassGrid {
    let grid: Vec<f32> = (0..n * n)
        .flat_map(|i| {
            let (row, col) = ((i / n) as f64 + 0.5, (i % n) as f64 + 0.5);
            [(x.0 + col * (x.1 - x.0) / n as f64) as f32, (y.0 + row * (y.1 - y.0) / n as f64) as f32]
        })
        .collect();
    let cells = grid
        .chunks(2 * crate::rows_per_chunk(model))
        .flat_map(|chunk| {
            let inputs = Tensor::<2>::from_data(TensorData::new(chunk.to_vec(), [chunk.len() / 2, 2]), device);
            let classes = loss::predict_class(model.forward(inputs)).into_data();
            classes.iter::<i64>().map(|c| c as u32).collect::<Vec<u32>>()
        })
        .collect();
    ClassGrid { x, y, n, cells }
}
