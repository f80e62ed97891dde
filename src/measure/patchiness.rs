/*!
Patchiness: the share of the treated area lying in compact regions with far less pigment than their surroundings.

Pigment is measured as "ink": for each dot, Weber contrast x area, summed over a window `4 s` wide (`s` the dot
spacing) and divided by the treated pixels in that window. Ink is what the eye sees as the dots' darkness, and it
does not change with perspective: where the scalp turns away the dots are denser but proportionally smaller.
A smooth trend, a quadratic surface in x and y fitted by least squares (three rounds, each leaving out the windows
under 60% of the previous fit), takes away shading and curvature. Windows under [`DEFICIT_RATIO`] of the trend are
deficient; connected deficient regions of at least `16 s^2` pixels (about sixteen missing dots) count as patches.
Result: patch pixels / treated pixels, in 0..=1; 0 for an even pattern.
*/

use image::{GrayImage, Luma};
use imageproc::region_labelling::{connected_components, Connectivity};

use super::areas::MAX_GRID_CELLS;
use super::boxsum::box_sum;
use super::dot::Dot;

/// Ink below this share of the local trend is a deficit.
pub const DEFICIT_RATIO: f64 = 0.5;

/// Patchiness of the counted dots over the treated area.
pub fn patchiness(dots: &[Dot], treated: &[bool], width: usize, height: usize, spacing: f32) -> Option<f64> {
    patches(dots, treated, width, height, spacing).map(|(share, _)| share)
}

/// Patchiness and the patch pixels (treated pixels inside a counted patch region), for overlays.
pub fn patches(dots: &[Dot], treated: &[bool], width: usize, height: usize, spacing: f32) -> Option<(f64, Vec<bool>)> {
    let total = treated.iter().filter(|&&t| t).count();
    if dots.len() < 20 || total == 0 || spacing <= 0.0 {
        return None;
    }
    let g = cell_size(spacing, width, height);
    let (gw, gh) = (width.div_ceil(g), height.div_ceil(g));
    let mut ink = vec![0f64; gw * gh];
    let mut area = vec![0f64; gw * gh];
    // Row by row, runs of `g` pixels per cell: no division per pixel.
    for (y, row) in treated.chunks_exact(width).enumerate() {
        let cells = &mut area[(y / g) * gw..(y / g + 1) * gw];
        for (cell, run) in cells.iter_mut().zip(row.chunks(g)) {
            *cell += run.iter().filter(|&&t| t).count() as f64;
        }
    }
    for d in dots {
        let (gx, gy) = ((d.x.max(0.0) as usize / g).min(gw - 1), (d.y.max(0.0) as usize / g).min(gh - 1));
        ink[gy * gw + gx] += (d.contrast * d.area) as f64;
    }
    let r = ((2.0 * spacing) / g as f32).ceil() as usize;
    // Fine dots make a fine grid (three million cells for a 12 MP whole head): each plane is freed once used.
    let ink_s = box_sum(&ink, gw, gh, r);
    drop(ink);
    let area_s = box_sum(&area, gw, gh, r);
    let window = ((2 * r + 1) * g).pow(2) as f64;
    // Ink per treated pixel in each cell's window; NaN where the window holds too little treated skin.
    let density: Vec<f64> = (0..gw * gh)
        .map(|i| if area[i] > 0.0 && area_s[i] >= 0.3 * window { ink_s[i] / area_s[i] } else { f64::NAN })
        .collect();
    drop((ink_s, area_s));
    let trend = fit_trend(&density, gw)?;
    let mut deficit = GrayImage::new(gw as u32, gh as u32);
    for (i, v) in density.iter().enumerate().filter(|(_, v)| !v.is_nan()) {
        let (x, y) = ((i % gw) as f64 / gw as f64, (i / gw) as f64 / gh as f64);
        if *v < DEFICIT_RATIO * eval(&trend, x, y) {
            deficit.as_mut()[i] = 255;
        }
    }
    drop(density);
    let labels = connected_components(&deficit, Connectivity::Eight, Luma([0u8]));
    let mut region_area = std::collections::BTreeMap::<u32, f64>::new();
    for (i, l) in labels.pixels().enumerate() {
        if l[0] > 0 {
            *region_area.entry(l[0]).or_default() += area[i];
        }
    }
    let min_area = 16.0 * (spacing as f64).powi(2);
    let patch: f64 = region_area.values().filter(|&&a| a >= min_area).sum();
    let counted: Vec<bool> =
        labels.pixels().map(|l| l[0] > 0 && region_area.get(&l[0]).is_some_and(|&a| a >= min_area)).collect();
    let mut mask = Vec::with_capacity(treated.len());
    for (y, row) in treated.chunks_exact(width).enumerate() {
        let cells = &counted[(y / g) * gw..(y / g + 1) * gw];
        for (&c, run) in cells.iter().zip(row.chunks(g)) {
            mask.extend(run.iter().map(|&t| t && c));
        }
    }
    Some(((patch / total as f64).clamp(0.0, 1.0) + 0.0, mask))
}

/// Side of the grid's cells, pixels: half the dot spacing, but no finer than the treated area's grid allows
/// ([`MAX_GRID_CELLS`]). A patch is at least `4 s` across and windows are `4 s` wide, so half a spacing is finer
/// than either needs where dots are 2-3 px apart: on a 12 MP whole head (2.5 px dots, 4-5 px apart) it made three
/// million cells, and their labelling (a `u32` label and two `usize` union-find arrays per cell) was the photo's
/// peak memory, 263-270 MB against 232 MB for a close-up.
fn cell_size(spacing: f32, w: usize, h: usize) -> usize {
    let finest = ((w * h) as f64 / MAX_GRID_CELLS).sqrt().ceil() as usize;
    ((spacing / 2.0).round() as usize).max(finest).max(1)
}

fn basis(x: f64, y: f64) -> [f64; 6] {
    [1.0, x, y, x * x, x * y, y * y]
}

fn eval(c: &[f64; 6], x: f64, y: f64) -> f64 {
    basis(x, y).iter().zip(c).map(|(b, c)| b * c).sum()
}

/// Robust quadratic trend of the defined (not NaN) values over the unit square of the grid.
fn fit_trend(values: &[f64], gw: usize) -> Option<[f64; 6]> {
    let gh = values.len() / gw;
    let pos = |i: usize| ((i % gw) as f64 / gw as f64, (i / gw) as f64 / gh as f64);
    let mut coef: Option<[f64; 6]> = None;
    for _ in 0..3 {
        let mut ata = [[0f64; 6]; 6];
        let mut atb = [0f64; 6];
        let mut n = 0usize;
        for (i, &v) in values.iter().enumerate().filter(|(_, v)| !v.is_nan()) {
            let (x, y) = pos(i);
            if coef.is_some_and(|c| v < 0.6 * eval(&c, x, y)) {
                continue;
            }
            let b = basis(x, y);
            for r in 0..6 {
                atb[r] += b[r] * v;
                for c in 0..6 {
                    ata[r][c] += b[r] * b[c];
                }
            }
            n += 1;
        }
        if n < 12 {
            return coef;
        }
        coef = Some(solve6(ata, atb)?);
    }
    coef
}

/// Solves a 6x6 linear system by Gaussian elimination with partial pivoting (ridge-damped for flat data).
pub fn solve6(mut a: [[f64; 6]; 6], mut b: [f64; 6]) -> Option<[f64; 6]> {
    let scale = (0..6).map(|i| a[i][i]).fold(0.0, f64::max).max(1e-12);
    for (i, row) in a.iter_mut().enumerate() {
        row[i] += 1e-9 * scale;
    }
    for col in 0..6 {
        let piv = (col..6).max_by(|&r, &s| a[r][col].abs().total_cmp(&a[s][col].abs()))?;
        if a[piv][col].abs() < 1e-15 {
            return None;
        }
        a.swap(col, piv);
        b.swap(col, piv);
        let pivot_row = a[col];
        for r in col + 1..6 {
            let f = a[r][col] / pivot_row[col];
            for (v, p) in a[r].iter_mut().zip(pivot_row).skip(col) {
                *v -= f * p;
            }
            b[r] -= f * b[col];
        }
    }
    let mut x = [0f64; 6];
    for r in (0..6).rev() {
        let s: f64 = (r + 1..6).map(|c| a[r][c] * x[c]).sum();
        x[r] = (b[r] - s) / a[r][r];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solves_a_known_quadratic_surface() {
        let truth = [2.0, -1.0, 0.5, 0.3, -0.2, 0.1];
        let values: Vec<f64> = (0..400).map(|i| eval(&truth, (i % 20) as f64 / 20.0, (i / 20) as f64 / 20.0)).collect();
        let fit = fit_trend(&values, 20).unwrap();
        for (f, t) in fit.iter().zip(truth) {
            assert!((f - t).abs() < 1e-6, "{fit:?}");
        }
    }

    fn grid_dots(w: usize, h: usize, s: f32, hole: Option<(f32, f32, f32)>, gradient: bool) -> Vec<Dot> {
        let mut dots = Vec::new();
        let mut y = s / 2.0;
        while y < h as f32 {
            let mut x = s / 2.0;
            while x < w as f32 {
                let in_hole = hole.is_some_and(|(hx, hy, r)| (x - hx).powi(2) + (y - hy).powi(2) < r * r);
                // A perspective-like gradient: dots denser but smaller to the right keeps ink per pixel flat.
                let area = if gradient { 20.0 * (1.0 - 0.5 * x / w as f32) } else { 20.0 };
                if !in_hole {
                    dots.push(Dot { area, ..Dot::round_at(x, y, 5.0) });
                }
                x += if gradient { s * (1.0 - 0.5 * x / w as f32) } else { s };
            }
            y += s;
        }
        dots
    }

    #[test]
    fn an_even_pattern_has_no_patches_and_a_hole_is_found() {
        let (w, h, s) = (600, 400, 12.0);
        let treated = vec![true; w * h];
        let even = patchiness(&grid_dots(w, h, s, None, false), &treated, w, h, s).unwrap();
        assert_eq!(even, 0.0);
        let graded = patchiness(&grid_dots(w, h, s, None, true), &treated, w, h, s).unwrap();
        assert_eq!(graded, 0.0);
        // A hole of radius 60 px: pi * 60^2 / 240000 = 4.7% of the area.
        let holed = patchiness(&grid_dots(w, h, s, Some((300.0, 200.0, 60.0)), false), &treated, w, h, s).unwrap();
        assert!((holed - 0.047).abs() < 0.015, "{holed}");
    }

    #[test]
    fn fine_dots_on_a_12_mp_frame_are_judged_on_a_grid_of_at_most_a_million_cells() {
        let (w, h, s) = (4000, 3000, 4.5);
        // Half a spacing would be 2 px cells: three million of them.
        assert_eq!(cell_size(s, w, h), 4);
        assert_eq!(cell_size(s, 1000, 750), 2, "fixture-sized frames keep half a spacing");
        let treated = vec![true; w * h];
        let even = patchiness(&grid_dots(w, h, s, None, false), &treated, w, h, s).unwrap();
        assert_eq!(even, 0.0);
        // A hole of radius 200 px: pi * 200^2 / 12e6 = 1.05% of the area.
        let holed = patchiness(&grid_dots(w, h, s, Some((2000.0, 1500.0, 200.0)), false), &treated, w, h, s).unwrap();
        assert!((holed - 0.0105).abs() < 0.003, "{holed}");
    }
}
