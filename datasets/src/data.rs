//! The in-memory data set ([`Data`]), its labels, and its conversion to Burn tensors.

use burn::prelude::*;

/// A labelled data set in memory: `len()` rows of `d_input` features, row-major `f32`.
///
/// Invariants (kept by every constructor in this crate): `features.len() == len() * d_input`, and the labels
/// hold `len()` class ids or `len() * d_output` values.
#[derive(Clone, Debug)]
pub struct Data {
    /// Kebab-case name of the data set (`"iris"`, `"circles"`, a CSV file's stem).
    pub name: String,
    /// Features, row-major: row `i` is `features[i * d_input..(i + 1) * d_input]`.
    pub features: Vec<f32>,
    /// Features per example.
    pub d_input: usize,
    /// One label per example.
    pub labels: Labels,
}

/// The labels of a [`Data`] set: class ids for classification, real values for regression.
#[derive(Clone, Debug, PartialEq)]
pub enum Labels {
    /// Classification: `y[i]` in `0..n_classes`.
    Classes {
        /// Class id per example.
        y: Vec<u32>,
        /// Number of classes (some may have no example).
        n_classes: usize,
        /// Human-readable class names, `n_classes` of them.
        names: Vec<String>,
    },
    /// Regression: `d_output` targets per example, row-major.
    Values {
        /// Targets, row-major `[len, d_output]`.
        y: Vec<f32>,
        /// Targets per example.
        d_output: usize,
    },
}

/// Targets of a whole data set, on a device, ready for a loss function.
#[derive(Clone, Debug)]
pub enum Targets {
    /// Class ids, shape `[len]`, for cross-entropy.
    Classes(Tensor<1, Int>),
    /// Values, shape `[len, d_output]`, for mean squared error.
    Values(Tensor<2>),
}

impl Data {
    /// Number of examples.
    ///
    /// ```
    /// assert_eq!(zoo_datasets::synthetic::xor().len(), 4);
    /// ```
    pub fn len(&self) -> usize {
        self.features.len().checked_div(self.d_input).unwrap_or_else(|| self.labels.len())
    }

    /// Whether there are no examples.
    ///
    /// ```
    /// assert!(!zoo_datasets::synthetic::xor().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The features of example `i`.
    ///
    /// # Panics
    ///
    /// If `i >= self.len()`, like slice indexing.
    ///
    /// ```
    /// assert_eq!(zoo_datasets::synthetic::xor().row(2), [1.0, 0.0]);
    /// ```
    pub fn row(&self, i: usize) -> &[f32] {
        &self.features[i * self.d_input..(i + 1) * self.d_input]
    }

    /// Targets per example: the number of classes, or `d_output` for regression.
    ///
    /// ```
    /// assert_eq!(zoo_datasets::synthetic::xor().d_output(), 2); // two classes
    /// assert_eq!(zoo_datasets::synthetic::plane(10, 0.1, 0)?.d_output(), 1); // one target
    /// # Ok::<(), zoo_datasets::DataError>(())
    /// ```
    pub fn d_output(&self) -> usize {
        match &self.labels {
            Labels::Classes { n_classes, .. } => *n_classes,
            Labels::Values { d_output, .. } => *d_output,
        }
    }

    /// The examples at `idx`, in that order (repeats allowed), with the same name and classes.
    ///
    /// # Panics
    ///
    /// If an index is out of range.
    ///
    /// ```
    /// let xor = zoo_datasets::synthetic::xor();
    /// let ones = xor.subset(&[1, 2]);
    /// assert_eq!((ones.len(), ones.class_counts()), (2, Some(vec![0, 2])));
    /// ```
    pub fn subset(&self, idx: &[usize]) -> Data {
        let mut features = Vec::with_capacity(idx.len() * self.d_input);
        for &i in idx {
            features.extend_from_slice(self.row(i));
        }
        let labels = match &self.labels {
            Labels::Classes { y, n_classes, names } => {
                Labels::Classes { y: idx.iter().map(|&i| y[i]).collect(), n_classes: *n_classes, names: names.clone() }
            }
            Labels::Values { y, d_output } => {
                let mut values = Vec::with_capacity(idx.len() * d_output);
                for &i in idx {
                    values.extend_from_slice(&y[i * d_output..(i + 1) * d_output]);
                }
                Labels::Values { y: values, d_output: *d_output }
            }
        };
        Data { name: self.name.clone(), features, d_input: self.d_input, labels }
    }

    /// Examples per class (`n_classes` entries), or `None` for regression data.
    ///
    /// ```
    /// assert_eq!(zoo_datasets::synthetic::xor().class_counts(), Some(vec![2, 2]));
    /// assert_eq!(zoo_datasets::synthetic::sine(10, 0.1, 0)?.class_counts(), None);
    /// # Ok::<(), zoo_datasets::DataError>(())
    /// ```
    pub fn class_counts(&self) -> Option<Vec<usize>> {
        match &self.labels {
            Labels::Classes { y, n_classes, .. } => Some(class_counts(y, *n_classes)),
            Labels::Values { .. } => None,
        }
    }

    /// The whole set as tensors on `device`: inputs `[len, d_input]` and the matching [`Targets`].
    ///
    /// ```
    /// use burn::prelude::*;
    /// use zoo_datasets::Targets;
    ///
    /// let (x, y) = zoo_datasets::synthetic::xor().to_tensors(&Device::flex());
    /// assert_eq!(x.dims(), [4, 2]);
    /// let Targets::Classes(y) = y else { panic!("xor has classes") };
    /// assert_eq!(y.into_data().iter::<i64>().collect::<Vec<_>>(), [0, 1, 1, 0]);
    /// ```
    pub fn to_tensors(&self, device: &Device) -> (Tensor<2>, Targets) {
        let n = self.len();
        let inputs = Tensor::<2>::from_data(TensorData::new(self.features.clone(), [n, self.d_input]), device);
        let targets = match &self.labels {
            Labels::Classes { y, .. } => {
                let ids: Vec<i64> = y.iter().map(|&c| i64::from(c)).collect();
                Targets::Classes(Tensor::<1, Int>::from_data(TensorData::new(ids, [n]), device))
            }
            Labels::Values { y, d_output } => {
                Targets::Values(Tensor::<2>::from_data(TensorData::new(y.clone(), [n, *d_output]), device))
            }
        };
        (inputs, targets)
    }
}

impl Labels {
    /// Number of examples labelled.
    ///
    /// ```
    /// assert_eq!(zoo_datasets::Labels::numbered(vec![0, 1, 1], 2).len(), 3);
    /// ```
    pub fn len(&self) -> usize {
        match self {
            Labels::Classes { y, .. } => y.len(),
            Labels::Values { y, d_output } => y.len().checked_div(*d_output).unwrap_or(0),
        }
    }

    /// Whether no example is labelled.
    ///
    /// ```
    /// assert!(zoo_datasets::Labels::numbered(vec![], 2).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Classification labels with names `"0"`, `"1"`, ….
    ///
    /// ```
    /// use zoo_datasets::Labels;
    ///
    /// let Labels::Classes { names, .. } = Labels::numbered(vec![0, 2], 3) else { unreachable!() };
    /// assert_eq!(names, ["0", "1", "2"]);
    /// ```
    pub fn numbered(y: Vec<u32>, n_classes: usize) -> Labels {
        Labels::Classes { y, n_classes, names: (0..n_classes).map(|c| c.to_string()).collect() }
    }
}

/// Examples per class id; ids `>= n_classes` are ignored.
pub(crate) fn class_counts(y: &[u32], n_classes: usize) -> Vec<usize> {
    let mut counts = vec![0; n_classes];
    for &c in y {
        if let Some(count) = counts.get_mut(c as usize) {
            *count += 1;
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> Data {
        Data {
            name: "tiny".into(),
            features: vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0],
            d_input: 2,
            labels: Labels::numbered(vec![0, 1, 1], 3),
        }
    }

    #[test]
    fn rows_subset_and_counts() {
        let data = tiny();
        assert_eq!(data.len(), 3);
        assert_eq!(data.row(1), &[2.0, 3.0]);
        assert_eq!(data.d_output(), 3);
        assert_eq!(data.class_counts(), Some(vec![1, 2, 0]));
        let sub = data.subset(&[2, 0]);
        assert_eq!(sub.features, vec![4.0, 5.0, 0.0, 1.0]);
        assert_eq!(sub.labels, Labels::numbered(vec![1, 0], 3));
    }

    #[test]
    fn value_subset() {
        let data = Data {
            name: "v".into(),
            features: vec![1.0, 2.0, 3.0],
            d_input: 1,
            labels: Labels::Values { y: vec![10.0, 11.0, 20.0, 21.0, 30.0, 31.0], d_output: 2 },
        };
        assert_eq!(data.class_counts(), None);
        let sub = data.subset(&[2, 1]);
        assert_eq!(sub.labels, Labels::Values { y: vec![30.0, 31.0, 20.0, 21.0], d_output: 2 });
    }
}
