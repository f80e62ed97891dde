/*!
Sorting candidate blobs into SMP dots, hair strokes and other marks.

- Hair: an elongated stroke (elongation at least [`HAIR_ELONGATION`], at least 3 px long). Stubble and fine hairs are
  thin and long; dots are round or slightly irregular (elongation under 2), and a 1-2 px dot stays under the limit.
- Dot: a round blob whose Weber contrast is at least the photo's dot threshold: `0.35 x` the median contrast of the
  clear dots (contrast >= 0.12), clamped to [`MIN_DOT_CONTRAST`, `MAX_DOT_THRESHOLD`]. Pores are fainter specks
  (Weber contrast under about 0.08) and stay below it; where the dots are strong the bar rises with them.
- Other: round blobs far larger than the photo's dots (moles, scabs of a wound, freckles: more than
  [`MAX_AREA_RATIO`] times the median dot area), far smaller ones (under [`MIN_AREA_RATIO`] of it, when dots are
  large enough for that to mean noise), blobs cut off as large dark regions, and blobs without a clean half-depth
  region.
*/

use super::blobs::Blobs;
use super::dot::{measure_dot, Dot, DotContext, Scratch};

/// Elongation from which a blob is a hair stroke.
pub const HAIR_ELONGATION: f64 = 2.3;
/// The lowest dot threshold: below it, pores and skin texture.
pub const MIN_DOT_CONTRAST: f32 = 0.08;
/// The highest dot threshold, so faint but real dots (Weber 0.12) always count.
pub const MAX_DOT_THRESHOLD: f32 = 0.11;
/// Blobs with more than this times the median dot area are other marks (moles).
pub const MAX_AREA_RATIO: f32 = 6.0;
/// Blobs with less than this times the median dot area are specks, when the median dot is over 12 px in area.
pub const MIN_AREA_RATIO: f32 = 0.12;

/// A hair stroke.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hair {
    /// Centroid x.
    pub x: f32,
    /// Centroid y.
    pub y: f32,
    /// Length along the stroke, pixels.
    pub length: f32,
    /// Index of the blob it came from.
    pub blob: usize,
}

/// Blobs sorted by kind.
#[derive(Debug, Default)]
pub struct Classified {
    /// Accepted dots, with the index of their blob.
    pub dots: Vec<(Dot, usize)>,
    /// Hair strokes.
    pub hairs: Vec<Hair>,
    /// Blobs that are neither (moles, dark regions): their indices.
    pub others: Vec<usize>,
    /// The dot contrast threshold used for this photo.
    pub threshold: f32,
}

/// Classifies every blob of a photo.
pub fn classify(ctx: &DotContext) -> Classified {
    let mut out = Classified::default();
    let mut measured = Vec::new();
    let mut scratch = Scratch::default();
    for (bi, blob) in ctx.blobs.blobs.iter().enumerate() {
        if blob.truncated {
            out.others.push(bi);
        } else if is_hair(ctx.blobs, bi) {
            out.hairs.push(Hair { x: blob.cx as f32, y: blob.cy as f32, length: blob.major_length() as f32, blob: bi });
        } else {
            match measure_dot(ctx, blob, &mut scratch) {
                Some(dot) if dot.elongation as f64 >= HAIR_ELONGATION && blob.major_length() >= 3.0 => {
                    out.hairs.push(Hair { x: dot.x, y: dot.y, length: blob.major_length() as f32, blob: bi })
                }
                Some(dot) => measured.push((dot, bi)),
                None => out.others.push(bi),
            }
        }
    }
    out.threshold = dot_threshold(&measured);
    let median_area = median(measured.iter().filter(|(d, _)| d.contrast >= out.threshold).map(|(d, _)| d.area));
    for (dot, bi) in measured {
        let ratio = dot.area / median_area.unwrap_or(1.0);
        let too_small = median_area.is_some_and(|m| m > 12.0) && ratio < MIN_AREA_RATIO;
        if dot.contrast < out.threshold {
            continue; // pore or skin texture: stays skin
        } else if ratio > MAX_AREA_RATIO || too_small {
            out.others.push(bi);
        } else {
            out.dots.push((dot, bi));
        }
    }
    out
}

fn is_hair(blobs: &Blobs, bi: usize) -> bool {
    let b = &blobs.blobs[bi];
    b.area >= 3 && b.elongation() >= HAIR_ELONGATION && b.major_length() >= 3.0
}

fn dot_threshold(measured: &[(Dot, usize)]) -> f32 {
    let clear = median(measured.iter().map(|(d, _)| d.contrast).filter(|&c| c >= 0.12));
    clear.map_or(MIN_DOT_CONTRAST, |m| (0.35 * m).clamp(MIN_DOT_CONTRAST, MAX_DOT_THRESHOLD))
}

/// Median of a sequence (the mean of the two middle values for an even count); `None` when empty.
pub fn median(values: impl Iterator<Item = f32>) -> Option<f32> {
    let mut v: Vec<f32> = values.collect();
    if v.is_empty() {
        return None;
    }
    let (n, mid) = (v.len(), v.len() / 2);
    let (low, m, _) = v.select_nth_unstable_by(mid, f32::total_cmp);
    let upper = *m;
    if n % 2 == 1 {
        return Some(upper);
    }
    let lower = low.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    Some(0.5 * (lower + upper))
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median([3.0, 1.0, 2.0].into_iter()), Some(2.0));
        assert_eq!(median([4.0, 1.0, 3.0, 2.0].into_iter()), Some(2.5));
        assert_eq!(median(std::iter::empty()), None);
    }
}
