/*!
Colour conversion: 8-bit sRGB -> linear RGB -> CIE XYZ (D65) -> CIELAB, in floating point.

Follows `shared/MEASUREMENTS.md`: the piecewise sRGB transfer curve of IEC 61966-2-1, the standard sRGB to XYZ
matrix, and CIELAB with the D65 white (Xn 0.95047, Yn 1.0, Zn 1.08883). 8-bit Lab is never used: it quantises a*
in steps of about one unit, as large as the day-to-day redness change we measure.
*/

/// D65 reference white used for CIELAB (Xn, Yn, Zn).
pub const D65_WHITE: [f64; 3] = [0.95047, 1.0, 1.08883];

/// A CIELAB colour (L* 0-100, a* and b* roughly -128..128).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lab {
    /// Lightness L*.
    pub l: f64,
    /// Green (-) to red (+) a*.
    pub a: f64,
    /// Blue (-) to yellow (+) b*.
    pub b: f64,
}

/// sRGB transfer curve, decoded: an sRGB component in 0..=1 to linear light in 0..=1.
pub fn srgb_to_linear(c: f64) -> f64 {
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

/// sRGB transfer curve, encoded: linear light in 0..=1 to an sRGB component in 0..=1.
pub fn linear_to_srgb(c: f64) -> f64 {
    if c <= 0.003_130_8 {
        c * 12.92
    } else {
        1.055 * c.powf(1.0 / 2.4) - 0.055
    }
}

/// Linear value of every 8-bit sRGB code, so pixel loops never call `powf`.
pub fn linear_lut() -> [f32; 256] {
    let mut lut = [0f32; 256];
    for (i, v) in lut.iter_mut().enumerate() {
        *v = srgb_to_linear(i as f64 / 255.0) as f32;
    }
    lut
}

/// The IEC 61966-2-1 matrix from linear sRGB to XYZ (D65), by rows (X, Y, Z).
pub const SRGB_TO_XYZ: [[f64; 3]; 3] = [
    [0.412_456_4, 0.357_576_1, 0.180_437_5],
    [0.212_672_9, 0.715_152_2, 0.072_175_0],
    [0.019_333_9, 0.119_192_0, 0.950_304_1],
];

/// Linear RGB (0..=1) to XYZ with the IEC 61966-2-1 matrix (D65).
pub fn linear_rgb_to_xyz(rgb: [f64; 3]) -> [f64; 3] {
    SRGB_TO_XYZ.map(|row| row[0] * rgb[0] + row[1] * rgb[1] + row[2] * rgb[2])
}

/// XYZ back to linear RGB (inverse of [`linear_rgb_to_xyz`]).
pub fn xyz_to_linear_rgb(xyz: [f64; 3]) -> [f64; 3] {
    let [x, y, z] = xyz;
    [
        3.240_454_2 * x - 1.537_138_5 * y - 0.498_531_4 * z,
        -0.969_266_0 * x + 1.876_010_8 * y + 0.041_556_0 * z,
        0.055_643_4 * x - 0.204_025_9 * y + 1.057_225_2 * z,
    ]
}

const EPSILON: f64 = 216.0 / 24389.0;
const KAPPA: f64 = 24389.0 / 27.0;

/// The CIELAB function of a relative tristimulus value (`X / Xn`, `Y / Yn` or `Z / Zn`).
pub(crate) fn lab_f(t: f64) -> f64 {
    if t > EPSILON {
        t.cbrt()
    } else {
        (KAPPA * t + 16.0) / 116.0
    }
}

fn lab_f_inv(f: f64) -> f64 {
    let t = f * f * f;
    if t > EPSILON {
        t
    } else {
        (116.0 * f - 16.0) / KAPPA
    }
}

/// XYZ (D65) to CIELAB.
pub fn xyz_to_lab(xyz: [f64; 3]) -> Lab {
    xyz_to_lab_with_white(xyz, D65_WHITE)
}

/// XYZ to CIELAB relative to a given reference white (Xn, Yn, Zn).
pub fn xyz_to_lab_with_white(xyz: [f64; 3], white: [f64; 3]) -> Lab {
    let fx = lab_f(xyz[0] / white[0]);
    let fy = lab_f(xyz[1] / white[1]);
    let fz = lab_f(xyz[2] / white[2]);
    Lab { l: 116.0 * fy - 16.0, a: 500.0 * (fx - fy), b: 200.0 * (fy - fz) }
}

/// CIELAB to XYZ (D65).
pub fn lab_to_xyz(lab: Lab) -> [f64; 3] {
    let fy = (lab.l + 16.0) / 116.0;
    let fx = fy + lab.a / 500.0;
    let fz = fy - lab.b / 200.0;
    [lab_f_inv(fx) * D65_WHITE[0], lab_f_inv(fy) * D65_WHITE[1], lab_f_inv(fz) * D65_WHITE[2]]
}

/// Linear RGB (0..=1) to CIELAB.
pub fn linear_rgb_to_lab(rgb: [f64; 3]) -> Lab {
    xyz_to_lab(linear_rgb_to_xyz(rgb))
}

/// CIELAB to linear RGB (components may fall outside 0..=1 for out-of-gamut colours).
pub fn lab_to_linear_rgb(lab: Lab) -> [f64; 3] {
    xyz_to_linear_rgb(lab_to_xyz(lab))
}

/// 8-bit sRGB to CIELAB.
pub fn srgb8_to_lab(rgb: [u8; 3]) -> Lab {
    linear_rgb_to_lab(rgb.map(|c| srgb_to_linear(c as f64 / 255.0)))
}

/// CIELAB to 8-bit sRGB, rounded and clamped to the gamut.
pub fn lab_to_srgb8(lab: Lab) -> [u8; 3] {
    lab_to_linear_rgb(lab).map(|c| (linear_to_srgb(c.clamp(0.0, 1.0)) * 255.0).round() as u8)
}

/// Individual typology angle in degrees, `atan2(L* - 50, b*) * 180 / pi` (Chardon et al. 1991).
pub fn ita_deg(l: f64, b: f64) -> f64 {
    (l - 50.0).atan2(b).to_degrees()
}

/// Erythema index of one pixel, `100 * log10(R / G)` on linear RGB (after Diffey et al. 1984; Dawson et al. 1980).
pub fn erythema_index(r_lin: f64, g_lin: f64) -> f64 {
    100.0 * (r_lin.max(1e-6) / g_lin.max(1e-6)).log10()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn srgb_red_matches_published_lab() {
        let lab = srgb8_to_lab([255, 0, 0]);
        assert!(close(lab.l, 53.24, 0.01), "{lab:?}");
        assert!(close(lab.a, 80.09, 0.01), "{lab:?}");
        assert!(close(lab.b, 67.20, 0.01), "{lab:?}");
    }

    #[test]
    fn srgb_white_is_lab_100_0_0() {
        let lab = srgb8_to_lab([255, 255, 255]);
        assert!(close(lab.l, 100.0, 0.01) && close(lab.a, 0.0, 0.01) && close(lab.b, 0.0, 0.01), "{lab:?}");
    }

    #[test]
    fn black_and_mid_grey_match_published_lab() {
        let black = srgb8_to_lab([0, 0, 0]);
        assert!(close(black.l, 0.0, 1e-9) && close(black.a, 0.0, 1e-9));
        // sRGB (119,119,119) is the usual "L* 50" grey: L* 50.03 (Lindbloom's calculator).
        let grey = srgb8_to_lab([119, 119, 119]);
        assert!(close(grey.l, 50.03, 0.02) && close(grey.a, 0.0, 0.01), "{grey:?}");
    }

    /// The ColorChecker skin patches as sRGB codes (Pascale, "RGB coordinates of the Macbeth ColorChecker",
    /// BabelColor 2006), with their CIELAB D65 values from colour-science 0.4 (`sRGB_to_XYZ` then `XYZ_to_Lab`
    /// with the CIE 1931 D65 white), an independent implementation.
    #[test]
    fn colorchecker_skin_patches_match_reference_lab() {
        let cases = [([115u8, 82, 68], [38.016, 11.800, 13.665]), ([194, 150, 130], [65.666, 13.680, 16.900])];
        for (rgb, want) in cases {
            let lab = srgb8_to_lab(rgb);
            assert!(close(lab.l, want[0], 0.02), "{rgb:?}: {lab:?}");
            assert!(close(lab.a, want[1], 0.02), "{rgb:?}: {lab:?}");
            assert!(close(lab.b, want[2], 0.02), "{rgb:?}: {lab:?}");
        }
    }

    #[test]
    fn lab_round_trips_through_xyz() {
        for lab in [Lab { l: 65.0, a: 14.0, b: 17.0 }, Lab { l: 30.0, a: 10.0, b: 12.0 }] {
            let back = xyz_to_lab(lab_to_xyz(lab));
            assert!(close(back.l, lab.l, 1e-9) && close(back.a, lab.a, 1e-9) && close(back.b, lab.b, 1e-9));
        }
    }

    #[test]
    fn srgb8_round_trips_through_lab() {
        for rgb in [[0u8, 0, 0], [194, 150, 130], [255, 255, 255], [12, 200, 90]] {
            assert_eq!(lab_to_srgb8(srgb8_to_lab(rgb)), rgb);
        }
    }

    #[test]
    fn ita_of_light_and_dark_skin() {
        assert!(close(ita_deg(70.0, 15.0), 53.13, 0.01));
        assert!(ita_deg(35.0, 20.0) < -30.0);
    }
}
