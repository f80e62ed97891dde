/*!
Grey-level morphology on [`Plane`]s with square windows, in linear time per pixel whatever the window
(van Herk 1992; Gil & Werman 1993): each 1-D pass splits the line into blocks of the window's length and combines a
forward and a backward running extreme.

The closing (dilation, then erosion) of the lightness plane with a window wider than any dot removes the dots and
keeps the skin: it is the local background against which dots are found.
*/

use super::plane::Plane;

fn running_extreme(line: &[f32], radius: usize, out: &mut [f32], pick: fn(f32, f32) -> f32, buf: &mut Vec<f32>) {
    let n = line.len();
    let k = 2 * radius + 1;
    // Pad with the edge values so the window never leaves the line.
    let padded_len = n + 2 * radius;
    let blocks = padded_len.div_ceil(k) * k;
    buf.clear();
    buf.resize(blocks * 2, 0.0);
    let (fwd, bwd) = buf.split_at_mut(blocks);
    let at = |i: usize| line[i.saturating_sub(radius).min(n - 1)];
    for i in 0..blocks {
        let v = at(i);
        fwd[i] = if i % k == 0 { v } else { pick(fwd[i - 1], v) };
    }
    for i in (0..blocks).rev() {
        let v = at(i);
        bwd[i] = if i % k == k - 1 || i + 1 == blocks { v } else { pick(bwd[i + 1], v) };
    }
    for (x, o) in out.iter_mut().enumerate() {
        // Window of the padded line: [x, x + k - 1].
        *o = pick(bwd[x], fwd[x + k - 1]);
    }
}

fn separable(p: &Plane, radius: usize, pick: fn(f32, f32) -> f32) -> Plane {
    let (w, h) = (p.width, p.height);
    let mut rows = Plane::filled(w, h, 0.0);
    let mut buf = Vec::new();
    for y in 0..h {
        running_extreme(p.row(y), radius, &mut rows.data[y * w..(y + 1) * w], pick, &mut buf);
    }
    let mut out = Plane::filled(w, h, 0.0);
    let mut col = vec![0f32; h];
    let mut res = vec![0f32; h];
    for x in 0..w {
        for (y, c) in col.iter_mut().enumerate() {
            *c = rows.data[y * w + x];
        }
        running_extreme(&col, radius, &mut res, pick, &mut buf);
        for (y, r) in res.iter().enumerate() {
            out.data[y * w + x] = *r;
        }
    }
    out
}

/// Maximum over the (2r+1) x (2r+1) window around each pixel (edges replicated).
pub fn dilate(p: &Plane, radius: usize) -> Plane {
    separable(p, radius, f32::max)
}

/// Minimum over the (2r+1) x (2r+1) window around each pixel (edges replicated).
pub fn erode(p: &Plane, radius: usize) -> Plane {
    separable(p, radius, f32::min)
}

/// Closing: dilation then erosion. Removes dark features narrower than the window.
pub fn close(p: &Plane, radius: usize) -> Plane {
    erode(&dilate(p, radius), radius)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(p: &Plane, r: usize, pick: fn(f32, f32) -> f32) -> Plane {
        let mut out = p.clone();
        for y in 0..p.height {
            for x in 0..p.width {
                let mut v = p.get(x, y);
                for dy in -(r as i64)..=r as i64 {
                    for dx in -(r as i64)..=r as i64 {
                        let xx = (x as i64 + dx).clamp(0, p.width as i64 - 1) as usize;
                        let yy = (y as i64 + dy).clamp(0, p.height as i64 - 1) as usize;
                        v = pick(v, p.get(xx, yy));
                    }
                }
                out.data[y * p.width + x] = v;
            }
        }
        out
    }

    fn pseudo_random(w: usize, h: usize) -> Plane {
        let mut s = 12345u64;
        let data = (0..w * h)
            .map(|_| {
                s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                (s >> 40) as f32 / 1000.0
            })
            .collect();
        Plane { width: w, height: h, data }
    }

    #[test]
    fn van_herk_matches_the_naive_filter() {
        for (w, h, r) in [(17, 9, 2), (5, 23, 4), (1, 1, 3), (31, 30, 7)] {
            let p = pseudo_random(w, h);
            assert_eq!(dilate(&p, r).data, naive(&p, r, f32::max).data, "{w}x{h} r{r}");
            assert_eq!(erode(&p, r).data, naive(&p, r, f32::min).data, "{w}x{h} r{r}");
        }
    }

    #[test]
    fn closing_removes_a_small_dark_dot_and_keeps_a_ramp() {
        let mut p = Plane { width: 21, height: 21, data: (0..441).map(|i| 50.0 + (i % 21) as f32).collect() };
        p.data[10 * 21 + 10] = 10.0;
        let c = close(&p, 3);
        assert_eq!(c.get(10, 10), 60.0);
        assert_eq!(c.get(3, 15), 53.0);
    }
}
