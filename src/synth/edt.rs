/*!
Exact Euclidean distance transform on the pixel grid.

The truth needs "untreated skin farther than 3% of the image diagonal from the treated zone", and redness fades
out over a band around the zone, so each pixel needs its exact distance to the nearest zone pixel. Algorithm:
Felzenszwalb and Huttenlocher, "Distance Transforms of Sampled Functions", Theory of Computing 8 (2012): the lower
envelope of parabolas, once along columns and once along rows; linear time.
*/

use rayon::prelude::*;

/// Stands for "no set pixel in this line".
const FAR: f64 = 1e20;

/// Squared distance transform of one line, in place.
fn line(f: &mut [f64], v: &mut Vec<usize>, z: &mut Vec<f64>) {
    let n = f.len();
    v.clear();
    z.clear();
    let first = f.iter().position(|&x| x < FAR);
    let Some(first) = first else { return };
    v.push(first);
    z.push(f64::NEG_INFINITY);
    for q in first + 1..n {
        if f[q] >= FAR {
            continue;
        }
        loop {
            let p = v[v.len() - 1];
            let s = ((f[q] + (q * q) as f64) - (f[p] + (p * p) as f64)) / (2.0 * (q as f64 - p as f64));
            if s <= z[z.len() - 1] && v.len() > 1 {
                v.pop();
                z.pop();
            } else {
                v.push(q);
                z.push(s);
                break;
            }
        }
    }
    let src: Vec<f64> = v.iter().map(|&p| f[p]).collect();
    let mut k = 0;
    for (q, out) in f.iter_mut().enumerate() {
        while k + 1 < v.len() && z[k + 1] < q as f64 {
            k += 1;
        }
        let d = q as f64 - v[k] as f64;
        *out = d * d + src[k];
    }
}

/// Distance in pixels from each pixel centre to the nearest pixel with `mask` true (row-major `w` x `h`);
/// `f32::INFINITY` when no pixel is set.
pub(crate) fn distance_to_set(mask: &[bool], w: usize, h: usize) -> Vec<f32> {
    if w == 0 || h == 0 || mask.len() != w * h {
        return vec![f32::INFINITY; mask.len()];
    }
    // Column results are stored as f32 (exact for the squared distances that matter, below 2^24).
    let columns: Vec<Vec<f32>> = (0..w)
        .into_par_iter()
        .map(|x| {
            let mut f: Vec<f64> = (0..h).map(|y| if mask[y * w + x] { 0.0 } else { FAR }).collect();
            line(&mut f, &mut Vec::new(), &mut Vec::new());
            f.into_iter().map(|d| d as f32).collect()
        })
        .collect();
    let mut out = vec![0f32; w * h];
    out.par_chunks_mut(w).enumerate().for_each(|(y, row)| {
        let mut f: Vec<f64> = columns.iter().map(|c| (c[y] as f64).min(FAR)).collect();
        line(&mut f, &mut Vec::new(), &mut Vec::new());
        for (o, d2) in row.iter_mut().zip(&f) {
            *o = if *d2 >= FAR { f32::INFINITY } else { d2.sqrt() as f32 };
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brute(mask: &[bool], w: usize, h: usize) -> Vec<f32> {
        (0..w * h)
            .map(|i| {
                let (x, y) = ((i % w) as f64, (i / w) as f64);
                (0..w * h)
                    .filter(|&j| mask[j])
                    .map(|j| ((x - (j % w) as f64).powi(2) + (y - (j / w) as f64).powi(2)).sqrt())
                    .fold(f64::INFINITY, f64::min) as f32
            })
            .collect()
    }

    #[test]
    fn matches_brute_force() {
        let (w, h) = (23, 17);
        let mut r = super::super::rng::Rng::new(9);
        let mask: Vec<bool> = (0..w * h).map(|_| r.chance(0.04)).collect();
        let fast = distance_to_set(&mask, w, h);
        let slow = brute(&mask, w, h);
        for (a, b) in fast.iter().zip(&slow) {
            assert!((a - b).abs() < 1e-4, "{a} vs {b}");
        }
    }

    #[test]
    fn empty_mask_is_infinitely_far() {
        assert!(distance_to_set(&[false; 12], 4, 3).iter().all(|d| d.is_infinite()));
    }
}
