/*!
Dilation and erosion of a binary mask by a Euclidean disk, for the treated area's coarse grid: a cell is set by a
dilation of radius `r` when a set cell lies within `r` (squared distance at most `r²`), exactly as
`imageproc::morphology::dilate` with `Norm::L2` does, but from an integer squared-distance transform computed only as
far as `r` (Felzenszwalb and Huttenlocher's lower envelope of parabolas, one pass down the columns and one along the
rows) and without converting distances to bytes. Cells beyond the frame are neither set nor unset: erosion is the
complement of the dilation of the complement.
*/

use image::GrayImage;

/// Cells within distance `radius` of a set cell (non-zero), set to 255; the rest 0.
pub(super) fn dilate(mask: &GrayImage, radius: u8) -> GrayImage {
    let (w, h) = (mask.width() as usize, mask.height() as usize);
    let set: Vec<bool> = mask.as_raw().iter().map(|&v| v > 0).collect();
    let near = within(&set, w, h, radius as i64);
    to_image(&near, w, h, false)
}

/// Cells farther than `radius` from every unset cell (zero) stay 255; the rest become 0.
pub(super) fn erode(mask: &GrayImage, radius: u8) -> GrayImage {
    let (w, h) = (mask.width() as usize, mask.height() as usize);
    let unset: Vec<bool> = mask.as_raw().iter().map(|&v| v == 0).collect();
    let near = within(&unset, w, h, radius as i64);
    to_image(&near, w, h, true)
}

fn to_image(flags: &[bool], w: usize, h: usize, invert: bool) -> GrayImage {
    let bytes = flags.iter().map(|&f| if f != invert { 255 } else { 0 }).collect();
    GrayImage::from_raw(w as u32, h as u32, bytes).unwrap_or_else(|| GrayImage::new(w as u32, h as u32))
}

/// Whether each cell lies within Euclidean distance `r` of a set cell.
fn within(set: &[bool], w: usize, h: usize, r: i64) -> Vec<bool> {
    // Down each column: the distance to the nearest set cell in it, capped at r + 1 (farther never matters);
    // swept a whole row at a time, down then up, so memory is read in order.
    let far = (r + 1) as i32;
    let mut g = vec![far; w * h];
    for y in 0..h {
        let (done, rest) = g.split_at_mut(y * w);
        let above = done.get(done.len().saturating_sub(w)..).filter(|_| y > 0);
        for (x, d) in rest[..w].iter_mut().enumerate() {
            *d = if set[y * w + x] { 0 } else { above.map_or(far, |a| (a[x] + 1).min(far)) };
        }
    }
    for y in (0..h.saturating_sub(1)).rev() {
        let (row, below) = g[y * w..(y + 2) * w].split_at_mut(w);
        for (d, &b) in row.iter_mut().zip(below.iter()) {
            *d = (*d).min(b + 1);
        }
    }
    // Along each row: the least (x - x')² + g(x')² over the columns x' whose g is within r.
    let r2 = r * r;
    let mut out = vec![false; w * h];
    let (mut v, mut z) = (Vec::with_capacity(w), Vec::with_capacity(w + 1));
    for y in 0..h {
        let row = &g[y * w..(y + 1) * w];
        let f = |q: usize| (row[q] as i64).pow(2);
        v.clear();
        z.clear();
        for q in (0..w).filter(|&q| (row[q] as i64) <= r) {
            let (qi, fq) = (q as i64, f(q));
            while let Some(&p) = v.last() {
                let pi = p as i64;
                let s = ((fq + qi * qi) - (f(p) + pi * pi)) as f64 / (2 * (qi - pi)) as f64;
                if z.last().is_some_and(|&zl| s <= zl) {
                    v.pop();
                    z.pop();
                } else {
                    z.push(s);
                    break;
                }
            }
            v.push(q);
        }
        if v.is_empty() {
            continue; // no set cell within r of this row
        }
        // z[k] is where parabola k + 1 takes over from parabola k.
        let mut k = 0;
        for x in 0..w {
            while k < z.len() && z[k] < x as f64 {
                k += 1;
            }
            let p = v[k] as i64;
            out[y * w + x] = (x as i64 - p).pow(2) + f(v[k]) <= r2;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use imageproc::distance_transform::Norm;

    /// A pseudo-random mask with about `share` of its cells set.
    fn mask(w: u32, h: u32, share: f64, seed: u64) -> GrayImage {
        let mut s = seed;
        GrayImage::from_fn(w, h, |_, _| {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            image::Luma([if ((s >> 33) as f64 / (1u64 << 31) as f64) < share { 255 } else { 0 }])
        })
    }

    #[test]
    fn dilation_and_erosion_match_imageproc_cell_for_cell() {
        for (i, &(w, h, share, r)) in [
            (57, 43, 0.01, 5u8),
            (64, 64, 0.002, 12),
            (40, 90, 0.3, 3),
            (33, 21, 0.0, 4),
            (25, 25, 1.0, 7),
            (80, 60, 0.05, 1),
        ]
        .iter()
        .enumerate()
        {
            let m = mask(w, h, share, i as u64 + 1);
            assert_eq!(dilate(&m, r), imageproc::morphology::dilate(&m, Norm::L2, r), "dilate case {i}");
            assert_eq!(erode(&m, r), imageproc::morphology::erode(&m, Norm::L2, r), "erode case {i}");
        }
    }

    #[test]
    fn one_cell_grows_into_a_disk_of_the_radius() {
        let mut m = GrayImage::new(21, 21);
        m.put_pixel(10, 10, image::Luma([255]));
        let d = dilate(&m, 5);
        let set = d.pixels().filter(|p| p[0] > 0).count();
        // Lattice points within a circle of radius 5: 81.
        assert_eq!(set, 81);
        assert_eq!(d.get_pixel(15, 10)[0], 255);
        assert_eq!(d.get_pixel(14, 14)[0], 0);
    }
}
