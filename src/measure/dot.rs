/*!
One dot measured as `shared/MEASUREMENTS.md` defines it.

- Region: the 8-connected pixels, grown from the darkest pixel, darker than half way between the local background
  and the darkest value ("half depth"). Half way is taken in linear light (luminance Y), then expressed in L*: the
  half-absorption contour stays on a dot's true edge under any symmetric blur or antialiasing, whereas the L*
  midpoint sits inside it (L* is concave in Y).
- Diameter: equivalent diameter `2 * sqrt(area / pi)` of the region. The area is counted to sub-pixel precision:
  each pixel of the region and of its one-pixel border counts for the share of it below the threshold, by linear
  interpolation along the local L* gradient (`clamp(0.5 + (threshold - L) / |grad L|, 0, 1)`); whole-pixel
  counting would make a 2 px dot's diameter jump in 20% steps.
- Core: pixels within half the equivalent radius of the region's centroid; when none is that close, the value at
  the centroid between pixel centres. The centroid is found to sub-pixel precision, each region pixel weighted by
  its depth below half depth: a 1.5-2 px dot's region is two to four whole pixels, whose plain centroid may lie a
  third of a pixel off the dot's centre (for a symmetric dot both are its centre).
- Background: median L* of the ring from 1.5 to 3 equivalent radii around the centroid, leaving out candidate
  pixels (other dots, hairs) and unusable (non-skin, clipped) pixels.
- Weber contrast: `(L_bg - mean core L*) / L_bg`.

Background and region depend on each other, so they are refined twice, starting from the closing background.
Small candidates (under 20 px, about 3.5 px across at half depth) are measured on the raw lightness (smoothing
would widen them); larger ones on the lightly smoothed lightness, which takes the pixel noise out of the darkest
value without moving the half-depth edge. On the raw lightness the darkest value is the minimum between pixel
centres (`subpixel_minimum`).
*/

use super::blobs::{Blob, Blobs, Moments};
use super::dot_shape::{blobness, line_run, steepest_slope};
use super::plane::Plane;

/// A measured dot.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dot {
    /// Centroid x of the half-depth region, in pixels.
    pub x: f32,
    /// Centroid y.
    pub y: f32,
    /// Area of the half-depth region, pixels (sub-pixel).
    pub area: f32,
    /// Equivalent diameter, pixels.
    pub diameter: f32,
    /// Weber contrast of the core against the ring background.
    pub contrast: f32,
    /// Ring background L*.
    pub background: f32,
    /// Elongation of the half-depth region (1 for a disk).
    pub elongation: f32,
    /// Direction of the half-depth region's major axis, radians (image axes, y down).
    pub axis: f32,
    /// Steepest lightness slope at the dot's edge divided by its depth (1/px): the dot's sharpness.
    pub edge_sharpness: f32,
    /// Cut out of a compound blob (touching dots, a dot under hair) rather than found on its own.
    pub split: bool,
    /// How far, in pixels beyond the region's edge, darkness of at least half the dot's depth runs on along its long
    /// axis, on each side (shorter side first): about 0 for a dot, long on both sides for a piece of hair.
    pub line_run: [f32; 2],
    /// [`Self::line_run`] less the darkness of a neighbouring dot of the same compound blob (nearer its seed) that a
    /// run enters and ends in (see `dot_shape::line_run`): a dot touching its neighbour in a dense row. The same as
    /// `line_run` for a dot found on its own.
    pub own_run: [f32; 2],
    /// Ratio of the smaller to the larger principal curvature of the smoothed lightness at the darkest point (or at
    /// the smoothed lightness's own minimum in the region, whichever reads more of a bowl), at the scale of the
    /// dot's radius: about 1 for a dot (a bowl), near 0 on a hair (a trough).
    pub blobness: f32,
    /// Depth of the core below the background as a share of the darkest point's: near 1 for a dot, whose darkest
    /// point is its centre; low for two touching dots measured as one, whose centroid falls between them.
    pub core_share: f32,
    /// Two dots blurred into one region ([`super::deblend`]): counted as two, left out of the typical dot's size,
    /// contrast and sharpness.
    pub blended: bool,
}

#[cfg(test)]
impl Dot {
    /// A round, clear dot found on its own at (`x`, `y`), `diameter` px across, for tests.
    pub(crate) fn round_at(x: f32, y: f32, diameter: f32) -> Dot {
        Dot {
            x,
            y,
            area: std::f32::consts::FRAC_PI_4 * diameter * diameter,
            diameter,
            contrast: 0.4,
            background: 60.0,
            elongation: 1.0,
            axis: 0.0,
            edge_sharpness: 0.5,
            split: false,
            blobness: 1.0,
            line_run: [0.0, 0.0],
            own_run: [0.0, 0.0],
            core_share: 1.0,
            blended: false,
        }
    }
}

/// What a refinement needs to see.
pub struct DotContext<'a> {
    /// Raw lightness.
    pub l: &'a Plane,
    /// Smoothed lightness.
    pub smooth: &'a Plane,
    /// Closing background.
    pub background: &'a Plane,
    /// Candidate components (their mask is left out of rings).
    pub blobs: &'a Blobs,
    /// Pixels usable as background (skin, not clipped).
    pub usable: &'a [bool],
}

/// Scratch buffers reused from dot to dot.
#[derive(Default)]
pub struct Scratch {
    region: Vec<usize>,
    /// Stamp of the last region that reached each pixel of the square within `reach` of the seed (a region never
    /// leaves it), so the buffer is a dot's neighbourhood, not a frame.
    seen: Vec<u16>,
    stamp: u16,
    stack: Vec<usize>,
    ring: Vec<f32>,
    near: Neighbourhood,
}

/// How far a region may grow.
struct Limit<'a> {
    /// Square half-size around the seed; reaching it means the region leaks into something larger.
    reach: usize,
    /// Optional disk bound (radius, px) for dots cut out of a compound blob.
    disk: Option<f64>,
    /// Seeds of neighbouring dots of the same compound blob: a pixel nearer to one of them is theirs.
    rivals: &'a [usize],
}

/// Measures the dot a candidate blob holds; `None` when it has no well-defined half-depth region (it leaks into
/// a larger dark area, or has no usable background).
pub fn measure_dot(ctx: &DotContext, blob: &Blob, scratch: &mut Scratch) -> Option<Dot> {
    let plane = if blob.area >= 20 { ctx.smooth } else { ctx.l };
    let darkest = ctx
        .blobs
        .pixels_of(blob)
        .iter()
        .map(|&i| i as usize)
        .min_by(|&a, &b| plane.data[a].total_cmp(&plane.data[b]))?;
    let reach = (3.0 * (blob.area as f64 / std::f64::consts::PI).sqrt()).ceil() as usize + 3;
    measure_from(ctx, plane, darkest, &Limit { reach, disk: None, rivals: &[] }, scratch)
}

/// How far a dot cut out of a compound blob may reach from its seed, pixels: `0.8 x typical_diameter`, at least 2 px
/// beyond a typical dot's radius ([`measure_seeded`]). A rival seed farther than three times this from a seed never
/// decides a pixel of its region (the region, and the centre it may be grown again from, lie within it).
pub fn seeded_radius(typical_diameter: f32) -> f64 {
    (0.8 * typical_diameter as f64).max(0.5 * typical_diameter as f64 + 2.0)
}

/// Measures the dot around `seed`, one of several dots in a compound blob (touching dots, a dot under a hair):
/// its region may not grow past `0.8 x typical_diameter` (at least 2 px beyond a typical dot's radius) from the
/// seed, nor into a rival seed's side.
/// `None` when the region runs over a fifth of that disk's rim: a larger dark mark or crossing hairs, not a dot.
pub fn measure_seeded(
    ctx: &DotContext,
    seed: usize,
    typical_diameter: f32,
    rivals: &[usize],
    scratch: &mut Scratch,
) -> Option<Dot> {
    let plane = if typical_diameter >= 4.0 { ctx.smooth } else { ctx.l };
    let radius = seeded_radius(typical_diameter);
    let limit = Limit { reach: radius.ceil() as usize + 2, disk: Some(radius), rivals };
    let w = plane.width;
    let within_disk = |seed: usize, region: &[usize]| {
        let (sx, sy) = ((seed % w) as f64, (seed / w) as f64);
        let rim = region.iter().filter(|&&i| ((i % w) as f64 - sx).hypot((i / w) as f64 - sy) > radius - 1.0).count();
        (rim as f64) < 0.2 * 2.0 * std::f64::consts::PI * radius
    };
    let dot = measure_from(ctx, plane, seed, &limit, scratch)?;
    if within_disk(seed, &scratch.region) {
        return Some(dot);
    }
    // A large dot's darkest point may lie well off its centre, so the disk around it cuts the dot: once more from
    // the centre of what was found, which lies nearer the dot's.
    let centre = dot.y.round() as usize * w + dot.x.round() as usize;
    if centre == seed || centre >= plane.data.len() {
        return None;
    }
    let dot = measure_from(ctx, plane, centre, &limit, scratch)?;
    within_disk(centre, &scratch.region).then_some(dot)
}

fn measure_from(ctx: &DotContext, plane: &Plane, darkest: usize, limit: &Limit, scratch: &mut Scratch) -> Option<Dot> {
    // Only small dots, measured on the raw lightness, are narrow enough for their peak to fall well between pixels.
    let dark_value = if std::ptr::eq(plane, ctx.l) { subpixel_minimum(plane, darkest) } else { plane.data[darkest] };
    let mut bg = ctx.background.data[darkest];
    let mut grown: Option<Region> = None;
    for _ in 0..2 {
        let threshold = half_depth(bg, dark_value);
        let region = grow(ctx, plane, darkest, threshold, limit, scratch)?;
        // The ring depends on the region's centre and size only: the same region again has the same background.
        let same = grown.as_ref().is_some_and(|g| (g.area, g.cx, g.cy) == (region.area, region.cx, region.cy));
        if !same {
            bg = ring_median(ctx, region.cx, region.cy, region.radius(), scratch)?;
        }
        grown = Some(region);
    }
    let region = grown?;
    let threshold = half_depth(bg, dark_value);
    let region = if (region.threshold - threshold).abs() > 1e-3 {
        grow(ctx, plane, darkest, threshold, limit, scratch)?
    } else {
        region
    };
    if bg <= dark_value {
        return None;
    }
    let depth = (bg - dark_value).max(1e-3);
    // The curvature is read on the smoothed lightness, at the darkest raw pixel and at the smoothed lightness's own
    // minimum in the region, whichever is more of a bowl: a tiny dot's darkest raw pixel may lie a pixel off that
    // minimum, on the slope towards a touching neighbour, where the surface is no bowl; a squeezed dot's may be the
    // better reading of the two where the smoothing runs it into its neighbours.
    let k = region.radius().round().max(1.0) as usize;
    let minimum = descend(ctx.smooth, darkest, &scratch.region);
    let at_minimum = if minimum == darkest { 0.0 } else { blobness(ctx.smooth, minimum, k) };
    let blobness = blobness(ctx.smooth, darkest, k).max(at_minimum);
    scratch.near.mark(&scratch.region, plane.width, plane.height);
    let fine = subpixel_area(plane, &scratch.near, threshold);
    let area = fine.area;
    // The core lies around the dot's centre found to sub-pixel precision (the centroid of its darkness below half
    // depth): a 1.5-2 px dot's region is two to four whole pixels, whose centroid may lie a third of a pixel off it.
    let (core_x, core_y) = if fine.cx.is_finite() { (fine.cx, fine.cy) } else { (region.cx, region.cy) };
    let core = core_mean(ctx.l, core_x, core_y, (f64::from(area) / std::f64::consts::PI).sqrt());
    let (line_run, own_run) = {
        let elsewhere = |j: usize| limit.rival_side(j, darkest, plane.width);
        let rivals =
            (!limit.rivals.is_empty()).then_some((&elsewhere as &dyn Fn(usize) -> bool, ctx.smooth.data[darkest]));
        line_run(ctx.smooth, (region.cx, region.cy), region.axis, region.radius(), bg, dark_value, rivals)
    };
    Some(Dot {
        x: region.cx as f32,
        y: region.cy as f32,
        area,
        diameter: 2.0 * (area / std::f32::consts::PI).sqrt(),
        contrast: (bg - core) / bg,
        background: bg,
        elongation: region.elongation as f32,
        axis: region.axis as f32,
        edge_sharpness: steepest_slope(ctx.l, &scratch.near) / depth,
        split: limit.disk.is_some(),
        blobness,
        line_run,
        own_run,
        core_share: (bg - core) / depth,
        blended: false,
    })
}

/// The local minimum of `plane` reached from `start` by steepest descent over 8-neighbours within `region`.
fn descend(plane: &Plane, start: usize, region: &[usize]) -> usize {
    let (w, h) = (plane.width, plane.height);
    let mut at = start;
    for _ in 0..region.len() {
        let (x, y) = (at % w, at / w);
        let mut best = at;
        for ny in y.saturating_sub(1)..=(y + 1).min(h - 1) {
            for nx in x.saturating_sub(1)..=(x + 1).min(w - 1) {
                let q = ny * w + nx;
                if plane.data[q] < plane.data[best] && region.contains(&q) {
                    best = q;
                }
            }
        }
        if best == at {
            break;
        }
        at = best;
    }
    at
}

/// The dot's darkest value between pixel centres. Along x and along y a parabola through the darkest pixel and its
/// two neighbours has its minimum off the grid; the two corrections add, as for a separable peak. A 2-3 px dot
/// seldom centres on a pixel, and its darkest pixel misses up to a tenth of its depth, which would put half depth
/// too light and the region too wide.
fn subpixel_minimum(plane: &Plane, i: usize) -> f32 {
    let (w, h) = (plane.width, plane.height);
    let (x, y) = (i % w, i / w);
    let c = plane.data[i];
    if x == 0 || y == 0 || x + 1 >= w || y + 1 >= h {
        return c;
    }
    let drop = |a: f32, b: f32| {
        let curvature = a + b - 2.0 * c;
        if a < c || b < c || curvature <= 1e-6 {
            0.0
        } else {
            (a - b) * (a - b) / (8.0 * curvature)
        }
    };
    c - drop(plane.data[i - 1], plane.data[i + 1]) - drop(plane.data[i - w], plane.data[i + w])
}

/// L* of the point half way in luminance between two L* values.
fn half_depth(bg: f32, dark: f32) -> f32 {
    let to_y = |l: f32| {
        let f = (l + 16.0) / 116.0;
        if f > 6.0 / 29.0 {
            f * f * f
        } else {
            (l * 27.0 / 24389.0).max(0.0)
        }
    };
    let y = 0.5 * (to_y(bg) + to_y(dark));
    if y > 216.0 / 24389.0 {
        116.0 * y.cbrt() - 16.0
    } else {
        y * 24389.0 / 27.0
    }
}

/// A region and its 8-neighbours inside the frame, as flags over its bounding box one pixel wider (clipped to the
/// frame): the pixels its sub-pixel area and its edge slope are read on, each once.
#[derive(Default)]
pub(super) struct Neighbourhood {
    /// Left column of the box.
    x0: usize,
    /// Top row of the box.
    y0: usize,
    /// Width of the box.
    width: usize,
    /// One flag per box pixel, row-major: in the region or next to it.
    flags: Vec<bool>,
}

impl Neighbourhood {
    /// Marks `region` (pixel indices of a `w x h` frame) and its 8-neighbours; an empty region marks nothing.
    pub fn mark(&mut self, region: &[usize], w: usize, h: usize) {
        self.flags.clear();
        if region.is_empty() {
            return;
        }
        let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
        for &i in region {
            let (x, y) = (i % w, i / w);
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
        }
        let (x0, y0, x1, y1) = (x0.saturating_sub(1), y0.saturating_sub(1), (x1 + 1).min(w - 1), (y1 + 1).min(h - 1));
        let bw = x1 - x0 + 1;
        (self.x0, self.y0, self.width) = (x0, y0, bw);
        self.flags.resize(bw * (y1 - y0 + 1), false);
        for &i in region {
            let (x, y) = (i % w, i / w);
            for ny in y.saturating_sub(1).max(y0)..=(y + 1).min(y1) {
                for nx in x.saturating_sub(1).max(x0)..=(x + 1).min(x1) {
                    self.flags[(ny - y0) * bw + nx - x0] = true;
                }
            }
        }
    }

    /// The marked pixels as frame coordinates.
    pub fn pixels(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        let (x0, y0, bw) = (self.x0, self.y0, self.width);
        self.flags.iter().enumerate().filter(|(_, &n)| n).map(move |(k, _)| (x0 + k % bw, y0 + k / bw))
    }
}

/// Sub-pixel area of the region below `threshold`: region pixels and their 8-neighbours (`near`, marked), each
/// counting for `clamp(0.5 + (threshold - L) / |grad L|, 0, 1)`; and the region's centre, each pixel weighted by
/// how far it lies below the threshold (a ragged edge pixel hardly moves it).
fn subpixel_area(plane: &Plane, near: &Neighbourhood, threshold: f32) -> SubpixelRegion {
    let (w, h) = (plane.width, plane.height);
    let (mut area, mut sx, mut sy, mut sw) = (0f32, 0f64, 0f64, 0f64);
    for (x, y) in near.pixels() {
        let v = plane.data[y * w + x];
        let gx = plane.get((x + 1).min(w - 1), y) - plane.get(x.saturating_sub(1), y);
        let gy = plane.get(x, (y + 1).min(h - 1)) - plane.get(x, y.saturating_sub(1));
        let grad = (0.5 * (gx * gx + gy * gy).sqrt()).max(1e-3);
        let share = (0.5 + (threshold - v) / grad).clamp(0.0, 1.0);
        area += share;
        let dark = f64::from((threshold - v).max(0.0));
        (sx, sy, sw) = (sx + dark * x as f64, sy + dark * y as f64, sw + dark);
    }
    if sw <= 0.0 {
        return SubpixelRegion { area, cx: f64::NAN, cy: f64::NAN };
    }
    SubpixelRegion { area, cx: sx / sw, cy: sy / sw }
}

/// The half-depth region counted to sub-pixel precision: its area, and the centroid of its darkness below the
/// threshold (NaN when no pixel is below it).
struct SubpixelRegion {
    area: f32,
    cx: f64,
    cy: f64,
}

impl Limit<'_> {
    /// Whether pixel `j` may join the region grown from `seed` (disk bound and rival seeds).
    fn allows(&self, j: usize, seed: usize, w: usize) -> bool {
        let own = squared_distance(j, seed, w);
        self.disk.is_none_or(|r| own <= r * r) && self.rivals.iter().all(|&r| squared_distance(j, r, w) >= own)
    }

    /// Whether pixel `j` lies on a rival seed's side: nearer to one of them than to `seed`.
    fn rival_side(&self, j: usize, seed: usize, w: usize) -> bool {
        let own = squared_distance(j, seed, w);
        self.rivals.iter().any(|&r| squared_distance(j, r, w) < own)
    }
}

/// Squared distance between pixels `a` and `b` of a plane `w` wide.
fn squared_distance(a: usize, b: usize, w: usize) -> f64 {
    let (dx, dy) = ((a % w) as f64 - (b % w) as f64, (a / w) as f64 - (b / w) as f64);
    dx * dx + dy * dy
}

struct Region {
    area: usize,
    cx: f64,
    cy: f64,
    elongation: f64,
    /// Direction of the major axis, radians.
    axis: f64,
    threshold: f32,
}

impl Region {
    fn radius(&self) -> f64 {
        (self.area as f64 / std::f64::consts::PI).sqrt()
    }
}

/// Grows the half-depth region from `seed`; `None` if it reaches `limit.reach` pixels from the seed (a leak).
fn grow(
    ctx: &DotContext,
    plane: &Plane,
    seed: usize,
    threshold: f32,
    limit: &Limit,
    s: &mut Scratch,
) -> Option<Region> {
    let reach = limit.reach;
    let (w, h) = (plane.width, plane.height);
    let side = 2 * reach + 1;
    if s.seen.len() < side * side {
        s.seen = vec![0; side * side];
        s.stamp = 0;
    }
    if s.stamp == u16::MAX {
        // Every stamp used: start over on a clean slate.
        s.seen.fill(0);
        s.stamp = 0;
    }
    s.stamp += 1;
    let stamp = s.stamp;
    let (x0, y0) = (seed % w, seed / w);
    // Index in the square of `side` centred on the seed; pixels pushed lie at most `reach` from it.
    let local = |x: usize, y: usize| (y + reach - y0) * side + (x + reach - x0);
    s.region.clear();
    s.stack.clear();
    s.stack.push(seed);
    s.seen[local(x0, y0)] = stamp;
    let mut moments = Moments::default();
    let free = limit.disk.is_none() && limit.rivals.is_empty();
    let (wi, si) = (w as isize, side as isize);
    let offsets = [(-1, -1), (0, -1), (1, -1), (-1, 0), (1, 0), (-1, 1), (0, 1), (1, 1)]
        .map(|(dx, dy)| (dy * wi + dx, dy * si + dx));
    while let Some(i) = s.stack.pop() {
        let (x, y) = (i % w, i / w);
        if x.abs_diff(x0) >= reach || y.abs_diff(y0) >= reach {
            return None;
        }
        s.region.push(i);
        moments.add(x, y);
        if free && x >= 1 && y >= 1 && x + 1 < w && y + 1 < h {
            // Inside the frame with no disk or rivals to respect: the eight neighbours by offset.
            let k = local(x, y);
            for (dj, dk) in offsets {
                let (j, k) = (i.wrapping_add_signed(dj), k.wrapping_add_signed(dk));
                if s.seen[k] != stamp && plane.data[j] < threshold && ctx.usable[j] {
                    s.seen[k] = stamp;
                    s.stack.push(j);
                }
            }
            continue;
        }
        for ny in y.saturating_sub(1)..=(y + 1).min(h - 1) {
            for nx in x.saturating_sub(1)..=(x + 1).min(w - 1) {
                let (j, k) = (ny * w + nx, local(nx, ny));
                if s.seen[k] != stamp && plane.data[j] < threshold && ctx.usable[j] && limit.allows(j, seed, w) {
                    s.seen[k] = stamp;
                    s.stack.push(j);
                }
            }
        }
    }
    let blob = moments.blob(0, seed, false);
    Some(Region {
        area: blob.area,
        cx: blob.cx,
        cy: blob.cy,
        elongation: blob.elongation(),
        axis: blob.axis(),
        threshold,
    })
}

/// Median raw L* of the usable, non-candidate pixels 1.5 to 3 radii from (cx, cy); at least one pixel of ring
/// width so tiny dots still get a ring. Where dots crowd (scabbed fine dots merge into networks), the ring is
/// widened outwards (x1.5, twice) until it holds 6 skin pixels; `None` when it never does.
fn ring_median(ctx: &DotContext, cx: f64, cy: f64, r: f64, s: &mut Scratch) -> Option<f32> {
    let r_in = (1.5 * r).max(r + 1.0);
    let mut r_out = (3.0 * r).max(r_in + 1.5);
    for _ in 0..3 {
        collect_ring(ctx, cx, cy, r_in, r_out, &mut s.ring);
        if s.ring.len() >= 6 {
            let mid = s.ring.len() / 2;
            let (_, m, _) = s.ring.select_nth_unstable_by(mid, f32::total_cmp);
            return Some(*m);
        }
        r_out *= 1.5;
    }
    None
}

fn collect_ring(ctx: &DotContext, cx: f64, cy: f64, r_in: f64, r_out: f64, ring: &mut Vec<f32>) {
    let (w, h) = (ctx.l.width as i64, ctx.l.height as i64);
    ring.clear();
    let (x_lo, x_hi) = (((cx - r_out).floor() as i64).max(0), ((cx + r_out).ceil() as i64).min(w - 1));
    let (y_lo, y_hi) = (((cy - r_out).floor() as i64).max(0), ((cy + r_out).ceil() as i64).min(h - 1));
    if x_lo > x_hi || y_lo > y_hi {
        return;
    }
    // Each row is scanned only where the annulus crosses it, with a pixel of margin either side of the bounds
    // worked out by square roots; every pixel scanned is still tested exactly. Every pixel scanned is written and
    // the count moves on only for ring pixels: no branch in the loop.
    ring.resize(((x_hi - x_lo + 1) * (y_hi - y_lo + 1)) as usize, 0.0);
    let (r_in2, r_out2) = (r_in * r_in, r_out * r_out);
    let (l, usable, mask) = (&ctx.l.data[..], ctx.usable, &ctx.blobs.mask[..]);
    let mut n = 0;
    for y in y_lo..=y_hi {
        let dy2 = (y as f64 - cy).powi(2);
        if dy2 > r_out2 {
            continue;
        }
        let half = (r_out2 - dy2).sqrt();
        let (xa, xb) = (((cx - half).floor() as i64 - 1).max(x_lo), ((cx + half).ceil() as i64 + 1).min(x_hi));
        // Pixels strictly inside the hole, at least a pixel from its edge, are skipped.
        let hole = (r_in2 - dy2).max(0.0).sqrt();
        let (ha, hb) =
            if dy2 < r_in2 { ((cx - hole).ceil() as i64 + 1, (cx + hole).floor() as i64 - 1) } else { (1, 0) };
        let row = (y * w) as usize;
        let mut parts = [(xa, xb), (1, 0)];
        if ha <= hb {
            parts = [(xa, (ha - 1).min(xb)), ((hb + 1).max(xa), xb)];
        }
        for (from, to) in parts {
            if from > to {
                continue;
            }
            let span = row + from as usize..=row + to as usize;
            for (k, ((&v, &ok), &m)) in l[span.clone()].iter().zip(&usable[span.clone()]).zip(&mask[span]).enumerate() {
                let dx = (from + k as i64) as f64 - cx;
                let d2 = dx * dx + dy2;
                let keep = (d2 >= r_in2) & (d2 <= r_out2) & ok & (m == 0);
                ring[n] = v;
                n += keep as usize;
            }
        }
    }
    ring.truncate(n);
}

/// Mean raw L* of the pixels within half a radius of the centre; when none is that close (a dot under 3 px whose
/// centre falls between pixel centres), the value at the centre itself (`value_at`).
fn core_mean(l: &Plane, cx: f64, cy: f64, r: f64) -> f32 {
    let rc = 0.5 * r;
    let (w, h) = (l.width as i64, l.height as i64);
    let (mut sum, mut n) = (0f64, 0usize);
    for y in ((cy - rc).floor() as i64).max(0)..=((cy + rc).ceil() as i64).min(h - 1) {
        for x in ((cx - rc).floor() as i64).max(0)..=((cx + rc).ceil() as i64).min(w - 1) {
            if (x as f64 - cx).powi(2) + (y as f64 - cy).powi(2) <= rc * rc {
                sum += l.data[(y * w + x) as usize] as f64;
                n += 1;
            }
        }
    }
    if n == 0 {
        return value_at(l, cx, cy);
    }
    (sum / n as f64) as f32
}

/// L* at (cx, cy) between pixel centres: through the nearest pixel and its two neighbours along x, and along y, a
/// parabola each, their changes added (as `subpixel_minimum`). The nearest pixel alone may lie 0.7 px from the centre
/// of a 2 px dot, where a blurred dot is a quarter lighter than at its centre.
fn value_at(l: &Plane, cx: f64, cy: f64) -> f32 {
    let (w, h) = (l.width, l.height);
    let (x, y) = ((cx.round().max(0.0) as usize).min(w - 1), (cy.round().max(0.0) as usize).min(h - 1));
    let i = y * w + x;
    let c = l.data[i];
    if x == 0 || y == 0 || x + 1 >= w || y + 1 >= h {
        return c;
    }
    let change = |a: f32, b: f32, d: f64| {
        let d = d as f32;
        0.5 * (b - a) * d + 0.5 * (a + b - 2.0 * c) * d * d
    };
    c + change(l.data[i - 1], l.data[i + 1], cx - x as f64) + change(l.data[i - w], l.data[i + w], cy - y as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A paraboloid sampled off its centre: the darkest pixel misses the minimum, the refinement finds it.
    #[test]
    fn the_minimum_between_pixel_centres_is_found() {
        let (w, h) = (7, 7);
        let (cx, cy) = (3.4, 2.7);
        let mut p = Plane::filled(w, h, 0.0);
        for (i, v) in p.data.iter_mut().enumerate() {
            let (x, y) = ((i % w) as f64, (i / w) as f64);
            *v = (20.0 + 3.0 * (x - cx).powi(2) + 5.0 * (y - cy).powi(2)) as f32;
        }
        let darkest = 3 * w + 3;
        assert!(p.data[darkest] > 20.9);
        assert!((subpixel_minimum(&p, darkest) - 20.0).abs() < 1e-4, "{}", subpixel_minimum(&p, darkest));
        // At the border there is no neighbour to fit: the pixel's own value.
        assert_eq!(subpixel_minimum(&p, 3), p.data[3]);
    }

    /// Between pixel centres the value of a paraboloid is found exactly, wherever the nearest pixel is.
    #[test]
    fn the_value_between_pixel_centres_is_interpolated() {
        let (w, h) = (7, 7);
        let mut p = Plane::filled(w, h, 0.0);
        for (i, v) in p.data.iter_mut().enumerate() {
            let (x, y) = ((i % w) as f64, (i / w) as f64);
            *v = (20.0 + 3.0 * (x - 3.5).powi(2) + 5.0 * (y - 2.5).powi(2)) as f32;
        }
        for (x, y) in [(3.5, 2.5), (3.2, 2.9), (2.6, 3.4)] {
            let want = 20.0 + 3.0 * (x - 3.5f64).powi(2) + 5.0 * (y - 2.5f64).powi(2);
            assert!((value_at(&p, x, y) as f64 - want).abs() < 1e-4, "({x}, {y}): {} vs {want}", value_at(&p, x, y));
        }
        // A dot centred on a pixel corner has no pixel within half its radius: the core is the value at the centre.
        assert!((core_mean(&p, 3.5, 2.5, 1.0) - 20.0).abs() < 1e-4);
    }
}
