//! Seeded train/test splits (stratified per class) and feature standardisation fitted on the train part.

use rand::{SeedableRng, rngs::StdRng, seq::SliceRandom};

use crate::{Data, DataError, Labels};

/// A train/test pair of the same data set.
#[derive(Clone, Debug)]
pub struct Split {
    /// The part to fit on.
    pub train: Data,
    /// The held-out part to evaluate on.
    pub test: Data,
}

/// Per-feature affine scaling `(x - mean) / std`, fitted on training data.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct Standardizer {
    /// Mean of each feature.
    pub mean: Vec<f32>,
    /// Population standard deviation of each feature (1 where the feature is constant).
    pub std: Vec<f32>,
}

/// Splits `data` into train and test parts, deterministically for a `seed`.
///
/// Classification data is split per class: each class sends `round(count * test_fraction)` examples to the
/// test part but always keeps at least one in train, so class proportions hold to within one example.
/// Regression data is shuffled and cut. Both parts come out shuffled.
///
/// # Errors
///
/// [`DataError::Split`] when `test_fraction` is not in (0, 1), the data is empty, or the test part would be
/// empty.
///
/// ```
/// use zoo_datasets::{split_stratified, synthetic};
///
/// let data = synthetic::circles(400, 0.05, 0.5, 0)?;
/// let split = split_stratified(&data, 0.25, 0)?;
/// assert_eq!((split.train.len(), split.test.len()), (300, 100));
/// assert_eq!(split.test.class_counts(), Some(vec![50, 50])); // stratified
/// # Ok::<(), zoo_datasets::DataError>(())
/// ```
pub fn split_stratified(data: &Data, test_fraction: f64, seed: u64) -> Result<Split, DataError> {
    let fail = |message: String| DataError::Split { name: data.name.clone(), message };
    if !(test_fraction > 0.0 && test_fraction < 1.0) {
        return Err(fail(format!("test fraction {test_fraction} is not between 0 and 1 (exclusive)")));
    }
    if data.len() < 2 {
        return Err(fail(format!("{} examples; a split needs at least 2", data.len())));
    }
    let mut rng = StdRng::seed_from_u64(seed);
    let (mut train, mut test) = (Vec::new(), Vec::new());
    match &data.labels {
        Labels::Classes { y, n_classes, .. } => {
            let mut by_class = vec![Vec::new(); *n_classes];
            for (i, &c) in y.iter().enumerate() {
                if let Some(members) = by_class.get_mut(c as usize) {
                    members.push(i);
                }
            }
            for mut members in by_class {
                members.shuffle(&mut rng);
                let n_test = test_count(members.len(), test_fraction);
                test.extend_from_slice(&members[..n_test]);
                train.extend_from_slice(&members[n_test..]);
            }
        }
        Labels::Values { .. } => {
            let mut all: Vec<usize> = (0..data.len()).collect();
            all.shuffle(&mut rng);
            let n_test = test_count(all.len(), test_fraction);
            test.extend_from_slice(&all[..n_test]);
            train.extend_from_slice(&all[n_test..]);
        }
    }
    if test.is_empty() {
        return Err(fail(format!(
            "a test fraction of {test_fraction} leaves no test example; use a larger fraction or more data"
        )));
    }
    train.shuffle(&mut rng);
    test.shuffle(&mut rng);
    Ok(Split { train: data.subset(&train), test: data.subset(&test) })
}

/// Examples of a group of `n` that go to the test part: rounded, leaving at least one for training.
fn test_count(n: usize, test_fraction: f64) -> usize {
    let wanted = (n as f64 * test_fraction).round() as usize;
    wanted.min(n.saturating_sub(1))
}

impl Split {
    /// Standardises both parts with a [`Standardizer`] fitted on the train part only.
    ///
    /// ```
    /// use zoo_datasets::DataSource;
    ///
    /// let split = DataSource::parse("wine")?.load(0)?.into_split(0.25, 0)?;
    /// let (split, scaler) = split.standardized();
    /// assert_eq!(scaler.mean.len(), 13);
    /// let first: f32 = (0..split.train.len()).map(|i| split.train.row(i)[0]).sum::<f32>() / split.train.len() as f32;
    /// assert!(first.abs() < 1e-4); // the training part now has mean 0
    /// # Ok::<(), zoo_datasets::DataError>(())
    /// ```
    pub fn standardized(mut self) -> (Split, Standardizer) {
        let scaler = Standardizer::fit(&self.train);
        scaler.apply(&mut self.train);
        scaler.apply(&mut self.test);
        (self, scaler)
    }
}

impl Standardizer {
    /// Fits per-feature mean and population standard deviation; a constant feature gets std 1.
    ///
    /// ```
    /// use zoo_datasets::{Standardizer, synthetic};
    ///
    /// let scaler = Standardizer::fit(&synthetic::xor());
    /// assert_eq!((scaler.mean, scaler.std), (vec![0.5, 0.5], vec![0.5, 0.5]));
    /// ```
    pub fn fit(train: &Data) -> Standardizer {
        let (n, d) = (train.len(), train.d_input);
        let mut sum = vec![0.0f64; d];
        for row in train.features.chunks_exact(d.max(1)) {
            for (s, &x) in sum.iter_mut().zip(row) {
                *s += f64::from(x);
            }
        }
        let count = n.max(1) as f64;
        let mean: Vec<f64> = sum.iter().map(|s| s / count).collect();
        let mut square = vec![0.0f64; d];
        for row in train.features.chunks_exact(d.max(1)) {
            for ((s, &x), m) in square.iter_mut().zip(row).zip(&mean) {
                *s += (f64::from(x) - m).powi(2);
            }
        }
        let std = square
            .iter()
            .map(|s| {
                let std = (s / count).sqrt() as f32;
                if std > 0.0 && std.is_finite() { std } else { 1.0 }
            })
            .collect();
        Standardizer { mean: mean.iter().map(|&m| m as f32).collect(), std }
    }

    /// Scales `data`'s features in place.
    ///
    /// # Panics
    ///
    /// If `data.d_input` differs from the number of features fitted; use [`Standardizer::try_apply`] where
    /// the standardiser comes from a file.
    ///
    /// ```
    /// use zoo_datasets::{Standardizer, synthetic};
    ///
    /// let mut xor = synthetic::xor();
    /// Standardizer::fit(&xor).apply(&mut xor);
    /// assert_eq!(xor.row(0), [-1.0, -1.0]);
    /// ```
    pub fn apply(&self, data: &mut Data) {
        if let Err(err) = self.try_apply(data) {
            panic!("{err}");
        }
    }

    /// Scales `data`'s features in place, or fails if the feature counts differ.
    ///
    /// # Errors
    ///
    /// [`DataError::FeatureCount`] when `data.d_input` is not the number of features fitted.
    ///
    /// ```
    /// use zoo_datasets::{Standardizer, synthetic};
    ///
    /// let scaler = Standardizer { mean: vec![0.0], std: vec![1.0] }; // fitted on one feature
    /// assert!(scaler.try_apply(&mut synthetic::xor()).is_err()); // xor has two
    /// ```
    pub fn try_apply(&self, data: &mut Data) -> Result<(), DataError> {
        if data.d_input != self.mean.len() || data.d_input != self.std.len() {
            return Err(DataError::FeatureCount {
                name: data.name.clone(),
                found: data.d_input,
                expected: self.mean.len(),
            });
        }
        for row in data.features.chunks_exact_mut(data.d_input.max(1)) {
            for ((x, &m), &s) in row.iter_mut().zip(&self.mean).zip(&self.std) {
                *x = ((f64::from(*x) - f64::from(m)) / f64::from(s)) as f32;
            }
        }
        Ok(())
    }

    /// `(x − mean) / std` on a batch tensor, row by row: the same scaling for inputs that are already on a device
    /// (f32 arithmetic there, where [`Standardizer::try_apply`] computes in f64 on the host).
    ///
    /// # Shapes
    /// - x: `[batch, d_input]`
    /// - output: `[batch, d_input]`
    ///
    /// ```
    /// use burn::prelude::*;
    /// use zoo_datasets::Standardizer;
    ///
    /// let scaler = Standardizer { mean: vec![1.0, 2.0], std: vec![2.0, 4.0] };
    /// let x = Tensor::<2>::from_data(TensorData::new(vec![3.0f32, 2.0], [1, 2]), &Device::flex());
    /// let values: Vec<f32> = scaler.apply_tensor(x).into_data().iter::<f32>().collect();
    /// assert_eq!(values, [1.0, 0.0]);
    /// ```
    pub fn apply_tensor(&self, x: burn::tensor::Tensor<2>) -> burn::tensor::Tensor<2> {
        use burn::tensor::{Tensor, TensorData};
        let device = x.device();
        let row = |values: &[f32]| Tensor::<1>::from_data(TensorData::new(values.to_vec(), [values.len()]), &device);
        x.sub(row(&self.mean).unsqueeze::<2>()).div(row(&self.std).unsqueeze::<2>())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn classes(counts: &[usize]) -> Data {
        let y: Vec<u32> = counts.iter().enumerate().flat_map(|(c, &k)| std::iter::repeat_n(c as u32, k)).collect();
        let features = (0..y.len()).map(|i| i as f32).collect();
        Data { name: "t".into(), features, d_input: 1, labels: Labels::numbered(y, counts.len()) }
    }

    #[test]
    fn stratified_counts() {
        // (class sizes, fraction, expected test counts per class)
        let cases: &[(&[usize], f64, &[usize])] = &[
            (&[50, 50, 50], 0.2, &[10, 10, 10]),
            (&[2, 2], 0.25, &[1, 1]),
            (&[1, 9], 0.5, &[0, 5]),
            (&[3, 7], 0.9, &[2, 6]),
        ];
        for &(sizes, fraction, expected) in cases {
            let split = split_stratified(&classes(sizes), fraction, 7).unwrap();
            assert_eq!(split.test.class_counts().unwrap(), expected, "{sizes:?} {fraction}");
            let total: Vec<usize> = sizes.to_vec();
            let train = split.train.class_counts().unwrap();
            let sum: Vec<usize> = train.iter().zip(expected).map(|(a, b)| a + b).collect();
            assert_eq!(sum, total);
        }
    }

    #[test]
    fn split_is_a_partition_and_seeded() {
        let data = classes(&[30, 20]);
        let a = split_stratified(&data, 0.3, 1).unwrap();
        let b = split_stratified(&data, 0.3, 1).unwrap();
        let c = split_stratified(&data, 0.3, 2).unwrap();
        assert_eq!(a.test.features, b.test.features);
        assert_ne!(a.test.features, c.test.features);
        let mut all: Vec<f32> = a.train.features.iter().chain(&a.test.features).copied().collect();
        all.sort_by(f32::total_cmp);
        assert_eq!(all, data.features);
    }

    #[test]
    fn bad_splits() {
        for fraction in [0.0, 1.0, -0.5, f64::NAN] {
            assert!(split_stratified(&classes(&[5, 5]), fraction, 0).is_err(), "{fraction}");
        }
        assert!(split_stratified(&classes(&[1]), 0.5, 0).is_err());
        assert!(split_stratified(&classes(&[1, 1]), 0.5, 0).is_err());
    }

    #[test]
    fn standardizer_math() {
        let data = Data {
            name: "s".into(),
            features: vec![1.0, 5.0, 3.0, 5.0],
            d_input: 2,
            labels: Labels::numbered(vec![0, 1], 2),
        };
        let scaler = Standardizer::fit(&data);
        assert_eq!(scaler, Standardizer { mean: vec![2.0, 5.0], std: vec![1.0, 1.0] });
        let mut scaled = data.clone();
        scaler.apply(&mut scaled);
        assert_eq!(scaled.features, vec![-1.0, 0.0, 1.0, 0.0]);
        let mut wrong = Data { d_input: 1, features: vec![1.0, 2.0], ..data };
        assert!(scaler.try_apply(&mut wrong).is_err());
    }
}
