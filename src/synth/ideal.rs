/*!
The ideal optical image of one dot, measured as `shared/MEASUREMENTS.md` ("Per dot") defines it.

The ideal image is what the renderer puts on the sensor for the dot alone on uniform clean skin (the diffuse and
specular colour of the pixel under its centre, which the dot's transmittance was solved for): the same outline
(irregular, foreshortened), the same per-channel filter over the diffuse light with the shine on top, integrated
over the pixel area and blurred with the renderer's point-spread function, but with no noise, quantisation, JPEG,
neighbouring dots, pores or hairs. Since blur is linear and the skin uniform, its linear RGB at a point x is

  diffuse * (1 - coverage(x) * (1 - T)) + shine,

where coverage(x) = (outline indicator * pixel box * PSF)(x) is the share of the dot's pigment seen by a pixel
centred on x. The PSF is the renderer's: the normalised Gaussian taps at whole-pixel offsets of `optics.rs` (one
tap for sigma below 0.05 px), so at every pixel centre of a photo the ideal image is the noise-free rendered value
(up to the renderer's 4 x 4 supersampling of edge pixels). From sigma 0.6 px on the taps blur like a continuous
Gaussian; below they blur less (at 0.4 px, variance 0.08 px^2 instead of 0.16), and the image follows the taps.

coverage is evaluated on a lattice aligned with the image, samples at (k + 1/2) / 8 px (8 x 8 per pixel; for dots
over 8 px wide, 32 steps per outline radius), everywhere the blurred dot can reach. The outline's share of each
lattice cell is exact where the cell is clearly inside or outside and cut by the outline's tangent where the
outline crosses it; the cells are then blurred exactly with the cell-integrated kernel (working on cells adds a
blur of variance step^2 / 6, under 0.4% of a 2 px dot's depth at sigma 0.8). Then, with L* as in `colour.rs`:
- L_bg is the L* of the clean skin; the darkest value is that of the largest coverage, `c_max`.
- "Half depth" is half way in linear luminance Y between Y(L_bg) and Y(darkest), as the measurer implements it.
  Y is affine in coverage, so the samples darker than that are those with coverage above `c_max / 2`.
- The region is the 4-connected set of such samples holding the darkest sample; `diameter` = 2 sqrt(area / pi).
- The core is every sample within half the equivalent radius of the region's centroid (at least the sample
  nearest to it); `contrast` = (L_bg - mean L* of the core) / L_bg.

A sharp dot comes out at its full pigment and at its outline: the half-coverage contour of the box-filtered outline,
pulled in by about 1 / (24 r) px by the curvature (0.5% of a 6 px dot's diameter, 3% of a 2.5 px one's). Blur
pulls the contour of a large dot in by about sigma^2 / (2 r) and makes small dots lighter and wider, as any
measurer following the definitions sees them. Per-dot values of 2 px dots carry lattice noise of up to about 1%; it
averages out in medians, as dots fall at every sub-pixel phase.
*/

mod coverage;

use super::raster::Blob;
use crate::colour::{linear_rgb_to_lab, linear_rgb_to_xyz};
use coverage::{coverage, Coverage};

/// The colours a dot is composited with, as in the renderer.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Look {
    /// Per-channel transmittance of the pigment.
    pub t: [f32; 3],
    /// Diffuse light of the clean skin under the dot, linear RGB.
    pub diffuse: [f64; 3],
    /// Specular light there (after the white-balance cast), unchanged by the pigment.
    pub shine: [f64; 3],
}

impl Look {
    /// Linear RGB where a share `cov` of the pigment is seen.
    fn colour(&self, cov: f64) -> [f64; 3] {
        std::array::from_fn(|c| self.diffuse[c] * (1.0 - cov * (1.0 - self.t[c] as f64)) + self.shine[c])
    }
}

/// The per-dot metrics of the ideal image.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Metrics {
    /// Equivalent diameter of the half-depth region, pixels.
    pub diameter: f64,
    /// Weber contrast of the core against the clean skin.
    pub contrast: f64,
}

/// The half-depth region of a coverage map: (sample count, centroid in lattice indices), or `None` when nothing is
/// covered. The darkest sample lies in the dense box.
fn region(cov: &Coverage) -> Option<(usize, [f64; 2])> {
    let n = cov.n;
    let [k0, l0, bw, _] = cov.bx;
    let (top, &peak) = cov.v.iter().enumerate().fold((0, &0f32), |b, (i, v)| if *v > *b.1 { (i, v) } else { b });
    if peak <= 0.0 {
        return None;
    }
    let start = (l0 + top / bw) * n + k0 + top % bw;
    let thr = 0.5 * peak;
    let mut seen = vec![false; n * n];
    let mut stack = vec![start];
    seen[start] = true;
    let (mut count, mut sum) = (0usize, [0f64; 2]);
    while let Some(i) = stack.pop() {
        let (x, y) = (i % n, i / n);
        count += 1;
        sum[0] += x as f64;
        sum[1] += y as f64;
        let nbrs = [
            (x > 0).then(|| i - 1),
            (x + 1 < n).then_some(i + 1),
            (y > 0).then(|| i - n),
            (y + 1 < n).then_some(i + n),
        ];
        for j in nbrs.into_iter().flatten() {
            if !seen[j] && cov.at(j % n, j / n) > thr {
                seen[j] = true;
                stack.push(j);
            }
        }
    }
    Some((count, [sum[0] / count as f64, sum[1] / count as f64]))
}

/// CIELAB L* of a relative luminance Y (white Y = 1), as `colour.rs` computes it.
fn l_of_y(y: f64) -> f64 {
    const EPSILON: f64 = 216.0 / 24389.0;
    const KAPPA: f64 = 24389.0 / 27.0;
    if y > EPSILON {
        116.0 * y.cbrt() - 16.0
    } else {
        KAPPA * y
    }
}

/// Diameter and Weber contrast of the dot's ideal image; `None` when the dot leaves no mark (no pigment seen, no
/// light absorbed, or a degenerate outline).
pub(crate) fn measure(blob: &Blob, look: &Look, taps: &[f32]) -> Option<Metrics> {
    let outer = blob.outer_radius();
    if !(outer.is_finite() && outer > 0.0) {
        return None;
    }
    // Luminance is affine in the coverage: Y(cov) = y_bg - cov * y_abs.
    let y_bg = linear_rgb_to_xyz(look.colour(0.0))[1];
    let y_abs = y_bg - linear_rgb_to_xyz(look.colour(1.0))[1];
    if y_abs.is_nan() || y_abs <= 1e-12 {
        return None;
    }
    let cov = coverage(blob, taps);
    let (count, centroid) = region(&cov)?;
    let step = cov.step;
    let radius = (count as f64 * step * step / std::f64::consts::PI).sqrt();
    let l_bg = linear_rgb_to_lab(look.colour(0.0)).l;
    // The core, in lattice samples around the centroid.
    let core = 0.5 * radius / step;
    let last = cov.n - 1;
    let [cx, cy] = centroid;
    let lo = |c: f64| (c - core).ceil().clamp(0.0, last as f64) as usize;
    let hi = |c: f64| (c + core).floor().clamp(0.0, last as f64) as usize;
    let l_at = |k: usize, l: usize| l_of_y(y_bg - cov.at(k, l) as f64 * y_abs);
    let (mut sum, mut k) = (0.0, 0usize);
    for y in lo(cy)..=hi(cy) {
        for x in lo(cx)..=hi(cx) {
            if (x as f64 - cx).powi(2) + (y as f64 - cy).powi(2) <= core * core {
                sum += l_at(x, y);
                k += 1;
            }
        }
    }
    if k == 0 {
        let at = |c: f64| c.round().clamp(0.0, last as f64) as usize;
        (sum, k) = (l_at(at(cx), at(cy)), 1);
    }
    let contrast = if l_bg > 0.0 { (l_bg - sum / k as f64) / l_bg } else { 0.0 };
    Some(Metrics { diameter: 2.0 * radius, contrast })
}

#[cfg(test)]
mod tests;
