/*!
Ground truth of a synthetic photo, computed exactly from what was rendered.

Definitions (they follow `shared/MEASUREMENTS.md`; image coordinates put pixel (i, j) over [i, i+1) x [j, j+1)):
- clean layer: the photo without dots, pores, hairs, blur, noise or JPEG; lighting, shading, redness, moles,
  shine and white balance included. Stored as f32 linear RGB, so values are exact to about 1e-4.
- treated mask: pixels of the treated (dotted) zone whose clean colour is skin, with no channel at or above 250
  (8-bit sRGB: clipped shine is out) and some channel above 10 (not near-black), resolvable (where the scalp turns
  away, a dot's foreshortened minor axis, normal z times its diameter, must be at least 1 px, and the surface
  within 78 degrees of facing the camera), and not in a hair fringe (within one dot pitch of a loose strand
  falling from a hair mass: that skin is covered by hair).
- a dot or stubble hair is "in the treated zone" when the pixel under its centre (a hair: its midpoint) is in the
  treated mask, which also puts it inside the frame.
- per dot (`TrueDot::diameter`, `TrueDot::contrast`): the `MEASUREMENTS.md` definitions applied to the dot's ideal
  optical image (`ideal.rs`): the dot alone on the uniform clean skin of its centre pixel, with its outline,
  transmittance, and the shine and cast there, integrated over pixel areas and blurred with the photo's PSF (the
  renderer's Gaussian taps), without noise, JPEG, other dots, pores or hairs; evaluated on a lattice of 8 x 8
  samples per pixel (coarser for dots over 8 px). Background: the clean skin's L*. Region: the connected samples
  darker than half way in linear luminance Y (how the measurer implements "half way") between the background and
  the darkest value; `diameter` = 2 sqrt(area / pi). Core: the samples within half the equivalent radius of the
  region's centroid; `contrast` = (L_bg - mean core L*) / L_bg. Small dots under blur are thus lighter and wider
  than their outline; sharp or large dots match it. A dot that absorbs no light keeps its nominal values.
- nominal dot values (`nominal_diameter`, `nominal_contrast`): the equivalent diameter 2 sqrt(area / pi) of the
  projected outline (exact, analytic) and the Weber contrast of the fully pigmented colour at the centre pixel
  against the clean layer (before blur), which the dot's transmittance was solved for.
- `dot_diameter_px`, `dot_contrast`: medians of the per-dot `diameter` and `contrast` over the counted dots.
  `dot_coverage` stays nominal: the sum of the counted dots' analytic outline areas over the treated pixels.
- redness (`redness_a`, `erythema_index`, `ita_deg`; and the untreated reference alike) leaves out shiny pixels,
  whose specular light exceeds 30% of their diffuse luminance (specular light is not skin colour);
- redness (`redness_a`, `erythema_index`, `ita_deg`): over the treated mask minus pixels within 2 px (Euclidean) of
  any dot or drawn hair (stubble, and also eyebrow, beard and hair-mass strands); pores count as skin.
- untreated reference: skin pixels (not hair mass, brows, beard, lips, eyes, clothing, background; ears and neck
  are skin) farther than 3% of the image diagonal from the treated zone (zone pixels beyond the frame included),
  with the same exclusions; `redness_delta_a` is null when these pixels are fewer than 2% of the frame.
- clipped fraction: of the final 8-bit image before JPEG compression.
- medians of an even count are the mean of the two middle values.
*/

use super::skin::{Layer, NEAR_MARK, TREATED, UNTREATED};
use crate::colour::{erythema_index, ita_deg, linear_rgb_to_lab};
use image::RgbImage;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Per-photo ground truth; the measurer's report is judged against these numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Truth {
    /// Treated-mask pixels / frame pixels.
    pub treated_fraction: f64,
    /// Share of the frame that is untreated reference skin (after exclusions; the reference needs 0.02).
    pub untreated_fraction: f64,
    /// Dots centred in the treated mask (and so in the frame).
    pub dot_count: u32,
    /// `dot_count` per million treated-mask pixels (0 without treated pixels).
    pub dot_density_per_mpx: f64,
    /// Median [`TrueDot::diameter`] of the counted dots, pixels.
    pub dot_diameter_px: Option<f64>,
    /// Median [`TrueDot::contrast`] of the counted dots.
    pub dot_contrast: Option<f64>,
    /// Sum of the counted dots' nominal (analytic outline) areas / treated-mask pixels.
    pub dot_coverage: f64,
    /// Stubble hairs whose midpoint lies in the treated mask.
    pub hair_count: u32,
    /// Mean a* of the clean treated skin, dots and hairs excluded.
    pub redness_a: Option<f64>,
    /// Mean 100 log10(R / G) (linear RGB) over the same pixels.
    pub erythema_index: Option<f64>,
    /// atan2(mean L* - 50, mean b*) in degrees over the same pixels.
    pub ita_deg: Option<f64>,
    /// `redness_a` minus the mean a* of the untreated reference skin; null below 2% of the frame.
    pub redness_delta_a: Option<f64>,
    /// `redness_a` under neutral light: the clean colours with the white-balance gains and the light level on the
    /// grey card (the exposure, without a card) divided out; what calibration against the card should restore.
    pub redness_a_neutral: Option<f64>,
    /// `redness_delta_a` under the same neutral light.
    pub redness_delta_a_neutral: Option<f64>,
    /// Share of the treated mask inside patches of lost pigment.
    pub patchiness: f64,
    /// Share of frame pixels of the final 8-bit image with a channel at 255 or all channels at 0.
    pub clipped_fraction: f64,
    /// Not knowable exactly: always null (see `blur_sigma_px` and `noise_sigma` beside the truth).
    pub sharpness: Option<f64>,
}

/// A rendered SMP dot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrueDot {
    /// Centre x in image pixels.
    pub x: f64,
    /// Centre y in image pixels.
    pub y: f64,
    /// Equivalent diameter of the half-depth region of the dot's ideal optical image, pixels.
    pub diameter: f64,
    /// Weber contrast of the core of the dot's ideal optical image against the clean skin.
    pub contrast: f64,
    /// Equivalent diameter of the projected outline (analytic), pixels.
    pub nominal_diameter: f64,
    /// Weber contrast of the fully pigmented colour at the centre pixel, before blur.
    pub nominal_contrast: f64,
    /// Centre inside the frame and in the treated mask.
    pub in_treated: bool,
}

/// A rendered stubble hair on the scalp.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrueHair {
    /// Root x.
    pub x0: f64,
    /// Root y.
    pub y0: f64,
    /// Tip x.
    pub x1: f64,
    /// Tip y.
    pub y1: f64,
    /// Width in pixels.
    pub width: f64,
    /// Midpoint inside the frame and in the treated mask.
    pub in_treated: bool,
}

#[derive(Default, Clone, Copy)]
struct Sums {
    treated: u64,
    patch: u64,
    n: u64,
    l: f64,
    a: f64,
    b: f64,
    ei: f64,
    un: u64,
    un_a: f64,
    a_neutral: f64,
    un_a_neutral: f64,
}

impl Sums {
    fn add(self, o: Sums) -> Sums {
        Sums {
            treated: self.treated + o.treated,
            patch: self.patch + o.patch,
            n: self.n + o.n,
            l: self.l + o.l,
            a: self.a + o.a,
            b: self.b + o.b,
            ei: self.ei + o.ei,
            un: self.un + o.un,
            un_a: self.un_a + o.un_a,
            a_neutral: self.a_neutral + o.a_neutral,
            un_a_neutral: self.un_a_neutral + o.un_a_neutral,
        }
    }
}

/// Specular light above this share of the diffuse luminance makes a pixel shiny: not skin colour, left out of the
/// redness figures (treated and untreated alike).
pub(crate) const SHINY_SHARE: f32 = 0.3;

fn is_shiny(layer: &Layer, i: usize) -> bool {
    let d = layer.lit[i];
    let y = 0.2126 * d[0] + 0.7152 * d[1] + 0.0722 * d[2];
    layer.spec[i] > SHINY_SHARE * y
}

fn row_sums(layer: &Layer, y: usize, in_patch: &(dyn Fn(usize, usize) -> bool + Sync), neutral: [f64; 3]) -> Sums {
    let mut s = Sums::default();
    for x in 0..layer.w {
        let i = y * layer.w + x;
        let f = layer.flags[i];
        if f & TREATED != 0 {
            s.treated += 1;
            s.patch += in_patch(x, y) as u64;
        }
        if f & NEAR_MARK != 0 || f & (TREATED | UNTREATED) == 0 || is_shiny(layer, i) {
            continue;
        }
        let c = layer.clean(i);
        let lab = linear_rgb_to_lab(c);
        let lab_neutral = linear_rgb_to_lab(std::array::from_fn(|k| c[k] * neutral[k]));
        if f & TREATED != 0 {
            s.n += 1;
            s.a_neutral += lab_neutral.a;
            s.l += lab.l;
            s.a += lab.a;
            s.b += lab.b;
            s.ei += erythema_index(c[0], c[1]);
        } else {
            s.un += 1;
            s.un_a += lab.a;
            s.un_a_neutral += lab_neutral.a;
        }
    }
    s
}

/// Median (mean of the middle two for even counts); `None` when empty.
pub(crate) fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    Some(if v.len() % 2 == 0 { (v[m - 1] + v[m]) / 2.0 } else { v[m] })
}

/// Share of pixels with a channel at 255 or all channels at 0.
pub(crate) fn clipped_fraction(img: &RgbImage) -> f64 {
    let n = img.pixels().filter(|p| p.0.contains(&255) || p.0 == [0, 0, 0]).count();
    n as f64 / (img.width() as f64 * img.height() as f64).max(1.0)
}

/// The truth of a photo from its clean layer (with [`NEAR_MARK`] set), dots and hairs, and a patch test per pixel.
pub(crate) fn compute(
    layer: &Layer,
    dots: &[TrueDot],
    hairs: &[TrueHair],
    in_patch: &(dyn Fn(usize, usize) -> bool + Sync),
    neutral: [f64; 3],
) -> Truth {
    let rows: Vec<Sums> = (0..layer.h).into_par_iter().map(|y| row_sums(layer, y, in_patch, neutral)).collect();
    let s = rows.into_iter().fold(Sums::default(), Sums::add);
    let frame = (layer.w * layer.h) as f64;
    let counted: Vec<&TrueDot> = dots.iter().filter(|d| d.in_treated).collect();
    let area: f64 = counted.iter().map(|d| std::f64::consts::PI * d.nominal_diameter * d.nominal_diameter / 4.0).sum();
    let per_treated = |x: f64| if s.treated > 0 { x / s.treated as f64 } else { 0.0 };
    let mean = |x: f64| (s.n > 0).then(|| x / s.n as f64);
    let redness_a = mean(s.a);
    let reference = (s.un as f64 >= 0.02 * frame).then(|| s.un_a / s.un as f64);
    let reference_neutral = (s.un as f64 >= 0.02 * frame).then(|| s.un_a_neutral / s.un as f64);
    Truth {
        treated_fraction: s.treated as f64 / frame,
        untreated_fraction: s.un as f64 / frame,
        dot_count: counted.len() as u32,
        dot_density_per_mpx: per_treated(counted.len() as f64 * 1e6),
        dot_diameter_px: median(counted.iter().map(|d| d.diameter).collect()),
        dot_contrast: median(counted.iter().map(|d| d.contrast).collect()),
        dot_coverage: per_treated(area),
        hair_count: hairs.iter().filter(|h| h.in_treated).count() as u32,
        redness_a,
        erythema_index: mean(s.ei),
        ita_deg: mean(s.l).zip(mean(s.b)).map(|(l, b)| ita_deg(l, b)),
        redness_delta_a: redness_a.zip(reference).map(|(a, r)| a - r),
        redness_a_neutral: mean(s.a_neutral),
        redness_delta_a_neutral: mean(s.a_neutral).zip(reference_neutral).map(|(a, r)| a - r),
        patchiness: per_treated(s.patch as f64),
        clipped_fraction: 0.0,
        sharpness: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_even_and_empty() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(vec![]), None);
    }
}
