/*!
Photo quality: sharpness, clipping, and the warnings a technician should see before trusting the numbers.

- `sharpness`: median over the counted dots of the steepest L* slope at the dot (central differences) divided by
  the dot's depth, in 1/px. About 0.5 for a dot whose edge drops its full depth within a pixel; a Gaussian blur
  of sigma px brings it towards `0.4 / sigma`. Below [`BLURRED_BELOW`] the photo is flagged as blurred.
- `clipped_fraction`: share of the frame's pixels with a channel at 255 or every channel at 0. Warnings tell the
  two apart: blown out (over 5% with a channel at 255) is overexposed; crushed to black (over 5%) or a median L*
  under 15 (of the treated skin, else of the frame) is underexposed.
- Faint dots: the share of the counted dots whose Weber contrast is under [`NEAR_THRESHOLD`] times the photo's dot
  threshold, where the threshold cuts into their contrasts ([`near_threshold_share`]). Dots' contrasts spread
  smoothly, so when many lie just above the threshold about as many lie just under it and are lost: on generated
  photos this share tracks the count's shortfall (0.13-0.20 where 15-22% of faded fine dots are missed, 0.14-0.23
  where blur costs 15-24% of them, under 0.11 wherever the count is within 10%, under 0.05 on most photos); faint
  dots lying all clear above the threshold, none lost, have no lowest band and a share of 0. From
  [`FAINT_DOTS_SHARE`] the photo gets a `faint_dots` warning. The sharpness cannot tell this: it is read on the dots
  counted, which are the sharpest of a blurred photo.
*/

use image::RgbImage;
use serde::{Deserialize, Serialize};

/// Sharpness under which a photo is called blurred (about a Gaussian blur of sigma 2.7 px).
pub const BLURRED_BELOW: f64 = 0.15;

/// Fewest dots for a photo to be measured (fewer give the `treated_area_too_small` warning).
pub const MIN_DOTS: usize = 30;

/// A counted dot is near the threshold under this many times the photo's dot threshold.
pub const NEAR_THRESHOLD: f32 = 1.3;
/// Share of the counted dots near the threshold from which a photo gets the `faint_dots` warning.
pub const FAINT_DOTS_SHARE: f64 = 0.12;

/// The lowest band of contrasts, from the threshold to this many times it, where the threshold is judged to cut
/// into the dots' contrasts.
pub const LOWEST_BAND: f32 = 1.1;

/// Share of the dots (their Weber contrasts) under [`NEAR_THRESHOLD`] times `threshold`, where the threshold cuts
/// into their contrasts; 0 where it does not, or without dots.
///
/// The threshold cuts into the contrasts when the lowest band above it (`threshold` to [`LOWEST_BAND`] times it)
/// holds at least half as many dots per unit of contrast as the rest of the near band does: contrasts spreading on
/// below the threshold. Faint dots that all lie clear above it (6 px dots of pigment contrast 0.12 under 1 px of
/// blur: 78% of them under 1.3 times the threshold, hardly any under 1.1 times) leave that band almost empty, and
/// none is lost.
pub fn near_threshold_share(contrasts: impl Iterator<Item = f32>, threshold: f32) -> f64 {
    let (mut lowest, mut near, mut n) = (0usize, 0usize, 0usize);
    for c in contrasts {
        lowest += (c < LOWEST_BAND * threshold) as usize;
        near += (c < NEAR_THRESHOLD * threshold) as usize;
        n += 1;
    }
    // Dots per unit of contrast, as a multiple of the threshold: in the lowest band, and in the rest of the near band.
    let density = |count: usize, width: f32| count as f64 / f64::from(width);
    let cut = density(lowest, LOWEST_BAND - 1.0) >= 0.5 * density(near - lowest, NEAR_THRESHOLD - LOWEST_BAND);
    if cut {
        near as f64 / n.max(1) as f64
    } else {
        0.0
    }
}

/// A per-photo warning: a stable code and a message in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// Stable machine-readable code.
    pub code: String,
    /// What is wrong and what to do about it.
    pub message: String,
}

impl Warning {
    /// A warning with a code and a message.
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Warning { code: code.to_string(), message: message.into() }
    }
}

/// Shares of pixels blown out (a channel at 255) and crushed to black (every channel at 0).
pub fn clipped_shares(img: &RgbImage) -> (f64, f64) {
    let n = (img.width() as usize * img.height() as usize).max(1) as f64;
    let (mut bright, mut black) = (0usize, 0usize);
    for p in img.as_raw().chunks_exact(3) {
        if p.contains(&255) {
            bright += 1;
        } else if p == [0, 0, 0] {
            black += 1;
        }
    }
    (bright as f64 / n, black as f64 / n)
}

/// Share of pixels with any channel at 255 or all at 0.
pub fn clipped_fraction(img: &RgbImage) -> f64 {
    let n = (img.width() as usize * img.height() as usize).max(1);
    let clipped = img.as_raw().chunks_exact(3).filter(|p| p.contains(&255) || p == &[0, 0, 0]).count();
    clipped as f64 / n as f64
}

/// What the quality warnings look at.
pub struct QualityInput {
    /// Median dot sharpness, if there are dots.
    pub sharpness: Option<f64>,
    /// Share of blown-out pixels in the frame (a channel at 255).
    pub blown_fraction: f64,
    /// Share of black pixels in the frame (every channel at 0).
    pub black_fraction: f64,
    /// Median L* of the whole frame.
    pub frame_median_l: f64,
    /// Median L* of the treated skin, if any.
    pub treated_median_l: Option<f64>,
    /// Share of the frame measured.
    pub treated_fraction: f64,
    /// Dots counted.
    pub dot_count: usize,
    /// Share of the dots counted that are barely above the photo's dot threshold ([`near_threshold_share`]).
    pub near_threshold: f64,
    /// Hue angle of the treated skin (degrees) and whether it shows no colour at all, when a colour cast takes it
    /// out of the range of skin colours.
    pub cast: Option<(f64, bool)>,
}

/// The quality warnings of a photo.
pub fn quality_warnings(q: &QualityInput) -> Vec<Warning> {
    let mut out = Vec::new();
    if q.treated_fraction < 0.02 || q.dot_count < MIN_DOTS {
        out.push(Warning::new(
            "treated_area_too_small",
            format!(
                "only {:.1}% of the frame ({} dots) was recognised as treated scalp: frame the treated area closer, \
                 in focus and evenly lit",
                100.0 * q.treated_fraction,
                q.dot_count
            ),
        ));
    }
    if q.sharpness.is_some_and(|s| s < BLURRED_BELOW) {
        out.push(Warning::new("blurred", "the dots are blurred: hold the camera still and let it focus on the scalp"));
    }
    if q.dot_count >= MIN_DOTS && q.near_threshold >= FAINT_DOTS_SHARE {
        out.push(Warning::new(
            "faint_dots",
            format!(
                "{:.0}% of the dots counted are barely darker than the skin, so about as many fainter ones were \
                 likely missed and dot_count reads low: blur (hold still and let the camera focus), a photo taken \
                 from too far away, or faded dots make them faint",
                100.0 * q.near_threshold
            ),
        ));
    }
    if q.blown_fraction > 0.05 || q.treated_median_l.is_some_and(|l| l > 92.0) {
        out.push(Warning::new(
            "overexposed",
            format!("{:.1}% of the photo is blown out: avoid direct flash and strong light", 100.0 * q.blown_fraction),
        ));
    }
    if q.treated_median_l.unwrap_or(q.frame_median_l) < 15.0 || q.black_fraction > 0.05 {
        out.push(Warning::new("underexposed", "the scalp is very dark in this photo: add light"));
    }
    match q.cast {
        Some((_, true)) => out.push(Warning::new(
            "colour_cast",
            "the scalp shows almost no colour: a black-and-white photo, or a cast that cancels the skin's colour; the \
             skin was told by its lightness alone, and its redness is not measured",
        )),
        Some((hue, _)) => out.push(Warning::new(
            "colour_cast",
            format!(
                "the light or the camera's white balance tints this photo (the scalp's hue angle is {hue:.0} degrees, \
                 skin's is 15-75): redness_a cannot be compared with other photos; use daylight and automatic white \
                 balance, or put a grey card in the frame"
            ),
        )),
        None => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_clipped_and_black_pixels() {
        let img = RgbImage::from_fn(10, 10, |x, _| match x {
            0 => image::Rgb([255, 10, 10]),
            1 => image::Rgb([0, 0, 0]),
            _ => image::Rgb([120, 90, 80]),
        });
        assert!((clipped_fraction(&img) - 0.2).abs() < 1e-12);
    }

    #[test]
    fn a_good_photo_has_no_warnings_and_a_bad_one_has_each() {
        let good = QualityInput {
            sharpness: Some(0.4),
            blown_fraction: 0.001,
            black_fraction: 0.0,
            frame_median_l: 60.0,
            treated_median_l: Some(60.0),
            treated_fraction: 0.6,
            dot_count: 800,
            near_threshold: 0.03,
            cast: None,
        };
        assert!(quality_warnings(&good).is_empty());
        let bad = QualityInput {
            sharpness: Some(0.05),
            blown_fraction: 0.2,
            black_fraction: 0.0,
            frame_median_l: 10.0,
            treated_median_l: Some(10.0),
            treated_fraction: 0.01,
            dot_count: 3,
            near_threshold: 0.5,
            cast: Some((-20.0, false)),
        };
        let codes: Vec<String> = quality_warnings(&bad).into_iter().map(|w| w.code).collect();
        assert_eq!(codes, ["treated_area_too_small", "blurred", "overexposed", "underexposed", "colour_cast"]);
        let grey = quality_warnings(&QualityInput { cast: Some((0.0, true)), ..good });
        assert!(grey[0].message.contains("almost no colour"), "{:?}", grey);
        // Faint dots are warned about once enough dots are counted to judge (3 dots: too few).
        let faint = quality_warnings(&QualityInput { near_threshold: 0.2, ..good });
        assert_eq!(faint.iter().map(|w| w.code.as_str()).collect::<Vec<_>>(), ["faint_dots"]);
        assert!(faint[0].message.starts_with("20% of the dots"), "{:?}", faint);
    }

    #[test]
    fn the_share_of_dots_near_the_threshold() {
        let share = near_threshold_share([0.10, 0.125, 0.135, 0.2, 0.4].into_iter(), 0.1);
        assert!((share - 0.4).abs() < 1e-12, "{share}");
        assert_eq!(near_threshold_share(std::iter::empty(), 0.1), 0.0);
    }

    #[test]
    fn dots_near_the_threshold_count_only_where_it_cuts_into_their_contrasts() {
        // 100 dots spread evenly from 0.09 to 0.19 against a threshold of 0.1: the band 0.10-0.11 holds as many per
        // unit as 0.11-0.13, and more lie under the threshold (those are the ones lost).
        let even = |lo: f32| (0..100).map(move |i| lo + 0.001 * i as f32).filter(|&c| c >= 0.1);
        let share = near_threshold_share(even(0.09), 0.1);
        assert!((share - 30.0 / 90.0).abs() < 0.02, "{share}");
        // The same spread starting at 0.108: two dots in the lowest band, 20 in the next 0.02. Nothing was cut.
        assert_eq!(near_threshold_share(even(0.108), 0.1), 0.0);
        // Starting at 0.105: 5 dots over half the lowest band, 20 in the rest: just cut.
        assert!(near_threshold_share(even(0.105), 0.1) > 0.2);
    }
}
