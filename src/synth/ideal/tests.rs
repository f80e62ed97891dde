//! Known answers of the ideal dot image: sharp and large dots keep their outline and pigment, small blurred dots
//! do not, and the fast evaluation agrees with brute force and with the renderer.

use super::*;
use crate::synth::optics::kernel;
use crate::synth::pigment::{apply, Item};
use crate::synth::raster::Shape;

const LOOK: Look = Look { t: [0.35, 0.40, 0.48], diffuse: [0.30, 0.22, 0.17], shine: [0.01, 0.012, 0.014] };
const IRREGULAR: [[f64; 2]; 4] = [[0.06, 0.3], [0.04, 1.9], [0.025, 4.0], [0.015, 0.7]];

fn disk(c: [f64; 2], d: f64) -> Blob {
    Blob::new(c, d / 2.0, [1.0, 0.0], 1.0, [[0.0; 2]; 4])
}

fn nominal_contrast(look: &Look) -> f64 {
    let l_bg = linear_rgb_to_lab(look.colour(0.0)).l;
    (l_bg - linear_rgb_to_lab(look.colour(1.0)).l) / l_bg
}

fn nominal_diameter(blob: &Blob) -> f64 {
    2.0 * (blob.area() / std::f64::consts::PI).sqrt()
}

fn metrics(blob: &Blob, look: &Look, blur: f64) -> Metrics {
    measure(blob, look, &kernel(blur)).expect("a dark dot")
}

/// Share of the pixel-sized box centred on (x, y) inside the outline, from `nbox` x `nbox` samples.
fn box_share(blob: &Blob, x: f64, y: f64, nbox: usize) -> f64 {
    if (x - blob.c[0]).hypot(y - blob.c[1]) > blob.outer_radius() + 0.75 {
        return 0.0;
    }
    let mut hits = 0;
    for sy in 0..nbox {
        for sx in 0..nbox {
            let (ox, oy) = ((sx as f64 + 0.5) / nbox as f64 - 0.5, (sy as f64 + 0.5) / nbox as f64 - 0.5);
            hits += blob.contains(x + ox, y + oy) as usize;
        }
    }
    hits as f64 / (nbox * nbox) as f64
}

/// The definition, evaluated by brute force: coverage at the points (k + 1/2) / q of the image as a direct sum over
/// the PSF taps of pixel-box shares (`nbox` x `nbox` samples each); region = every point above half the peak (an
/// isolated dot); core = the points within half the equivalent radius of the region's centroid.
fn brute(blob: &Blob, look: &Look, blur: f64, q: usize, nbox: usize) -> Metrics {
    let taps = kernel(blur);
    let (half, qi, qf) = ((taps.len() / 2) as i64, q as i64, q as f64);
    let m = ((blob.outer_radius() + 1.5 + half as f64) * qf).ceil() as i64;
    let near = blob.c.map(|c| (c * qf - 0.5).round() as i64);
    // Box shares on the lattice widened by the taps (whole pixels are q lattice steps).
    let mb = m + half * qi;
    let nb = (2 * mb + 1) as usize;
    let pos = |k: i64, c: usize| (near[c] + k) as f64 / qf + 0.5 / qf;
    let shares: Vec<f64> = (0..nb * nb)
        .map(|i| box_share(blob, pos((i % nb) as i64 - mb, 0), pos((i / nb) as i64 - mb, 1), nbox))
        .collect();
    let mut pts = Vec::new();
    for j in -m..=m {
        for i in -m..=m {
            let mut c = 0.0;
            for b in -half..=half {
                for a in -half..=half {
                    let g = taps[(a + half) as usize] as f64 * taps[(b + half) as usize] as f64;
                    c += g * shares[((j - b * qi + mb) * nb as i64 + i - a * qi + mb) as usize];
                }
            }
            pts.push((pos(i, 0), pos(j, 1), c));
        }
    }
    let peak = pts.iter().fold(0.0f64, |a, p| a.max(p.2));
    let region: Vec<_> = pts.iter().filter(|p| p.2 > peak / 2.0).collect();
    let radius = (region.len() as f64 / (qf * qf) / std::f64::consts::PI).sqrt();
    let cx = region.iter().map(|p| p.0).sum::<f64>() / region.len() as f64;
    let cy = region.iter().map(|p| p.1).sum::<f64>() / region.len() as f64;
    let core: Vec<f64> = pts
        .iter()
        .filter(|p| (p.0 - cx).hypot(p.1 - cy) <= radius / 2.0)
        .map(|p| linear_rgb_to_lab(look.colour(p.2)).l)
        .collect();
    let l_bg = linear_rgb_to_lab(look.colour(0.0)).l;
    let l_core = core.iter().sum::<f64>() / core.len() as f64;
    Metrics { diameter: 2.0 * radius, contrast: (l_bg - l_core) / l_bg }
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs()
}

#[test]
fn a_sharp_dot_is_its_outline_and_its_pigment() {
    let look = LOOK;
    let c = nominal_contrast(&look);
    for blob in [disk([50.3, 40.7], 6.0), Blob::new([20.0, 30.6], 3.4, [0.6, 0.8], 0.7, IRREGULAR)] {
        let m = metrics(&blob, &look, 0.0);
        let d = nominal_diameter(&blob);
        assert!(close(m.diameter, d, 0.01), "diameter {} vs {d}", m.diameter);
        assert!(close(m.contrast, c, 0.01), "contrast {} vs {c}", m.contrast);
    }
}

#[test]
fn a_large_dot_under_moderate_blur_stays_near_nominal() {
    let blob = disk([10.25, 12.5], 6.0);
    let m = metrics(&blob, &LOOK, 0.6);
    let c = nominal_contrast(&LOOK);
    // Blur pulls the half-depth contour of a disk inward by about sigma^2 / (2 r): 2.4% here.
    assert!(close(m.diameter, 6.0, 0.03), "diameter {}", m.diameter);
    assert!(close(m.contrast, c, 0.02), "contrast {} vs {c}", m.contrast);
}

#[test]
fn a_small_blurred_dot_is_lighter_and_wider() {
    let blob = disk([7.5, 7.5], 2.0);
    let m = metrics(&blob, &LOOK, 0.8);
    let c = nominal_contrast(&LOOK);
    assert!(m.contrast < 0.7 * c, "contrast {} vs nominal {c}", m.contrast);
    assert!(m.diameter > 1.1 * 2.0, "diameter {}", m.diameter);
}

#[test]
fn the_fast_evaluation_matches_brute_force() {
    let cases = [
        (disk([7.5, 7.5], 2.0), 0.8),
        (Blob::new([3.3, 9.1], 1.3, [0.8, -0.6], 0.8, IRREGULAR), 0.5),
        (Blob::new([30.0, 20.0], 3.1, [0.0, 1.0], 0.55, IRREGULAR), 0.6),
        (disk([0.1, 0.9], 2.5), 0.0),
    ];
    for (blob, blur) in cases {
        let fast = metrics(&blob, &LOOK, blur);
        let slow = brute(&blob, &LOOK, blur, 8, 64);
        assert!(close(fast.diameter, slow.diameter, 0.01), "{blur}: {} vs {}", fast.diameter, slow.diameter);
        assert!(close(fast.contrast, slow.contrast, 0.005), "{blur}: {} vs {}", fast.contrast, slow.contrast);
    }
}

#[test]
fn the_ideal_image_is_what_the_renderer_draws_at_pixel_centres() {
    let (w, blur) = (24usize, 0.7);
    let taps = kernel(blur);
    let half = (taps.len() / 2) as i64;
    let blob = Blob::new([12.3, 11.8], 1.4, [0.6, 0.8], 0.75, IRREGULAR);
    // The renderer's steps: pigment filter over the diffuse light, shine on top, then the Gaussian taps.
    let mut buf = vec![LOOK.diffuse.map(|v| v as f32); w * w];
    apply(&mut buf, w, &Item { shape: blob.clone(), t: LOOK.t });
    for px in &mut buf {
        px.iter_mut().zip(LOOK.shine).for_each(|(v, s)| *v += s as f32);
    }
    let (mut worst, mut total, mut count) = (0f64, 0f64, 0.0);
    for py in 6..18i64 {
        for px in 6..18i64 {
            let mut drawn = [0f64; 3];
            let mut cov = 0.0;
            for b in -half..=half {
                for a in -half..=half {
                    let g = taps[(a + half) as usize] as f64 * taps[(b + half) as usize] as f64;
                    let v = buf[((py - b) * w as i64 + px - a) as usize];
                    (0..3).for_each(|c| drawn[c] += g * v[c] as f64);
                    cov += g * box_share(&blob, (px - a) as f64 + 0.5, (py - b) as f64 + 0.5, 64);
                }
            }
            let ideal = LOOK.colour(cov);
            for c in 0..3 {
                // In units of the full pigment's absorption, i.e. of coverage.
                let depth = LOOK.diffuse[c] * (1.0 - LOOK.t[c] as f64);
                let off = (drawn[c] - ideal[c]).abs() / depth;
                worst = worst.max(off);
                total += off;
                count += 1.0;
            }
        }
    }
    // The renderer supersamples the pixels an outline crosses 4 x 4; its shares are off by up to about 1/10.
    assert!(worst < 0.03, "{worst}");
    assert!(total / count < 0.003, "{}", total / count);
}

#[test]
fn the_tangent_share_matches_dense_sampling() {
    let blobs = [
        Blob::new([5.0, 5.0], 1.3, [0.8, -0.6], 0.8, IRREGULAR),
        Blob::new([5.0, 5.0], 3.0, [0.0, 1.0], 0.4, IRREGULAR),
    ];
    for blob in &blobs {
        let mut worst = 0f64;
        for k in 0..(80 * 80) {
            let (x, y) = (1.0 + (k % 80) as f64 / 10.0 + 0.013, 1.0 + (k / 80) as f64 / 10.0 + 0.007);
            let dense = {
                let mut hits = 0;
                for s in 0..(64 * 64) {
                    let ox = ((s % 64) as f64 + 0.5) / 64.0 - 0.5;
                    let oy = ((s / 64) as f64 + 0.5) / 64.0 - 0.5;
                    hits += blob.contains(x + ox / 8.0, y + oy / 8.0) as usize;
                }
                hits as f64 / 4096.0
            };
            worst = worst.max((blob.share(x, y, 0.125, 4) as f64 - dense).abs());
        }
        assert!(worst < 0.03, "{worst}");
    }
}

#[test]
fn lightness_from_luminance_is_the_colour_module_s() {
    for v in [0.0, 0.001, 0.008, 0.0089, 0.05, 0.2, 0.7, 1.0] {
        let rgb = [v, 0.8 * v, 0.6 * v];
        assert!((l_of_y(linear_rgb_to_xyz(rgb)[1]) - linear_rgb_to_lab(rgb).l).abs() < 1e-9, "{v}");
    }
}
