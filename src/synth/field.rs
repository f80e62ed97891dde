/*!
Smooth random fields (value noise) for skin mottling, fine texture, hair strands and wavy outlines.

Value noise: random values on an integer lattice, hashed from the coordinates (so any point can be evaluated in
any order, in parallel, with the same result), blended with the smoothstep curve. A sum of octaves gives the
familiar fractal texture. Outputs lie in [-1, 1]; a single octave has a standard deviation of about 0.33.
*/

use super::rng::mix64;

/// A value-noise field identified by its seed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ValueNoise {
    seed: u64,
}

fn smooth(t: f64) -> f64 {
    t * t * (3.0 - 2.0 * t)
}

impl ValueNoise {
    /// A field for a seed.
    pub fn new(seed: u64) -> Self {
        ValueNoise { seed }
    }

    fn lattice(&self, ix: i64, iy: i64) -> f64 {
        let key = (ix as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (iy as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
        let h = mix64(self.seed ^ key);
        (h >> 11) as f64 * (2.0 / (1u64 << 53) as f64) - 1.0
    }

    /// The field at (x, y), in lattice units; in [-1, 1].
    pub fn at(&self, x: f64, y: f64) -> f64 {
        let (fx, fy) = (x.floor(), y.floor());
        let (ix, iy) = (fx as i64, fy as i64);
        let (sx, sy) = (smooth(x - fx), smooth(y - fy));
        let top = self.lattice(ix, iy) * (1.0 - sx) + self.lattice(ix + 1, iy) * sx;
        let bottom = self.lattice(ix, iy + 1) * (1.0 - sx) + self.lattice(ix + 1, iy + 1) * sx;
        top * (1.0 - sy) + bottom * sy
    }

    /// Sum of `octaves` octaves (each twice the frequency and half the amplitude), normalised to [-1, 1].
    pub fn fbm(&self, x: f64, y: f64, octaves: u32) -> f64 {
        let (mut sum, mut norm, mut amp, mut freq) = (0.0, 0.0, 1.0, 1.0);
        for k in 0..octaves {
            // Offsetting each octave avoids the lattice points of all octaves lining up at the origin.
            let off = 17.31 * k as f64;
            sum += amp * self.at(x * freq + off, y * freq - off);
            norm += amp;
            amp *= 0.5;
            freq *= 2.0;
        }
        if norm > 0.0 {
            sum / norm
        } else {
            0.0
        }
    }
}

/// A smooth 1-D wiggle: a sum of sines with given (amplitude, wavelength, phase) terms, tabulated on [-2, 2]
/// (per-pixel outlines would otherwise spend most of their time in `sin`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Wiggle {
    terms: Vec<[f64; 3]>,
    table: Vec<f64>,
}

/// Tabulated range and resolution of a [`Wiggle`].
const TABLE_HALF: f64 = 2.0;
const TABLE_N: usize = 8192;

impl Wiggle {
    /// A wiggle with `n` terms whose amplitudes shrink like 1/k, total amplitude at most `amp`, and the longest
    /// wavelength `wavelength`.
    pub fn random(rng: &mut super::rng::Rng, n: usize, amp: f64, wavelength: f64) -> Self {
        let weights: f64 = (1..=n).map(|k| 1.0 / k as f64).sum();
        let terms = (1..=n)
            .map(|k| {
                let a = amp / weights / k as f64 * rng.range(0.5, 1.0);
                let wl = wavelength / (k as f64 * rng.range(0.8, 1.25));
                [a, wl, rng.range(0.0, std::f64::consts::TAU)]
            })
            .collect();
        let mut w = Wiggle { terms, table: Vec::new() };
        w.table = (0..=TABLE_N).map(|i| w.exact(-TABLE_HALF + 2.0 * TABLE_HALF * i as f64 / TABLE_N as f64)).collect();
        w
    }

    fn exact(&self, t: f64) -> f64 {
        self.terms.iter().map(|[a, wl, ph]| a * (std::f64::consts::TAU * t / wl + ph).sin()).sum()
    }

    /// The wiggle's value at `t` (linear interpolation of the table inside [-2, 2]).
    pub fn at(&self, t: f64) -> f64 {
        let f = (t + TABLE_HALF) / (2.0 * TABLE_HALF) * TABLE_N as f64;
        if !(0.0..TABLE_N as f64).contains(&f) || self.table.len() != TABLE_N + 1 {
            return self.exact(t);
        }
        let i = f as usize;
        let frac = f - i as f64;
        self.table[i] * (1.0 - frac) + self.table[i + 1] * frac
    }
}

/// Hermite smoothstep from 0 at `e0` to 1 at `e1`.
pub(crate) fn smoothstep(e0: f64, e1: f64, x: f64) -> f64 {
    if e1 == e0 {
        return if x < e0 { 0.0 } else { 1.0 };
    }
    smooth(((x - e0) / (e1 - e0)).clamp(0.0, 1.0))
}

/// Piecewise-linear interpolation through `(x, y)` knots sorted by x, constant beyond the ends.
pub(crate) fn knots(points: &[(f64, f64)], x: f64) -> f64 {
    let Some(&(x0, y0)) = points.first() else {
        return 0.0;
    };
    if x <= x0 {
        return y0;
    }
    for w in points.windows(2) {
        let ((xa, ya), (xb, yb)) = (w[0], w[1]);
        if x <= xb {
            let t = if xb > xa { (x - xa) / (xb - xa) } else { 1.0 };
            return ya + (yb - ya) * t;
        }
    }
    points.last().map_or(0.0, |p| p.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noise_is_continuous_bounded_and_repeatable() {
        let n = ValueNoise::new(5);
        for i in 0..500 {
            let (x, y) = (i as f64 * 0.37 - 40.0, i as f64 * 0.11 + 3.0);
            let v = n.fbm(x, y, 3);
            assert!((-1.0..=1.0).contains(&v));
            assert_eq!(v, ValueNoise::new(5).fbm(x, y, 3));
            assert!((n.at(x, y) - n.at(x + 1e-6, y)).abs() < 1e-4);
        }
    }

    #[test]
    fn tabulated_wiggle_matches_the_sines() {
        let w = Wiggle::random(&mut super::super::rng::Rng::new(4), 6, 0.06, 0.9);
        for i in 0..1000 {
            let t = -2.5 + i as f64 * 0.005;
            assert!((w.at(t) - w.exact(t)).abs() < 1e-6);
        }
    }

    #[test]
    fn knots_interpolate_and_clamp() {
        let k = [(0.0, 1.0), (2.0, 3.0), (4.0, 3.0)];
        assert_eq!(knots(&k, -1.0), 1.0);
        assert_eq!(knots(&k, 1.0), 2.0);
        assert_eq!(knots(&k, 9.0), 3.0);
        assert_eq!(smoothstep(0.0, 1.0, 0.5), 0.5);
    }
}
