//! The probe definitions of CLAIMS.md on small hand-made cases, and a probe over a real network.

use burn::prelude::*;
use zoo_models::ActivationKind;
use zoo_train::{dead_fraction, row_spread, saturated_fraction};

#[test]
fn saturation_follows_the_claims_definitions() {
    let check = |activation: ActivationKind, values: &[f32], expected: Option<f64>| {
        assert_eq!(saturated_fraction(activation, values), expected, "{activation} on {values:?}");
    };
    check(ActivationKind::Tanh, &[0.98, -0.99, 0.5, 0.97], Some(0.5));
    check(ActivationKind::Sigmoid, &[0.02, 0.98, 0.5, 0.03], Some(0.5));
    check(ActivationKind::SigmoidCentered, &[0.48, -0.48, 0.0, 0.47], Some(0.5));
    check(ActivationKind::Relu, &[10.0, 0.0], None);
}

#[test]
fn a_unit_is_dead_when_it_is_never_positive() {
    let check = |z: &[f32], width: usize, expected: f64| assert_eq!(dead_fraction(z, width), expected, "{z:?}");
    // Rows are examples, columns units.
    check(&[-1.0, 2.0, 0.0, 3.0], 2, 0.5);
    check(&[-1.0, -2.0, 0.0, -3.0], 2, 1.0);
    check(&[1.0, 2.0, -1.0, 3.0], 2, 0.0);
    check(&[0.0, 0.0, 0.0], 3, 1.0);
}

#[test]
fn row_spread_is_the_widest_distance_between_units() {
    let check = |w: &[f32], units: usize, expected: f64| {
        assert!((row_spread(w, units) - expected).abs() < 1e-12, "{w:?}: {}", row_spread(w, units));
    };
    // Burn's layout [inputs, units]: unit j's weights are column j.
    check(&[0.5, 0.5, 0.5, 0.5], 2, 0.0);
    check(&[0.0, 3.0, 0.0, 4.0], 2, 5.0);
    check(&[1.0, 1.0, 4.0], 3, 3.0);
}

#[test]
fn probes_see_vanishing_deltas_in_a_deep_sigmoid_network_but_not_with_relu() {
    use zoo_models::{InitScheme, MlpConfig};
    let device = Device::flex().autodiff();
    let ratio = |activation, init| {
        let mlp =
            MlpConfig::new(16, vec![64; 9], 4).with_activation(activation).with_init(init).init_seeded(1, &device);
        let x = zoo_tests::tensor(zoo_tests::inputs(16 * 128, 2), [128, 16], &Device::flex());
        let y = Tensor::<1, Int>::from_data(
            TensorData::new((0..128).map(|i| i % 4).collect::<Vec<i64>>(), [128]),
            &Device::flex(),
        );
        let set = zoo_train::DeviceSet { x, y: zoo_datasets::Targets::Classes(y), len: 128 };
        let probes =
            zoo_train::probe(&mlp, &zoo_train::ProbeSet::new(&set, 128, zoo_models::LossKind::SoftmaxCrossEntropy));
        probes[0].delta_rms / probes[probes.len() - 1].delta_rms
    };
    let sigmoid = ratio(ActivationKind::Sigmoid, InitScheme::XavierNormal);
    let relu = ratio(ActivationKind::Relu, InitScheme::HeNormal);
    assert!(sigmoid < 1e-4, "sigmoid rho_delta {sigmoid}");
    assert!((0.3..=3.0).contains(&relu), "relu rho_delta {relu}");
}
