/*!
Window sums over a grid by a summed-area table (Crow 1984): each cell's sum over the (2r+1)^2 window around it,
clipped at the grid's edges, in constant time per cell whatever `r` is.
*/

/// For each cell, the sum over its (2r+1)^2 window (clipped at the edges) and the number of cells in that window.
pub fn box_sum(v: &[f64], w: usize, h: usize, r: usize) -> Vec<(f64, usize)> {
    let mut sat = vec![0f64; (w + 1) * (h + 1)];
    for y in 0..h {
        for x in 0..w {
            sat[(y + 1) * (w + 1) + x + 1] =
                v[y * w + x] + sat[y * (w + 1) + x + 1] + sat[(y + 1) * (w + 1) + x] - sat[y * (w + 1) + x];
        }
    }
    let mut out = Vec::with_capacity(w * h);
    for y in 0..h {
        for x in 0..w {
            let (x0, y0, x1, y1) = (x.saturating_sub(r), y.saturating_sub(r), (x + r + 1).min(w), (y + r + 1).min(h));
            let s = sat[y1 * (w + 1) + x1] + sat[y0 * (w + 1) + x0] - sat[y0 * (w + 1) + x1] - sat[y1 * (w + 1) + x0];
            out.push((s, (x1 - x0) * (y1 - y0)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::box_sum;

    #[test]
    fn matches_a_naive_window_sum() {
        let (w, h, r) = (7, 5, 2);
        let v: Vec<f64> = (0..w * h).map(|i| ((i * 37) % 11) as f64).collect();
        let fast = box_sum(&v, w, h, r);
        for y in 0..h {
            for x in 0..w {
                let (mut s, mut n) = (0.0, 0);
                for yy in y.saturating_sub(r)..(y + r + 1).min(h) {
                    for xx in x.saturating_sub(r)..(x + r + 1).min(w) {
                        s += v[yy * w + xx];
                        n += 1;
                    }
                }
                assert_eq!(fast[y * w + x], (s, n));
            }
        }
    }
}
