/*!
Two dots blurred into one region: found and counted as two.

Where dots of 2-3 px sit closer than about one diameter (scab days swell them; the dome squeezes rows together),
blur and JPEG fill the gap between them, their lightness has no saddle to split at, and their half-depth region is
measured as one dot. The way astronomers separate blended stars (PSF-fitting photometry) works here too: a region
much larger than the dots around it is fitted with one and with two copies of the typical dot's image, and is two
dots when two copies explain it far better than one.

- Candidates: where the neighbours' typical dot is at most [`MAX_TYPICAL_DIAMETER`] across, dots whose half-depth
  area is over [`BLEND_AREA_RATIO`] times the median of their [`NEIGHBOURS`] nearest dots' (at least
  [`MIN_NEIGHBOURS`] of them within about five typical diameters).
- The typical dot's image there: a Gaussian of depth whose half-depth ellipse has the neighbours' median area and
  squeeze (elongation and axis; the scalp turning away squeezes a neighbourhood alike).
- One dot: the image at any position within 0.5 px of the region's centroid, widened by up to 1.8x (a single
  dot larger than its neighbours). Two dots: two unwidened images along the region's long axis (or 0.2 rad either
  side of it), 0.3-1.2 typical diameters apart, the pair shifted by up to 0.75 px. Each fitted by least squares
  to the depth in linear light, `1 - Y / Y_bg`, of the raw lightness within the region's radius plus 1.5 px, `Y_bg`
  the luminance of the dot's ring background (blur spreads light, and overlapping images add there); the depths
  (amplitudes) are solved exactly for each placement.
- Two dots when their residual is under [`BLEND_RESIDUAL_RATIO`] of one dot's, both amplitudes are positive and
  the fainter at least [`BLEND_MIN_AMPLITUDE_SHARE`] of the darker (a dot with a faint speck beside it is one dot).

Measured with `examples/diagnose` (`PAIRS=1`, seed 1, 1000x750, JPEG 90): on the dense series' scab day 73 of the
440 found regions that hold two or three true dots are called two, and 21 of the 7083 that hold one (0.3%); on
the whole-head series' scab day 15 of 35, and 6 of 478. Most merged pairs stay one: a Gaussian is only roughly a
blurred, JPEG-stored dot's image, and a pair much closer than a diameter is explained nearly as well by one widened
image. Looser settings find more and cost more: a residual ratio of 0.5 called 10 of 454 single dots two on a
whole head; the long axis taken from the window's darkness rather than the region, 258 of 7085 on the dense scab
day (the window holds the tails of neighbouring dots).
*/

use super::dot::Dot;
use super::plane::Plane;
use super::point_grid::PointGrid;

/// A dot is tested for being two when its half-depth area is over this times its neighbours' median.
pub const BLEND_AREA_RATIO: f32 = 1.3;
/// Two dots when two typical dot images leave under this share of the squared residual of the best single one.
pub const BLEND_RESIDUAL_RATIO: f64 = 0.4;
/// The fainter of the two fitted dots is at least this share of the darker's depth.
pub const BLEND_MIN_AMPLITUDE_SHARE: f64 = 0.35;
/// How many nearest dots describe the typical dot around a candidate.
pub const NEIGHBOURS: usize = 8;
/// Dots are tested only where the typical dot is at most this wide (px, at half depth): the model is a small
/// blurred dot's image (larger dots are flat-bottomed). Each region tested costs 0.05-0.1 ms.
pub const MAX_TYPICAL_DIAMETER: f64 = 4.0;
/// Fewer neighbours than this (within about five typical diameters): no test.
pub const MIN_NEIGHBOURS: usize = 4;

/// Marks the dots that are two dots blurred into one region ([`Dot::blended`]), reading the raw lightness `l`.
pub fn mark_blends(l: &Plane, dots: &mut [(Dot, usize)]) {
    let Some(grid) = Grid::new(dots) else { return };
    let mut near = Vec::new();
    let blended: Vec<bool> = (0..dots.len())
        .map(|k| {
            grid.near(dots, k, &mut near);
            is_blend(l, &dots[k].0, &Neighbours { dots, near: &near })
        })
        .collect();
    for ((d, _), b) in dots.iter_mut().zip(blended) {
        d.blended = b;
    }
}

/// The typical dot around a candidate, from its neighbours.
struct Local {
    area: f64,
    elongation: f64,
    axis: f64,
}

/// A dot's nearest dots: indices into `dots` (with their distances), nearest first.
struct Neighbours<'a> {
    dots: &'a [(Dot, usize)],
    near: &'a [(f32, usize)],
}

impl Neighbours<'_> {
    fn iter(&self) -> impl Iterator<Item = &Dot> {
        self.near.iter().map(|&(_, q)| &self.dots[q].0)
    }
}

fn is_blend(l: &Plane, d: &Dot, near: &Neighbours) -> bool {
    if near.near.len() < MIN_NEIGHBOURS {
        return false;
    }
    // Most dots are no larger than their neighbours: the area is judged before anything else is worked out.
    let area = median(near.iter().map(|d| f64::from(d.area)));
    let typical = 2.0 * (area / std::f64::consts::PI).sqrt();
    if !area.is_finite()
        || area <= 0.0
        || typical > MAX_TYPICAL_DIAMETER
        || f64::from(d.area) <= f64::from(BLEND_AREA_RATIO) * area
        || luminance(f64::from(d.background)) <= 0.0
    {
        return false;
    }
    let local = Local::of(near, area);
    // A Gaussian of standard deviation s is above half its depth within s * sqrt(2 ln 2): area 2 pi ln2 s_a s_b.
    let s = (local.area / (2.0 * std::f64::consts::PI * std::f64::consts::LN_2)).sqrt();
    let e = local.elongation.max(1.0);
    let image = Image::new(s * e.sqrt(), s / e.sqrt(), local.axis);
    let radius = (f64::from(d.area) / std::f64::consts::PI).sqrt() + 1.5;
    let px = window(l, f64::from(d.x), f64::from(d.y), f64::from(d.background), radius);
    if px.len() < 6 {
        return false;
    }
    let around = Around::new(&px, &image, [f64::from(d.x), f64::from(d.y)]);
    if !around.in_range(&image, typical) {
        return false;
    }
    let two = best_pair(&around, &image, f64::from(d.axis), typical);
    // Two dots when the pair's residual is under the ratio of every single image's: the first single image that
    // does as well settles it (the most regions tested are one dot, and most of the fits are then not needed).
    let mut one_as_good = false;
    singles(&around, &image, |one| {
        one_as_good = !one.is_nan() && two >= BLEND_RESIDUAL_RATIO * one;
        one_as_good
    });
    !one_as_good && two.is_finite()
}

impl Local {
    /// The neighbours' median `area` and squeeze (the median of `(e - 1) (cos 2a, sin 2a)`).
    fn of(near: &Neighbours, area: f64) -> Local {
        let excess = |d: &Dot, f: fn(f64) -> f64| f64::from(d.elongation - 1.0) * f(2.0 * f64::from(d.axis));
        let c = median(near.iter().map(|d| excess(d, f64::cos)));
        let s = median(near.iter().map(|d| excess(d, f64::sin)));
        Local { area, elongation: 1.0 + c.hypot(s), axis: 0.5 * s.atan2(c) }
    }
}

/// The upper median of at most [`NEIGHBOURS`] values (0 for none).
fn median(values: impl Iterator<Item = f64>) -> f64 {
    let mut v = [0f64; NEIGHBOURS];
    let mut n = 0;
    for x in values.take(NEIGHBOURS) {
        v[n] = x;
        n += 1;
    }
    let v = &mut v[..n];
    v.sort_unstable_by(f64::total_cmp);
    v.get(n / 2).copied().unwrap_or(0.0)
}

/// A Gaussian dot image: standard deviations along and across its axis.
struct Image {
    /// 1 / (2 s_a^2) and 1 / (2 s_b^2).
    ka: f64,
    kb: f64,
    ux: f64,
    uy: f64,
}

impl Image {
    fn new(sa: f64, sb: f64, axis: f64) -> Image {
        Image { ka: 0.5 / (sa * sa), kb: 0.5 / (sb * sb), ux: axis.cos(), uy: axis.sin() }
    }

    fn widened(&self, scale: f64) -> Image {
        let k = 1.0 / (scale * scale);
        Image { ka: self.ka * k, kb: self.kb * k, ..*self }
    }

    /// The exponent of the image at `a` along and `b` across its axis from its centre.
    fn exponent(&self, a: f64, b: f64) -> f64 {
        -(a * a) * self.ka - (b * b) * self.kb
    }

    /// An offset (dx, dy) in the frame's axes as offsets along and across the image's axis.
    fn to_axes(&self, dx: f64, dy: f64) -> [f64; 2] {
        [dx * self.ux + dy * self.uy, dy * self.ux - dx * self.uy]
    }

    /// The image at offset (dx, dy) from its centre, in the frame's axes (the tests' direct evaluation).
    #[cfg(test)]
    fn at(&self, dx: f64, dy: f64) -> f64 {
        let [a, b] = self.to_axes(dx, dy);
        self.exponent(a, b).exp()
    }
}

/// Pixels within `radius` of (x, y): position and depth in linear light, `1 - Y / Y_bg` with `Y_bg` the luminance
/// of `bg` (L*): blur spreads light, and overlapping dots' images add there, not in L*.
fn window(l: &Plane, x: f64, y: f64, bg: f64, radius: f64) -> Vec<[f64; 3]> {
    let (w, h) = (l.width as i64, l.height as i64);
    let r = radius.ceil() as i64;
    let (cx, cy) = (x.round() as i64, y.round() as i64);
    let y_bg = luminance(bg);
    let mut out = Vec::new();
    for py in (cy - r).max(0)..=(cy + r).min(h - 1) {
        for px in (cx - r).max(0)..=(cx + r).min(w - 1) {
            let (dx, dy) = (px as f64 - x, py as f64 - y);
            if dx * dx + dy * dy <= radius * radius {
                let v = luminance(f64::from(l.data[(py * w + px) as usize]));
                out.push([px as f64, py as f64, 1.0 - v / y_bg]);
            }
        }
    }
    out
}

/// Relative luminance Y (0-1) of a lightness L*.
fn luminance(l: f64) -> f64 {
    let f = (l + 16.0) / 116.0;
    if f > 6.0 / 29.0 {
        f * f * f
    } else {
        l * 27.0 / 24389.0
    }
}

/// The window's pixels seen from the region's centre `c`: offsets along and across the typical image's axis, the
/// image centred there, and the depths.
///
/// Every placement of an image is evaluated from these as a product of exponentials rather than with one per pixel
/// and placement (`exp` was 5% of a 12 MP close-up's run). An image offset by `o` from the centre has the exponent
/// `E(p - c - o) = E0(p) - 2 L(p, o) + C(o)`: `E0` the exponent of the centred image, `L` linear in `o` and in the
/// pixel's offsets, `C` a constant. So `exp(-E)` is the centred image times `exp(2 L)` times `exp(-C)`, and with
/// offsets on a lattice `exp(2 L)` is a power of one exponential per pixel and lattice direction.
struct Around {
    along: Vec<[f64; 2]>,
    centred: Vec<f64>,
    depth: Vec<f64>,
}

impl Around {
    fn new(px: &[[f64; 3]], image: &Image, c: [f64; 2]) -> Around {
        let along: Vec<[f64; 2]> = px.iter().map(|p| image.to_axes(p[0] - c[0], p[1] - c[1])).collect();
        let centred = along.iter().map(|o| image.exponent(o[0], o[1]).exp()).collect();
        Around { along, centred, depth: px.iter().map(|p| p[2]).collect() }
    }

    fn len(&self) -> usize {
        self.depth.len()
    }

    /// Whether every factor of every placement stays well inside `f64`'s range, its exponent within
    /// +-[`MAX_EXPONENT`], so that the products round as the direct evaluation does (to within 1e-9). Per unit of
    /// offset the linear term is at most `|(ka a, kb b)|`, and the farthest placement lies 1.18 typical diameters
    /// plus 0.75 px from the centre (a single image's widening by 1/0.9 is within the margin). Only a window tens
    /// of the typical image's widths across fails it: no pair of dots.
    fn in_range(&self, image: &Image, typical: f64) -> bool {
        let reach = 1.18 * typical + 1.5;
        self.along.iter().all(|o| {
            let linear = (image.ka * o[0]).hypot(image.kb * o[1]);
            -image.exponent(o[0], o[1]) <= MAX_EXPONENT && 2.0 * reach * linear <= MAX_EXPONENT
        })
    }
}

/// Largest exponent of a factor in the factored evaluation: `exp(150)` is 1e65, so products of four such factors
/// stay finite and none underflows where the image is not negligible.
const MAX_EXPONENT: f64 = 150.0;

/// `base * r^k` for `k` in `-reach..=reach`, into `out` (`2 reach + 1` values, lowest power first).
fn powers(base: f64, r: f64, reach: usize, out: &mut [f64]) {
    out[reach] = base;
    let inv = 1.0 / r;
    for k in 1..=reach {
        out[reach + k] = out[reach + k - 1] * r;
        out[reach - k] = out[reach - k + 1] * inv;
    }
}

/// Calls `settles` with the residual of one image, widened by 0.9-1.8x, at each position within 0.5 px of the
/// region's centre along each axis of the frame (quarter pixels), until it returns true.
fn singles(around: &Around, image: &Image, mut settles: impl FnMut(f64) -> bool) {
    const REACH: usize = 2;
    let n = around.len();
    let (mut by_x, mut by_y, mut g) = (vec![0.0; n * (2 * REACH + 1)], vec![0.0; n * (2 * REACH + 1)], vec![0.0; n]);
    for scale in [0.9, 1.0, 1.1, 1.2, 1.35, 1.55, 1.8] {
        let wide = image.widened(scale);
        // Offset (ox, oy) / 4 in the frame is (ox ux + oy uy, oy ux - ox uy) / 4 along and across the axis.
        let (ux, uy) = (wide.ux, wide.uy);
        for (i, o) in around.along.iter().enumerate() {
            let (la, lb) = (wide.ka * o[0], wide.kb * o[1]);
            let centred = wide.exponent(o[0], o[1]).exp();
            // exp(2 L) per quarter pixel along x and along y of the frame.
            let (rx, ry) = ((0.5 * (la * ux - lb * uy)).exp(), (0.5 * (la * uy + lb * ux)).exp());
            let cells = i * (2 * REACH + 1)..(i + 1) * (2 * REACH + 1);
            powers(centred, rx, REACH, &mut by_x[cells.clone()]);
            powers(1.0, ry, REACH, &mut by_y[cells]);
        }
        for oy in 0..=2 * REACH {
            for ox in 0..=2 * REACH {
                let (fx, fy) = (0.25 * (ox as f64 - REACH as f64), 0.25 * (oy as f64 - REACH as f64));
                let [a, b] = wide.to_axes(fx, fy);
                let constant = wide.exponent(a, b).exp();
                for (i, g) in g.iter_mut().enumerate() {
                    *g = by_x[i * (2 * REACH + 1) + ox] * by_y[i * (2 * REACH + 1) + oy] * constant;
                }
                if settles(fit_one(&g, &around.depth)) {
                    return;
                }
            }
        }
    }
}

/// Residual sum of squares of the best depth of one image (`g`: its value at each pixel) to `depth`.
fn fit_one(g: &[f64], depth: &[f64]) -> f64 {
    let (mut gg, mut gd, mut dd) = (0.0, 0.0, 0.0);
    for (&g, &d) in g.iter().zip(depth) {
        gg += g * g;
        gd += g * d;
        dd += d * d;
    }
    if gg <= 0.0 || gd <= 0.0 {
        return dd;
    }
    dd - gd * gd / gg
}

/// Shifts of the pair along its axis, quarter pixels either way.
const PAIR_REACH: usize = 3;

/// The least residual of two images placed symmetrically about the centre along the region's `axis` (or 0.2 rad,
/// 11 degrees, either side of it: the axis is read from a few whole pixels), `0.3-1.18` typical diameters apart in
/// twelve steps, the pair shifted by up to 0.75 px; infinite when no placement fits.
///
/// An image at `t u` from the centre (`u` the pair's axis) has the exponent `E0(p) - 2 t Q(p) + t^2 K` (see
/// [`Around`]). With `t = m -+ h` (shift `m`, half the separation `h`), both on lattices, `exp(2 t Q)` is a power
/// of `exp(Q / 2)` (quarter-pixel shifts) times a power of `exp(0.08 typical Q)` (the separation's steps): three
/// exponentials per pixel and axis instead of 168.
fn best_pair(around: &Around, image: &Image, axis: f64, typical: f64) -> f64 {
    let n = around.len();
    let shifts = 2 * PAIR_REACH + 1;
    let (mut q, mut by_shift, mut spread, mut step_up, mut ga, mut gb) =
        (vec![0.0; n], vec![0.0; n * shifts], vec![0.0; n], vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    let mut column = vec![0.0; shifts];
    let mut two = f64::INFINITY;
    for turn in [-0.2, 0.0, 0.2] {
        let (ux, uy) = ((axis + turn).cos(), (axis + turn).sin());
        // The pair's axis in the image's frame.
        let (alpha, beta) = (ux * image.ux + uy * image.uy, uy * image.ux - ux * image.uy);
        let k = image.ka * alpha * alpha + image.kb * beta * beta;
        for (i, o) in around.along.iter().enumerate() {
            q[i] = image.ka * alpha * o[0] + image.kb * beta * o[1];
            powers(around.centred[i], (0.5 * q[i]).exp(), PAIR_REACH, &mut column);
            for (s, &v) in column.iter().enumerate() {
                by_shift[s * n + i] = v;
            }
            // exp(2 h Q) for the first separation, and its factor from one step to the next.
            spread[i] = (0.3 * typical * q[i]).exp();
            step_up[i] = (0.08 * typical * q[i]).exp();
        }
        for step in 0..12 {
            let half = 0.5 * (0.3 + 0.08 * f64::from(step)) * typical;
            if step > 0 {
                spread.iter_mut().zip(&step_up).for_each(|(s, &u)| *s *= u);
            }
            for (s, shifted) in by_shift.chunks_exact(n).enumerate() {
                let m = 0.25 * (s as f64 - PAIR_REACH as f64);
                let (ka, kb) = ((-(m - half) * (m - half) * k).exp(), (-(m + half) * (m + half) * k).exp());
                for i in 0..n {
                    (ga[i], gb[i]) = (shifted[i] * ka / spread[i], shifted[i] * kb * spread[i]);
                }
                if let Some(rss) = fit_two(&ga, &gb, &around.depth) {
                    two = two.min(rss);
                }
            }
        }
    }
    two
}

/// Residual sum of squares of the best depths of two images (`ga`, `gb`: their values at each pixel) to `depth`;
/// `None` when a depth is not positive or the fainter is under [`BLEND_MIN_AMPLITUDE_SHARE`] of the darker.
fn fit_two(ga: &[f64], gb: &[f64], depth: &[f64]) -> Option<f64> {
    let (mut aa, mut ab, mut bb, mut ad, mut bd, mut dd) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    for ((&ga, &gb), &d) in ga.iter().zip(gb).zip(depth) {
        aa += ga * ga;
        ab += ga * gb;
        bb += gb * gb;
        ad += ga * d;
        bd += gb * d;
        dd += d * d;
    }
    let det = aa * bb - ab * ab;
    if det <= 1e-9 * aa * bb {
        return None;
    }
    let (ka, kb) = ((bb * ad - ab * bd) / det, (aa * bd - ab * ad) / det);
    if ka <= 0.0 || kb <= 0.0 || ka.min(kb) < BLEND_MIN_AMPLITUDE_SHARE * ka.max(kb) {
        return None;
    }
    // |d - ka ga - kb gb|^2 with the normal equations' solution.
    Some(dd - ka * ad - kb * bd)
}

/// Dots on a grid of cells five typical diameters wide, for nearest-neighbour queries (dots are 2.5-4 diameters
/// apart: the 3x3 cells around a dot hold its nearest ones).
struct Grid(PointGrid);

impl Grid {
    fn new(dots: &[(Dot, usize)]) -> Option<Grid> {
        if dots.len() <= MIN_NEIGHBOURS {
            return None;
        }
        let mut d: Vec<f32> = dots.iter().map(|(d, _)| d.diameter).collect();
        let mid = d.len() / 2;
        let typical = *d.select_nth_unstable_by(mid, f32::total_cmp).1;
        let points: Vec<[f32; 2]> = dots.iter().map(|(d, _)| [d.x, d.y]).collect();
        Some(Grid(PointGrid::new(&points, (5.0 * typical).max(5.0))))
    }

    /// The [`NEIGHBOURS`] dots nearest to dot `k` within the 3x3 cells around it, nearest first, into `out`
    /// (distance, index).
    fn near(&self, dots: &[(Dot, usize)], k: usize, out: &mut Vec<(f32, usize)>) {
        let d = &dots[k].0;
        out.clear();
        for q in self.0.near(d.x, d.y).filter(|&q| q != k) {
            let e = &dots[q].0;
            out.push(((e.x - d.x).hypot(e.y - d.y), q));
        }
        let by_distance = |a: &(f32, usize), b: &(f32, usize)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
        if out.len() > NEIGHBOURS {
            out.select_nth_unstable_by(NEIGHBOURS, by_distance);
            out.truncate(NEIGHBOURS);
        }
        out.sort_unstable_by(by_distance);
    }
}

#[cfg(test)]
mod tests {
    use super::{best_pair, fit_one, fit_two, singles, Around, Image};
    use crate::colour::{lab_to_linear_rgb, linear_to_srgb, Lab};
    use crate::measure::{measure_image, MeasureOptions};

    /// Skin (L* 62, a* 12, b* 16) with Gaussian dots (standard deviation `sigma` px, absorbing `depth` of the light
    /// at the centre) on a 10 px grid; at every fifth site two dots `gap` px apart along a turning axis. Light is
    /// multiplied through overlapping dots. A little noise (+-0.6 of 255, uniform) and 8-bit rounding. Returns the
    /// image and the true number of dots.
    fn field(sigma_of: impl Fn(usize) -> f64, depth: f64, gap: f64) -> (image::RgbImage, usize) {
        let (w, h) = (320u32, 240u32);
        let mut dots = Vec::new();
        let mut site = 0;
        for gy in 0..22 {
            for gx in 0..30 {
                let (x, y) = (12.0 + 10.0 * gx as f64, 12.0 + 10.0 * gy as f64);
                let s = sigma_of(site);
                if gap > 0.0 && site % 5 == 2 {
                    let a = 0.7 * site as f64;
                    let (dx, dy) = (0.5 * gap * a.cos(), 0.5 * gap * a.sin());
                    dots.push((x - dx, y - dy, s));
                    dots.push((x + dx, y + dy, s));
                } else {
                    dots.push((x, y, s));
                }
                site += 1;
            }
        }
        let skin = lab_to_linear_rgb(Lab { l: 62.0, a: 12.0, b: 16.0 });
        let img = image::RgbImage::from_fn(w, h, |px, py| {
            let mut t = 1.0;
            for &(x, y, s) in &dots {
                let r2 = (px as f64 - x).powi(2) + (py as f64 - y).powi(2);
                if r2 < 36.0 * s * s {
                    t *= 1.0 - depth * (-r2 / (2.0 * s * s)).exp();
                }
            }
            let noise = 0.6 * (((px * 7919 + py * 104_729) % 1000) as f64 / 500.0 - 1.0);
            let c = |k: usize| (linear_to_srgb(skin[k] * t) * 255.0 + noise).round().clamp(0.0, 255.0) as u8;
            image::Rgb([c(0), c(1), c(2)])
        });
        (img, dots.len())
    }

    /// The pair search as first written: every image evaluated with its own exponential.
    fn best_pair_directly(px: &[[f64; 3]], image: &Image, c: [f64; 2], axis: f64, typical: f64) -> f64 {
        let depth: Vec<f64> = px.iter().map(|p| p[2]).collect();
        let mut two = f64::INFINITY;
        for turn in [-0.2, 0.0, 0.2] {
            let (ux, uy) = ((axis + turn).cos(), (axis + turn).sin());
            for step in 0..12 {
                let half = 0.5 * (0.3 + 0.08 * f64::from(step)) * typical;
                for shift in -3..=3 {
                    let m = 0.25 * f64::from(shift);
                    let at = |t: f64| -> Vec<f64> {
                        px.iter().map(|p| image.at(p[0] - c[0] - t * ux, p[1] - c[1] - t * uy)).collect()
                    };
                    if let Some(rss) = fit_two(&at(m - half), &at(m + half), &depth) {
                        two = two.min(rss);
                    }
                }
            }
        }
        two
    }

    /// The single images' residuals as first written, in the same order.
    fn singles_directly(px: &[[f64; 3]], image: &Image, c: [f64; 2]) -> Vec<f64> {
        let depth: Vec<f64> = px.iter().map(|p| p[2]).collect();
        let mut out = Vec::new();
        for scale in [0.9, 1.0, 1.1, 1.2, 1.35, 1.55, 1.8] {
            let wide = image.widened(scale);
            for oy in -2..=2 {
                for ox in -2..=2 {
                    let (x, y) = (c[0] + 0.25 * f64::from(ox), c[1] + 0.25 * f64::from(oy));
                    let g: Vec<f64> = px.iter().map(|p| wide.at(p[0] - x, p[1] - y)).collect();
                    out.push(fit_one(&g, &depth));
                }
            }
        }
        out
    }

    /// Two squeezed images 2.2 px apart at 0.5 rad, under a tilted typical image, in a window 9 x 8 px.
    fn pair_window() -> (Vec<[f64; 3]>, Image, [f64; 2], f64) {
        let image = Image::new(1.3, 0.8, 0.3);
        let (c, axis) = ([20.3, 11.7], 0.5f64);
        let px = (8..16)
            .flat_map(|y| (16..25).map(move |x| (x as f64, y as f64)))
            .map(|(x, y)| {
                let g = |t: f64| image.at(x - c[0] - t * axis.cos(), y - c[1] - t * axis.sin());
                [x, y, 0.3 * g(-1.1) + 0.2 * g(1.1) + 0.01 * ((x * 7.0 + y * 3.0) % 5.0 - 2.0) / 2.0]
            })
            .collect();
        (px, image, c, axis)
    }

    #[test]
    fn the_factored_pair_search_matches_one_exponential_per_image() {
        let (px, image, c, axis) = pair_window();
        let fast = best_pair(&Around::new(&px, &image, c), &image, axis, 3.0);
        let direct = best_pair_directly(&px, &image, c, axis, 3.0);
        assert!(direct.is_finite() && direct > 0.0);
        assert!((fast - direct).abs() <= 1e-9 * direct, "{fast} vs {direct}");
    }

    #[test]
    fn the_factored_single_images_match_one_exponential_per_image() {
        let (px, image, c, _) = pair_window();
        let mut fast = Vec::new();
        singles(&Around::new(&px, &image, c), &image, |one| {
            fast.push(one);
            false
        });
        let direct = singles_directly(&px, &image, c);
        assert_eq!(fast.len(), 175);
        for (k, (f, d)) in fast.iter().zip(&direct).enumerate() {
            assert!((f - d).abs() <= 1e-9 * d.abs().max(1e-6), "placement {k}: {f} vs {d}");
        }
        // The first residual that settles it stops the search.
        let mut calls = 0;
        singles(&Around::new(&px, &image, c), &image, |_| {
            calls += 1;
            calls == 3
        });
        assert_eq!(calls, 3);
    }

    #[test]
    fn two_dots_without_a_saddle_between_them_count_as_two() {
        // 1.7 sigma apart: their sum has no saddle (under 2 sigma), so no split finds them.
        let (img, want) = field(|_| 1.0, 0.45, 1.7);
        let m = measure_image(&img, &MeasureOptions::default());
        let blended = m.dots.iter().filter(|d| d.blended).count();
        let pairs = 132;
        assert!(blended as f64 >= 0.7 * pairs as f64, "{blended} of {pairs} pairs found");
        let got = m.metrics.dot_count as f64;
        assert!((got - want as f64).abs() <= 0.05 * want as f64, "{got} dots of {want}");
        // The typical dot is a single one: 2 sigma sqrt(2 ln 2) = 2.35 px across at half depth.
        let d = m.metrics.dot_diameter_px.unwrap_or(0.0);
        assert!((d - 2.35).abs() < 0.2, "typical diameter {d}");
    }

    #[test]
    fn single_dots_of_uneven_size_stay_single() {
        // Sizes 0.8-1.25x (areas 0.64-1.56x): the larger ones are tested, and one widened image explains them.
        let (img, want) = field(|k| 0.8 + 0.45 * ((k * 37) % 11) as f64 / 10.0, 0.45, 0.0);
        let m = measure_image(&img, &MeasureOptions::default());
        let blended = m.dots.iter().filter(|d| d.blended).count();
        assert_eq!(blended, 0, "single dots called two");
        assert_eq!(m.metrics.dot_count as usize, want);
    }
}
