/*!
Everything that darkens the clean layer: SMP dots, pores and hairs, placed in one photo.

Pigment acts as a filter: a covered pixel's light is multiplied by `1 - coverage + coverage * T` with a per-item,
per-channel transmittance T. For a dot, T is solved from its target Weber contrast at its centre pixel (the
nearest frame pixel for a dot centred just outside the frame): L_core = L_bg (1 - c), where L_bg is the clean
colour's L* and the core is the diffuse light times T plus the unchanged shine (pigment lies under the skin
surface, shine on it). Hairs lie on the surface and also dim the shine.

A dot's truth is measured on its ideal optical image (`ideal.rs`), one dot per task in parallel; the target it was
solved for and its outline's area are kept as its nominal values.
*/

use super::ideal::{self, Look};
use super::optics;
use super::params::PhotoParams;
use super::raster::{raster, Blob, Capsule, Shape};
use super::scene::{Scene, Stroke};
use super::skin::Layer;
use super::surface::View;
use super::truth::{TrueDot, TrueHair};
use crate::colour::linear_rgb_to_lab;
use rayon::prelude::*;

/// Fresh carbon pigment seen through skin: bluish black.
const FRESH: [f64; 3] = [0.86, 0.97, 1.18];
/// Crusted dots on scab days: reddish brown.
const SCAB: [f64; 3] = [1.32, 0.86, 0.64];
/// Pores: a faint brownish grey.
const PORE: [f64; 3] = [1.02, 0.98, 0.94];
/// Dark brown-black hair.
const HAIR: [f64; 3] = [1.0, 0.93, 0.86];

/// A shape with its per-channel transmittance.
pub(crate) struct Item<S> {
    /// Where it is.
    pub shape: S,
    /// Transmittance per channel.
    pub t: [f32; 3],
}

/// Multiplies the covered pixels of `buf` (row-major, `w` wide) by the item's filter.
pub(crate) fn apply<S: Shape>(buf: &mut [[f32; 3]], w: usize, item: &Item<S>) {
    let h = buf.len() / w.max(1);
    raster(&item.shape, w, h, |i, cov| {
        for (v, t) in buf[i].iter_mut().zip(item.t) {
            *v *= 1.0 - cov + cov * t;
        }
    });
}

fn luminance(c: [f64; 3]) -> f64 {
    0.212_672_9 * c[0] + 0.715_152_2 * c[1] + 0.072_175_0 * c[2]
}

/// Relative luminance Y of a lightness L* (inverse of the CIELAB L* curve).
fn y_of_l(l: f64) -> f64 {
    if l > 8.0 {
        ((l + 16.0) / 116.0).powi(3)
    } else {
        l / (24389.0 / 27.0)
    }
}

/// Transmittance reaching Weber contrast `c` over (diffuse, shine), and the contrast actually reached.
fn solve(diffuse: [f64; 3], shine: [f64; 3], tint: [f64; 3], c: f64) -> ([f32; 3], f64) {
    let clean = [diffuse[0] + shine[0], diffuse[1] + shine[1], diffuse[2] + shine[2]];
    let l_bg = linear_rgb_to_lab(clean).l;
    let tinted = luminance([diffuse[0] * tint[0], diffuse[1] * tint[1], diffuse[2] * tint[2]]);
    let want = y_of_l(l_bg * (1.0 - c.clamp(0.0, 0.97)));
    let k = if tinted > 0.0 { ((want - luminance(shine)) / tinted).clamp(0.01, 1.0) } else { 1.0 };
    let t = tint.map(|x| (k * x).min(1.0));
    let core: [f64; 3] = std::array::from_fn(|i| diffuse[i] * t[i] + shine[i]);
    let reached = if l_bg > 0.0 { (l_bg - linear_rgb_to_lab(core).l) / l_bg } else { 0.0 };
    (t.map(|x| x as f32), reached)
}

fn blob_on_screen(b: &Blob, w: usize, h: usize) -> bool {
    let bb = b.bbox();
    bb[2] >= 0.0 && bb[3] >= 0.0 && bb[0] <= w as f64 && bb[1] <= h as f64
}

fn towards_limb(view: &View, n: [f64; 3]) -> [f64; 2] {
    let len = n[0].hypot(n[1]);
    if len > 1e-9 {
        view.rotate([n[0] / len, n[1] / len])
    } else {
        [1.0, 0.0]
    }
}

/// Contrast multiplier of a dot given the patches: `None` when the dot is gone.
fn patch_effect(scene: &Scene, params: &PhotoParams, pos: [f64; 2], fate: [f64; 2]) -> Option<f64> {
    let hit = params.patch_fraction > 0.0 && scene.patches.iter().any(|p| p.contains(pos));
    if !hit || fate[0] >= params.patch_dot_loss {
        Some(1.0)
    } else if fate[1] < 0.5 {
        None
    } else {
        Some(1.0 / 3.0)
    }
}

/// A dot's place and nominal truth, before its ideal image is measured.
struct Nominal {
    c: [f64; 2],
    diameter: f64,
    contrast: f64,
    look: Look,
    in_treated: bool,
}

/// The dots of one photo, with their truth: per dot, the `MEASUREMENTS.md` diameter and contrast of its ideal
/// optical image (see [`super::ideal`]), computed in parallel, and its nominal outline diameter and pigment contrast.
pub(crate) fn dots(scene: &Scene, params: &PhotoParams, view: &View, layer: &Layer) -> (Vec<Item<Blob>>, Vec<TrueDot>) {
    let s = params.scab.clamp(0.0, 1.0);
    let tint: [f64; 3] = std::array::from_fn(|i| FRESH[i] * (1.0 - s) + SCAB[i] * s);
    let mut items = Vec::new();
    let mut nominal = Vec::new();
    for d in &scene.dots {
        let pos = [d.s[0], d.s[1]];
        let Some(factor) = patch_effect(scene, params, pos, d.fate) else { continue };
        let r = 0.5 * params.dot_diameter_px * d.size * params.dot_size_factor.max(0.0) * view.scale();
        let c = view.to_image(pos);
        let blob = Blob::new(c, r, towards_limb(view, d.n), d.n[2], d.harm);
        if r <= 0.0 || !blob_on_screen(&blob, layer.w, layer.h) {
            continue;
        }
        let (diffuse, shine) = layer.parts(layer.nearest(c[0], c[1]));
        let (t, contrast) = solve(diffuse, shine, tint, params.dot_contrast * d.contrast * factor);
        let diameter = 2.0 * (blob.area() / std::f64::consts::PI).sqrt();
        let look = Look { t, diffuse, shine };
        nominal.push(Nominal { c, diameter, contrast, look, in_treated: layer.treated_at(c[0], c[1]) });
        items.push(Item { shape: blob, t });
    }
    let taps = optics::kernel(params.blur_sigma_px);
    let truth = items
        .par_iter()
        .zip(&nominal)
        .map(|(it, n)| {
            let ideal = ideal::measure(&it.shape, &n.look, &taps);
            TrueDot {
                x: n.c[0],
                y: n.c[1],
                diameter: ideal.map_or(n.diameter, |m| m.diameter),
                contrast: ideal.map_or(n.contrast, |m| m.contrast),
                nominal_diameter: n.diameter,
                nominal_contrast: n.contrast,
                in_treated: n.in_treated,
            }
        })
        .collect();
    (items, truth)
}

/// The pores of one photo.
pub(crate) fn pores(scene: &Scene, view: &View, layer: &Layer) -> Vec<Item<Blob>> {
    let mut items = Vec::new();
    for (i, p) in scene.pores.iter().enumerate() {
        let c = view.to_image(p.p);
        let harm = [[0.06, i as f64 * 1.7], [0.03, i as f64 * 2.9], [0.0; 2], [0.0; 2]];
        let blob = Blob::new(c, 0.5 * p.d * view.scale(), towards_limb(view, p.n), p.n[2], harm);
        if !blob_on_screen(&blob, layer.w, layer.h) {
            continue;
        }
        let (diffuse, shine) = layer.parts(layer.nearest(c[0], c[1]));
        let (t, _) = solve(diffuse, shine, PORE, p.contrast);
        items.push(Item { shape: blob, t });
    }
    items
}

fn capsule(s: &Stroke, view: &View) -> Capsule {
    Capsule { a: view.to_image(s.a), b: view.to_image(s.b), hw: 0.5 * s.width * view.scale() }
}

/// The hairs of one photo (stubble and face hair), with the truth of the stubble.
pub(crate) fn hairs(scene: &Scene, view: &View, layer: &Layer) -> (Vec<Item<Capsule>>, Vec<TrueHair>) {
    let item = |s: &Stroke| Item { shape: capsule(s, view), t: HAIR.map(|k| (k * s.t).min(1.0) as f32) };
    let mut truth = Vec::new();
    for s in &scene.stubble {
        let c = capsule(s, view);
        let b = c.bbox();
        if b[2] < 0.0 || b[3] < 0.0 || b[0] > layer.w as f64 || b[1] > layer.h as f64 {
            continue;
        }
        let mid = [(c.a[0] + c.b[0]) / 2.0, (c.a[1] + c.b[1]) / 2.0];
        let in_treated = layer.treated_at(mid[0], mid[1]);
        truth.push(TrueHair { x0: c.a[0], y0: c.a[1], x1: c.b[0], y1: c.b[1], width: 2.0 * c.hw, in_treated });
    }
    let items = scene.stubble.iter().chain(&scene.face_hair).map(item).collect();
    (items, truth)
}
