/*!
Deterministic random numbers for the synthetic renderer.

The fixtures and accuracy tests are rendered from seeds, so the generator must give the same pixels on every
machine and with every crate update. A general-purpose crate such as `rand` may change its algorithms between
versions; this file pins them: SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number
generators", OOPSLA 2014) for uniform numbers, and the Box-Muller transform for normal ones.
*/

/// Golden-ratio increment of SplitMix64.
const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// The SplitMix64 output function: a bijective 64-bit mix, also used to derive streams and lattice hashes.
pub(crate) fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Hashes a seed and two integer coordinates to 64 well-mixed bits (for lattice noise and per-row streams).
pub(crate) fn hash3(seed: u64, a: i64, b: i64) -> u64 {
    let h = mix64(seed ^ (a as u64).wrapping_mul(GAMMA));
    mix64(h ^ (b as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F))
}

/// Named random streams, so that adding draws to one part of a scene never moves another part.
pub(crate) mod stream {
    /// Wavy outlines of the framing (hairline, hair mass).
    pub const GEOMETRY: u64 = 1;
    /// Poisson-disc placement of the SMP dots.
    pub const DOTS: u64 = 2;
    /// Per-dot shape, size and contrast jitter.
    pub const DOT_LOOKS: u64 = 3;
    /// Pores.
    pub const PORES: u64 = 4;
    /// Moles.
    pub const MOLES: u64 = 5;
    /// Patches of lost pigment.
    pub const PATCHES: u64 = 6;
    /// Scalp stubble.
    pub const STUBBLE: u64 = 7;
    /// Eyebrow and beard strokes of the whole-head framing.
    pub const FACE_HAIR: u64 = 8;
    /// Skin texture noise fields.
    pub const TEXTURE: u64 = 9;
    /// Per-shot variation: shine blobs.
    pub const SHINE: u64 = 10;
    /// Per-shot variation: sensor noise.
    pub const SENSOR: u64 = 11;
    /// Per-series variation: capture times and camera settings of each photo.
    pub const SERIES: u64 = 12;
}

/// SplitMix64 generator with a cached second Box-Muller deviate.
#[derive(Debug, Clone)]
pub(crate) struct Rng {
    state: u64,
    spare: Option<f64>,
}

impl Rng {
    /// A generator whose first output is SplitMix64's first output for `seed`.
    pub fn new(seed: u64) -> Self {
        Rng { state: seed, spare: None }
    }

    /// An independent generator for one named stream of a seed.
    pub fn stream(seed: u64, stream: u64) -> Self {
        Rng::new(hash3(seed, stream as i64, 0x5EED))
    }

    /// An independent generator for item `index` of a named stream.
    pub fn item(seed: u64, stream: u64, index: u64) -> Self {
        Rng::new(hash3(seed, stream as i64, index as i64 ^ 0x1_0000_0000))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GAMMA);
        mix64(self.state)
    }

    /// Uniform in [0, 1), with 53 random bits.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in [lo, hi).
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// Uniform in [-1, 1).
    pub fn signed(&mut self) -> f64 {
        2.0 * self.unit() - 1.0
    }

    /// Uniform integer in 0..n (0 when n is 0).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.unit() * n as f64) as usize).min(n.saturating_sub(1))
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Standard normal deviate (Box-Muller; the second deviate of each pair is kept for the next call).
    pub fn normal(&mut self) -> f64 {
        if let Some(z) = self.spare.take() {
            return z;
        }
        let u1 = 1.0 - self.unit();
        let u2 = self.unit();
        let r = (-2.0 * u1.ln()).sqrt();
        let (s, c) = (std::f64::consts::TAU * u2).sin_cos();
        self.spare = Some(r * s);
        r * c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_matches_the_reference_sequence() {
        // First outputs of the reference C implementation (Vigna, splitmix64.c) seeded with 0.
        let mut r = Rng::new(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn same_seed_same_numbers_and_streams_differ() {
        let a: Vec<u64> = (0..8)
            .map({
                let mut r = Rng::stream(7, stream::DOTS);
                move |_| r.next_u64()
            })
            .collect();
        let mut r = Rng::stream(7, stream::DOTS);
        let b: Vec<u64> = (0..8).map(|_| r.next_u64()).collect();
        assert_eq!(a, b);
        let mut other = Rng::stream(7, stream::PORES);
        assert_ne!(a[0], other.next_u64());
        assert_ne!(Rng::item(7, 3, 0).next_u64(), Rng::item(7, 3, 1).next_u64());
    }

    #[test]
    fn normal_deviates_have_unit_variance() {
        let mut r = Rng::new(42);
        let n = 20_000;
        let xs: Vec<f64> = (0..n).map(|_| r.normal()).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        assert!(mean.abs() < 0.03, "{mean}");
        assert!((var - 1.0).abs() < 0.04, "{var}");
    }

    #[test]
    fn unit_stays_in_range() {
        let mut r = Rng::new(3);
        assert!((0..10_000).map(|_| r.unit()).all(|u| (0.0..1.0).contains(&u)));
        assert_eq!(r.below(0), 0);
    }
}
