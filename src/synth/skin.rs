/*!
The clean layer of a photo: what the camera would see without dots, pores, hairs, blur or noise.

Per pixel: the material's reflectance (skin with mottling, redness and moles; hair; background ...) times the
light (dome shading, occlusion, the light gradient across the frame, exposure, white-balance cast), plus the
specular shine of oily skin. The truth is computed from this layer, and it records per pixel whether it belongs
to the treated mask or to the untreated skin used as reference.
*/

use super::edt::distance_to_set;
use super::field::smoothstep;
use super::geometry::{Material, Sample};
use super::params::PhotoParams;
use super::rng::{stream, Rng};
use super::scene::Scene;
use super::surface::{Surface, View};
use crate::colour::srgb_to_linear;
use rayon::prelude::*;

/// Pixel is in the treated zone.
pub(crate) const ZONE: u8 = 1;
/// Pixel is in the treated mask: zone, skin, neither clipped nor near-black.
pub(crate) const TREATED: u8 = 2;
/// Pixel is untreated reference skin: skin, farther than the margin from the zone, neither clipped nor near-black.
pub(crate) const UNTREATED: u8 = 4;
/// Pixel lies within 2 px of a dot or a hair (set later).
pub(crate) const NEAR_MARK: u8 = 8;

/// Distance from the treated zone, as a share of the image diagonal, beyond which skin counts as untreated.
pub(crate) const MARGIN_SHARE: f64 = 0.03;

/// A soft specular highlight.
#[derive(Debug, Clone)]
struct Shine {
    c: [f64; 2],
    axes: [f64; 2],
    dir: [f64; 2],
    amp: f64,
}

impl Shine {
    fn at(&self, p: [f64; 2]) -> f64 {
        let d = [p[0] - self.c[0], p[1] - self.c[1]];
        let u = (d[0] * self.dir[0] + d[1] * self.dir[1]) / self.axes[0];
        let v = (-d[0] * self.dir[1] + d[1] * self.dir[0]) / self.axes[1];
        self.amp * (-0.5 * (u * u + v * v)).exp()
    }
}

/// Where a highlight sits: near the specular point of a dome (its normal halves light and view), else anywhere on
/// skin facing the camera.
fn shine_centre(scene: &Scene, l: [f64; 3], rng: &mut Rng, w: usize, h: usize) -> Option<[f64; 2]> {
    let on_skin = |p: [f64; 2]| {
        let s = scene.geo.sample(p);
        let inside = p[0] >= 0.0 && p[1] >= 0.0 && p[0] < w as f64 && p[1] < h as f64;
        inside && s.material == Material::Skin && s.normal[2] > 0.5
    };
    if let Surface::Sphere { c, r } = scene.geo.surface() {
        let n = (l[0] * l[0] + l[1] * l[1] + (l[2] + 1.0).powi(2)).sqrt();
        let p = [c[0] + r * (l[0] / n + 0.2 * rng.signed()), c[1] + r * (l[1] / n + 0.2 * rng.signed())];
        if on_skin(p) {
            return Some(p);
        }
    }
    (0..100).map(|_| [rng.range(0.0, w as f64), rng.range(0.0, h as f64)]).find(|p| on_skin(*p))
}

/// One or two soft, elongated highlights of oily skin.
fn shines(scene: &Scene, params: &PhotoParams, l: [f64; 3], seed: u64) -> Vec<Shine> {
    if params.shine <= 0.0 {
        return Vec::new();
    }
    let (w, h) = params.size();
    let mut rng = Rng::item(seed, stream::SHINE, params.shot);
    let n = if rng.chance(0.35) { 2 } else { 1 };
    let surface = scene.geo.surface();
    let base = match surface {
        Surface::Sphere { r, .. } => (0.1 * r).min(0.1 * w.min(h) as f64),
        Surface::Flat => 0.08 * w.min(h) as f64,
    };
    (0..n)
        .filter_map(|k| {
            let c = shine_centre(scene, l, &mut rng, w, h)?;
            let a = base * rng.range(0.6, 1.4);
            let dir = match surface {
                Surface::Sphere { c: sc, .. } if (c[0] - sc[0]).hypot(c[1] - sc[1]) > 1.0 => {
                    let d = (c[0] - sc[0]).hypot(c[1] - sc[1]);
                    [-(c[1] - sc[1]) / d, (c[0] - sc[0]) / d]
                }
                _ => {
                    let (sin, cos) = rng.range(0.0, std::f64::consts::PI).sin_cos();
                    [cos, sin]
                }
            };
            let amp = params.shine.min(1.5) * rng.range(0.5, 1.0) * if k == 0 { 1.0 } else { 0.6 };
            Some(Shine { c, axes: [a, a * rng.range(0.3, 0.7)], dir, amp })
        })
        .collect()
}

/// The clean layer and the per-pixel truth flags.
pub(crate) struct Layer {
    /// Width in pixels.
    pub w: usize,
    /// Height in pixels.
    pub h: usize,
    /// Diffuse light leaving each pixel, linear RGB.
    pub lit: Vec<[f32; 3]>,
    /// Specular light of each pixel (grey, before the white-balance cast).
    pub spec: Vec<f32>,
    /// White-balance gains applied to the specular light.
    pub cast: [f64; 3],
    /// Bit flags per pixel: [`ZONE`], [`TREATED`], [`UNTREATED`], [`NEAR_MARK`].
    pub flags: Vec<u8>,
}

/// Reflectance of the grey card (a standard 18% grey).
pub(crate) const CARD_REFLECTANCE: f64 = 0.18;

/// The grey card's rectangle in image pixels `[x0, y0, x1, y1)`: bottom-left, 14% of the width wide, 10:7.
pub(crate) fn card_rect(w: usize, h: usize) -> [usize; 4] {
    let cw = (0.14 * w as f64).round() as usize;
    let ch = (0.7 * cw as f64).round() as usize;
    let (x0, y1) = ((0.04 * w as f64) as usize, h - (0.04 * h as f64) as usize);
    [x0, y1.saturating_sub(ch), (x0 + cw).min(w), y1]
}

/// The light falling on an image point: the exposure and gradient (achromatic) and the white-balance gains.
pub(crate) fn light_at(params: &PhotoParams, w: usize, h: usize, q: [f64; 2]) -> (f64, [f64; 3]) {
    let light = Light::new(params, w, h);
    (light.gradient(q), light.gain)
}

impl Layer {
    /// Diffuse and specular linear RGB of pixel i.
    pub fn parts(&self, i: usize) -> ([f64; 3], [f64; 3]) {
        let d = self.lit[i].map(f64::from);
        let s = self.spec[i] as f64;
        (d, self.cast.map(|c| c * s))
    }

    /// Clean linear RGB of pixel i.
    pub fn clean(&self, i: usize) -> [f64; 3] {
        let (d, s) = self.parts(i);
        [d[0] + s[0], d[1] + s[1], d[2] + s[2]]
    }

    /// Whether image point (x, y) is inside the frame and in the treated mask.
    pub fn treated_at(&self, x: f64, y: f64) -> bool {
        let inside = x >= 0.0 && y >= 0.0 && x < self.w as f64 && y < self.h as f64;
        inside && self.flags[y as usize * self.w + x as usize] & TREATED != 0
    }

    /// Index of the frame pixel nearest to image point (x, y).
    pub fn nearest(&self, x: f64, y: f64) -> usize {
        let px = (x.floor().max(0.0) as usize).min(self.w - 1);
        let py = (y.floor().max(0.0) as usize).min(self.h - 1);
        py * self.w + px
    }
}

/// Distance of every frame pixel to the treated zone, looking `pad` pixels beyond the frame.
fn zone_distance(scene: &Scene, view: &View, w: usize, h: usize, pad: usize) -> Vec<f32> {
    let (pw, ph) = (w + 2 * pad, h + 2 * pad);
    let mut mask = vec![false; pw * ph];
    mask.par_chunks_mut(pw).enumerate().for_each(|(y, row)| {
        for (x, m) in row.iter_mut().enumerate() {
            let q = [x as f64 - pad as f64 + 0.5, y as f64 - pad as f64 + 0.5];
            *m = scene.geo.in_zone(view.to_scene(q));
        }
    });
    let dist = distance_to_set(&mask, pw, ph);
    (0..w * h).map(|i| dist[(i / w + pad) * pw + i % w + pad]).collect()
}

/// Lighting of one photo.
struct Light {
    l: [f64; 3],
    grad_dir: [f64; 2],
    grad: f64,
    c0: [f64; 2],
    half_diag: f64,
    gain: [f64; 3],
    exposure: f64,
}

impl Light {
    fn new(params: &PhotoParams, w: usize, h: usize) -> Light {
        let (s, c) = params.lighting_angle_deg.to_radians().sin_cos();
        let n = (1.0 + 0.3f64 * 0.3).sqrt();
        Light {
            l: [0.3 * c / n, 0.3 * s / n, 1.0 / n],
            grad_dir: [c, s],
            grad: params.lighting_gradient.clamp(-0.9, 0.9),
            c0: [w as f64 / 2.0, h as f64 / 2.0],
            half_diag: (w as f64).hypot(h as f64) / 2.0,
            gain: params.cast.map(|g| g.max(0.0)),
            exposure: params.exposure.max(0.0),
        }
    }

    fn shade(&self, s: &Sample) -> f64 {
        const AMBIENT: f64 = 0.4;
        if matches!(s.material, Material::Background | Material::Clothing) {
            return 1.0;
        }
        let n = s.normal;
        let ndotl = (n[0] * self.l[0] + n[1] * self.l[1] + n[2] * self.l[2]).max(0.0);
        s.occlusion * (AMBIENT + (1.0 - AMBIENT) * ndotl) / (AMBIENT + (1.0 - AMBIENT) * self.l[2])
    }

    fn gradient(&self, q: [f64; 2]) -> f64 {
        let t = ((q[0] - self.c0[0]) * self.grad_dir[0] + (q[1] - self.c0[1]) * self.grad_dir[1]) / self.half_diag;
        self.exposure * (1.0 + self.grad * t)
    }
}

/// Least camera-facing component of the surface normal for treated skin to count as measurable: where the scalp
/// turns away, dots are foreshortened along the silhouette; once a dot's minor axis (`z` times its diameter) is
/// under one pixel, or the surface is over 78 degrees from facing the camera, no dot can be resolved there and that
/// skin is not part of the measured treated area.
pub(crate) fn min_facing(params: &PhotoParams) -> f64 {
    (1.0 / (params.dot_diameter_px * params.dot_size_factor).max(1e-6)).max(0.2)
}

/// Renders the clean layer of a photo.
pub(crate) fn build_layer(scene: &Scene, params: &PhotoParams, view: &View, seed: u64) -> Layer {
    let (w, h) = params.size();
    let margin = MARGIN_SHARE * (w as f64).hypot(h as f64);
    let dist = zone_distance(scene, view, w, h, margin.ceil() as usize + 2);
    let fade = 0.85 * margin;
    let light = Light::new(params, w, h);
    let min_facing = min_facing(params);
    let shines = shines(scene, params, light.l, seed);
    let (clip, dark) = (srgb_to_linear(250.0 / 255.0), srgb_to_linear(10.0 / 255.0));
    let mut lit = vec![[0f32; 3]; w * h];
    let mut spec = vec![0f32; w * h];
    let mut flags = vec![0u8; w * h];
    lit.par_chunks_mut(w).zip(spec.par_chunks_mut(w)).zip(flags.par_chunks_mut(w)).enumerate().for_each(
        |(y, ((lrow, srow), frow))| {
            for x in 0..w {
                let q = [x as f64 + 0.5, y as f64 + 0.5];
                let p = view.to_scene(q);
                let s = scene.geo.sample(p);
                let d = dist[y * w + x] as f64;
                let red = if s.zone { 1.0 } else { 1.0 - smoothstep(0.0, fade, d) };
                let flow = if s.material == Material::Hair { scene.geo.flow(p) } else { 0.0 };
                let albedo = scene.look.albedo(&s, p, red, flow);
                let g = light.gradient(q);
                let k = light.shade(&s) * g;
                let diffuse: [f64; 3] = std::array::from_fn(|c| albedo[c] * k * light.gain[c]);
                let sp = if s.material == Material::Skin && !shines.is_empty() {
                    g * scene.look.sheen(p) * shines.iter().map(|sh| sh.at(p)).sum::<f64>()
                } else {
                    0.0
                };
                let clean: [f64; 3] = std::array::from_fn(|c| diffuse[c] + sp * light.gain[c]);
                let ok =
                    s.material == Material::Skin && clean.iter().all(|&v| v < clip) && clean.iter().any(|&v| v > dark);
                let mut f = if s.zone { ZONE } else { 0 };
                if ok && s.zone && s.normal[2] >= min_facing {
                    f |= TREATED;
                } else if ok && d > margin {
                    f |= UNTREATED;
                }
                lrow[x] = diffuse.map(|v| v as f32);
                srow[x] = sp as f32;
                frow[x] = f;
            }
        },
    );
    Layer { w, h, lit, spec, cast: light.gain, flags }
}
