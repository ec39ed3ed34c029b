//! PyTorch interop: an [`Mlp`]'s weights as SafeTensors with PyTorch's `nn.Linear` naming and layout, and back.
//!
//! The tensors are `layers.{i}.weight` of shape `[out, in]` (Burn's own layout is `[in, out]`) and
//! `layers.{i}.bias` of shape `[out]`, f32, so a PyTorch module with `self.layers = nn.ModuleList([nn.Linear(..),
//! ..])` loads them with `load_state_dict(safetensors.torch.load_file(path))`. The hidden activation is
//! recorded in the file's metadata (`zoo.activation`). The functions work on bytes; reading and writing
//! files is the caller's business.
//!
//! ```
//! use burn::prelude::*;
//! use zoo_models::{ActivationKind, MlpConfig, interop};
//!
//! let device = Device::flex();
//! let mlp = MlpConfig::new(3, vec![8], 2).with_activation(ActivationKind::Tanh).init_seeded(7, &device);
//! let bytes = interop::to_safetensors(&mlp)?;
//! let back = interop::from_safetensors(&bytes, None, &device)?;
//! assert_eq!((back.widths(), back.activation), (mlp.widths(), ActivationKind::Tanh));
//!
//! let x = Tensor::<2>::ones([4, 3], &device);
//! assert_eq!(back.forward(x.clone()).into_data(), mlp.forward(x).into_data());
//! # Ok::<(), zoo_models::interop::InteropError>(())
//! ```

use std::collections::BTreeMap;

use burn::prelude::*;
use burn::store::{BurnToPyTorchAdapter, ModuleSnapshot, PyTorchToBurnAdapter, SafetensorsStore};

use crate::{ActivationKind, Mlp, MlpConfig};

/// The metadata key holding the hidden activation's name ([`ActivationKind::name`]).
pub const ACTIVATION_KEY: &str = "zoo.activation";

/// Why weights could not be converted.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum InteropError {
    /// The bytes are not a SafeTensors file.
    #[error("not a SafeTensors file: {0}")]
    Format(String),
    /// The tensors do not describe an MLP (`layers.{i}.weight` `[out, in]` with chained widths).
    #[error("the tensors do not describe an MLP: {0}")]
    Shape(String),
    /// The activation is neither in the metadata nor given.
    #[error("the file does not say which activation the hidden layers use; give one (e.g. relu)")]
    NoActivation,
    /// The activation in the metadata does not parse.
    #[error(transparent)]
    Activation(#[from] crate::ParseError),
    /// Burn's store failed.
    #[error("safetensors store: {0}")]
    Store(String),
}

/// The weights of `mlp` as a SafeTensors file in PyTorch's layout (see the module docs).
///
/// # Errors
///
/// [`InteropError::Store`] if Burn's SafeTensors writer fails.
pub fn to_safetensors(mlp: &Mlp) -> Result<Vec<u8>, InteropError> {
    let mut store = SafetensorsStore::from_bytes(None)
        .with_to_adapter(BurnToPyTorchAdapter)
        .metadata(ACTIVATION_KEY, mlp.activation.name());
    mlp.save_into(&mut store).map_err(|e| InteropError::Store(e.to_string()))?;
    store.get_bytes().map_err(|e| InteropError::Store(e.to_string()))
}

/// An [`Mlp`] from a SafeTensors file in PyTorch's layout: widths and biases from the tensors' shapes, the
/// activation from the metadata or, when given, from `activation` (which takes precedence: files saved by
/// PyTorch carry no activation).
///
/// # Errors
///
/// [`InteropError::Format`] for bytes that are not SafeTensors, [`InteropError::Shape`] for tensors that are
/// not an MLP's, [`InteropError::NoActivation`], [`InteropError::Store`] for values Burn cannot load.
pub fn from_safetensors(
    bytes: &[u8],
    activation: Option<ActivationKind>,
    device: &Device,
) -> Result<Mlp, InteropError> {
    let header = Header::parse(bytes)?;
    let activation = match (activation, header.metadata.get(ACTIVATION_KEY)) {
        (Some(kind), _) => kind,
        (None, Some(name)) => ActivationKind::parse(name)?,
        (None, None) => return Err(InteropError::NoActivation),
    };
    let config = header.config()?.with_activation(activation);
    // Checked before anything is allocated: a 100-byte header may declare terabytes.
    config.validate().map_err(|e| InteropError::Shape(e.to_string()))?;
    header.check_data(bytes.len())?;
    let mut mlp = config.init_seeded(0, device);
    let mut store = SafetensorsStore::from_bytes(Some(bytes.to_vec())).with_from_adapter(PyTorchToBurnAdapter);
    let result = mlp.load_from(&mut store).map_err(|e| InteropError::Store(e.to_string()))?;
    if !result.errors.is_empty() || !result.missing.is_empty() || !result.unused.is_empty() {
        return Err(InteropError::Store(format!(
            "errors {:?}, missing {:?}, unused {:?}",
            result.errors, result.missing, result.unused
        )));
    }
    Ok(mlp)
}

/// A SafeTensors header: the tensors by name, and the metadata.
struct Header {
    tensors: BTreeMap<String, Entry>,
    /// Where the data section starts: 8 + the header's length.
    data_start: usize,
    metadata: BTreeMap<String, String>,
}

/// One tensor of a SafeTensors header.
struct Entry {
    shape: Vec<usize>,
    dtype: String,
    /// Its byte range in the data section.
    offsets: [u64; 2],
}

impl Header {
    fn parse(bytes: &[u8]) -> Result<Self, InteropError> {
        let format = |what: &str| InteropError::Format(what.to_string());
        let length = bytes.get(..8).ok_or_else(|| format("shorter than its 8-byte header length"))?;
        let length = u64::from_le_bytes(length.try_into().map_err(|_| format("bad header length"))?);
        let end = usize::try_from(length).ok().and_then(|n| n.checked_add(8)).filter(|end| *end <= bytes.len());
        let header = bytes.get(8..end.ok_or_else(|| format("header longer than the file"))?).unwrap_or_default();
        let json: BTreeMap<String, serde_json::Value> =
            serde_json::from_slice(header).map_err(|e| InteropError::Format(format!("header: {e}")))?;
        let mut tensors = BTreeMap::new();
        let mut metadata = BTreeMap::new();
        for (name, value) in json {
            if name == "__metadata__" {
                metadata = serde_json::from_value(value).map_err(|e| InteropError::Format(format!("metadata: {e}")))?;
            } else {
                let shape = serde_json::from_value(value["shape"].clone())
                    .map_err(|e| InteropError::Format(format!("shape of {name}: {e}")))?;
                let dtype = value["dtype"].as_str().unwrap_or_default().to_string();
                let offsets = serde_json::from_value(value["data_offsets"].clone())
                    .map_err(|e| InteropError::Format(format!("data_offsets of {name}: {e}")))?;
                tensors.insert(name, Entry { shape, dtype, offsets });
            }
        }
        let data_start = 8 + header.len();
        Ok(Self { tensors, data_start, metadata })
    }

    /// Every tensor is f32 and its byte range holds exactly its shape's values, inside the file.
    fn check_data(&self, file_len: usize) -> Result<(), InteropError> {
        for (name, Entry { shape, dtype, offsets: [begin, end] }) in &self.tensors {
            if dtype != "F32" {
                return Err(InteropError::Format(format!(
                    "{name} is {dtype}, not F32: save the weights as float32 (model.float() in PyTorch)"
                )));
            }
            let values = shape.iter().try_fold(1u64, |n, d| n.checked_mul(*d as u64));
            let fits = (self.data_start as u64).checked_add(*end).is_some_and(|stop| stop <= file_len as u64);
            if values.and_then(|n| n.checked_mul(4)) != end.checked_sub(*begin) || !fits {
                return Err(InteropError::Format(format!(
                    "{name}: its bytes {begin}..{end} do not hold shape {:?} in f32 inside the file (truncated?)",
                    shape
                )));
            }
        }
        Ok(())
    }

    /// Widths and bias from `layers.{i}.weight` (`[out, in]`) and `layers.{i}.bias`.
    fn config(&self) -> Result<MlpConfig, InteropError> {
        let shape = |what: String| InteropError::Shape(what);
        let mut widths: Vec<usize> = Vec::new();
        let mut biases = Vec::new();
        while let Some(Entry { shape: weight, .. }) = self.tensors.get(&format!("layers.{}.weight", biases.len())) {
            let layer = biases.len();
            let [out, input] = weight[..] else {
                return Err(shape(format!("layers.{layer}.weight has shape {weight:?}, expected [out, in]")));
            };
            match widths.last() {
                None => widths.push(input),
                Some(&previous) if previous == input => {}
                Some(previous) => {
                    return Err(shape(format!(
                        "layers.{layer}.weight takes {input} inputs but the layer before gives {previous}"
                    )));
                }
            }
            widths.push(out);
            biases.push(self.tensors.contains_key(&format!("layers.{layer}.bias")));
        }
        if widths.is_empty() {
            let names: Vec<&String> = self.tensors.keys().collect();
            return Err(shape(format!("no `layers.0.weight` among {names:?}")));
        }
        if biases.iter().any(|b| *b != biases[0]) {
            return Err(shape("some layers have a bias and others not".to_string()));
        }
        let (d_input, d_output) = (widths[0], widths[widths.len() - 1]);
        Ok(MlpConfig::new(d_input, widths[1..widths.len() - 1].to_vec(), d_output).with_bias(biases[0]))
    }
}
