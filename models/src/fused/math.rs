//! Vectorised f32 activations and their derivatives from the saved output, compiled for the CPU's widest
//! SIMD (AVX2/FMA where present, through `pulp`'s runtime dispatch) from branch-free scalar code.
//!
//! `exp` reduces by ln 2 in two parts and sums a degree-7 Taylor polynomial (the exponent set by bit
//! arithmetic); `tanh` is Cephes' `tanhf` (an odd polynomial below |x| = 0.625, 1 − 2/(e^{2|x|} + 1) above);
//! σ(x) = 1/(1 + e^{−x}) for x ≥ 0 and e^{x}/(1 + e^{x}) below, so neither side loses relative precision, with
//! the rounding of 1 + e compensated.
//! Measured against f64 by [`max_ulp_error`] (tests/fused.rs; docs/performance.md has the figures).

/// A hidden layer's non-linearity as the fused op computes it: the kinds whose derivative is a function of
/// the output, so the backward pass needs no pre-activation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Act {
    /// a = z.
    Identity,
    /// a = σ(z).
    Sigmoid,
    /// a = σ(z) − ½, computed as ½·tanh(z/2).
    SigmoidCentered,
    /// a = tanh z.
    Tanh,
    /// a = max(0, z).
    Relu,
    /// a = z for z > 0, slope·z otherwise (slope ≥ 0, so the sign of a is the sign of z).
    LeakyRelu(f32),
}

const LOG2E: f32 = std::f32::consts::LOG2_E;

/// e^x for x ≤ 88 (larger x returns e^88; the activations never ask for more than e^18): x = n·ln 2 + r with
/// |r| ≤ ln 2 / 2 (ln 2 in two parts), e^r by its degree-7 Taylor polynomial (truncation below 6·10⁻⁹,
/// relative), 2^n set in the exponent bits.
#[inline(always)]
fn exp(x: f32) -> f32 {
    // n = round(x / ln 2) by the 1.5·2²³ trick: adding it leaves n in the low mantissa bits of `shifted`.
    const SHIFT: f32 = 12_582_912.0;
    let x = x.clamp(-87.0, 88.0);
    let shifted = x.mul_add(LOG2E, SHIFT);
    let n = shifted - SHIFT;
    let r = (-n).mul_add(-2.121_944_4e-4, (-n).mul_add(0.693_359_4, x));
    let p = 1.0 / 5040.0_f32;
    let p = p.mul_add(r, 1.0 / 720.0);
    let p = p.mul_add(r, 1.0 / 120.0);
    let p = p.mul_add(r, 1.0 / 24.0);
    let p = p.mul_add(r, 1.0 / 6.0);
    let p = p.mul_add(r, 0.5);
    let p = p.mul_add(r, 1.0);
    let e = p.mul_add(r, 1.0);
    let two_to_n = f32::from_bits((shifted.to_bits().wrapping_sub(SHIFT.to_bits()).wrapping_add(127)) << 23);
    e * two_to_n
}

/// tanh x.
#[inline(always)]
fn tanh(x: f32) -> f32 {
    let a = x.abs();
    let z = x * x;
    let p = -5.704_988_7e-3_f32;
    let p = p.mul_add(z, 2.063_909e-2);
    let p = p.mul_add(z, -5.373_971_6e-2);
    let p = p.mul_add(z, 1.333_144_2e-1);
    let p = p.mul_add(z, -3.333_328e-1);
    let small = (p * z).mul_add(x, x);
    let e = exp(2.0 * a.min(9.0));
    let large = (1.0 - 2.0 / (e + 1.0)).copysign(x);
    if a < 0.625 { small } else { large }
}

/// σ(x) = 1 / (1 + e^−x).
#[inline(always)]
fn sigmoid(x: f32) -> f32 {
    let e = exp(-x.abs());
    let numerator = if x >= 0.0 { 1.0 } else { e };
    // 1 + e rounds; its rounding error is exactly (1 − s) + e (Fast2Sum, 1 ≥ e), and dividing by s + error
    // instead of s is q·(1 − error/s) to first order: one ulp less than the plain quotient.
    let s = 1.0 + e;
    let error = (1.0 - s) + e;
    let q = numerator / s;
    (-q).mul_add(error / s, q)
}

impl Act {
    /// a = f(z) for one value (what the slice kernels vectorise).
    pub fn apply(self, z: f32) -> f32 {
        match self {
            Act::Identity => z,
            Act::Sigmoid => sigmoid(z),
            Act::SigmoidCentered => centered_sigmoid(z),
            Act::Tanh => tanh(z),
            Act::Relu => z.max(0.0),
            Act::LeakyRelu(slope) => leaky(z, slope),
        }
    }

    /// Replaces every z in `values` by f(z).
    pub fn apply_slice(self, values: &mut [f32]) {
        match self {
            Act::Identity => {}
            Act::Sigmoid => map(values, sigmoid),
            Act::SigmoidCentered => map(values, centered_sigmoid),
            Act::Tanh => map(values, tanh),
            Act::Relu => map(values, |z| z.max(0.0)),
            Act::LeakyRelu(slope) => map(values, |z| leaky(z, slope)),
        }
    }

    /// δ = g ⊙ f′(z), with f′ expressed through the saved output a = f(z): written over `grad`.
    pub fn backward_slice(self, output: &[f32], grad: &mut [f32]) {
        assert_eq!(output.len(), grad.len(), "activation backward: output and gradient differ in length");
        match self {
            Act::Identity => {}
            Act::Sigmoid => scale(output, grad, |a| a * (1.0 - a)),
            Act::SigmoidCentered => scale(output, grad, |a| 0.25 - a * a),
            Act::Tanh => scale(output, grad, |a| 1.0 - a * a),
            Act::Relu => scale(output, grad, |a| if a > 0.0 { 1.0 } else { 0.0 }),
            Act::LeakyRelu(slope) => scale(output, grad, |a| if a > 0.0 { 1.0 } else { slope }),
        }
    }
}

#[inline(always)]
fn centered_sigmoid(z: f32) -> f32 {
    0.5 * tanh(0.5 * z)
}

#[inline(always)]
fn leaky(z: f32, slope: f32) -> f32 {
    if z > 0.0 { z } else { slope * z }
}

/// e^v for every v (v ≤ 88), vectorised.
pub(crate) fn exp_slice(values: &mut [f32]) {
    map(values, exp);
}

/// `v = f(v)` over a slice, compiled for the best instruction set the CPU has.
fn map(values: &mut [f32], f: impl Fn(f32) -> f32) {
    pulp::Arch::new().dispatch(Map { values, f });
}

/// `g = g·f′(a)` over two slices, compiled like [`map`].
fn scale(output: &[f32], grad: &mut [f32], derivative: impl Fn(f32) -> f32) {
    pulp::Arch::new().dispatch(Scale { output, grad, derivative });
}

struct Map<'a, F> {
    values: &'a mut [f32],
    f: F,
}

impl<F: Fn(f32) -> f32> pulp::WithSimd for Map<'_, F> {
    type Output = ();

    // Inlined into pulp's `#[target_feature]` function, so the loop is vectorised for AVX2/FMA.
    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _simd: S) {
        for v in self.values.iter_mut() {
            *v = (self.f)(*v);
        }
    }
}

struct Scale<'a, F> {
    output: &'a [f32],
    grad: &'a mut [f32],
    derivative: F,
}

impl<F: Fn(f32) -> f32> pulp::WithSimd for Scale<'_, F> {
    type Output = ();

    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _simd: S) {
        for (g, &a) in self.grad.iter_mut().zip(self.output) {
            *g *= (self.derivative)(a);
        }
    }
}

/// The largest error of `act` over `inputs`, in units in the last place of the f32 nearest the f64 reference
/// `exact`: |f32 result − exact| / ulp(exact as f32). Inputs whose exact value is below f32's normal range are
/// skipped (their ulp is not relative).
pub fn max_ulp_error(act: Act, inputs: &[f32], exact: impl Fn(f64) -> f64) -> f64 {
    let mut values = inputs.to_vec();
    act.apply_slice(&mut values);
    inputs
        .iter()
        .zip(&values)
        .filter_map(|(&x, &got)| {
            let want = exact(f64::from(x));
            let nearest = want as f32;
            (nearest.abs() >= f32::MIN_POSITIVE).then(|| {
                let ulp = f64::from(f32::from_bits(nearest.abs().to_bits() + 1)) - f64::from(nearest.abs());
                (f64::from(got) - want).abs() / ulp
            })
        })
        .fold(0.0, f64::max)
}
