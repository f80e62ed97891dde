/*!
The camera's last steps: optical blur in linear light, sRGB encoding, sensor noise and 8-bit quantisation.

Blur is a separable Gaussian point-spread function (edges clamped). Noise is Gaussian, added to the encoded
value in 8-bit units, one independent deviate per channel; each row draws from its own stream so rows can be
processed in parallel and the result still depends only on the seed.
*/

use super::rng::{stream, Rng};
use crate::colour::linear_to_srgb;
use image::RgbImage;
use rayon::prelude::*;

/// Normalised Gaussian taps for offsets -r..=r (r = ceil(3 sigma)); a single tap for sigma below 0.05 px.
pub(crate) fn kernel(sigma: f64) -> Vec<f32> {
    if sigma.is_nan() || sigma < 0.05 {
        return vec![1.0];
    }
    let r = (3.0 * sigma).ceil() as i64;
    let taps: Vec<f64> = (-r..=r).map(|i| (-(i * i) as f64 / (2.0 * sigma * sigma)).exp()).collect();
    let sum: f64 = taps.iter().sum();
    taps.iter().map(|t| (t / sum) as f32).collect()
}

/// Blurs each row of `buf` (`w` wide) in place.
fn blur_rows(buf: &mut [[f32; 3]], w: usize, k: &[f32]) {
    if k.len() == 1 {
        return;
    }
    let r = (k.len() / 2) as i64;
    buf.par_chunks_mut(w).for_each(|row| {
        let src = row.to_vec();
        for (x, out) in row.iter_mut().enumerate() {
            let mut acc = [0f32; 3];
            for (j, &kw) in k.iter().enumerate() {
                let sx = (x as i64 + j as i64 - r).clamp(0, w as i64 - 1) as usize;
                for c in 0..3 {
                    acc[c] += kw * src[sx][c];
                }
            }
            *out = acc;
        }
    });
}

/// Column blur of one output row.
fn blur_column(buf: &[[f32; 3]], w: usize, h: usize, y: usize, k: &[f32], out: &mut [[f32; 3]]) {
    let r = (k.len() / 2) as i64;
    out.fill([0.0; 3]);
    for (j, &kw) in k.iter().enumerate() {
        let sy = (y as i64 + j as i64 - r).clamp(0, h as i64 - 1) as usize;
        for (o, s) in out.iter_mut().zip(&buf[sy * w..(sy + 1) * w]) {
            for c in 0..3 {
                o[c] += kw * s[c];
            }
        }
    }
}

/// Entries of the sRGB encoding table over linear 0..=1 (interpolation error below 0.01 of an 8-bit step).
const ENCODE_N: usize = 16_384;

/// The sRGB transfer curve in 8-bit units, tabulated (a `powf` per channel dominated the encoding).
fn encode_table() -> Vec<f32> {
    (0..=ENCODE_N).map(|i| (linear_to_srgb(i as f64 / ENCODE_N as f64) * 255.0) as f32).collect()
}

fn encode(table: &[f32], v: f32) -> f32 {
    let f = v.clamp(0.0, 1.0) * ENCODE_N as f32;
    let i = (f as usize).min(ENCODE_N - 1);
    let frac = f - i as f32;
    table[i] + (table[i + 1] - table[i]) * frac
}

/// Blurs `buf` (linear RGB, `w` x `h`; its rows are blurred in place), encodes to sRGB, adds noise and quantises.
pub(crate) fn expose(buf: &mut [[f32; 3]], w: usize, h: usize, blur: f64, noise: f64, seed: u64) -> RgbImage {
    let k = kernel(blur);
    blur_rows(buf, w, &k);
    let buf: &[[f32; 3]] = buf;
    let table = encode_table();
    let mut bytes = vec![0u8; w * h * 3];
    bytes.par_chunks_mut(w * 3).enumerate().for_each(|(y, row)| {
        let mut line = vec![[0f32; 3]; w];
        blur_column(buf, w, h, y, &k, &mut line);
        let mut rng = Rng::item(seed, stream::SENSOR, y as u64);
        for (o, v) in row.chunks_exact_mut(3).zip(&line) {
            for c in 0..3 {
                let n = if noise > 0.0 { noise * rng.normal() } else { 0.0 };
                // Non-negative, so truncation after adding 0.5 rounds to nearest.
                o[c] = (encode(&table, v[c]) as f64 + n + 0.5).clamp(0.0, 255.0) as u8;
            }
        }
    });
    RgbImage::from_raw(w as u32, h as u32, bytes).unwrap_or_else(|| RgbImage::new(w as u32, h as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabulated_encoding_matches_the_curve() {
        let table = encode_table();
        for i in 0..=1000 {
            let v = i as f32 / 1000.0;
            let exact = linear_to_srgb(v as f64) * 255.0;
            assert!((encode(&table, v) as f64 - exact).abs() < 0.01, "{v}");
        }
    }

    #[test]
    fn kernel_is_normalised_and_blur_keeps_flat_fields() {
        let k = kernel(0.8);
        assert!((k.iter().sum::<f32>() - 1.0).abs() < 1e-6);
        assert_eq!(k.len(), 7);
        let mut buf = vec![[0.2f32, 0.3, 0.4]; 12 * 9];
        let img = expose(&mut buf, 12, 9, 0.8, 0.0, 1);
        let want = [0.2, 0.3, 0.4].map(|v| (linear_to_srgb(v) * 255.0).round() as u8);
        assert!(img.pixels().all(|p| p.0 == want));
    }

    #[test]
    fn noise_is_deterministic_and_has_the_requested_spread() {
        let mut a = vec![[0.2f32; 3]; 64 * 64];
        let mut b = a.clone();
        let ia = expose(&mut a, 64, 64, 0.0, 2.0, 5);
        assert_eq!(ia, expose(&mut b, 64, 64, 0.0, 2.0, 5));
        let base = linear_to_srgb(0.2) * 255.0;
        let var = ia.as_raw().iter().map(|&v| (v as f64 - base).powi(2)).sum::<f64>() / (64.0 * 64.0 * 3.0);
        assert!((var.sqrt() - 2.0).abs() < 0.15, "{}", var.sqrt());
    }
}
