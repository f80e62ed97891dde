/*!
Hair strokes inside compound blobs: stubble crossing or touching SMP dots joins them into one candidate blob, which
is split into its dots; what of the blob lies away from every dot found in it is the hair.

The residue is the blob's pixels farther than a dot's radius plus a halo (a quarter of a typical diameter, at least
1.5 px: a candidate blob reaches past the half-depth edge) from each dot cut out of it. Its 8-connected parts are
hair strokes when they are stroke-shaped: elongated (at least [`HAIR_ELONGATION`]), at least [`MIN_LENGTH`] typical
dot diameters (and 3 px) long, thinner than [`HAIR_MAX_WIDTH_RATIO`] of a dot, and as deep as a hair must be. Two parts on one
line on either side of a dot are one hair crossing it, as long as both reach together (each alone may be shorter).
*/

use super::blobs::{Blob, Moments};
use super::classify::{stroke_depth, stroke_width, Hair, HAIR_ELONGATION, HAIR_MAX_WIDTH_RATIO};
use super::dot::{Dot, DotContext};

/// Least length of a residual stroke, in typical dot diameters: the slivers left between touching dots (scab days)
/// are shorter; measured on the fixtures, 1.5 let through three times as many of them (up to 2% of the dots) for a
/// fifth more stubble.
const MIN_LENGTH: f64 = 2.0;

/// Largest angle, radians, between two residual strokes of one blob lying on one line (one hair crossing a dot).
const SAME_LINE_ANGLE: f64 = 0.35;

/// The hair strokes left in compound blob `bi` once `dots` (the dots cut out of it) are taken away; `depth_floor`
/// is the least relative depth of a hair.
pub(super) fn residual_hairs(
    ctx: &DotContext,
    bi: usize,
    dots: &[Dot],
    typical_diameter: f32,
    depth_floor: f32,
) -> Vec<Hair> {
    let blob = &ctx.blobs.blobs[bi];
    let w = ctx.l.width;
    let halo = (0.25 * typical_diameter).max(1.5);
    let away = |p: usize| {
        let (x, y) = ((p % w) as f32, (p / w) as f32);
        dots.iter().all(|d| (x - d.x).hypot(y - d.y) > 0.5 * d.diameter + halo)
    };
    let residue: Vec<usize> = ctx.blobs.pixels_of(blob).iter().map(|&p| p as usize).filter(|&p| away(p)).collect();
    let mut strokes: Vec<Blob> = Vec::new();
    for part in components(&residue, w) {
        let mut m = Moments::default();
        let mut darkest = part[0];
        for &p in &part {
            m.add(p % w, p / w);
            if ctx.smooth.data[p] < ctx.smooth.data[darkest] {
                darkest = p;
            }
        }
        let b = m.blob(0, darkest, false);
        if b.area >= 3
            && b.elongation() >= HAIR_ELONGATION
            && b.major_length() >= 3.0
            && stroke_width(&b) < HAIR_MAX_WIDTH_RATIO * typical_diameter as f64
            && stroke_depth(ctx, &b) >= depth_floor
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
        let length = match other {
            Some(j) => {
                used[j] = true;
                span(a, &strokes[j])
            }
            None => a.major_length(),
        };
        if length >= (MIN_LENGTH * typical_diameter as f64).max(3.0) {
            hairs.push(Hair { x: a.cx as f32, y: a.cy as f32, length: length as f32, blob: bi });
        }
    }
    hairs
}

/// Length of the span along `a`'s axis that strokes `a` and `b` cover together, end to end.
fn span(a: &Blob, b: &Blob) -> f64 {
    let t = a.axis();
    let (ux, uy) = (t.cos(), t.sin());
    let along = |s: &Blob| s.cx * ux + s.cy * uy;
    let ends = |s: &Blob| (along(s) - 0.5 * s.major_length(), along(s) + 0.5 * s.major_length());
    let ((a0, a1), (b0, b1)) = (ends(a), ends(b));
    a1.max(b1) - a0.min(b0)
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

/// The 8-connected parts of a set of pixel indices (row-major, `w` wide).
fn components(pixels: &[usize], w: usize) -> Vec<Vec<usize>> {
    let set: std::collections::BTreeSet<usize> = pixels.iter().copied().collect();
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for &p in pixels {
        if !seen.insert(p) {
            continue;
        }
        let (mut part, mut stack) = (Vec::new(), vec![p]);
        while let Some(q) = stack.pop() {
            part.push(q);
            let (x, y) = (q % w, q / w);
            for ny in y.saturating_sub(1)..=y + 1 {
                for nx in x.saturating_sub(1)..=(x + 1).min(w - 1) {
                    let n = ny * w + nx;
                    if set.contains(&n) && seen.insert(n) {
                        stack.push(n);
                    }
                }
            }
        }
        out.push(part);
    }
    out
}
