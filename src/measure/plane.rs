/*!
Float image planes (L*, smoothed lightness, background) and the pixel loops that fill them, and the photo's colour
in CIELAB.

The measurement keeps one full-resolution colour plane, L* in `f32`: dots are found on lightness. a* and b* are only
ever summed (over grid cells, over the treated and untreated skin) or sampled, so [`Colour`] works them out per
pixel from the 8-bit photo when asked (sRGB decoded through a 256-entry table, then the standard matrix and the
CIELAB function, all in `f32`), rather than holding two more 48 MB planes per 12 MP photo. No stage ever works in
8-bit Lab.
*/

use image::RgbImage;

use crate::colour::{linear_lut, D65_WHITE};

/// A single-channel `f32` image, row-major.
#[derive(Debug, Clone)]
pub struct Plane {
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// Row-major values, `width * height` of them.
    pub data: Vec<f32>,
}

impl Plane {
    /// A plane filled with one value.
    pub fn filled(width: usize, height: usize, value: f32) -> Self {
        Plane { width, height, data: vec![value; width * height] }
    }

    /// Value at (x, y).
    #[inline]
    pub fn get(&self, x: usize, y: usize) -> f32 {
        self.data[y * self.width + x]
    }

    /// Row `y` as a slice.
    pub fn row(&self, y: usize) -> &[f32] {
        &self.data[y * self.width..(y + 1) * self.width]
    }
}

#[inline]
fn lab_f(t: f32) -> f32 {
    const EPS: f32 = 216.0 / 24389.0;
    const KAPPA: f32 = 24389.0 / 27.0;
    if t > EPS {
        fast_cbrt(t)
    } else {
        (KAPPA * t + 16.0) / 116.0
    }
}

/// Cube root of a positive, normal `x`: an exponent-thirding first guess (about 5% off) refined by three Newton
/// steps `y <- (2y + x / y^2) / 3`, within 1e-6 relative of `cbrt` (tested) and several times faster than the libm
/// call, which dominated the colour conversion.
#[inline]
pub fn fast_cbrt(x: f32) -> f32 {
    let mut y = f32::from_bits(x.to_bits() / 3 + 709_921_077);
    for _ in 0..3 {
        y = (2.0 * y + x / (y * y)) * (1.0 / 3.0);
    }
    y
}

/// sRGB to CIELAB (D65) in `f32`, with per-channel gains on linear RGB (the reference card's calibration).
#[derive(Debug, Clone)]
struct LabConverter {
    luts: [[f32; 256]; 3],
    inv: [f32; 3],
}

impl LabConverter {
    /// A converter applying `gains` to linear R, G and B.
    fn new(gains: [f64; 3]) -> Self {
        let base = linear_lut();
        LabConverter {
            luts: std::array::from_fn(|c| base.map(|v| v * gains[c] as f32)),
            inv: D65_WHITE.map(|v| 1.0 / v as f32),
        }
    }

    /// Relative luminance Y / Yn of an 8-bit pixel.
    #[inline]
    fn y(&self, px: &[u8]) -> f32 {
        let (r, g, b) = (self.luts[0][px[0] as usize], self.luts[1][px[1] as usize], self.luts[2][px[2] as usize]);
        (0.212_672_9 * r + 0.715_152_2 * g + 0.072_175_0 * b) * self.inv[1]
    }

    /// L* of an 8-bit pixel.
    #[inline]
    fn lightness(&self, px: &[u8]) -> f32 {
        116.0 * lab_f(self.y(px)) - 16.0
    }

    /// L*, a*, b* of an 8-bit pixel whose L* is known (`l`): two cube roots instead of three.
    #[inline]
    fn lab_with_lightness(&self, px: &[u8], l: f32) -> [f32; 3] {
        let (r, g, b) = (self.luts[0][px[0] as usize], self.luts[1][px[1] as usize], self.luts[2][px[2] as usize]);
        let x = (0.412_456_4 * r + 0.357_576_1 * g + 0.180_437_5 * b) * self.inv[0];
        let z = (0.019_333_9 * r + 0.119_192 * g + 0.950_304_1 * b) * self.inv[2];
        let fy = (l + 16.0) * (1.0 / 116.0);
        [l, 500.0 * (lab_f(x) - fy), 200.0 * (fy - lab_f(z))]
    }
}

/// A photo's colour for the measurement: its L* plane, and a* and b* of any pixel on demand.
pub struct Colour<'a> {
    /// The 8-bit photo.
    pub img: &'a RgbImage,
    /// L* of every pixel.
    pub l: Plane,
    conv: LabConverter,
}

impl<'a> Colour<'a> {
    /// The L* plane of `img` after per-channel `gains` on linear RGB (one pass; a* and b* are not stored).
    pub fn new(img: &'a RgbImage, gains: [f64; 3]) -> Self {
        let conv = LabConverter::new(gains);
        let (w, h) = (img.width() as usize, img.height() as usize);
        let data = img.as_raw().chunks_exact(3).map(|px| conv.lightness(px)).collect();
        Colour { img, l: Plane { width: w, height: h, data }, conv }
    }

    /// L*, a*, b* of pixel `i` (row-major index); L* is exactly the plane's.
    #[inline]
    pub fn lab(&self, i: usize) -> [f32; 3] {
        self.conv.lab_with_lightness(&self.img.as_raw()[3 * i..3 * i + 3], self.l.data[i])
    }

    /// Sums of L*, a* and b* over the pixels `range` (row-major indices).
    pub fn lab_sum(&self, range: std::ops::Range<usize>) -> [f32; 3] {
        let px = self.img.as_raw()[3 * range.start..3 * range.end].chunks_exact(3);
        let mut t = [0f32; 3];
        for (px, &l) in px.zip(&self.l.data[range]) {
            let [l, a, b] = self.conv.lab_with_lightness(px, l);
            t = [t[0] + l, t[1] + a, t[2] + b];
        }
        t
    }
}

/// Smooths with the separable 3x3 binomial kernel `[1 2 1] / 4` (edges replicated). It takes the pixel noise down
/// to 0.375 of its standard deviation while keeping dots of 2 px and more almost at full depth.
pub fn binomial3(p: &Plane) -> Plane {
    let (w, h) = (p.width, p.height);
    let mut tmp = Plane::filled(w, h, 0.0);
    for y in 0..h {
        let src = p.row(y);
        let dst = &mut tmp.data[y * w..(y + 1) * w];
        for x in 0..w {
            let l = src[x.saturating_sub(1)];
            let r = src[(x + 1).min(w - 1)];
            dst[x] = 0.25 * (l + r) + 0.5 * src[x];
        }
    }
    let mut out = Plane::filled(w, h, 0.0);
    for y in 0..h {
        let (up, mid, down) = (tmp.row(y.saturating_sub(1)), tmp.row(y), tmp.row((y + 1).min(h - 1)));
        let dst = &mut out.data[y * w..(y + 1) * w];
        for x in 0..w {
            dst[x] = 0.25 * (up[x] + down[x]) + 0.5 * mid[x];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn fast_cube_root_matches_cbrt() {
        let mut worst = 0f32;
        let mut x = 216.0f32 / 24389.0;
        while x <= 1.2 {
            worst = worst.max((super::fast_cbrt(x) - x.cbrt()).abs() / x.cbrt());
            x *= 1.0007;
        }
        assert!(worst < 1e-6, "worst relative error {worst}");
    }

    use super::*;
    use crate::colour::srgb8_to_lab;

    #[test]
    fn colour_matches_the_f64_reference_conversion() {
        let img = RgbImage::from_fn(16, 16, |x, y| image::Rgb([(x * 16) as u8, (y * 16) as u8, 128]));
        let colour = Colour::new(&img, [1.0; 3]);
        for (x, y, px) in img.enumerate_pixels() {
            let want = srgb8_to_lab(px.0);
            let i = (y * 16 + x) as usize;
            let [l, a, b] = colour.lab(i);
            assert!((l as f64 - want.l).abs() < 0.01 && (a as f64 - want.a).abs() < 0.01);
            assert!((b as f64 - want.b).abs() < 0.01);
            assert_eq!(colour.l.data[i], l, "the plane's L* is the pixel's");
        }
    }

    #[test]
    fn gains_act_on_linear_rgb() {
        // Doubling linear R, G and B of mid grey (linear 0.2159) gives the grey of linear 0.4318: sRGB 175.6.
        let img = RgbImage::from_pixel(1, 1, image::Rgb([128, 128, 128]));
        let [l, a, b] = Colour::new(&img, [2.0; 3]).lab(0);
        let want = crate::colour::srgb8_to_lab([176, 176, 176]);
        assert!((l as f64 - want.l).abs() < 0.2 && a.abs() < 0.01 && b.abs() < 0.01, "{l} {a} {b}");
    }

    #[test]
    fn binomial_keeps_a_flat_plane_and_spreads_an_impulse() {
        let flat = binomial3(&Plane::filled(5, 4, 7.0));
        assert!(flat.data.iter().all(|&v| (v - 7.0).abs() < 1e-6));
        let mut imp = Plane::filled(5, 5, 0.0);
        imp.data[12] = 16.0;
        let s = binomial3(&imp);
        assert_eq!((s.get(2, 2), s.get(1, 2), s.get(1, 1)), (4.0, 2.0, 1.0));
        assert!((s.data.iter().sum::<f32>() - 16.0).abs() < 1e-4);
    }
}
