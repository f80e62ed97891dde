/*!
Colours of the scene's materials before lighting: skin (mottling, fine texture, redness, moles), hair mass,
background, clothing and the face features.

Skin is built in CIELAB, so the erythema of a photo is exactly `excess` a* units added to the skin before lighting,
then converted to linear RGB. Everything returned here is linear-RGB reflectance (0..1) facing the camera.
*/

use super::field::{smoothstep, ValueNoise};
use super::geometry::{Material, Sample};
use super::params::PhotoParams;
use super::rng::{stream, Rng};
use crate::colour::{lab_to_linear_rgb, Lab};

/// A mole: an irregular brown spot, part of the skin.
#[derive(Debug, Clone)]
pub(crate) struct Mole {
    /// Centre in scene coordinates.
    pub c: [f64; 2],
    /// Mean radius in scene pixels.
    pub r: f64,
    harm: [[f64; 2]; 3],
}

impl Mole {
    /// A mole at `c` of radius `r` with a random outline.
    pub fn new(c: [f64; 2], r: f64, rng: &mut Rng) -> Mole {
        let mut harm = [[0.0; 2]; 3];
        for (k, hm) in harm.iter_mut().enumerate() {
            *hm = [rng.range(0.0, 0.12 / (k + 1) as f64), rng.range(0.0, std::f64::consts::TAU)];
        }
        Mole { c, r, harm }
    }

    /// Pigment weight at p: 1 inside, soft edge, 0 outside.
    pub fn weight(&self, p: [f64; 2]) -> f64 {
        let (dx, dy) = (p[0] - self.c[0], p[1] - self.c[1]);
        let d2 = dx * dx + dy * dy;
        if d2 > (1.5 * self.r).powi(2) {
            return 0.0;
        }
        let th = dy.atan2(dx);
        let rr: f64 = self.harm.iter().enumerate().map(|(k, [a, ph])| a * ((k + 2) as f64 * th + ph).cos()).sum();
        let rel = d2.sqrt() / (self.r * (1.0 + rr));
        1.0 - smoothstep(0.55, 1.1, rel)
    }
}

/// Noise fields and colours of one scene.
#[derive(Debug, Clone)]
pub(crate) struct Look {
    skin: [f64; 3],
    tex: f64,
    excess: f64,
    px: f64,
    whole_head: bool,
    fields: [ValueNoise; 6],
    /// The moles (part of the clean skin layer).
    pub moles: Vec<Mole>,
}

fn lin(lab: [f64; 3]) -> [f64; 3] {
    lab_to_linear_rgb(Lab { l: lab[0], a: lab[1], b: lab[2] }).map(|c| c.max(0.0))
}

impl Look {
    /// The look of a photo; moles are added by the scene builder.
    pub fn new(params: &PhotoParams, seed: u64, whole_head: bool) -> Look {
        let mut rng = Rng::stream(seed, stream::TEXTURE);
        let fields = std::array::from_fn(|_| ValueNoise::new(rng.next_u64()));
        Look {
            skin: params.skin_lab,
            tex: params.skin_texture.max(0.0),
            excess: params.redness_excess_a,
            px: super::params::px_scale(params.width, params.height),
            whole_head,
            fields,
            moles: Vec::new(),
        }
    }

    /// Skin CIELAB at p with redness weight `red` (1 inside the treated zone, fading to 0 outside).
    pub fn skin_lab(&self, p: [f64; 2], red: f64) -> [f64; 3] {
        let [l0, a0, b0] = self.skin;
        let (mut l, mut a, mut b) = (l0, a0, b0);
        if self.tex > 0.0 {
            let lo = 110.0 * self.px;
            let (x, y) = (p[0] / lo, p[1] / lo);
            let fine = self.fields[3].fbm(p[0] / (2.0 * self.px), p[1] / (2.0 * self.px), 2);
            let mid = self.fields[2].at(p[0] / (9.0 * self.px) + 50.0, p[1] / (9.0 * self.px));
            l += self.tex * (2.6 * self.fields[0].fbm(x, y, 2) + 1.5 * fine + 0.9 * mid);
            a += self.tex * (1.9 * self.fields[1].fbm(x + 3.1, y, 2) + 0.35 * fine);
            b += self.tex * (1.4 * self.fields[2].at(x, y + 5.3) + 0.3 * mid);
        }
        if red > 0.0 {
            let lo = 140.0 * self.px;
            let modulation = 1.0 + 0.15 * self.tex.min(1.0) * self.fields[4].at(p[0] / lo, p[1] / lo);
            a += red * self.excess * modulation;
        }
        for m in &self.moles {
            let w = m.weight(p);
            if w > 0.0 {
                let mole = [l0 * 0.72 - 7.0 * w * w, a0 + 3.0 + 2.0 * w, b0 + 8.0];
                l += w * (mole[0] - l);
                a += w * (mole[1] - a);
                b += w * (mole[2] - b);
            }
        }
        [l, a, b]
    }

    /// Micro-relief modulation of specular shine at p, in [0.5, 1].
    pub fn sheen(&self, p: [f64; 2]) -> f64 {
        let s = 1.6 * self.px;
        0.75 + 0.25 * self.fields[4].fbm(p[0] / s + 71.0, p[1] / s, 2)
    }

    fn hair(&self, p: [f64; 2], flow: f64) -> [f64; 3] {
        let (s, c) = flow.sin_cos();
        let along = (p[0] * c + p[1] * s) / (45.0 * self.px);
        let across = (-p[0] * s + p[1] * c) / (1.7 * self.px);
        let strands = self.fields[5].fbm(along, across, 2);
        let clumps = self.fields[5].at(along * 0.3 + 40.0, across * 0.05);
        lin([15.0 + 7.0 * strands + 4.0 * clumps, 2.0, 4.5])
    }

    fn background(&self, p: [f64; 2]) -> [f64; 3] {
        let lo = 260.0 * self.px;
        let v = self.fields[0].fbm(p[0] / lo + 9.0, p[1] / lo, 2);
        if self.whole_head {
            let fall = p[1] / (750.0 * self.px);
            lin([76.0 - 9.0 * fall + 2.5 * v, 1.2, 7.0])
        } else {
            lin([24.0 + 7.0 * v, 1.0, 3.0])
        }
    }

    fn clothing(&self, p: [f64; 2]) -> [f64; 3] {
        let weave = self.fields[3].at(p[0] / (1.3 * self.px), p[1] / (1.3 * self.px));
        let folds = self.fields[1].fbm(p[0] / (60.0 * self.px), p[1] / (25.0 * self.px), 2);
        lin([17.0 + 1.0 * weave + 3.5 * folds, 1.5, -7.0])
    }

    /// Linear-RGB reflectance at p given the scene sample, redness weight and hair direction.
    pub fn albedo(&self, s: &Sample, p: [f64; 2], red: f64, flow: f64) -> [f64; 3] {
        let skin = || self.skin_lab(p, red);
        match s.material {
            Material::Skin => lin(skin()),
            Material::Hair => self.hair(p, flow),
            Material::Background => self.background(p),
            Material::Clothing => self.clothing(p),
            Material::Brow => {
                let [l, a, b] = skin();
                lin([l - 5.0, a, b])
            }
            Material::Beard => {
                let [l, a, b] = skin();
                lin([l - 9.0, a - 1.5, b - 5.0])
            }
            Material::Lips => {
                let [l, a, b] = skin();
                lin([l - 12.0, a + 13.0, b + 2.0])
            }
            Material::Eye => match s.aux {
                r if r < 0.45 => lin([7.0, 0.5, 1.0]),
                r if r < 1.0 => lin([30.0, 7.0, 16.0]),
                _ => lin([72.0, 1.5, 6.0]),
            },
        }
    }
}
