/*!
Hair strokes inside compound blobs: stubble crossing or touching SMP dots joins them into one candidate blob, which
is split into its dots; what of the blob lies away from every dot found in it is the hair.

The residue is the blob's pixels outside each dot cut out of it: the dot's half-depth ellipse (its equivalent disk
stretched by its elongation along its axis, as a dot squeezed at a slant is) grown by a halo of a quarter of a
typical diameter, at least 1.5 px (a candidate blob reaches past the half-depth edge). The dots cut out are the
blob's accepted dots and the round pieces left out as dots under a hair (darkness running on along them). Each
8-connected part of the residue is judged by its half-depth pixels (those at least half
as deep as its darkest: under blur a candidate blob is far wider than a thin hair, and a dot's diameter is measured
at half depth too). It is a hair stroke when that half-depth part is elongated (at least [`HAIR_ELONGATION`]),
thinner than [`HAIR_MAX_WIDTH_RATIO`] of a dot, as deep as a dot must be (the dot threshold: faint skin texture
between dots joins them into compound blobs too), not squeezed like the dots around it (rows of touching dots along
the silhouette), and long enough: [`FREE_MIN_LENGTH`] typical dot diameters when one of its ends lies in open skin
(a hair touching a dot), [`MIN_LENGTH`] when both end at dots (the slivers left between touching dots on scab days
do). Two parts on one line on either side of a dot are one hair crossing it, as long as both reach together (each
alone may be shorter).
*/

use super::blobs::{Blob, Moments};
use super::classify::{stroke_depth, stroke_width, Hair, HAIR_ELONGATION, HAIR_MAX_WIDTH_RATIO};
use super::dot::{Dot, DotContext};

/// Least length of a residual stroke that ends at a dot at both ends, in typical dot diameters: the slivers left
/// between touching dots (scab days) are shorter. Measured on the fixtures, 1.5 finds 1-4% more stubble for 1.6
/// times the slivers on the dense scab day.
const MIN_LENGTH: f64 = 2.0;

/// Least length of a residual stroke with a free end (one away from every dot of the blob), in typical dot
/// diameters: a hair touching a dot ends in open skin, where a sliver between touching dots ends at a dot on both
/// sides.
const FREE_MIN_LENGTH: f64 = 1.0;

/// Largest angle, radians, between two residual strokes of one blob lying on one line (one hair crossing a dot).
const SAME_LINE_ANGLE: f64 = 0.35;

/// The hair strokes left in compound blob `bi` once `dots` (the dots cut out of it) are taken away; `depth_floor`
/// is the least relative depth of a stroke (the photo's dot threshold), and `squeezed_alike` tells a stroke
/// squeezed like the dots around it (a row of touching dots along the silhouette).
pub(super) fn residual_hairs(
    ctx: &DotContext,
    bi: usize,
    dots: &[Dot],
    typical_diameter: f32,
    depth_floor: f32,
    squeezed_alike: &dyn Fn(&Blob) -> bool,
) -> Vec<Hair> {
    let blob = &ctx.blobs.blobs[bi];
    let w = ctx.l.width;
    let halo = (0.25 * typical_diameter).max(1.5);
    let pixels = ctx.blobs.pixels_of(blob);
    let Some(window) = Window::around(pixels, w) else { return Vec::new() };
    // The blob's cells lying outside every dot: each dot marks the cells of its ellipse's bounding box it covers.
    let mut covered = vec![false; window.w * window.h];
    for d in dots {
        let reach = 0.5 * d.diameter * d.elongation.max(1.0).sqrt() + halo;
        let (x0, x1) = ((d.x - reach).floor().max(window.x0 as f32) as usize, (d.x + reach).ceil() as usize);
        let (y0, y1) = ((d.y - reach).floor().max(window.y0 as f32) as usize, (d.y + reach).ceil() as usize);
        for y in y0..=y1.min(window.y0 + window.h - 1) {
            for x in x0..=x1.min(window.x0 + window.w - 1) {
                if within_dot(d, x as f32, y as f32, halo) {
                    covered[window.at(y * w + x)] = true;
                }
            }
        }
    }
    let residue: Vec<usize> = pixels.iter().map(|&p| p as usize).filter(|&p| !covered[window.at(p)]).collect();
    let mut strokes: Vec<Blob> = Vec::new();
    for part in components(&residue, w, &window) {
        let darkest =
            part.iter().copied().min_by(|&a, &b| ctx.smooth.data[a].total_cmp(&ctx.smooth.data[b]).then(a.cmp(&b)));
        let Some(darkest) = darkest else { continue };
        let b = half_depth_part(ctx, &part, darkest);
        if b.area >= 3
            && b.elongation() >= HAIR_ELONGATION
            && b.major_length() >= 3.0
            && stroke_width(&b) < HAIR_MAX_WIDTH_RATIO * typical_diameter as f64
            && stroke_depth(ctx, &b) >= depth_floor
            && !squeezed_alike(&b)
        {
            strokes.push(b);
        }
    }
    // Two strokes on one line are the ends of one hair crossing a dot: one hair, as long as both ends reach.
    strokes.sort_by(|a, b| b.major_length().total_cmp(&a.major_length()));
    let mut hairs = Vec::new();
    let mut used = vec![false; strokes.len()];
    for i in 0..strokes.len() {
        if used[i] {
            continue;
        }
        used[i] = true;
        let a = &strokes[i];
        let other = (i + 1..strokes.len()).find(|&j| !used[j] && on_one_line(a, &strokes[j]));
        let ends = match other {
            Some(j) => {
                used[j] = true;
                outer_ends(a, &strokes[j])
            }
            None => outer_ends(a, a),
        };
        let length = (ends[1].0 - ends[0].0).hypot(ends[1].1 - ends[0].1);
        // An end is free when it lies in open skin, past a dot's halo.
        let free = ends.iter().any(|&(x, y)| dots.iter().all(|d| !within_dot(d, x as f32, y as f32, 2.0 * halo)));
        let least = if free { FREE_MIN_LENGTH } else { MIN_LENGTH };
        if length >= (least * typical_diameter as f64).max(3.0) {
            hairs.push(Hair { x: a.cx as f32, y: a.cy as f32, length: length as f32, blob: bi });
        }
    }
    hairs
}

/// Whether `(x, y)` lies within a dot's half-depth ellipse (its equivalent disk stretched by its elongation along
/// its axis, area kept) grown by `halo`: the ends of a dot squeezed at a slant reach past its equivalent disk.
fn within_dot(d: &Dot, x: f32, y: f32, halo: f32) -> bool {
    let r = 0.5 * d.diameter;
    let e = d.elongation.max(1.0).sqrt();
    let (semi_major, semi_minor) = (r * e + halo, r / e + halo);
    let (dx, dy) = (x - d.x, y - d.y);
    let (c, s) = (d.axis.cos(), d.axis.sin());
    let (u, v) = (dx * c + dy * s, -dx * s + dy * c);
    (u / semi_major).powi(2) + (v / semi_minor).powi(2) <= 1.0
}

/// A stroke's half-depth part: its pixels at least half as far below the background as its darkest.
fn half_depth_part(ctx: &DotContext, part: &[usize], darkest: usize) -> Blob {
    let depth = |p: usize| ctx.background.data[p] - ctx.smooth.data[p];
    let half = 0.5 * depth(darkest);
    let mut m = Moments::default();
    let w = ctx.l.width;
    part.iter().filter(|&&p| depth(p) >= half).for_each(|&p| m.add(p % w, p / w));
    m.blob(0, darkest, false)
}

/// The two outer ends, along `a`'s axis, of strokes `a` and `b` taken together.
fn outer_ends(a: &Blob, b: &Blob) -> [(f64, f64); 2] {
    let t = a.axis();
    let (ux, uy) = (t.cos(), t.sin());
    let along = |s: &Blob| (s.cx - a.cx) * ux + (s.cy - a.cy) * uy;
    let (lo, hi) = (
        (along(a) - 0.5 * a.major_length()).min(along(b) - 0.5 * b.major_length()),
        (along(a) + 0.5 * a.major_length()).max(along(b) + 0.5 * b.major_length()),
    );
    [(a.cx + lo * ux, a.cy + lo * uy), (a.cx + hi * ux, a.cy + hi * uy)]
}

/// Whether `b` lies along `a`'s line: nearly parallel, its centroid within 1.5 px of `a`'s axis.
fn on_one_line(a: &Blob, b: &Blob) -> bool {
    let (ta, tb) = (a.axis(), b.axis());
    let turn = (ta - tb).rem_euclid(std::f64::consts::PI);
    let angle = turn.min(std::f64::consts::PI - turn);
    let (dx, dy) = (b.cx - a.cx, b.cy - a.cy);
    let off = (dx * ta.sin() - dy * ta.cos()).abs();
    angle <= SAME_LINE_ANGLE && off <= 1.5
}

/// The bounding box of a set of pixel indices (row-major, `w` wide), as a small grid of its own.
struct Window {
    x0: usize,
    y0: usize,
    w: usize,
    h: usize,
    /// Width of the frame the pixel indices refer to.
    frame_w: usize,
}

impl Window {
    fn around(pixels: &[u32], frame_w: usize) -> Option<Window> {
        let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
        for &p in pixels {
            let (x, y) = (p as usize % frame_w, p as usize / frame_w);
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
        }
        (!pixels.is_empty()).then(|| Window { x0, y0, w: x1 - x0 + 1, h: y1 - y0 + 1, frame_w })
    }

    /// The window cell of frame pixel `p` (which must lie inside).
    fn at(&self, p: usize) -> usize {
        (p / self.frame_w - self.y0) * self.w + (p % self.frame_w - self.x0)
    }
}

/// The 8-connected parts of a set of pixel indices (row-major, `w` wide) lying in `window`.
fn components(pixels: &[usize], w: usize, window: &Window) -> Vec<Vec<usize>> {
    let mut member = vec![false; window.w * window.h];
    pixels.iter().for_each(|&p| member[window.at(p)] = true);
    let mut seen = vec![false; window.w * window.h];
    let mut out = Vec::new();
    for &p in pixels {
        if std::mem::replace(&mut seen[window.at(p)], true) {
            continue;
        }
        let (mut part, mut stack) = (Vec::new(), vec![p]);
        while let Some(q) = stack.pop() {
            part.push(q);
            let (x, y) = (q % w, q / w);
            for ny in y.saturating_sub(1).max(window.y0)..=(y + 1).min(window.y0 + window.h - 1) {
                for nx in x.saturating_sub(1).max(window.x0)..=(x + 1).min(window.x0 + window.w - 1) {
                    let n = ny * w + nx;
                    let k = window.at(n);
                    if member[k] && !seen[k] {
                        seen[k] = true;
                        stack.push(n);
                    }
                }
            }
        }
        out.push(part);
    }
    out
}
