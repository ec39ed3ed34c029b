//! Burn's data pipeline for [`Data`]: `Dataset` impls (one example per row) and batchers that stack
//! examples into tensors on the device the data loader asks for.

use burn::data::dataloader::batcher::Batcher;
use burn::data::dataset::{Dataset, DatasetError};
use burn::prelude::*;

use crate::{Data, DataError, Labels};

/// One classification example.
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    /// Features, `d_input` of them.
    pub x: Vec<f32>,
    /// Class id.
    pub y: u32,
}

/// One regression example.
#[derive(Clone, Debug, PartialEq)]
pub struct ValueExample {
    /// Features, `d_input` of them.
    pub x: Vec<f32>,
    /// Targets, `d_output` of them.
    pub y: Vec<f32>,
}

/// A batch of classification examples.
#[derive(Clone, Debug)]
pub struct Batch {
    /// Features, shape `[batch, d_input]`.
    pub inputs: Tensor<2>,
    /// Class ids, shape `[batch]`.
    pub targets: Tensor<1, Int>,
}

/// A batch of regression examples.
#[derive(Clone, Debug)]
pub struct ValueBatch {
    /// Features, shape `[batch, d_input]`.
    pub inputs: Tensor<2>,
    /// Targets, shape `[batch, d_output]`.
    pub targets: Tensor<2>,
}

/// Stacks [`Example`]s into a [`Batch`].
#[derive(Clone, Copy, Debug, Default)]
pub struct ExampleBatcher;

/// Stacks [`ValueExample`]s into a [`ValueBatch`].
#[derive(Clone, Copy, Debug, Default)]
pub struct ValueBatcher;

/// Row `index` as an [`Example`]; regression data gives a [`DataError::LabelKind`] error.
///
/// Panics if `index >= len()`, as the trait specifies.
impl Dataset<Example> for Data {
    fn get(&self, index: usize) -> Result<Example, DatasetError> {
        match &self.labels {
            Labels::Classes { y, .. } => Ok(Example { x: self.row(index).to_vec(), y: y[index] }),
            Labels::Values { .. } => Err(DatasetError::new(label_kind(self, "value", "class"))),
        }
    }

    fn len(&self) -> usize {
        Data::len(self)
    }
}

/// Row `index` as a [`ValueExample`]; classification data gives a [`DataError::LabelKind`] error.
///
/// Panics if `index >= len()`, as the trait specifies.
impl Dataset<ValueExample> for Data {
    fn get(&self, index: usize) -> Result<ValueExample, DatasetError> {
        match &self.labels {
            Labels::Values { y, d_output } => Ok(ValueExample {
                x: self.row(index).to_vec(),
                y: y[index * d_output..(index + 1) * d_output].to_vec(),
            }),
            Labels::Classes { .. } => Err(DatasetError::new(label_kind(self, "class", "value"))),
        }
    }

    fn len(&self) -> usize {
        Data::len(self)
    }
}

impl Batcher<Example, Batch> for ExampleBatcher {
    /// # Shapes
    /// - inputs: `[items.len(), d_input]`, targets: `[items.len()]`
    fn batch(&self, items: Vec<Example>, device: &Device) -> Batch {
        let d_input = items.first().map_or(0, |e| e.x.len());
        let n = items.len();
        let mut features = Vec::with_capacity(n * d_input);
        let mut ids = Vec::with_capacity(n);
        for item in items {
            features.extend(item.x);
            ids.push(i64::from(item.y));
        }
        Batch {
            inputs: Tensor::from_data(TensorData::new(features, [n, d_input]), device),
            targets: Tensor::from_data(TensorData::new(ids, [n]), device),
        }
    }
}

impl Batcher<ValueExample, ValueBatch> for ValueBatcher {
    /// # Shapes
    /// - inputs: `[items.len(), d_input]`, targets: `[items.len(), d_output]`
    fn batch(&self, items: Vec<ValueExample>, device: &Device) -> ValueBatch {
        let d_input = items.first().map_or(0, |e| e.x.len());
        let d_output = items.first().map_or(0, |e| e.y.len());
        let n = items.len();
        let (mut features, mut targets) = (Vec::with_capacity(n * d_input), Vec::with_capacity(n * d_output));
        for item in items {
            features.extend(item.x);
            targets.extend(item.y);
        }
        ValueBatch {
            inputs: Tensor::from_data(TensorData::new(features, [n, d_input]), device),
            targets: Tensor::from_data(TensorData::new(targets, [n, d_output]), device),
        }
    }
}

fn label_kind(data: &Data, found: &'static str, needed: &'static str) -> DataError {
    DataError::LabelKind { name: data.name.clone(), found, needed }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn dataset_and_batcher() {
        let data = crate::synthetic::xor();
        let items: Vec<Example> = Dataset::<Example>::iter(&data).collect::<Result<_, _>>().unwrap();
        assert_eq!(items[3], Example { x: vec![1.0, 1.0], y: 0 });
        assert!(Dataset::<ValueExample>::get(&data, 0).is_err());
        let device = Device::flex();
        let batch = ExampleBatcher.batch(items, &device);
        assert_eq!(batch.inputs.dims(), [4, 2]);
        assert_eq!(batch.targets.into_data().iter::<i64>().collect::<Vec<_>>(), vec![0, 1, 1, 0]);
    }

    #[test]
    fn value_dataset() {
        let data = crate::synthetic::sine(5, 0.0, 1).unwrap();
        let item = Dataset::<ValueExample>::get(&data, 2).unwrap();
        assert!((item.x[0].sin() - item.y[0]).abs() < 1e-5);
        let batch = ValueBatcher.batch(vec![item.clone(), item], &Device::flex());
        assert_eq!(batch.targets.dims(), [2, 1]);
    }
}
