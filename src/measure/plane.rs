/*!
Float image planes (L*, smoothed lightness, background) and the pixel loops that fill them, and the photo's colour
in CIELAB.

The measurement keeps one full-resolution colour plane, L* in `f32`: dots are found on lightness. a* and b* are only
ever summed (over grid cells, over the treated and untreated skin) or sampled, so [`Colour`] works them out per
pixel from the 8-bit photo when asked (sRGB decoded through a 256-entry table, then the standard matrix and the
CIELAB function read from a fine table, all in `f32`), rather than holding two more 48 MB planes per 12 MP photo.
No stage ever works in 8-bit Lab.
*/

use image::RgbImage;

use crate::colour::{linear_lut, D65_WHITE, SRGB_TO_XYZ};

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

/// The exact CIELAB function in `f32`, to fill [`LabTable`].
fn lab_f(t: f32) -> f32 {
    crate::colour::lab_f(t as f64) as f32
}

/// Intervals of the tabulated CIELAB function [`LabTable`].
const LAB_TABLE_STEPS: usize = 4096;

/// The CIELAB function `f(t)` tabulated over `0..=t_max` and read by linear interpolation: a few operations per
/// value instead of a cube root (two table reads, no division), and a loop the compiler can keep in registers.
/// With 4096 intervals over `t_max` near 1, the error is under 1e-5 in `f` (about 1e-3 in L*, 5e-3 in a*; tested),
/// largest at the knee `t = 216/24389`, where the curvature is greatest.
#[derive(Debug, Clone)]
struct LabTable {
    scale: f32,
    f: Vec<f32>,
}

impl LabTable {
    fn new(t_max: f32) -> Self {
        let t_max = t_max.max(1e-3);
        let f = (0..=LAB_TABLE_STEPS + 1).map(|k| lab_f(k as f32 * t_max / LAB_TABLE_STEPS as f32)).collect();
        LabTable { scale: LAB_TABLE_STEPS as f32 / t_max, f }
    }

    /// `f(t)` for `t` in `0..=t_max` (clamped).
    #[inline(always)]
    fn at(&self, t: f32) -> f32 {
        let u = (t * self.scale).clamp(0.0, LAB_TABLE_STEPS as f32);
        let k = u as usize;
        let (f0, f1) = (self.f[k], self.f[k + 1]);
        f0 + (u - k as f32) * (f1 - f0)
    }
}

/// sRGB to CIELAB (D65) in `f32`, with per-channel gains on linear RGB (the reference card's calibration).
#[derive(Debug, Clone)]
struct LabConverter {
    luts: [[f32; 256]; 3],
    inv: [f32; 3],
    table: LabTable,
}

/// [`SRGB_TO_XYZ`] in `f32`.
const RGB_TO_XYZ: [[f32; 3]; 3] = {
    let m = SRGB_TO_XYZ;
    [
        [m[0][0] as f32, m[0][1] as f32, m[0][2] as f32],
        [m[1][0] as f32, m[1][1] as f32, m[1][2] as f32],
        [m[2][0] as f32, m[2][1] as f32, m[2][2] as f32],
    ]
};

impl LabConverter {
    /// A converter applying `gains` to linear R, G and B.
    fn new(gains: [f64; 3]) -> Self {
        let base = linear_lut();
        let luts: [[f32; 256]; 3] = std::array::from_fn(|c| base.map(|v| v * gains[c] as f32));
        let inv = D65_WHITE.map(|v| 1.0 / v as f32);
        // The largest X/Xn, Y/Yn or Z/Zn any 8-bit pixel can reach.
        let t_max = (0..3)
            .map(|k| (0..3).map(|c| RGB_TO_XYZ[k][c] * luts[c][255].max(0.0)).sum::<f32>() * inv[k])
            .fold(0f32, f32::max);
        LabConverter { luts, inv, table: LabTable::new(t_max) }
    }

    /// Relative luminance Y / Yn of an 8-bit pixel.
    #[inline]
    fn y(&self, px: &[u8]) -> f32 {
        let (r, g, b) = (self.luts[0][px[0] as usize], self.luts[1][px[1] as usize], self.luts[2][px[2] as usize]);
        let m = RGB_TO_XYZ[1];
        (m[0] * r + m[1] * g + m[2] * b) * self.inv[1]
    }

    /// L* of an 8-bit pixel.
    #[inline]
    fn lightness(&self, px: &[u8]) -> f32 {
        116.0 * self.table.at(self.y(px)) - 16.0
    }

    /// L*, a*, b* of an 8-bit pixel whose L* is known (`l`).
    #[inline(always)]
    fn lab_with_lightness(&self, px: &[u8], l: f32) -> [f32; 3] {
        let (r, g, b) = (self.luts[0][px[0] as usize], self.luts[1][px[1] as usize], self.luts[2][px[2] as usize]);
        let [mx, _, mz] = RGB_TO_XYZ;
        let x = (mx[0] * r + mx[1] * g + mx[2] * b) * self.inv[0];
        let z = (mz[0] * r + mz[1] * g + mz[2] * b) * self.inv[2];
        let fy = (l + 16.0) * (1.0 / 116.0);
        [l, 500.0 * (self.table.at(x) - fy), 200.0 * (fy - self.table.at(z))]
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

    /// Sums of linear R, G and B (after the gains) over each run of `f` pixels of row `y` (the last run may be
    /// shorter), into `sums` (one per run).
    pub fn linear_run_sums(&self, y: usize, f: usize, sums: &mut [[f32; 3]]) {
        let w = self.l.width;
        let [lr, lg, lb] = &self.conv.luts;
        let px = self.img.as_raw()[3 * y * w..3 * (y + 1) * w].chunks(3 * f);
        for (t, px) in sums.iter_mut().zip(px) {
            *t = px.chunks_exact(3).fold([0f32; 3], |acc, p| {
                [acc[0] + lr[p[0] as usize], acc[1] + lg[p[1] as usize], acc[2] + lb[p[2] as usize]]
            });
        }
    }

    /// L*, a*, b* of a linear RGB colour (gains already applied).
    pub fn lab_of_linear(&self, rgb: [f32; 3]) -> [f32; 3] {
        let t = &self.conv.table;
        let xyz: [f32; 3] = std::array::from_fn(|k| {
            (RGB_TO_XYZ[k][0] * rgb[0] + RGB_TO_XYZ[k][1] * rgb[1] + RGB_TO_XYZ[k][2] * rgb[2]) * self.conv.inv[k]
        });
        let fy = t.at(xyz[1]);
        [116.0 * fy - 16.0, 500.0 * (t.at(xyz[0]) - fy), 200.0 * (fy - t.at(xyz[2]))]
    }
}

/// Smooths with the separable 3x3 binomial kernel `[1 2 1] / 4` (edges replicated). It takes the pixel noise down
/// to 0.375 of its standard deviation while keeping dots of 2 px and more almost at full depth.
pub fn binomial3(p: &Plane) -> Plane {
    let (w, h) = (p.width, p.height);
    // Along x into a ring of three rows, then along y straight into the output: one pass over the photo, no
    // intermediate plane, and no edge tests inside a row, so the loops vectorise.
    let along_x = |y: usize, dst: &mut Vec<f32>| {
        let src = p.row(y);
        dst.clear();
        if w < 2 {
            dst.extend_from_slice(src);
            return;
        }
        dst.push(0.25 * (src[0] + src[1]) + 0.5 * src[0]);
        dst.extend(src.windows(3).map(|t| 0.25 * (t[0] + t[2]) + 0.5 * t[1]));
        dst.push(0.25 * (src[w - 2] + src[w - 1]) + 0.5 * src[w - 1]);
    };
    let mut out = Vec::with_capacity(w * h);
    if h == 0 {
        return Plane { width: w, height: h, data: out };
    }
    let (mut up, mut mid, mut down) = (Vec::with_capacity(w), Vec::with_capacity(w), Vec::with_capacity(w));
    along_x(0, &mut mid);
    up.clone_from(&mid);
    for y in 0..h {
        if y + 1 < h {
            along_x(y + 1, &mut down);
        } else {
            down.clone_from(&mid);
        }
        out.extend(up.iter().zip(&mid).zip(&down).map(|((&u, &m), &d)| 0.25 * (u + d) + 0.5 * m));
        // The rows move up one: the old `up` is reused for the next `down`.
        std::mem::swap(&mut up, &mut mid);
        std::mem::swap(&mut mid, &mut down);
    }
    Plane { width: w, height: h, data: out }
}

/// The 4-connected neighbours of cell `i` of a `w x h` row-major grid.
pub(super) fn four_neighbours(i: usize, w: usize, h: usize) -> impl Iterator<Item = usize> {
    let (x, y) = (i % w, i / w);
    [(x > 0).then(|| i - 1), (x + 1 < w).then(|| i + 1), (y > 0).then(|| i - w), (y + 1 < h).then(|| i + w)]
        .into_iter()
        .flatten()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_tabulated_lab_function_is_within_1e_5_of_the_exact_one() {
        let table = super::LabTable::new(1.2);
        let mut worst = 0f32;
        for k in 0..=120_000 {
            let t = k as f32 * 1e-5;
            worst = worst.max((table.at(t) - super::lab_f(t)).abs());
        }
        assert!(worst < 1e-5, "worst error {worst}");
        assert!(worst > 0.0, "the table interpolates");
    }

    use super::*;
    use crate::colour::srgb8_to_lab;

    /// A run of one colour sums to its count times the colour's linear RGB, and the CIELAB of the mean is the
    /// colour's; a run of two colours gives the colour of their mean light (a 50:50 mix of black and white is
    /// mid-grey in light, L* 76, not the mean of their L*, 50).
    #[test]
    fn cells_take_the_colour_of_their_mean_light() {
        let (skin, white, black) = ([224u8, 172, 150], [255u8; 3], [0u8; 3]);
        let img = RgbImage::from_fn(8, 1, |x, _| {
            image::Rgb(if x < 4 {
                skin
            } else if x % 2 == 0 {
                white
            } else {
                black
            })
        });
        let colour = Colour::new(&img, [1.0; 3]);
        let mut sums = [[0f32; 3]; 2];
        colour.linear_run_sums(0, 4, &mut sums);
        let [l, a, b] = colour.lab_of_linear(sums[0].map(|v| v / 4.0));
        let want = srgb8_to_lab(skin);
        assert!(
            (l as f64 - want.l).abs() < 0.01 && (a as f64 - want.a).abs() < 0.01 && (b as f64 - want.b).abs() < 0.01
        );
        let [l, a, b] = colour.lab_of_linear(sums[1].map(|v| v / 4.0));
        assert!((l - 76.07).abs() < 0.01 && a.abs() < 0.01 && b.abs() < 0.01, "{l} {a} {b}");
    }

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

    /// The vectorised passes give exactly `[1 2 1] / 4` along x then y with edges replicated, on any size.
    #[test]
    fn binomial_matches_the_plain_formula_bit_for_bit() {
        for (w, h) in [(1, 1), (1, 4), (2, 3), (7, 5), (33, 9)] {
            let mut p = Plane::filled(w, h, 0.0);
            for (i, v) in p.data.iter_mut().enumerate() {
                *v = ((i * 7919) % 101) as f32 * 0.37;
            }
            let at = |q: &[f32], x: i64, y: i64| {
                q[(y.clamp(0, h as i64 - 1) as usize) * w + x.clamp(0, w as i64 - 1) as usize]
            };
            let tmp: Vec<f32> = (0..w * h)
                .map(|i| {
                    let (x, y) = ((i % w) as i64, (i / w) as i64);
                    0.25 * (at(&p.data, x - 1, y) + at(&p.data, x + 1, y)) + 0.5 * at(&p.data, x, y)
                })
                .collect();
            let want: Vec<f32> = (0..w * h)
                .map(|i| {
                    let (x, y) = ((i % w) as i64, (i / w) as i64);
                    0.25 * (at(&tmp, x, y - 1) + at(&tmp, x, y + 1)) + 0.5 * at(&tmp, x, y)
                })
                .collect();
            assert_eq!(binomial3(&p).data, want, "{w}x{h}");
        }
    }
}
