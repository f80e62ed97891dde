/*!
The hair fringe: loose strands of hair reaching out of a hair mass over the skin. Dots under strands cannot be
measured, so the skin near them is left out of the treated area ([`super::areas`]).

Hair-like blobs are hair strokes, other marks and compound blobs mostly not made of dots (dots cover under half
of them: tangled strands), at least [`STRAND_MIN_LENGTH`] typical dot diameters long. The fringe starts from the
pixels of those blobs touching a pixel whose background is darker than the hair-mass level, and grows, twice, into
those within three dot diameters of it (strands whose root is hidden in the mass). Within each blob it reaches only
[`STRAND_REACH`] dot diameters, measured along the blob, from where it entered: a strand is that short, while a long
dark network (a stubble beard joined to the shading along the head's silhouette) would otherwise carry the fringe
around the whole head.
*/

use std::collections::VecDeque;

use super::blobs::Blobs;
use super::classify::Classified;
use super::morph;
use super::plane::Plane;

/// Least length of a loose strand, in typical dot diameters. Dots seen at a slant along the dome's silhouette, alone
/// or two touching, are elongated marks against a dark background too, but no longer than about two dots.
pub const STRAND_MIN_LENGTH: f64 = 2.5;

/// How far, in typical dot diameters along a hair-like blob, the fringe reaches from where it enters the blob: a
/// loose strand reaches a couple of millimetres (about 15 dots) out of its mass.
pub const STRAND_REACH: f32 = 15.0;

/// Pixels of hair attached to a dark mass (see the module's description), row-major.
pub fn hair_fringe(blobs: &Blobs, c: &Classified, background: &Plane, dark_below: f32, typical: f32) -> Vec<bool> {
    let (w, h) = (background.width, background.height);
    let reach = 3.0 * typical;
    let tangled = c.compound.iter().filter(|(_, covered)| *covered < 0.5).map(|(bi, _)| *bi);
    let long = |bi: &usize| blobs.blobs[*bi].major_length() >= STRAND_MIN_LENGTH * typical as f64;
    let hairlike: Vec<usize> =
        c.hairs.iter().map(|hr| hr.blob).chain(c.others.iter().copied()).chain(tangled).filter(long).collect();
    let mut fringe = vec![false; w * h];
    let mut joined = vec![false; hairlike.len()];
    let near_dark = |p: usize| {
        let (x, y) = (p % w, p / w);
        (y.saturating_sub(1)..=(y + 1).min(h - 1))
            .any(|ny| (x.saturating_sub(1)..=(x + 1).min(w - 1)).any(|nx| background.data[ny * w + nx] < dark_below))
    };
    let limit = (STRAND_REACH * typical).max(1.0);
    let mut walk = Walk::default();
    for round in 0..3 {
        if round > 0 && !fringe.contains(&true) {
            break;
        }
        let zone = (round > 0).then(|| morph::dilate_mask(&fringe, w, h, reach.ceil() as usize));
        for (k, &bi) in hairlike.iter().enumerate() {
            if joined[k] {
                continue;
            }
            let pixels = blobs.pixels_of(&blobs.blobs[bi]);
            let entries: Vec<u32> = match &zone {
                None => pixels.iter().copied().filter(|&p| near_dark(p as usize)).collect(),
                Some(z) => pixels.iter().copied().filter(|&p| z[p as usize]).collect(),
            };
            if !entries.is_empty() {
                joined[k] = true;
                walk.within(pixels, &entries, limit, w).for_each(|p| fringe[p as usize] = true);
            }
        }
    }
    fringe
}

/// Breadth-first walk over a blob's pixels, on the blob's bounding box.
#[derive(Default)]
struct Walk {
    steps: Vec<u32>,
    queue: VecDeque<usize>,
}

impl Walk {
    /// The pixels of a blob at most `limit` 8-connected steps from any of `entries`, walking inside the blob.
    fn within<'a>(
        &'a mut self,
        pixels: &'a [u32],
        entries: &[u32],
        limit: f32,
        w: usize,
    ) -> impl Iterator<Item = u32> + 'a {
        let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
        for &p in pixels {
            let (x, y) = (p as usize % w, p as usize / w);
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
        }
        let (bw, bh) = (x1 + 1 - x0, y1 + 1 - y0);
        const OUTSIDE: u32 = u32::MAX;
        const UNSEEN: u32 = u32::MAX - 1;
        self.steps.clear();
        self.steps.resize(bw * bh, OUTSIDE);
        let local = move |p: u32| (p as usize / w - y0) * bw + (p as usize % w - x0);
        for &p in pixels {
            self.steps[local(p)] = UNSEEN;
        }
        self.queue.clear();
        for &p in entries {
            self.steps[local(p)] = 0;
            self.queue.push_back(local(p));
        }
        let max_steps = limit.floor() as u32;
        while let Some(i) = self.queue.pop_front() {
            let s = self.steps[i];
            if s >= max_steps {
                continue;
            }
            let (x, y) = (i % bw, i / bw);
            for ny in y.saturating_sub(1)..=(y + 1).min(bh - 1) {
                for nx in x.saturating_sub(1)..=(x + 1).min(bw - 1) {
                    let j = ny * bw + nx;
                    if self.steps[j] == UNSEEN {
                        self.steps[j] = s + 1;
                        self.queue.push_back(j);
                    }
                }
            }
        }
        let steps = &self.steps;
        pixels.iter().copied().filter(move |&p| steps[local(p)] <= max_steps)
    }
}

#[cfg(test)]
mod tests {
    use super::Walk;

    #[test]
    fn the_walk_stops_at_its_limit_along_the_blob() {
        // A U-shaped blob on a 10-wide frame: down column 1, along row 5, up column 8. From the top of column 1,
        // with diagonal steps at the corners, (2, 5) is 5 steps away and the top of column 8 is 15, though only 7
        // across.
        let w = 10;
        let mut pixels: Vec<u32> = (0..=5).map(|y| y * w + 1).collect();
        pixels.extend((2..=8).map(|x| 5 * w + x));
        pixels.extend((0..5).map(|y| y * w + 8));
        let mut walk = Walk::default();
        let near: Vec<u32> = walk.within(&pixels, &[1], 5.0, w as usize).collect();
        assert!(near.contains(&1) && near.contains(&(5 * w + 1)) && near.contains(&(5 * w + 2)));
        assert!(!near.contains(&(5 * w + 3)) && !near.contains(&8), "{near:?}");
        let most: Vec<u32> = walk.within(&pixels, &[1], 14.0, w as usize).collect();
        assert_eq!(most.len(), pixels.len() - 1);
        assert!(!most.contains(&8));
        let all: Vec<u32> = walk.within(&pixels, &[1], 15.0, w as usize).collect();
        assert_eq!(all.len(), pixels.len());
    }
}
