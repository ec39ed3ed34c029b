//! The table of every claim, in the lesson's order: adding a claim is adding one entry here.

use crate::claim::Claim;
use crate::{sec_a, sec_b, sec_b3, sec_c, sec_d, sec_e, sec_e2, sec_f, sec_g, sec_g2, sec_h, sec_i, sec_i3};

/// Every claim, in the lesson's order.
pub static CLAIMS: &[Claim] = &[
    sec_a::A1,
    sec_a::A2,
    sec_a::A3,
    sec_b::B1,
    sec_b::B2,
    sec_b3::B3,
    sec_c::C1,
    sec_c::C2,
    sec_c::C3,
    sec_d::D1,
    sec_d::D2,
    sec_e::E1,
    sec_e2::E2,
    sec_e::E3,
    sec_f::F,
    sec_g::G1,
    sec_g2::G2,
    sec_h::H1,
    sec_h::H2,
    sec_h::H3,
    sec_i::I1,
    sec_i::I2,
    sec_i3::I3,
];
