//! Backends by name, and the device for each: flex and ndarray on the CPU, wgpu on a GPU or a software adapter.

use std::sync::OnceLock;

use burn::prelude::*;
use burn::tensor::wgpu::wgpu;

use crate::error::TrainError;

/// The compiled-in backends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Backend {
    /// Burn's pure-Rust CPU backend (SIMD, threads): the default.
    Flex,
    /// The ndarray CPU backend (deprecated upstream, kept because users ask for it).
    Ndarray,
    /// wgpu over Vulkan/Metal/DX12: a GPU, or a software adapter such as Mesa's lavapipe.
    Wgpu,
}

/// Which wgpu adapter to ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WgpuAdapter {
    /// The best adapter wgpu finds (honours `CUBECL_WGPU_DEFAULT_DEVICE`).
    Auto,
    /// The first discrete GPU.
    Discrete,
    /// The first integrated GPU.
    Integrated,
    /// A CPU (software) adapter such as lavapipe.
    Cpu,
}

impl Backend {
    /// Every backend, in the order of preference.
    pub const ALL: [Backend; 3] = [Backend::Flex, Backend::Ndarray, Backend::Wgpu];

    /// Every command-line name, in the order of [`Backend::ALL`].
    pub const NAMES: &'static [&'static str] = &["flex", "ndarray", "wgpu"];

    /// The command-line name.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Flex => "flex",
            Self::Ndarray => "ndarray",
            Self::Wgpu => "wgpu",
        }
    }
}

impl WgpuAdapter {
    /// Every adapter kind.
    pub const ALL: [WgpuAdapter; 4] =
        [WgpuAdapter::Auto, WgpuAdapter::Discrete, WgpuAdapter::Integrated, WgpuAdapter::Cpu];

    /// Every command-line name, in the order of [`WgpuAdapter::ALL`].
    pub const NAMES: &'static [&'static str] = &["auto", "discrete", "integrated", "cpu"];

    /// The command-line name.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Discrete => "discrete",
            Self::Integrated => "integrated",
            Self::Cpu => "cpu",
        }
    }
}

impl std::str::FromStr for Backend {
    type Err = zoo_models::ParseError;

    /// The backend named by [`Backend::name`].
    ///
    /// ```
    /// use zoo_train::Backend;
    ///
    /// assert_eq!("wgpu".parse::<Backend>()?, Backend::Wgpu);
    /// assert_eq!(Backend::Ndarray.to_string(), "ndarray");
    /// assert!("cuda".parse::<Backend>().is_err());
    /// # Ok::<(), zoo_models::ParseError>(())
    /// ```
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let found = Self::ALL.into_iter().find(|backend| backend.name() == text);
        found.ok_or_else(|| crate::config::unknown(text, "backend", Self::NAMES))
    }
}

impl std::fmt::Display for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for WgpuAdapter {
    type Err = zoo_models::ParseError;

    /// The adapter named by [`WgpuAdapter::name`].
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let found = Self::ALL.into_iter().find(|adapter| adapter.name() == text);
        found.ok_or_else(|| crate::config::unknown(text, "wgpu adapter", Self::NAMES))
    }
}

impl std::fmt::Display for WgpuAdapter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The device for `backend`; `adapter` matters for wgpu only. A missing wgpu adapter is an error saying what
/// was looked for and how to get one, never a panic at the first operation. The wgpu device is opened once per
/// process and adapter kind, and shared.
pub fn device_for(backend: Backend, adapter: WgpuAdapter) -> Result<Device, TrainError> {
    match backend {
        Backend::Flex => Ok(Device::flex()),
        // Deprecated upstream in favour of flex; kept selectable because users ask for it.
        #[allow(deprecated)]
        Backend::Ndarray => Ok(Device::ndarray()),
        Backend::Wgpu => wgpu_device(adapter),
    }
}

fn wgpu_device(adapter: WgpuAdapter) -> Result<Device, TrainError> {
    opened(adapter).clone().map(|(device, _)| device).map_err(|reason| {
        TrainError::Device(format!(
            "no usable wgpu adapter of kind {:?} ({}): install a Vulkan driver (for a software one: \
             `apt-get install mesa-vulkan-drivers libvulkan1` and use `--wgpu-device cpu`) or use `--backend flex`",
            device_kind(adapter),
            reason.lines().next().unwrap_or("unknown reason")
        ))
    })
}

/// One line about the wgpu adapter opened for `adapter` (its name, type and driver, and what a software adapter
/// means for speed); `None` when none could be opened.
pub fn wgpu_adapter_summary(adapter: WgpuAdapter) -> Option<String> {
    opened(adapter).as_ref().ok().map(|(_, summary)| summary.clone())
}

/// The wgpu device for an adapter kind with a one-line description, opened once per process.
fn opened(adapter: WgpuAdapter) -> &'static Result<(Device, String), String> {
    static OPENED: [OnceLock<Result<(Device, String), String>>; 4] = [const { OnceLock::new() }; 4];
    let slot = adapter as usize;
    OPENED[slot].get_or_init(|| {
        let (device, setup) =
            Device::wgpu_options().device_kind(device_kind(adapter)).init_with_setup().map_err(|e| e.to_string())?;
        Ok((device, describe(&setup.adapter.get_info())))
    })
}

fn device_kind(adapter: WgpuAdapter) -> DeviceKind {
    match adapter {
        WgpuAdapter::Auto => DeviceKind::DefaultDevice,
        WgpuAdapter::Discrete => DeviceKind::DiscreteGpu(0),
        WgpuAdapter::Integrated => DeviceKind::IntegratedGpu(0),
        WgpuAdapter::Cpu => DeviceKind::Cpu,
    }
}

fn describe(info: &wgpu::AdapterInfo) -> String {
    let driver = [info.driver.as_str(), info.driver_info.as_str()].join(" ");
    let what = match info.device_type {
        wgpu::DeviceType::Cpu => "a software adapter: it checks the GPU code path but trains far slower than flex",
        wgpu::DeviceType::DiscreteGpu => "a discrete GPU",
        wgpu::DeviceType::IntegratedGpu => "an integrated GPU",
        wgpu::DeviceType::VirtualGpu => "a virtual GPU",
        wgpu::DeviceType::Other => "an adapter of unknown type",
    };
    format!("wgpu adapter: {} ({:?}, {}) — {what}", info.name, info.backend, driver.trim())
}

impl Backend {
    /// The backend behind `device`, read from its description (Burn does not re-export its typed device enum);
    /// `None` for a device of no compiled-in backend.
    pub fn of(device: &Device) -> Option<Backend> {
        let debug = format!("{device:?}").to_lowercase();
        [("flex", Backend::Flex), ("ndarray", Backend::Ndarray), ("wgpu", Backend::Wgpu), ("vulkan", Backend::Wgpu)]
            .into_iter()
            .find_map(|(name, backend)| debug.contains(name).then_some(backend))
    }
}

/// A short, human name of the backend behind `device` (`flex`, `ndarray`, `wgpu`; else Burn's description).
pub fn backend_name(device: &Device) -> String {
    Backend::of(device).map_or_else(|| format!("{device:?}").to_lowercase(), |backend| backend.name().to_string())
}
