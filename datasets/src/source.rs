//! [`DataSource`]: which data a run uses, as a Burn `Config`, so that a run's saved config fully describes
//! its data; parsing of the short names users type, and loading.

use std::path::Path;

use burn::prelude::*;

use crate::{Data, DataError, Labels, Split, bundled, csv, idx, split_stratified, synthetic};

/// Every name [`DataSource::parse`] accepts, in the order they are documented.
pub const NAMES: &[&str] = &[
    "xor",
    "noisy-xor",
    "circles",
    "moons",
    "spirals",
    "two-spirals",
    "gaussians",
    "threshold-1d",
    "sine",
    "plane",
    "iris",
    "wine",
    "breast-cancer",
    "digits",
    "fashion-mnist",
    "mnist",
];

/// Fashion-MNIST's class names, in label order.
pub const FASHION_MNIST_CLASSES: [&str; 10] =
    ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

/// Where a run's data comes from. Synthetic sources are generated from the seed given to
/// [`DataSource::load`]; see the functions of [`crate::synthetic`] for their exact definitions.
#[derive(Config, Debug, PartialEq)]
pub enum DataSource {
    /// The 4 points of `{0,1}²`, `y = x1 xor x2` ([`synthetic::xor`]).
    Xor,
    /// Points around the 4 corners of `{0,1}²` with Gaussian noise, labelled xor ([`synthetic::noisy_xor`]).
    NoisyXor {
        /// Number of examples.
        n: usize,
        /// Standard deviation of the noise on each coordinate.
        noise: f64,
    },
    /// scikit-learn's `make_circles` ([`synthetic::circles`]).
    Circles {
        /// Number of examples.
        n: usize,
        /// Standard deviation of the noise on each coordinate.
        noise: f64,
        /// Inner radius over outer radius, in `[0, 1)`.
        factor: f64,
    },
    /// scikit-learn's `make_moons` ([`synthetic::moons`]).
    Moons {
        /// Number of examples.
        n: usize,
        /// Standard deviation of the noise on each coordinate.
        noise: f64,
    },
    /// Interleaved spiral arms, one class per arm ([`synthetic::spirals`]).
    Spirals {
        /// Number of examples.
        n: usize,
        /// Number of arms (classes).
        arms: usize,
        /// Standard deviation of the noise on the angle.
        noise: f64,
    },
    /// The classic two-spirals: arm 1 is arm 0 rotated by π, radius 0.2 → 1 ([`synthetic::two_spirals`]).
    TwoSpirals {
        /// Number of examples (half per arm).
        n: usize,
        /// Turns of each arm around the origin, in `(0, 100]`.
        turns: f64,
        /// Standard deviation of the noise on each coordinate.
        noise: f64,
    },
    /// Gaussian blobs with centres on a circle of radius 3 ([`synthetic::gaussians`]).
    Gaussians {
        /// Number of examples.
        n: usize,
        /// Number of blobs (classes).
        k: usize,
        /// Standard deviation of each blob.
        std: f64,
    },
    /// `x ~ U[0, 4]`, `y = [x > 2]` ([`synthetic::threshold_1d`]).
    Threshold1d {
        /// Number of examples.
        n: usize,
    },
    /// Regression `y = sin x + noise`, `x ~ U[-π, π]` ([`synthetic::sine`]).
    Sine {
        /// Number of examples.
        n: usize,
        /// Standard deviation of the noise on `y`.
        noise: f64,
    },
    /// Regression `y = 2 x1 − 3 x2 + 1 + noise` on `U[-1, 1]²` ([`synthetic::plane`]).
    Plane {
        /// Number of examples.
        n: usize,
        /// Standard deviation of the noise on `y`.
        noise: f64,
    },
    /// Embedded iris (150 × 4, 3 classes).
    Iris,
    /// Embedded wine (178 × 13, 3 classes).
    Wine,
    /// Embedded breast cancer Wisconsin (569 × 30, 2 classes).
    BreastCancer,
    /// Embedded optical digits 8×8 (1797 × 64, 10 classes).
    Digits,
    /// A CSV file of numeric features and integer class ids ([`csv::load_csv`]).
    Csv {
        /// The file (gzip if it ends in `.gz`).
        path: String,
        /// 0-based column of the label; `None` means the last column.
        label_column: Option<usize>,
        /// Whether the first line is a header to skip.
        header: bool,
    },
    /// A directory with the four IDX files of an MNIST-format set ([`idx::load_idx_dir`]).
    Idx {
        /// The directory.
        dir: String,
    },
    /// Fashion-MNIST from the Debian package `dataset-fashion-mnist`, or from a directory.
    FashionMnist {
        /// The directory; `None` means [`idx::FASHION_MNIST_DIR`].
        dir: Option<String>,
    },
}

/// Data as loaded: whole (to be split by the caller) or with the source's own train/test split.
#[derive(Clone, Debug)]
pub enum Loaded {
    /// One set; split it with [`split_stratified`] or [`Loaded::into_split`].
    Whole(Data),
    /// A set that comes with its own split (the IDX sets: 60000 train, 10000 test for MNIST).
    PreSplit(Split),
}

impl Loaded {
    /// The train/test split: the source's own, or a stratified one of the whole set.
    ///
    /// # Errors
    ///
    /// [`DataError::Split`] when a whole set cannot be split with `test_fraction`.
    ///
    /// ```
    /// use zoo_datasets::DataSource;
    ///
    /// let split = DataSource::parse("iris")?.load(0)?.into_split(0.2, 0)?;
    /// assert_eq!((split.train.len(), split.test.len()), (120, 30));
    /// # Ok::<(), zoo_datasets::DataError>(())
    /// ```
    pub fn into_split(self, test_fraction: f64, seed: u64) -> Result<Split, DataError> {
        match self {
            Loaded::Whole(data) => split_stratified(&data, test_fraction, seed),
            Loaded::PreSplit(split) => Ok(split),
        }
    }
}

impl DataSource {
    /// The source with default parameters for a name of [`NAMES`] (`_` may stand for `-`, case ignored).
    ///
    /// Defaults: noisy-xor 400 points, noise 0.15; circles 400, noise 0.05, factor 0.5; moons 400, noise 0.1;
    /// spirals 600, 2 arms, noise 0.2; two-spirals 600, 2 turns, noise 0.02; gaussians 400, 3 blobs, std 1; threshold-1d 200; sine and plane 200,
    /// noise 0.1; mnist reads [`idx::MNIST_DIR`].
    ///
    /// # Errors
    ///
    /// [`DataError::UnknownName`], listing the valid names.
    ///
    /// ```
    /// use zoo_datasets::DataSource;
    ///
    /// assert_eq!(DataSource::parse("moons")?, DataSource::Moons { n: 400, noise: 0.1 });
    /// assert!(DataSource::parse("cifar").is_err());
    /// # Ok::<(), zoo_datasets::DataError>(())
    /// ```
    pub fn parse(name: &str) -> Result<DataSource, DataError> {
        let key = name.trim().to_ascii_lowercase().replace('_', "-");
        Ok(match key.as_str() {
            "xor" => DataSource::Xor,
            "noisy-xor" => DataSource::NoisyXor { n: 400, noise: 0.15 },
            "circles" => DataSource::Circles { n: 400, noise: 0.05, factor: 0.5 },
            "moons" => DataSource::Moons { n: 400, noise: 0.1 },
            "spirals" => DataSource::Spirals { n: 600, arms: 2, noise: 0.2 },
            "two-spirals" => DataSource::TwoSpirals { n: 600, turns: 2.0, noise: 0.02 },
            "gaussians" => DataSource::Gaussians { n: 400, k: 3, std: 1.0 },
            "threshold-1d" => DataSource::Threshold1d { n: 200 },
            "sine" => DataSource::Sine { n: 200, noise: 0.1 },
            "plane" => DataSource::Plane { n: 200, noise: 0.1 },
            "iris" => DataSource::Iris,
            "wine" => DataSource::Wine,
            "breast-cancer" => DataSource::BreastCancer,
            "digits" => DataSource::Digits,
            "fashion-mnist" => DataSource::FashionMnist { dir: None },
            "mnist" => DataSource::Idx { dir: idx::MNIST_DIR.into() },
            _ => {
                return Err(DataError::UnknownName { name: name.into(), valid: NAMES.join(", ") });
            }
        })
    }

    /// The kebab-case name: one of [`NAMES`], or `"csv"`, or `"idx"` for an IDX directory other than
    /// [`idx::MNIST_DIR`].
    ///
    /// ```
    /// use zoo_datasets::DataSource;
    ///
    /// assert_eq!(DataSource::Spirals { n: 100, arms: 3, noise: 0.1 }.name(), "spirals");
    /// assert_eq!(DataSource::parse("Breast_Cancer")?.name(), "breast-cancer");
    /// # Ok::<(), zoo_datasets::DataError>(())
    /// ```
    pub fn name(&self) -> String {
        match self {
            DataSource::Xor => "xor",
            DataSource::NoisyXor { .. } => "noisy-xor",
            DataSource::Circles { .. } => "circles",
            DataSource::Moons { .. } => "moons",
            DataSource::Spirals { .. } => "spirals",
            DataSource::TwoSpirals { .. } => "two-spirals",
            DataSource::Gaussians { .. } => "gaussians",
            DataSource::Threshold1d { .. } => "threshold-1d",
            DataSource::Sine { .. } => "sine",
            DataSource::Plane { .. } => "plane",
            DataSource::Iris => "iris",
            DataSource::Wine => "wine",
            DataSource::BreastCancer => "breast-cancer",
            DataSource::Digits => "digits",
            DataSource::Csv { .. } => "csv",
            DataSource::Idx { dir } if dir == idx::MNIST_DIR => "mnist",
            DataSource::Idx { .. } => "idx",
            DataSource::FashionMnist { .. } => "fashion-mnist",
        }
        .to_string()
    }

    /// Loads or generates the data; `seed` drives the synthetic generators (files ignore it).
    ///
    /// # Errors
    ///
    /// [`DataError::InvalidParameter`] for out-of-range generator parameters; the loaders' errors for files.
    ///
    /// ```
    /// use zoo_datasets::{DataSource, Loaded};
    ///
    /// let Loaded::Whole(circles) = DataSource::parse("circles")?.load(3)? else { unreachable!("generated whole") };
    /// assert_eq!((circles.len(), circles.d_input), (400, 2));
    /// # Ok::<(), zoo_datasets::DataError>(())
    /// ```
    pub fn load(&self, seed: u64) -> Result<Loaded, DataError> {
        let whole = match self {
            DataSource::Xor => synthetic::xor(),
            DataSource::NoisyXor { n, noise } => synthetic::noisy_xor(*n, *noise, seed)?,
            DataSource::Circles { n, noise, factor } => synthetic::circles(*n, *noise, *factor, seed)?,
            DataSource::Moons { n, noise } => synthetic::moons(*n, *noise, seed)?,
            DataSource::Spirals { n, arms, noise } => synthetic::spirals(*n, *arms, *noise, seed)?,
            DataSource::TwoSpirals { n, turns, noise } => synthetic::two_spirals(*n, *turns, *noise, seed)?,
            DataSource::Gaussians { n, k, std } => synthetic::gaussians(*n, *k, *std, seed)?,
            DataSource::Threshold1d { n } => synthetic::threshold_1d(*n, seed)?,
            DataSource::Sine { n, noise } => synthetic::sine(*n, *noise, seed)?,
            DataSource::Plane { n, noise } => synthetic::plane(*n, *noise, seed)?,
            DataSource::Iris => bundled::iris()?,
            DataSource::Wine => bundled::wine()?,
            DataSource::BreastCancer => bundled::breast_cancer()?,
            DataSource::Digits => bundled::digits()?,
            DataSource::Csv { path, label_column, header } => csv::load_csv(Path::new(path), *label_column, *header)?,
            DataSource::Idx { dir } => {
                let mut split = idx::load_idx_dir(Path::new(dir))?;
                if dir == idx::MNIST_DIR {
                    rename(&mut split, "mnist", None);
                }
                return Ok(Loaded::PreSplit(split));
            }
            DataSource::FashionMnist { dir } => {
                let dir = dir.as_deref().unwrap_or(idx::FASHION_MNIST_DIR);
                let mut split = idx::load_idx_dir(Path::new(dir))?;
                rename(&mut split, "fashion-mnist", Some(&FASHION_MNIST_CLASSES));
                return Ok(Loaded::PreSplit(split));
            }
        };
        Ok(Loaded::Whole(whole))
    }
}

/// Names both parts of a split, and their classes when the count matches.
fn rename(split: &mut Split, name: &str, classes: Option<&[&str]>) {
    for part in [&mut split.train, &mut split.test] {
        part.name = name.into();
        if let (Labels::Classes { n_classes, names, .. }, Some(classes)) = (&mut part.labels, classes)
            && *n_classes == classes.len()
        {
            *names = classes.iter().map(|s| s.to_string()).collect();
        }
    }
}

impl std::str::FromStr for DataSource {
    type Err = DataError;

    /// [`DataSource::parse`], so that `"moons".parse()` and clap's `value_parser` work.
    fn from_str(name: &str) -> Result<Self, DataError> {
        Self::parse(name)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn every_name_parses_and_round_trips() {
        for &name in NAMES {
            let source = DataSource::parse(name).unwrap();
            assert_eq!(source.name(), name);
            // Through Burn's config machinery: the path a saved run config takes.
            let json = source.to_string();
            let back = <DataSource as Config>::load_binary(json.as_bytes()).unwrap();
            assert_eq!(back, source, "{json}");
        }
        assert_eq!(DataSource::parse(" Breast_Cancer ").unwrap(), DataSource::BreastCancer);
    }

    #[test]
    fn unknown_name_lists_valid_ones() {
        let message = DataSource::parse("cifar").unwrap_err().to_string();
        assert!(message.starts_with("unknown data set 'cifar'; valid names: xor, noisy-xor"), "{message}");
    }
}
