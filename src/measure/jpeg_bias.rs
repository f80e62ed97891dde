/*!
What JPEG storage does to a photo's typical dot, so that the reported dot size and contrast are the dot's as the
camera's optics formed it, not as the compression left it.

JPEG stores each 8x8 block's spatial frequencies rounded to the steps of the file's quantisation table. A dot
of 2-4 px is made of the highest frequencies, the most coarsely stored: it comes back lower and wider (whole-head
photos at quality 90: half-depth diameters 8-15% wider and Weber contrasts 5-10% lower than before compression;
dots from 5 px on are unchanged). How much depends on the table, on the dot's size, sharpness and contrast, and on
where in its block it lies; no model of the dot is needed to know it, as the photo's own dots show it: compressed
once more with the file's own table, on blocks shifted by half a block (4 px) so that every dot meets the
quantisation afresh, they widen and fade again, by less than the first time (what the first pass took is gone):
about half as much. The factors are the dots' median diameter and contrast before that second pass over after it,
measured by the same code on a few windows of the photo around its dots; the diameter's is taken twice (see
[`WIDENING_PASSES`]), the contrast's once, which stays on the safe side.

Only the lightness (JPEG's luma) is compressed again; the chroma, which dots barely change, is kept. The file's
blocks are taken to start at the displayed photo's origin: true of any photo whose sides are multiples of 8 (phone
photos), whatever its EXIF orientation; otherwise a rotated photo's windows may sit on the file's grid, where the
second pass changes little and the correction is small.
*/

use image::RgbImage;

use super::blobs::find_blobs;
use super::classify::{classify, median};
use super::dot::{Dot, DotContext};
use super::morph;
use super::plane::{binomial3, Colour};

/// Largest typical dot diameter (px) corrected: JPEG keeps the frequencies larger dots are made of (the
/// typical-healing fixtures' 5.5-7 px dots measure the same before and after compression, within 0.3%).
pub const MAX_CORRECTED_DIAMETER: f32 = 6.0;

/// How many second passes' widening the file's own compression did: the second pass widens a fine dot about half as
/// much as the first did, so the diameter's factor is taken squared. Measured against the same photo stored without
/// loss: 1.6-2.5 px dots rendered outside this project's generator widened 2.1-2.7 times as much in the first pass
/// as in the second (JPEG quality 90), the whole-head fixtures about twice. The fading is taken once: the second
/// pass fades the dots 1.6-2 times less than the first did, and scab days' dark dots, whose contrast reads a few
/// percent high before compression, would be pushed past their truth.
pub const WIDENING_PASSES: i32 = 2;

/// Windows of the photo compressed again, at most.
pub const WINDOWS: usize = 4;

/// Factors that take a typical dot's compression loss out: multiply the measured value by them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bias {
    /// Diameter before compression over diameter after (under 1 where JPEG widened the dots).
    pub diameter: f32,
    /// Weber contrast before compression over contrast after (over 1 where JPEG faded them).
    pub contrast: f32,
}

/// The compression bias of the dots of `img`, a photo stored with luma quantisation `table` (natural order), from
/// windows around some of its `dots` (those counted, with their typical diameter `typical`); `None` when the dots
/// are too large to need it or too few dots are found in the windows.
pub fn bias(img: &RgbImage, table: &[u16; 64], dots: &[Dot], typical: f32) -> Option<Bias> {
    if !(typical > 0.0 && typical <= MAX_CORRECTED_DIAMETER) || dots.is_empty() {
        return None;
    }
    let (w, h) = (img.width() as usize, img.height() as usize);
    // Wide enough that a dot stays under `classify::MAX_DIAMETER_SHARE` (2.5%) of it.
    let side = 8 * ((128f32).max(42.0 * typical) / 8.0).ceil() as usize;
    if side + 8 > w || side + 8 > h {
        return None;
    }
    let (mut before, mut after) = (Vec::new(), Vec::new());
    let windows = WINDOWS.min(dots.len());
    for k in 0..windows {
        let d = &dots[(2 * k + 1) * dots.len() / (2 * windows)];
        // The window's origin lies half a block off the file's 8x8 grid, and the window inside the frame.
        let origin = |c: f32, size: usize| {
            let o = (c as usize).saturating_sub(side / 2).min(size - side - 4);
            o / 8 * 8 + 4
        };
        let (x0, y0) = (origin(d.x, w), origin(d.y, h));
        let mut window = image::imageops::crop_imm(img, x0 as u32, y0 as u32, side as u32, side as u32).to_image();
        let first = window_dots(&window);
        compress_luma(&mut window, table);
        let second = window_dots(&window);
        // Paired by position: the same dot before and after.
        for a in &first {
            if let Some(b) = second.iter().find(|b| (b.x - a.x).hypot(b.y - a.y) < 0.5 * a.diameter.max(1.0)) {
                before.push(*a);
                after.push(*b);
            }
        }
    }
    if before.len() < 20 {
        return None;
    }
    let ratio = |f: fn(&Dot) -> f32| Some(median(before.iter().map(f))? / median(after.iter().map(f))?);
    Some(Bias { diameter: ratio(|d| d.diameter)?.powi(WIDENING_PASSES), contrast: ratio(|d| d.contrast)? })
}

/// The dots of a window, found and measured as in a photo.
fn window_dots(img: &RgbImage) -> Vec<Dot> {
    let colour = Colour::new(img, [1.0; 3]);
    let smooth = binomial3(&colour.l);
    let background = morph::close(&smooth, super::BASE_BACKGROUND_RADIUS);
    let usable = super::usable_pixels(img);
    let min_background = 0.5 * super::skin_lightness(&colour, &background);
    let blobs = find_blobs(&smooth, &background, &usable, min_background);
    let ctx = DotContext { l: &colour.l, smooth: &smooth, background: &background, blobs: &blobs, usable: &usable };
    classify(&ctx).dots.into_iter().map(|(d, _)| d).collect()
}

/// Compresses the luma (JPEG's Y' = 0.299 R' + 0.587 G' + 0.114 B') of an RGB image once more with `table`, on
/// blocks from its own origin, keeping its chroma: each channel moves by the luma's change.
fn compress_luma(img: &mut RgbImage, table: &[u16; 64]) {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let luma: Vec<u8> = img
        .pixels()
        .map(|p| (0.299 * f64::from(p[0]) + 0.587 * f64::from(p[1]) + 0.114 * f64::from(p[2])).round() as u8)
        .collect();
    let mut again = luma.clone();
    round_trip(&mut again, w, h, table);
    for ((p, &a), &b) in img.pixels_mut().zip(&luma).zip(&again) {
        let change = i16::from(b) - i16::from(a);
        for c in p.0.iter_mut() {
            *c = (i16::from(*c) + change).clamp(0, 255) as u8;
        }
    }
}

/// What baseline JPEG does to an 8-bit grey plane (`w`, `h` multiples of 8): each 8x8 block's discrete cosine
/// transform rounded to the steps of `table` (natural order), then transformed back and rounded to 8 bits.
pub fn round_trip(grey: &mut [u8], w: usize, h: usize, table: &[u16; 64]) {
    // basis[u][x] = C(u)/2 cos((2x+1) u pi / 16), C(0) = 1/sqrt(2): the forward and inverse transforms of T.81 A.3.3.
    let mut basis = [[0f64; 8]; 8];
    for (u, row) in basis.iter_mut().enumerate() {
        for (x, b) in row.iter_mut().enumerate() {
            let c = if u == 0 { std::f64::consts::FRAC_1_SQRT_2 } else { 1.0 };
            *b = 0.5 * c * (((2 * x + 1) * u) as f64 * std::f64::consts::PI / 16.0).cos();
        }
    }
    for by in (0..h / 8 * 8).step_by(8) {
        for bx in (0..w / 8 * 8).step_by(8) {
            let mut block = [[0f64; 8]; 8];
            for (y, row) in block.iter_mut().enumerate() {
                for (x, v) in row.iter_mut().enumerate() {
                    *v = f64::from(grey[(by + y) * w + bx + x]) - 128.0;
                }
            }
            let mut coef = transform(&block, &basis, false);
            for (v, row) in coef.iter_mut().enumerate() {
                for (u, c) in row.iter_mut().enumerate() {
                    let q = f64::from(table[v * 8 + u]);
                    *c = (*c / q).round() * q;
                }
            }
            let back = transform(&coef, &basis, true);
            for (y, row) in back.iter().enumerate() {
                for (x, v) in row.iter().enumerate() {
                    grey[(by + y) * w + bx + x] = (v + 128.0).round().clamp(0.0, 255.0) as u8;
                }
            }
        }
    }
}

/// The separable 8x8 cosine transform: forward (`inverse` false) `B X B^T`, inverse `B^T X B`.
fn transform(block: &[[f64; 8]; 8], basis: &[[f64; 8]; 8], inverse: bool) -> [[f64; 8]; 8] {
    let m = |a: usize, b: usize| if inverse { basis[b][a] } else { basis[a][b] };
    let tmp: [[f64; 8]; 8] =
        std::array::from_fn(|i| std::array::from_fn(|j| (0..8).map(|k| m(i, k) * block[k][j]).sum()));
    std::array::from_fn(|i| std::array::from_fn(|j| (0..8).map(|k| tmp[i][k] * m(j, k)).sum()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::jpeg_tables::luma_table;

    /// A grey test card with edges, fine dots and smooth shading: every frequency a JPEG block can hold.
    fn card() -> image::GrayImage {
        image::GrayImage::from_fn(64, 48, |x, y| {
            let (fx, fy) = (x as f64, y as f64);
            let dot = if (fx - 20.5).hypot(fy - 20.5) < 1.5 || (fx - 43.0).hypot(fy - 30.0) < 2.5 { 90.0 } else { 0.0 };
            let edge = if x > 50 { 40.0 } else { 0.0 };
            image::Luma([(150.0 + 30.0 * (fx / 9.0).sin() * (fy / 7.0).cos() - dot - edge) as u8])
        })
    }

    #[test]
    fn the_round_trip_is_what_a_jpeg_encoder_and_decoder_do() {
        // The encoder truncates each coefficient before rounding it to its step, which flips more of the small
        // steps of quality 90 than of the coarser ones.
        for (quality, least) in [(90, 0.65), (75, 0.85), (50, 0.9)] {
            let img = card();
            let mut jpeg = Vec::new();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, quality).encode_image(&img).expect("jpeg");
            let decoded = image::load_from_memory(&jpeg).expect("decode").into_luma8();
            let table = luma_table(&jpeg).expect("table");
            let mut ours = img.as_raw().clone();
            round_trip(&mut ours, 64, 48, &table);
            // What JPEG changed against what the round trip changed, pixel by pixel: the same loss, up to the
            // encoder's integer transform and its truncation before quantising.
            let change = |p: &[u8]| -> Vec<f64> {
                p.iter().zip(img.as_raw()).map(|(&a, &b)| f64::from(a) - f64::from(b)).collect()
            };
            let (theirs, mine) = (change(decoded.as_raw()), change(&ours));
            let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
            let correlation = dot(&theirs, &mine) / (dot(&theirs, &theirs) * dot(&mine, &mine)).sqrt();
            let energy = dot(&mine, &mine) / dot(&theirs, &theirs);
            assert!(correlation > least && (0.9..1.1).contains(&energy), "quality {quality}: {correlation} {energy}");
        }
    }

    #[test]
    fn a_table_of_ones_changes_almost_nothing() {
        let img = card();
        let mut ours = img.as_raw().clone();
        round_trip(&mut ours, 64, 48, &[1; 64]);
        // Coefficients rounded to whole numbers: at most a level off anywhere.
        assert!(ours.iter().zip(img.as_raw()).all(|(&a, &b)| a.abs_diff(b) <= 1));
    }
}
