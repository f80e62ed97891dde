/*!
The scalp of a photo series: where every dot, pore, mole, patch and hair is, in scene coordinates.

A series shows the same scalp on every day, so everything here depends only on the seed and the scene-level
parameters (framing, size, base dot size and spacing), each part drawn from its own random stream: the dots of
day 28 are the dots of day 0, and the first 100 stubble hairs of day 4 are still there on day 7. What changes with
the day (contrast, swelling, redness, hair length, whether patches show) is applied when a photo is rendered.
*/

use super::field::smoothstep;
use super::geometry::{Geometry, Material};
use super::hairs::{face_hair, fringe, stubble};
use super::materials::{Look, Mole};
use super::params::{px_scale, Framing, PhotoParams};
use super::placement::{poisson, Placement};
use super::rng::{stream, Rng};
use std::f64::consts::TAU;

/// One SMP dot on the scalp.
#[derive(Debug, Clone)]
pub(crate) struct SceneDot {
    /// Point on the surface (scene x, y and height z).
    pub s: [f64; 3],
    /// Unit surface normal there.
    pub n: [f64; 3],
    /// Size jitter factor (1 +- dot_jitter).
    pub size: f64,
    /// Contrast jitter factor (1 +- dot_jitter).
    pub contrast: f64,
    /// Outline harmonics k = 2..5.
    pub harm: [[f64; 2]; 4],
    /// Uniform draws deciding the dot's fate inside a patch.
    pub fate: [f64; 2],
}

/// A pore: a faint speck on any skin.
#[derive(Debug, Clone)]
pub(crate) struct ScenePore {
    /// Scene position.
    pub p: [f64; 2],
    /// Skin normal there.
    pub n: [f64; 3],
    /// Diameter in scene pixels.
    pub d: f64,
    /// Weber contrast.
    pub contrast: f64,
}

/// A patch where pigment was lost, a blob in scene coordinates.
#[derive(Debug, Clone)]
pub(crate) struct Patch {
    c: [f64; 2],
    r: f64,
    harm: [[f64; 2]; 2],
}

impl Patch {
    fn area_factor(harm: &[[f64; 2]; 2]) -> f64 {
        1.0 + harm.iter().map(|h| h[0] * h[0]).sum::<f64>() / 2.0
    }

    fn radius_at(&self, th: f64) -> f64 {
        self.r
            * (1.0 + self.harm.iter().enumerate().map(|(k, [a, ph])| a * ((k + 2) as f64 * th + ph).cos()).sum::<f64>())
    }

    /// Whether scene point p lies in the patch.
    pub fn contains(&self, p: [f64; 2]) -> bool {
        let (dx, dy) = (p[0] - self.c[0], p[1] - self.c[1]);
        dx.hypot(dy) <= self.radius_at(dy.atan2(dx))
    }
}

/// A hair stroke in scene coordinates.
#[derive(Debug, Clone)]
pub(crate) struct Stroke {
    /// Root.
    pub a: [f64; 2],
    /// Tip.
    pub b: [f64; 2],
    /// Width in scene pixels.
    pub width: f64,
    /// Transmittance of the hair (0 opaque black, 1 invisible).
    pub t: f64,
}

/// Everything that stays put across a series.
#[derive(Debug, Clone)]
pub(crate) struct Scene {
    /// Framing geometry.
    pub geo: Geometry,
    /// Skin and material colours, moles.
    pub look: Look,
    /// SMP dots.
    pub dots: Vec<SceneDot>,
    /// Pores.
    pub pores: Vec<ScenePore>,
    /// Patches (present only when `patch_fraction` > 0).
    pub patches: Vec<Patch>,
    /// Stubble rooted in the treated zone, `stubble_count` of them.
    pub stubble: Vec<Stroke>,
    /// Eyebrow and beard strokes (whole-head framing only).
    pub face_hair: Vec<Stroke>,
}

/// Minimum distance between dots, in pitches (dart-throwing fills the plane to about 0.68 / d^2).
const MIN_GAP: f64 = 0.62;
/// Share of the placed dots kept, bringing the density to about one per pitch squared.
const KEEP: f64 = 0.56;

/// Dot diameter used to size pores and moles when a photo has no dots.
fn size_unit(params: &PhotoParams) -> f64 {
    if params.dot_diameter_px > 0.5 {
        params.dot_diameter_px
    } else {
        6.0 * px_scale(params.width, params.height)
    }
}

/// Builds the scene of a photo (or of every photo of a series sharing these scene-level parameters).
pub(crate) fn build(params: &PhotoParams, seed: u64) -> Scene {
    let (w, h) = params.size();
    let geo = Geometry::new(&params.framing, w, h, seed);
    let mut look = Look::new(params, seed, matches!(params.framing, Framing::WholeHead));
    let m = 0.12 * w.max(h) as f64;
    let bbox = [-m, -m, w as f64 + m, h as f64 + m];
    look.moles = moles(&geo, params, seed);
    let dots = dots(&geo, &look.moles, params, seed, bbox);
    let pores = if params.pores { pores(&geo, &look.moles, params, seed, bbox) } else { Vec::new() };
    let patches = patches(&geo, params, seed);
    let stubble = stubble(&geo, params, seed, bbox);
    let face_hair = match &geo {
        Geometry::Head(g) => {
            g.hair_regions().iter().enumerate().flat_map(|(i, r)| face_hair(&geo, r, params, seed, i)).collect()
        }
        Geometry::Close(g) => fringe(g, params, seed),
        Geometry::Flat { .. } => Vec::new(),
    };
    Scene { geo, look, dots, pores, patches, stubble, face_hair }
}

fn near_mole(moles: &[Mole], p: [f64; 2], pad: f64) -> bool {
    moles.iter().any(|m| (p[0] - m.c[0]).hypot(p[1] - m.c[1]) < 1.25 * m.r + pad)
}

fn moles(geo: &Geometry, params: &PhotoParams, seed: u64) -> Vec<Mole> {
    let (w, h) = params.size();
    let mut rng = Rng::stream(seed, stream::MOLES);
    let mut out = Vec::new();
    for _ in 0..params.moles.min(64) {
        for _ in 0..200 {
            let p = [rng.range(0.08, 0.92) * w as f64, rng.range(0.08, 0.92) * h as f64];
            let r = 0.5 * size_unit(params) * rng.range(4.0, 8.0);
            if geo.sample(p).material == Material::Skin && !near_mole(&out, p, r) {
                out.push(Mole::new(p, r, &mut rng));
                break;
            }
        }
    }
    out
}

fn dots(geo: &Geometry, moles: &[Mole], params: &PhotoParams, seed: u64, bbox: [f64; 4]) -> Vec<SceneDot> {
    let d = params.dot_diameter_px;
    if !(d > 0.0 && params.dot_spacing > 0.0) {
        return Vec::new();
    }
    let pitch = d * params.dot_spacing;
    let accept = |p: [f64; 2]| geo.in_zone(p) && !near_mole(moles, p, d);
    let job = Placement {
        surface: geo.surface(),
        bbox,
        d_min: (MIN_GAP * pitch).max(1.0),
        accept: &accept,
        max_points: 3_000_000,
    };
    let mut rng = Rng::stream(seed, stream::DOTS);
    let pts = poisson(&job, &mut rng);
    let j = params.dot_jitter.clamp(0.0, 0.5);
    let surface = geo.surface();
    pts.into_iter()
        // Thinning makes the pattern hand-stippled rather than blue noise; artists also feather the edge with
        // untreated skin: fewer dots within 2.5 pitches of it.
        .filter(|s| {
            let feather = 0.35 + 0.65 * smoothstep(0.0, 2.5 * pitch, geo.depth_in_zone([s[0], s[1]]));
            rng.chance(KEEP * feather)
        })
        .enumerate()
        .map(|(i, s)| {
            let mut r = Rng::item(seed, stream::DOT_LOOKS, i as u64);
            let harm = [0.06, 0.04, 0.025, 0.015].map(|a| [r.range(0.0, a), r.range(0.0, TAU)]);
            SceneDot {
                s,
                n: surface.normal(s),
                size: 1.0 + j * r.signed(),
                contrast: 1.0 + j * r.signed(),
                harm,
                fate: [r.unit(), r.unit()],
            }
        })
        .collect()
}

fn pores(geo: &Geometry, moles: &[Mole], params: &PhotoParams, seed: u64, bbox: [f64; 4]) -> Vec<ScenePore> {
    let unit = size_unit(params);
    let pitch = if params.dot_spacing > 0.0 { 1.3 * unit * params.dot_spacing } else { 3.5 * unit };
    let pitch = pitch.max(2.0);
    let mut rng = Rng::stream(seed, stream::PORES);
    let (nx, ny) = (((bbox[2] - bbox[0]) / pitch) as usize, ((bbox[3] - bbox[1]) / pitch) as usize);
    let mut out = Vec::new();
    for gy in 0..ny {
        for gx in 0..nx {
            let p = [bbox[0] + (gx as f64 + rng.unit()) * pitch, bbox[1] + (gy as f64 + rng.unit()) * pitch];
            let (d, contrast) = (unit * rng.range(0.6, 1.0), rng.range(0.03, 0.07));
            let s = geo.sample(p);
            if s.material == Material::Skin && !near_mole(moles, p, 0.0) {
                out.push(ScenePore { p, n: s.normal, d, contrast });
            }
        }
    }
    out
}

fn zone_area(geo: &Geometry, w: usize, h: usize) -> f64 {
    let step = (w.min(h) / 150).max(1);
    let mut n = 0usize;
    for y in (0..h).step_by(step) {
        for x in (0..w).step_by(step) {
            let p = [x as f64 + 0.5, y as f64 + 0.5];
            n += (geo.in_zone(p) && geo.sample(p).material == Material::Skin) as usize;
        }
    }
    (n * step * step) as f64
}

fn patches(geo: &Geometry, params: &PhotoParams, seed: u64) -> Vec<Patch> {
    let count = params.patch_count.clamp(1, 8) as usize;
    if params.patch_fraction <= 0.0 {
        return Vec::new();
    }
    let (w, h) = params.size();
    let (wf, hf) = (w as f64, h as f64);
    let mut rng = Rng::stream(seed, stream::PATCHES);
    let each = params.patch_fraction.min(0.9) / count as f64 * zone_area(geo, w, h);
    let mut out: Vec<Patch> = Vec::new();
    for _ in 0..count {
        let harm = [[0.22, rng.range(0.0, TAU)], [0.1, rng.range(0.0, TAU)]];
        let r = (each / (std::f64::consts::PI * Patch::area_factor(&harm))).sqrt();
        let mut best = None;
        for _ in 0..3000 {
            let cand = Patch { c: [rng.range(0.0, wf), rng.range(0.0, hf)], r, harm };
            let fits = (0..32).all(|k| {
                let th = k as f64 * TAU / 32.0;
                let rr = 1.1 * cand.radius_at(th);
                let p = [cand.c[0] + rr * th.cos(), cand.c[1] + rr * th.sin()];
                let inside = p[0] > 0.05 * wf && p[0] < 0.95 * wf && p[1] > 0.05 * hf && p[1] < 0.95 * hf;
                inside && geo.in_zone(p) && geo.sample(p).material == Material::Skin
            });
            let apart = out.iter().all(|o| (o.c[0] - cand.c[0]).hypot(o.c[1] - cand.c[1]) > 1.3 * (o.r + r));
            if fits && apart {
                best = Some(cand);
                break;
            }
            if best.is_none() && geo.in_zone(cand.c) {
                best = Some(cand);
            }
        }
        out.extend(best);
    }
    out
}
