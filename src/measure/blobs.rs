/*!
Candidate dark blobs: connected pixels clearly darker than the local background.

The background is the grey-level closing of the lightly smoothed lightness with a window wider than any dot, so it
follows the skin (and its shading) but not the dots. A pixel is a candidate when it is at least
[`CANDIDATE_DEPTH`] darker than that background, relatively. Candidates are grouped into 8-connected components
with their moments, which later stages classify as dots, hairs or other marks.
*/

use super::plane::Plane;

/// Relative depth below the background that makes a pixel a candidate: well under the faintest dot we must find
/// (Weber contrast 0.12 at the core) and well above the smoothed pixel noise.
pub const CANDIDATE_DEPTH: f32 = 0.05;

/// One connected candidate component.
#[derive(Debug, Clone)]
pub struct Blob {
    /// Pixel indices (y * width + x) in `Blobs::pixels[start..start + area]`.
    pub start: usize,
    /// Number of pixels.
    pub area: usize,
    /// Centroid x, y.
    pub cx: f64,
    /// Centroid y.
    pub cy: f64,
    /// Second central moments (xx, yy, xy), per pixel.
    pub mxx: f64,
    /// See `mxx`.
    pub myy: f64,
    /// See `mxx`.
    pub mxy: f64,
    /// Index of the darkest pixel of the smoothed lightness.
    pub darkest: usize,
    /// Whether this is a piece of a component larger than [`MAX_BLOB_AREA`] (a large dark region, never one dot).
    pub truncated: bool,
}

/// Components larger than this are dark regions (hair masses, shadows, clothing), not marks on the skin.
pub const MAX_BLOB_AREA: usize = 20_000;

impl Blob {
    /// Elongation: square root of the ratio of the principal second moments, each regularised by the 1/12 variance
    /// of a unit pixel so that one- and two-pixel blobs stay finite. 1 for a disk, about length/width for a stroke.
    pub fn elongation(&self) -> f64 {
        let (l1, l2) = self.principal_moments();
        ((l1 + 1.0 / 12.0) / (l2 + 1.0 / 12.0)).sqrt()
    }

    /// Principal second moments (largest first).
    pub fn principal_moments(&self) -> (f64, f64) {
        let tr = self.mxx + self.myy;
        let det = self.mxx * self.myy - self.mxy * self.mxy;
        let disc = (tr * tr / 4.0 - det).max(0.0).sqrt();
        (tr / 2.0 + disc, (tr / 2.0 - disc).max(0.0))
    }

    /// Length of the equivalent uniform stroke along the major axis, `sqrt(12 * variance)`, in pixels (exact for a
    /// straight run of pixels).
    pub fn major_length(&self) -> f64 {
        (12.0 * (self.principal_moments().0 + 1.0 / 12.0)).sqrt()
    }

    /// Direction of the major axis, radians (image axes, y down).
    pub fn axis(&self) -> f64 {
        0.5 * (2.0 * self.mxy).atan2(self.mxx - self.myy)
    }
}

/// All candidate components of a photo.
#[derive(Debug, Default)]
pub struct Blobs {
    /// The components, in raster order of their first pixel.
    pub blobs: Vec<Blob>,
    /// Pixel indices of every component, back to back.
    pub pixels: Vec<u32>,
    /// 1 where a pixel belongs to a candidate, else 0.
    pub mask: Vec<u8>,
}

impl Blobs {
    /// Pixel indices of one component.
    pub fn pixels_of(&self, b: &Blob) -> &[u32] {
        &self.pixels[b.start..b.start + b.area]
    }
}

/// Finds the candidate components of `smooth` (smoothed lightness) against `background`, over pixels where
/// `usable` is true and the background is at least `min_background` (half the photo's skin lightness: darker
/// backgrounds are hair masses, shadows or the room, where no dot can be measured, and a dot touching them must
/// not merge with them).
pub fn find_blobs(smooth: &Plane, background: &Plane, usable: &[bool], min_background: f32) -> Blobs {
    let n = smooth.data.len();
    let floor = min_background.max(5.0);
    // One pass without branches (the loop vectorises).
    let mut mask: Vec<u8> = smooth
        .data
        .iter()
        .zip(&background.data)
        .zip(usable)
        .map(|((&v, &bg), &ok)| (ok & (bg >= floor) & (v < bg * (1.0 - CANDIDATE_DEPTH))) as u8)
        .collect();
    let mut out = Blobs { blobs: Vec::new(), pixels: Vec::new(), mask: Vec::new() };
    let mut stack = Vec::new();
    for seed in 0..n {
        if mask[seed] == 1 {
            let pieces = flood(seed, smooth, &mut mask, &mut out.pixels, &mut stack);
            out.blobs.extend(pieces);
        }
    }
    for m in mask.iter_mut() {
        *m = (*m != 0) as u8;
    }
    out.mask = mask;
    out
}

/// Running sums of pixel coordinates, for a region's centroid and second central moments.
#[derive(Debug, Clone, Copy, Default)]
pub struct Moments {
    n: f64,
    sx: f64,
    sy: f64,
    sxx: f64,
    syy: f64,
    sxy: f64,
}

impl Moments {
    /// Adds pixel (x, y).
    pub fn add(&mut self, x: usize, y: usize) {
        let (fx, fy) = (x as f64, y as f64);
        self.n += 1.0;
        self.sx += fx;
        self.sy += fy;
        self.sxx += fx * fx;
        self.syy += fy * fy;
        self.sxy += fx * fy;
    }

    /// The blob these pixels make, its pixels at `pixels[start..]`.
    pub fn blob(&self, start: usize, darkest: usize, truncated: bool) -> Blob {
        let a = self.n.max(1.0);
        let (cx, cy) = (self.sx / a, self.sy / a);
        Blob {
            start,
            area: self.n as usize,
            cx,
            cy,
            mxx: self.sxx / a - cx * cx,
            myy: self.syy / a - cy * cy,
            mxy: self.sxy / a - cx * cy,
            darkest,
            truncated,
        }
    }
}

/// Floods the component of `seed` into blobs: one blob, or pieces of at most [`MAX_BLOB_AREA`] pixels each marked
/// truncated, so every candidate pixel of a large region (a crescent of touching dots along the crown, a hair
/// mass) still belongs to a blob that is split into its dots.
fn flood(seed: usize, smooth: &Plane, mask: &mut [u8], pixels: &mut Vec<u32>, stack: &mut Vec<usize>) -> Vec<Blob> {
    let (w, h) = (smooth.width, smooth.height);
    let mut out = Vec::new();
    let mut start = pixels.len();
    let mut moments = Moments::default();
    let mut darkest = seed;
    mask[seed] = 2;
    stack.clear();
    stack.push(seed);
    while let Some(i) = stack.pop() {
        if pixels.len() - start == MAX_BLOB_AREA {
            out.push(moments.blob(start, darkest, true));
            (start, moments, darkest) = (pixels.len(), Moments::default(), i);
        }
        let (x, y) = (i % w, i / w);
        pixels.push(i as u32);
        moments.add(x, y);
        if smooth.data[i] < smooth.data[darkest] {
            darkest = i;
        }
        for ny in y.saturating_sub(1)..=(y + 1).min(h - 1) {
            for nx in x.saturating_sub(1)..=(x + 1).min(w - 1) {
                let j = ny * w + nx;
                if mask[j] == 1 {
                    mask[j] = 2;
                    stack.push(j);
                }
            }
        }
    }
    let truncated = !out.is_empty();
    out.push(moments.blob(start, darkest, truncated));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_disk_and_a_stroke_with_their_shapes() {
        let (w, h) = (40, 30);
        let mut p = Plane::filled(w, h, 60.0);
        for y in 0..h {
            for x in 0..w {
                let d2 = (x as f64 - 10.0).powi(2) + (y as f64 - 10.0).powi(2);
                if d2 <= 9.0 {
                    p.data[y * w + x] = 40.0;
                }
                if y == 22 && (15..35).contains(&x) {
                    p.data[y * w + x] = 45.0;
                }
            }
        }
        let bg = Plane::filled(w, h, 60.0);
        let found = find_blobs(&p, &bg, &vec![true; w * h], 30.0);
        assert_eq!(found.blobs.len(), 2);
        let disk = &found.blobs[0];
        assert_eq!(disk.area, 29);
        assert!((disk.cx - 10.0).abs() < 1e-9 && (disk.cy - 10.0).abs() < 1e-9);
        assert!(disk.elongation() < 1.05);
        let stroke = &found.blobs[1];
        assert_eq!(stroke.area, 20);
        assert!(stroke.elongation() > 10.0, "{}", stroke.elongation());
        assert!((stroke.major_length() - 20.0).abs() < 0.5, "{}", stroke.major_length());
        assert_eq!(found.mask.iter().map(|&m| m as usize).sum::<usize>(), 49);
    }
}
