//! The fused dense layer against Burn's plain ops (logits and every gradient, every activation) and its
//! vectorised activations against f64.

use burn::prelude::*;
use burn::tensor::DType;
use zoo_models::fused::{self, Act, max_ulp_error};
use zoo_models::{ActivationKind, Mlp, MlpConfig, loss};
use zoo_tests::{host, inputs, tensor};

/// The largest difference relative to the largest reference value: max|a − b| / max|b|.
fn relative_gap(actual: &[f32], expected: &[f32]) -> f64 {
    assert_eq!(actual.len(), expected.len());
    let scale = expected.iter().fold(0.0f64, |m, v| m.max(f64::from(v.abs())));
    let gap = actual.iter().zip(expected).fold(0.0f64, |m, (a, b)| m.max(f64::from((a - b).abs())));
    if scale == 0.0 { gap } else { gap / scale }
}

/// Which ops a forward and loss go through.
#[derive(Clone, Copy)]
enum Path {
    Fused,
    Plain,
}

/// Loss, logits, ∂L/∂x and every ∂L/∂W, ∂L/∂b of the mean softmax cross-entropy, through `path`.
fn logits_and_gradients(mlp: &Mlp, x: &[f32], shape: [usize; 2], path: Path) -> Vec<Vec<f32>> {
    let device = Device::flex().autodiff();
    let x = tensor(x.to_vec(), shape, &device).require_grad();
    let logits = match path {
        Path::Fused => mlp.forward(x.clone()),
        Path::Plain => mlp.forward_plain(x.clone()),
    };
    let classes = logits.dims()[1] as i64;
    let labels: Vec<i64> = (0..shape[0] as i64).map(|i| (i * 7 + 3) % classes).collect();
    let y = Tensor::<1, Int>::from_data(TensorData::new(labels, [shape[0]]), &device);
    let loss = match path {
        Path::Fused => loss::cross_entropy(logits.clone(), y),
        Path::Plain => loss::cross_entropy_plain(logits.clone(), y),
    };
    let grads = loss.backward();
    let mut out = vec![host(loss), host(logits), host(x.grad(&grads).expect("∂L/∂x"))];
    for layer in &mlp.layers {
        out.push(host(layer.weight.grad(&grads).expect("∂L/∂W")));
        out.push(host(layer.bias.as_ref().expect("bias").grad(&grads).expect("∂L/∂b")));
    }
    out
}

fn check_parity(kind: ActivationKind, widths: (usize, Vec<usize>, usize), batch: usize) {
    let (d_in, hidden, d_out) = widths;
    let device = Device::flex().autodiff();
    let mlp = MlpConfig::new(d_in, hidden, d_out).with_activation(kind).init_seeded(7, &device);
    let x = inputs(batch * d_in, 3);
    let fused = logits_and_gradients(&mlp, &x, [batch, d_in], Path::Fused);
    let plain = logits_and_gradients(&mlp, &x, [batch, d_in], Path::Plain);
    let names = ["loss", "logits", "∂L/∂x"]
        .into_iter()
        .map(String::from)
        .chain((0..mlp.layers.len()).flat_map(|l| [format!("∂L/∂W{l}"), format!("∂L/∂b{l}")]));
    for ((name, f), p) in names.zip(&fused).zip(&plain) {
        let gap = relative_gap(f, p);
        assert!(gap <= 1e-5, "{kind}, batch {batch}: {name} differs between fused and plain by {gap:e} (relative)");
    }
}

#[test]
fn fused_and_plain_paths_give_the_same_logits_and_gradients_for_every_fused_activation() {
    let fused_kinds: Vec<ActivationKind> =
        ActivationKind::ALL.into_iter().filter(|k| fused::act_of(*k).is_some()).collect();
    let names: Vec<String> = fused_kinds.iter().map(ActivationKind::name).collect();
    assert_eq!(names, ["identity", "sigmoid", "sigmoid-centered", "tanh", "relu", "leaky-relu:0.01"]);
    for kind in fused_kinds {
        check_parity(kind, (5, vec![16, 12], 3), 9);
        check_parity(kind, (3, vec![33], 1), 1);
        check_parity(kind, (64, vec![128, 128], 10), 128);
        // A 1024×512 weight: ∂L/∂x through the transposed product (kernel::TRANSPOSED_DX_MIN_WEIGHTS).
        check_parity(kind, (8, vec![1024, 512], 3), 5);
    }
}

#[test]
fn the_fused_op_runs_on_flex_in_f32_only_and_each_layer_matches_burns_linear() {
    let flex = Device::flex();
    let cases = [(flex.clone(), true), (flex.clone().autodiff(), true)];
    for (device, expected) in cases {
        assert_eq!(fused::runs_on(&Tensor::<2>::zeros([2, 2], &device)), expected, "{device:?}");
    }
    assert!(!fused::runs_on(&Tensor::<2>::zeros([2, 2], (&flex, DType::F64))), "f64 keeps Burn's path");
    #[allow(deprecated)]
    let ndarray = Device::ndarray();
    assert!(!fused::runs_on(&Tensor::<2>::zeros([2, 2], &ndarray)), "ndarray keeps Burn's path");

    let mlp = MlpConfig::new(6, vec![10], 4).init_seeded(1, &flex);
    let x = tensor(inputs(5 * 6, 9), [5, 6], &flex);
    for act in [Act::Identity, Act::Sigmoid, Act::SigmoidCentered, Act::Tanh, Act::Relu, Act::LeakyRelu(0.1)] {
        let layer = &mlp.layers[0];
        let fused = host(fused::dense(x.clone(), layer, act).expect("a layer with bias"));
        let z = host(layer.forward(x.clone()));
        let plain: Vec<f32> = z.iter().map(|&z| act.apply(z)).collect();
        assert!(relative_gap(&fused, &plain) <= 1e-6, "{act:?}: fused layer ≠ f(Linear)");
    }
    let no_bias = MlpConfig::new(6, vec![10], 4).with_bias(false).init_seeded(1, &flex);
    assert!(fused::dense(x.clone(), &no_bias.layers[0], Act::Relu).is_none(), "a layer without bias has no fused form");
    assert_eq!(host(no_bias.forward(x.clone())), host(no_bias.forward_plain(x)), "without bias: Burn's path");
}

/// Inputs for the accuracy check: a dense grid over [−lim, lim] and log-spaced small magnitudes of both signs.
fn accuracy_inputs(lim: f32) -> Vec<f32> {
    let grid = (0..=400_000).map(|i| -lim + 2.0 * lim * i as f32 / 400_000.0);
    let small = (0..=2_000).flat_map(|i| {
        let v = 10f32.powf(-8.0 + 8.0 * i as f32 / 2_000.0);
        [v, -v]
    });
    grid.chain(small).collect()
}

#[test]
fn vectorised_activations_are_within_two_ulp_of_f64() {
    let sigmoid = |x: f64| 1.0 / (1.0 + (-x).exp());
    type Case = (Act, f32, fn(f64) -> f64, f64);
    let cases: [Case; 3] = [
        (Act::Sigmoid, 30.0, sigmoid, 2.0),
        (Act::SigmoidCentered, 30.0, |x: f64| 0.5 * (0.5 * x).tanh(), 2.0),
        (Act::Tanh, 12.0, f64::tanh, 2.0),
    ];
    for (act, lim, exact, bound) in cases {
        let error = max_ulp_error(act, &accuracy_inputs(lim), exact);
        eprintln!("{act:?}: max error {error:.2} ulp");
        assert!(error <= bound, "{act:?}: max error {error} ulp over [−{lim}, {lim}] (bound {bound})");
        assert!(error > 0.0 || act == Act::Identity, "{act:?}: an error of exactly 0 means the check compared nothing");
    }
}

#[test]
fn the_fused_loss_matches_burns_and_turns_a_bad_target_into_nan_not_a_panic() {
    let device = Device::flex();
    let z = tensor(inputs(6 * 4, 5), [6, 4], &device);
    let y = |labels: Vec<i64>| Tensor::<1, Int>::from_data(TensorData::new(labels, [6]), &device);
    let good = y(vec![0, 3, 2, 1, 3, 0]);
    let fused = host(loss::cross_entropy(z.clone(), good.clone()));
    let plain = host(loss::cross_entropy_plain(z.clone(), good));
    assert!(relative_gap(&fused, &plain) <= 1e-6, "loss {fused:?} vs Burn's {plain:?}");
    for bad in [vec![0, 4, 2, 1, 3, 0], vec![0, -1, 2, 1, 3, 0]] {
        let value = host(loss::cross_entropy(z.clone(), y(bad.clone())));
        assert!(value[0].is_nan(), "targets {bad:?}: loss {value:?}, expected NaN");
    }
}
