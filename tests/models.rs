//! zoo-models at its boundary: init statistics, bit-identical weights and equal logits/gradients on every
//! backend, the folded affine map of an identity network (claim a1), and the hand-written backward pass (i2).

use burn::prelude::*;
use zoo_models::backprop::{backward, output_error_classes};
use zoo_models::{ActivationKind, InitScheme, LossKind, MlpConfig, loss};
use zoo_tests::{assert_close, devices, host, inputs, tensor};

fn weights(config: &MlpConfig, seed: u64, device: &Device) -> Vec<Vec<f32>> {
    config.init_seeded(seed, device).layers.into_iter().map(|l| host(l.weight.val())).collect()
}

/// Reads entry (k, i) of a matrix, in whichever orientation a test needs.
type Entry<'a> = Box<dyn Fn(usize, usize) -> f64 + 'a>;

#[test]
fn same_seed_gives_bit_identical_weights_on_every_backend_for_every_scheme() {
    let devices = devices();
    for init in InitScheme::ALL {
        let config = MlpConfig::new(5, vec![7, 6], 3).with_init(init).with_activation(ActivationKind::Tanh);
        let reference = weights(&config, 11, &devices[0].1);
        for (name, device) in &devices[1..] {
            let other = weights(&config, 11, device);
            let same_bits =
                reference.iter().flatten().zip(other.iter().flatten()).all(|(a, b)| a.to_bits() == b.to_bits());
            assert!(same_bits, "{init} weights differ between flex and {name}");
        }
        if !matches!(init, InitScheme::Zeros | InitScheme::Constant { .. }) {
            assert_ne!(reference, weights(&config, 12, &devices[0].1), "{init}: another seed must give other weights");
        }
    }
}

#[test]
fn init_statistics_match_theory_on_a_512_by_512_layer() {
    // (scheme, activation, expected std, uniform bound if uniform)
    let n = 512.0f64;
    let slope = 0.2;
    let tanh_gain = 5.0 / 3.0;
    let cases: [(InitScheme, ActivationKind, f64); 12] = [
        (InitScheme::XavierNormal, ActivationKind::Identity, (2.0 / (n + n)).sqrt()),
        // Xavier is gain 1 whatever the activation (Glorot & Bengio); a gain is written explicitly.
        (InitScheme::XavierNormal, ActivationKind::Tanh, (2.0 / (n + n)).sqrt()),
        (InitScheme::XavierUniform, ActivationKind::Tanh, (2.0 / (n + n)).sqrt()),
        (InitScheme::XavierUniformGain { gain: tanh_gain }, ActivationKind::Tanh, tanh_gain * (2.0 / (n + n)).sqrt()),
        (InitScheme::XavierNormalGain { gain: 0.5 }, ActivationKind::Relu, 0.5 * (2.0 / (n + n)).sqrt()),
        (InitScheme::HeNormal, ActivationKind::Relu, (2.0 / n).sqrt()),
        (InitScheme::HeUniform, ActivationKind::Relu, (2.0 / n).sqrt()),
        (InitScheme::HeNormal, ActivationKind::LeakyRelu { slope }, (2.0 / (1.0 + slope * slope) / n).sqrt()),
        (InitScheme::LecunNormal, ActivationKind::Identity, 1.0 / n.sqrt()),
        (InitScheme::GlorotStandard, ActivationKind::Sigmoid, 1.0 / (3.0 * n).sqrt()),
        (InitScheme::Normal { std: 0.01 }, ActivationKind::Tanh, 0.01),
        (InitScheme::Uniform { a: 0.3 }, ActivationKind::Tanh, 0.3 / 3f64.sqrt()),
    ];
    for (init, activation, expected) in cases {
        let w: Vec<f64> = init.sample(512, 512, activation, &mut zoo_models::init::layer_rng(3, 0));
        let mean = w.iter().sum::<f64>() / w.len() as f64;
        let std = (w.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / w.len() as f64).sqrt();
        assert!((std / expected - 1.0).abs() < 0.03, "{init} with {activation}: std {std}, expected {expected}");
        let uniform = matches!(
            init,
            InitScheme::XavierUniform
                | InitScheme::XavierUniformGain { .. }
                | InitScheme::HeUniform
                | InitScheme::GlorotStandard
                | InitScheme::Uniform { .. }
        );
        if uniform {
            let bound = w.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            let expected_bound = 3f64.sqrt() * expected;
            assert!(
                bound <= expected_bound * (1.0 + 1e-12) && bound > 0.99 * expected_bound,
                "{init}: bound {bound} vs {expected_bound}"
            );
        }
    }
}

/// `text` parses to `expected` (or fails when `None`), prints back as `name` and survives a config's JSON.
fn check_init_name(text: &str, expected: Option<InitScheme>, name: &str) {
    let parsed = text.parse::<InitScheme>();
    let Some(expected) = expected else {
        assert!(parsed.is_err(), "`{text}` should not parse: {parsed:?}");
        return;
    };
    let parsed = parsed.unwrap_or_else(|e| panic!("`{text}`: {e}"));
    assert_eq!(parsed, expected, "{text}");
    assert_eq!(parsed.name(), name, "{text}");
    assert_eq!(name.parse::<InitScheme>().ok(), Some(expected), "{name} does not round-trip");
    assert!(parsed.validate().is_ok(), "{text}");
    let config = MlpConfig::new(2, vec![4], 2).with_init(parsed);
    let json = serde_json::to_string(&config).unwrap_or_default();
    assert_eq!(serde_json::from_str::<MlpConfig>(&json).ok(), Some(config), "{json}");
}

#[test]
fn init_names_round_trip_and_xavier_gains_are_explicit() {
    let tanh = 5.0 / 3.0;
    check_init_name("xavier-normal", Some(InitScheme::XavierNormal), "xavier-normal");
    check_init_name("xavier-uniform", Some(InitScheme::XavierUniform), "xavier-uniform");
    check_init_name("xavier-normal:1.667", Some(InitScheme::XavierNormalGain { gain: 1.667 }), "xavier-normal:1.667");
    check_init_name("xavier-uniform:0.5", Some(InitScheme::XavierUniformGain { gain: 0.5 }), "xavier-uniform:0.5");
    check_init_name("xavier-normal:tanh", Some(InitScheme::XavierNormalGain { gain: tanh }), "xavier-normal:tanh");
    check_init_name("xavier-uniform: tanh", Some(InitScheme::XavierUniformGain { gain: tanh }), "xavier-uniform:tanh");
    check_init_name("xavier-normal:1", Some(InitScheme::XavierNormalGain { gain: 1.0 }), "xavier-normal:1");
    check_init_name("normal:0.01", Some(InitScheme::Normal { std: 0.01 }), "normal:0.01");
    check_init_name("orthogonal", Some(InitScheme::Orthogonal { gain: 1.0 }), "orthogonal:1");
    for bad in ["xavier-normal:0", "xavier-normal:-1", "xavier-uniform:inf", "xavier-normal:relu", "xavier-uniform:"] {
        check_init_name(bad, None, "");
    }
    // Configs written before the gains existed: the unit variants still read back, and now mean gain 1.
    for (json, expected) in
        [("\"XavierNormal\"", InitScheme::XavierNormal), ("\"XavierUniform\"", InitScheme::XavierUniform)]
    {
        assert_eq!(serde_json::from_str::<InitScheme>(json).ok(), Some(expected), "{json}");
    }
    let message = InitScheme::parse("xavier-normal:-1").map_err(|e| e.to_string()).err().unwrap_or_default();
    assert!(message.contains("positive number or `tanh`"), "{message}");
}

#[test]
fn orthogonal_init_gives_orthonormal_columns_times_gain() {
    for (rows, cols, gain) in [(512, 512, 1.0), (64, 32, 2.0), (32, 64, 0.5)] {
        let w = InitScheme::Orthogonal { gain }.sample(
            rows,
            cols,
            ActivationKind::Relu,
            &mut zoo_models::init::layer_rng(5, 1),
        );
        // WᵀW = gain²·I for a tall (or square) matrix, WWᵀ = gain²·I for a wide one.
        let (outer, inner, at): (usize, usize, Entry) = if rows >= cols {
            (cols, rows, Box::new(|k: usize, i: usize| w[i * cols + k]))
        } else {
            (rows, cols, Box::new(|k: usize, i: usize| w[k * cols + i]))
        };
        let mut worst = 0.0f64;
        for a in 0..outer {
            for b in a..outer {
                let dot: f64 = (0..inner).map(|i| at(a, i) * at(b, i)).sum();
                let expected = if a == b { gain * gain } else { 0.0 };
                worst = worst.max((dot - expected).abs());
            }
        }
        assert!(worst < 1e-4, "orthogonal {rows}x{cols} gain {gain}: max deviation {worst}");
    }
}

#[test]
fn logits_and_gradients_agree_across_backends_for_every_activation() {
    let devices = devices();
    for activation in ActivationKind::ALL {
        let config = MlpConfig::new(4, vec![8, 6], 3).with_activation(activation).with_init(InitScheme::XavierNormal);
        let mut results = Vec::new();
        for (name, device) in &devices {
            let device = device.clone().autodiff();
            let mlp = config.init_seeded(7, &device);
            let x = tensor(inputs(40, 1), [10, 4], &device);
            let y = Tensor::<1, Int>::from_data(
                TensorData::new((0..10).map(|i| i % 3).collect::<Vec<i64>>(), [10]),
                &device,
            );
            let logits = mlp.forward(x);
            let grads = loss::cross_entropy(logits.clone(), y).backward();
            let g: Vec<Tensor<2>> =
                mlp.layers.iter().map(|l| l.weight.val().grad(&grads).expect("weight grad").inner()).collect();
            let logits = tensor(host(logits), [10, 3], &Device::flex());
            let g: Vec<Tensor<2>> = g
                .into_iter()
                .map(|t| {
                    let dims = t.dims();
                    tensor(host(t), dims, &Device::flex())
                })
                .collect();
            results.push((*name, logits, g));
        }
        let (_, reference_logits, reference_grads) = &results[0];
        for (name, logits, grads) in &results[1..] {
            assert_close(
                &format!("{activation} logits on {name}"),
                logits.clone(),
                reference_logits.clone(),
                1e-4,
                1e-5,
            );
            if activation == ActivationKind::Gelu {
                // Known upstream difference: the GELU backward of ndarray and wgpu differs from flex's by up to
                // ~2e-3 relative (the forward agrees); flex matches the exact derivative Φ(z) + z·φ(z) (claim i2).
                eprintln!("not compared: GELU gradients on {name} (known upstream difference, see README)");
                continue;
            }
            for (layer, (g, r)) in grads.iter().zip(reference_grads).enumerate() {
                assert_close(&format!("{activation} dW{} on {name}", layer + 1), g.clone(), r.clone(), 1e-4, 1e-5);
            }
        }
    }
}

/// Claim a1: an identity-activation MLP is one affine map, W_eff = W₁⋯W_L and b_eff folded through.
#[test]
fn identity_network_equals_its_folded_affine_map_at_every_depth() {
    let device = Device::flex();
    for depth in 1..=10 {
        let hidden = vec![6; depth - 1];
        let config = MlpConfig::new(5, hidden, 3)
            .with_activation(ActivationKind::Identity)
            .with_init(InitScheme::XavierNormal)
            .with_bias_init(zoo_models::BiasInit::Constant { value: 0.1 });
        let mlp = config.init_seeded(depth as u64, &device);
        let (mut w_eff, mut b_eff) = (Tensor::<2>::eye(5, &device), Tensor::<2>::zeros([1, 5], &device));
        for layer in &mlp.layers {
            let w = layer.weight.val();
            let b = layer.bias.as_ref().map(|b| b.val().unsqueeze_dim::<2>(0)).expect("bias");
            b_eff = b_eff.matmul(w.clone()) + b;
            w_eff = w_eff.matmul(w);
        }
        let x = tensor(inputs(5000, depth as u64), [1000, 5], &device);
        let folded = x.clone().matmul(w_eff) + b_eff;
        assert_close(&format!("identity depth {depth}"), mlp.forward(x), folded, 1e-4, 1e-5);
    }
}

/// Claim i2: the lesson's backward pass by hand equals Burn's autodiff for every activation and loss.
#[test]
fn hand_written_backward_equals_autodiff_for_every_activation() {
    let device = Device::flex().autodiff();
    let cases = [(LossKind::SoftmaxCrossEntropy, 3), (LossKind::BinaryCrossEntropy, 1)];
    for activation in ActivationKind::ALL {
        for (loss_kind, d_output) in cases {
            let mlp = MlpConfig::new(4, vec![9, 7], d_output)
                .with_activation(activation)
                .with_init(InitScheme::XavierNormal)
                .with_bias_init(zoo_models::BiasInit::Constant { value: 0.05 })
                .init_seeded(21, &device);
            let x = tensor(inputs(64, 9), [16, 4], &device);
            let classes = if d_output == 1 { 2 } else { d_output as i64 };
            let y = Tensor::<1, Int>::from_data(
                TensorData::new((0..16).map(|i| i % classes).collect::<Vec<i64>>(), [16]),
                &device,
            );
            let trace = mlp.forward_traced(x);
            let value = match loss_kind {
                LossKind::BinaryCrossEntropy => loss::binary_cross_entropy(trace.logits(), y.clone()),
                _ => loss::cross_entropy(trace.logits(), y.clone()),
            };
            let grads = value.backward();
            let by_hand = backward(&mlp, &trace, output_error_classes(loss_kind, trace.logits(), y));
            for (layer, (hand, linear)) in by_hand.iter().zip(&mlp.layers).enumerate() {
                let what = format!("{activation} {loss_kind:?} layer {}", layer + 1);
                let auto_w = linear.weight.val().grad(&grads).expect("weight grad");
                assert_close(&format!("{what} dW"), hand.weight.clone().inner(), auto_w, 1e-5, 1e-7);
                let auto_b = linear.bias.as_ref().and_then(|b| b.val().grad(&grads)).expect("bias grad");
                assert_close(&format!("{what} db"), hand.bias.clone().expect("bias").inner(), auto_b, 1e-5, 1e-7);
            }
        }
    }
}
