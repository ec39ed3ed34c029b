//! Multi-layer perceptrons for Burn 0.22: activation and initialisation as config data, weights drawn on the
//! host from a seed (identical on every backend), a traced forward pass, and the lesson's backward pass by hand.
//!
//! The crate does no I/O and knows nothing of training: it is the model, its losses and its gradients.
//!
//! # Quick start
//!
//! ```
//! use burn::prelude::*;
//! use zoo_models::{ActivationKind, InitScheme, MlpConfig, loss};
//!
//! let device = Device::flex();
//! // 2 inputs, two hidden layers of 16 tanh units, 3 classes, Xavier-normal weights (gain 1).
//! let config = MlpConfig::new(2, vec![16, 16], 3)
//!     .with_activation(ActivationKind::Tanh)
//!     .with_init(InitScheme::XavierNormal);
//! let mlp = config.init_seeded(42, &device);
//!
//! let x = Tensor::<2>::from_data(TensorData::new(vec![0.5f32, -1.0, 1.5, 0.25], [2, 2]), &device);
//! let logits = mlp.forward(x);
//! assert_eq!(logits.dims(), [2, 3]);
//! let p = loss::softmax(logits);
//! let sums: Vec<f32> = p.sum_dim(1).into_data().iter::<f32>().collect();
//! assert!(sums.iter().all(|s| (s - 1.0).abs() < 1e-5));
//! ```
//!
//! Training needs an autodiff device (`Device::flex().autodiff()`); see `examples/reuse.rs` for a complete
//! build–train–save–load round trip.

pub mod activation;
pub mod backprop;
#[cfg(feature = "fused")]
pub mod fused;
pub mod init;
pub mod interop;
pub mod loss;
pub mod mlp;
pub mod validate;

pub use activation::{ActivationKind, ParseError};
pub use init::{BiasInit, InitScheme};
pub use loss::LossKind;
pub use mlp::{Mlp, MlpConfig, Trace};
pub use validate::{ConfigError, MAX_LAYERS, MAX_PARAMS, MAX_WIDTH};
