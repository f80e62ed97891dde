/*!
Annotated photos: what smp-heal measured, drawn over the photo, so technician and client can see it.

Per measured photo, made right after measuring it (while its pixels are still in memory):
- the overlay, long side at most [`OVERLAY_LONG_SIDE`] px: patchy regions shaded orange, the treated area
  outlined in cyan, the untreated reference skin outlined in yellow, every counted dot ringed in green and every
  rejected hair stroke marked in magenta;
- a small thumbnail of the overlay for the HTML page and a plain thumbnail of the photo for the contact sheet.
*/

use image::RgbImage;

use crate::measure::Measurement;

/// Longest side of an overlay, pixels.
pub const OVERLAY_LONG_SIDE: u32 = 1600;
/// Longest side of the overlay thumbnail in the HTML page, pixels.
pub const THUMB_LONG_SIDE: u32 = 560;
/// Longest side of the plain thumbnail used by the contact sheet, pixels.
pub const PLAIN_LONG_SIDE: u32 = 720;

const TREATED: [u8; 3] = [0, 229, 255];
const UNTREATED: [u8; 3] = [255, 214, 0];
const DOT: [u8; 3] = [40, 255, 90];
const HAIR: [u8; 3] = [255, 40, 220];
const PATCH: [u8; 3] = [255, 120, 0];

/// The pictures made from one measured photo.
#[derive(Debug, Clone)]
pub struct PhotoPictures {
    /// The overlay, long side at most [`OVERLAY_LONG_SIDE`].
    pub overlay: RgbImage,
    /// The overlay at [`THUMB_LONG_SIDE`], JPEG.
    pub thumb_jpeg: Vec<u8>,
    /// The photo itself at [`PLAIN_LONG_SIDE`].
    pub plain: RgbImage,
    /// Bounding box of the treated area as fractions of the frame `[x0, y0, x1, y1]`, when there is one.
    pub treated_box: Option<[f64; 4]>,
}

/// Scales an image so its long side is at most `long` (never up).
pub fn fit(img: &RgbImage, long: u32) -> RgbImage {
    let (w, h) = img.dimensions();
    let s = (long as f64 / w.max(h) as f64).min(1.0);
    if s >= 1.0 {
        return img.clone();
    }
    let (nw, nh) = (((w as f64 * s).round() as u32).max(1), ((h as f64 * s).round() as u32).max(1));
    // Halving by 2x2 means first while the result stays at least the target size (a box filter is cheap and
    // right for such steps): a 12 MP photo is filtered at a quarter of its pixels or fewer.
    let mut halved: Option<RgbImage> = None;
    loop {
        let src = halved.as_ref().unwrap_or(img);
        if src.width() / 2 < nw || src.height() / 2 < nh {
            break;
        }
        halved = Some(halve(src));
    }
    bilinear(halved.as_ref().unwrap_or(img), nw, nh)
}

/// Resamples to `nw x nh` by bilinear interpolation at each target pixel's centre: for the last step of a
/// reduction (by less than 2), where it blurs no less than a wider filter would need to.
fn bilinear(img: &RgbImage, nw: u32, nh: u32) -> RgbImage {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let (sx, sy) = (w as f32 / nw as f32, h as f32 / nh as f32);
    let src = img.as_raw();
    // Source column pairs and weights, once per column.
    let cols: Vec<(usize, usize, f32)> = (0..nw as usize)
        .map(|x| {
            let fx = ((x as f32 + 0.5) * sx - 0.5).clamp(0.0, (w - 1) as f32);
            let x0 = fx.floor() as usize;
            (x0, (x0 + 1).min(w - 1), fx - x0 as f32)
        })
        .collect();
    let mut out = vec![0u8; nw as usize * nh as usize * 3];
    for (y, row) in out.chunks_exact_mut(nw as usize * 3).enumerate() {
        let fy = ((y as f32 + 0.5) * sy - 0.5).clamp(0.0, (h - 1) as f32);
        let y0 = fy.floor() as usize;
        let (y1, ty) = ((y0 + 1).min(h - 1), fy - y0 as f32);
        let (r0, r1) = (&src[y0 * w * 3..(y0 + 1) * w * 3], &src[y1 * w * 3..(y1 + 1) * w * 3]);
        for (px, &(x0, x1, tx)) in row.chunks_exact_mut(3).zip(&cols) {
            for (c, v) in px.iter_mut().enumerate() {
                let top = r0[3 * x0 + c] as f32 * (1.0 - tx) + r0[3 * x1 + c] as f32 * tx;
                let bottom = r1[3 * x0 + c] as f32 * (1.0 - tx) + r1[3 * x1 + c] as f32 * tx;
                *v = round_half_up(top * (1.0 - ty) + bottom * ty);
            }
        }
    }
    RgbImage::from_raw(nw, nh, out).unwrap_or_default()
}

/// `v.round() as u8` for `v` in `0.0..=255.0`, without a call to libm's `roundf` (the default x86-64 target has
/// no rounding instruction; the call was 1.5% of a 12 MP close-up's run). Adding the largest `f32` under a half
/// rather than a half keeps `0.49999997` at 0; at every `k + 0.5` the sum rounds up to `k + 1` as `round` does.
fn round_half_up(v: f32) -> u8 {
    (v + 0.499_999_97) as u8
}

/// Averages each 2x2 block (a last odd row or column is dropped).
fn halve(img: &RgbImage) -> RgbImage {
    let (w, h) = (img.width() / 2, img.height() / 2);
    let src = img.as_raw();
    let stride = img.width() as usize * 3;
    let mut out = vec![0u8; w as usize * h as usize * 3];
    for (y, row) in out.chunks_exact_mut(w as usize * 3).enumerate() {
        let (a, b) = (&src[2 * y * stride..], &src[(2 * y + 1) * stride..]);
        for (x, px) in row.chunks_exact_mut(3).enumerate() {
            for (c, v) in px.iter_mut().enumerate() {
                let i = 6 * x + c;
                let sum = a[i] as u16 + a[i + 3] as u16 + b[i] as u16 + b[i + 3] as u16;
                *v = ((sum + 2) / 4) as u8;
            }
        }
    }
    RgbImage::from_raw(w, h, out).unwrap_or_default()
}

/// Encodes as JPEG.
pub fn jpeg(img: &RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    // Encoding an in-memory RGB buffer into a Vec cannot fail on I/O; an empty result only drops the picture.
    let _ = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality).encode_image(img);
    out
}

/// Draws the overlay and the thumbnails of a measured photo.
pub fn pictures(img: &RgbImage, m: &Measurement) -> PhotoPictures {
    // One pass over the full-resolution photo: the plain thumbnail is scaled down from the overlay's base.
    let mut over = fit(img, OVERLAY_LONG_SIDE);
    let plain = fit(&over, PLAIN_LONG_SIDE);
    let (w, h) = (img.width() as usize, img.height() as usize);
    let (ow, oh) = (over.width() as usize, over.height() as usize);
    let s = ow as f64 / w as f64;
    let sample = |mask: &[bool], x: usize, y: usize| {
        let (sx, sy) = (((x as f64 + 0.5) / s) as usize, ((y as f64 + 0.5) / s) as usize);
        mask.get(sy.min(h - 1) * w + sx.min(w - 1)).copied().unwrap_or(false)
    };
    let treated: Vec<bool> = (0..ow * oh).map(|i| sample(&m.treated, i % ow, i / ow)).collect();
    let untreated: Vec<bool> = (0..ow * oh).map(|i| sample(&m.untreated, i % ow, i / ow)).collect();
    for (i, p) in over.pixels_mut().enumerate() {
        if sample(&m.patches, i % ow, i / ow) {
            p.0 = std::array::from_fn(|c| ((p.0[c] as u16 * 55 + PATCH[c] as u16 * 45) / 100) as u8);
        }
    }
    outline(&mut over, &treated, TREATED);
    outline(&mut over, &untreated, UNTREATED);
    for d in &m.dots {
        let r = (0.5 * d.diameter as f64 * s + 1.5).max(2.0);
        ring(&mut over, d.x as f64 * s, d.y as f64 * s, r, DOT);
    }
    for hair in &m.hairs {
        let r = (0.5 * hair.length as f64 * s).clamp(3.0, 12.0);
        cross(&mut over, hair.x as f64 * s, hair.y as f64 * s, r, HAIR);
    }
    let treated_box = bounding_box(&m.treated, w, h);
    PhotoPictures { thumb_jpeg: jpeg(&fit(&over, THUMB_LONG_SIDE), 82), overlay: over, plain, treated_box }
}

fn put(img: &mut RgbImage, x: i64, y: i64, c: [u8; 3]) {
    if x >= 0 && y >= 0 && (x as u32) < img.width() && (y as u32) < img.height() {
        img.put_pixel(x as u32, y as u32, image::Rgb(c));
    }
}

/// Colours the pixels of `mask` that have a 4-neighbour outside it, two pixels wide.
fn outline(img: &mut RgbImage, mask: &[bool], c: [u8; 3]) {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let at =
        |x: i64, y: i64| x >= 0 && y >= 0 && (x as usize) < w && (y as usize) < h && mask[y as usize * w + x as usize];
    for y in 0..h as i64 {
        for x in 0..w as i64 {
            if at(x, y) && (!at(x - 1, y) || !at(x + 1, y) || !at(x, y - 1) || !at(x, y + 1)) {
                put(img, x, y, c);
                put(img, x + 1, y, c);
                put(img, x, y + 1, c);
            }
        }
    }
}

fn ring(img: &mut RgbImage, cx: f64, cy: f64, r: f64, c: [u8; 3]) {
    let steps = (2.0 * std::f64::consts::PI * r).ceil().max(8.0) as usize;
    for k in 0..steps {
        let a = k as f64 / steps as f64 * std::f64::consts::TAU;
        put(img, (cx + r * a.cos()).round() as i64, (cy + r * a.sin()).round() as i64, c);
    }
}

fn cross(img: &mut RgbImage, cx: f64, cy: f64, r: f64, c: [u8; 3]) {
    let n = r.ceil() as i64;
    for k in -n..=n {
        for t in [0, 1] {
            put(img, cx.round() as i64 + k, cy.round() as i64 + k + t, c);
            put(img, cx.round() as i64 + k, cy.round() as i64 - k + t, c);
        }
    }
}

fn bounding_box(mask: &[bool], w: usize, h: usize) -> Option<[f64; 4]> {
    let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
    for (i, _) in mask.iter().enumerate().filter(|(_, &t)| t) {
        let (x, y) = (i % w, i / w);
        (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x + 1), y1.max(y + 1));
    }
    (x0 < x1).then(|| [x0 as f64 / w as f64, y0 as f64 / h as f64, x1 as f64 / w as f64, y1 as f64 / h as f64])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::{measure_image, MeasureOptions};
    use crate::synth::{render_photo, PhotoParams};

    #[test]
    fn overlays_mark_the_dots_and_outline_the_treated_area() {
        let photo = render_photo(&PhotoParams::close_up(900, 600), 3);
        let m = measure_image(&photo.image, &MeasureOptions::default());
        let p = pictures(&photo.image, &m);
        assert_eq!(p.overlay.dimensions(), (900, 600), "never scaled up");
        let count = |c: [u8; 3]| p.overlay.pixels().filter(|px| px.0 == c).count();
        assert!(count(DOT) > 20 * m.dots.len(), "dot rings: {} px for {} dots", count(DOT), m.dots.len());
        assert!(count(TREATED) > 500, "treated outline: {}", count(TREATED));
        let thumb = image::load_from_memory(&p.thumb_jpeg).expect("jpeg");
        assert_eq!(thumb.width(), THUMB_LONG_SIDE);
        let [x0, y0, x1, y1] = p.treated_box.expect("treated area");
        assert!(x0 < x1 && y0 < y1 && x1 <= 1.0 && y1 <= 1.0);
        let big = fit(&RgbImage::new(4000, 3000), OVERLAY_LONG_SIDE);
        assert_eq!(big.dimensions(), (1600, 1200));
    }

    #[test]
    fn rounding_without_libm_matches_round_over_every_value_near_a_half() {
        for k in 0..=255u32 {
            let half = k as f32 + 0.5;
            let below = f32::from_bits(half.to_bits() - 1);
            let above = f32::from_bits(half.to_bits() + 1);
            for v in [k as f32, below, half, above, k as f32 + 0.25, k as f32 + 0.75] {
                if v <= 255.0 {
                    assert_eq!(super::round_half_up(v), v.round() as u8, "{v}");
                }
            }
        }
    }

    #[test]
    fn scaling_down_keeps_a_ramp_and_a_flat_colour() {
        // A horizontal ramp 0..=249 over 4000 px (odd height: the halving drops a row) scaled to 1000 px: each
        // target pixel is the mean of the 4 source columns under it, within rounding.
        let src = RgbImage::from_fn(4000, 3001, |x, _| image::Rgb([(x / 16) as u8, 120, 7]));
        let out = fit(&src, 1000);
        assert_eq!(out.dimensions(), (1000, 750));
        for x in [0u32, 137, 500, 999] {
            let want = ((4 * x) as f64 + 1.5) / 16.0;
            let got = out.get_pixel(x, 400).0;
            assert!((got[0] as f64 - want).abs() <= 1.0, "column {x}: {} vs {want}", got[0]);
            assert_eq!(&got[1..], &[120, 7]);
        }
    }
}
