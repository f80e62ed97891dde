//! The blurred coverage of one dot on a fine lattice: the outline's share of each lattice cell, blurred exactly
//! with the cell-integrated kernel (pixel box convolved with the renderer's Gaussian taps), row pass then column
//! pass, the column pass only over the box that can hold the half-depth region.

use crate::synth::raster::Blob;

/// Lattice steps per pixel (for dots whose outline stays within [`FINE_RADIUS`] px of the centre).
const PER_PX: f64 = 8.0;
/// Outline radius in pixels beyond which the lattice step grows with the dot (32 steps per radius).
const FINE_RADIUS: f64 = 4.0;
/// Sub-samples per axis in a lattice cell near the centre of a tiny dot (see `Blob::share`).
const SUB: usize = 4;

/// The blurred coverage of a dot on its lattice: `n` x `n` samples `step` px apart, the middle one nearest to the
/// dot's centre. Values are computed densely over a box that must hold every sample above half the centre's value
/// (so the half-depth region and the darkest sample), and one by one elsewhere.
pub(super) struct Coverage {
    /// Lattice step in pixels.
    pub step: f64,
    /// Samples per side (odd).
    pub n: usize,
    /// Kernel weights per lattice cell.
    w: Vec<f32>,
    /// The outline's cells blurred along rows: one row of `n` samples per input row.
    rows: Vec<f32>,
    /// Dense box: first column, first row, width, height.
    pub bx: [usize; 4],
    /// Values in the box, row-major.
    pub v: Vec<f32>,
}

impl Coverage {
    /// Blurred coverage at column `k`, row `l` of the lattice (both below `n`).
    pub fn at(&self, k: usize, l: usize) -> f32 {
        let [k0, l0, bw, bh] = self.bx;
        if k >= k0 && k < k0 + bw && l >= l0 && l < l0 + bh {
            return self.v[(l - l0) * bw + k - k0];
        }
        let first = (l + 1).saturating_sub(self.w.len());
        (first..=l.min(self.rows.len() / self.n - 1)).map(|v| self.w[l - v] * self.rows[v * self.n + k]).sum()
    }
}

/// Weights of the 1-D kernel (pixel box convolved with the taps) integrated over lattice cells -m..=m.
fn cell_weights(taps: &[f32], step: f64) -> Vec<f32> {
    let half = (taps.len() / 2) as f64;
    let m = ((0.5 + half) / step + 0.5).ceil() as i64;
    // Antiderivative of the kernel: each tap is a unit box centred on its whole-pixel offset.
    let prim = |u: f64| -> f64 {
        taps.iter().enumerate().map(|(i, &g)| g as f64 * (u - (i as f64 - half) + 0.5).clamp(0.0, 1.0)).sum()
    };
    (-m..=m).map(|j| (prim((j as f64 + 0.5) * step) - prim((j as f64 - 0.5) * step)) as f32).collect()
}

/// Share of each lattice cell (`n_in` per side, `step` apart, cell (0, 0) centred on `origin`) inside the outline.
fn indicator(blob: &Blob, step: f64, n_in: usize, origin: [f64; 2]) -> Vec<f32> {
    // Cells whose centre is farther than `reach` steps from the dot's centre lie outside the outline.
    let reach = blob.outer_radius() / step + std::f64::consts::FRAC_1_SQRT_2;
    let ci = (blob.c[0] - origin[0]) / step;
    let mut ind = vec![0f32; n_in * n_in];
    for (j, row) in ind.chunks_exact_mut(n_in).enumerate() {
        let y = origin[1] + j as f64 * step;
        let dy = (y - blob.c[1]) / step;
        let half = (reach * reach - dy * dy).max(0.0).sqrt();
        let (a, b) = ((ci - half).floor().max(0.0) as usize, ((ci + half).ceil().max(0.0) as usize).min(n_in - 1));
        for (i, v) in row.iter_mut().enumerate().take(b + 1).skip(a) {
            *v = blob.share(origin[0] + i as f64 * step, y, step, SUB);
        }
    }
    ind
}

/// Adds `k * src` into `dst`.
fn axpy(dst: &mut [f32], k: f32, src: &[f32]) {
    for (d, s) in dst.iter_mut().zip(src) {
        *d += k * s;
    }
}

/// Blurs every row of the `n_in` x `n_in` cells with the weights `w` (cumulative sums `cum`): row i of the result
/// holds `n_in + w.len() - 1` samples. Runs of fully covered cells are added from the sums.
fn blur_rows(ind: &[f32], n_in: usize, w: &[f32], cum: &[f32]) -> Vec<f32> {
    let n = n_in + w.len() - 1;
    let at_cum = |t: usize| cum[t.min(cum.len() - 1)];
    let mut out = vec![0f32; n_in * n];
    for (src, dst) in ind.chunks_exact(n_in).zip(out.chunks_exact_mut(n)) {
        let cell = |i: usize| src[i];
        let mut i = 0;
        while i < n_in {
            let f = cell(i);
            if f < 1.0 {
                if f > 0.0 {
                    axpy(&mut dst[i..i + w.len()], f, w);
                }
                i += 1;
                continue;
            }
            let a = i;
            while i < n_in && cell(i) >= 1.0 {
                i += 1;
            }
            // Cells a..i reach output k with the weights w[k - i + 1 ..= k - a].
            for (k, d) in dst.iter_mut().enumerate().take(i - 1 + w.len()).skip(a) {
                *d += at_cum(k - a) - if k >= i { at_cum(k - i) } else { 0.0 };
            }
        }
    }
    out
}

/// The first and one-past-last index where `bound` exceeds `limit` (the whole range when none does).
fn span(bound: &[f32], limit: f32) -> (usize, usize) {
    let first = bound.iter().position(|&b| b > limit);
    let last = bound.iter().rposition(|&b| b > limit);
    match (first, last) {
        (Some(a), Some(b)) => (a, b + 1),
        _ => (0, bound.len()),
    }
}

/// Upper bounds of the coverage on each output row (`rows.0`) and column (`rows.1`): the blur of each blurred input
/// row's maximum across rows, and the largest blurred input row value in the column (the weights sum to 1).
fn bounds(rows: &[f32], n: usize, w: &[f32]) -> (Vec<f32>, Vec<f32>) {
    let (mut across, mut down) = (vec![0f32; n], vec![0f32; n]);
    for (v, line) in rows.chunks_exact(n).enumerate() {
        let top = line.iter().fold(0f32, |a, &b| a.max(b));
        if top > 0.0 {
            axpy(&mut across[v..v + w.len()], top, w);
            down.iter_mut().zip(line).for_each(|(d, &x)| *d = d.max(x));
        }
    }
    (across, down)
}

/// The blurred coverage of `blob` under the renderer's PSF `taps` (see `optics.rs`).
pub(super) fn coverage(blob: &Blob, taps: &[f32]) -> Coverage {
    let outer = blob.outer_radius();
    let step = if outer > FINE_RADIUS { outer / (FINE_RADIUS * PER_PX) } else { 1.0 / PER_PX };
    let m_in = (outer / step).ceil() as usize + 1;
    let n_in = 2 * m_in + 1;
    // The lattice is aligned with the image: samples at (k + 1/2) steps, so 8 x 8 per pixel for small dots.
    let near = blob.c.map(|c| ((c / step - 0.5).round() + 0.5) * step);
    let first = near.map(|c| c - m_in as f64 * step);
    let w = cell_weights(taps, step);
    let cum: Vec<f32> = w
        .iter()
        .scan(0f32, |acc, &x| {
            *acc += x;
            Some(*acc)
        })
        .collect();
    let n = n_in + w.len() - 1;
    let ind = indicator(blob, step, n_in, first);
    let rows = blur_rows(&ind, n_in, &w, &cum);
    let mut cov = Coverage { step, n, w, rows, bx: [0; 4], v: Vec::new() };
    // Rows and columns whose bound stays at or below half the centre's value hold no sample of the region.
    let half = 0.5 * cov.at(n / 2, n / 2);
    let (across, down) = bounds(&cov.rows, n, &cov.w);
    let ((l0, l1), (k0, k1)) = (span(&across, half), span(&down, half));
    let (bw, bh) = (k1 - k0, l1 - l0);
    let mut v = vec![0f32; bw * bh];
    for (iv, src) in cov.rows.chunks_exact(n).enumerate() {
        for l in iv.max(l0)..(iv + cov.w.len()).min(l1) {
            axpy(&mut v[(l - l0) * bw..(l - l0 + 1) * bw], cov.w[l - iv], &src[k0..k1]);
        }
    }
    cov.bx = [k0, l0, bw, bh];
    cov.v = v;
    cov
}
