/*!
Renders one photo: scene -> clean layer -> truth -> pigment -> optics.

The truth is taken between the clean layer and the pigment, so it is computed from exactly the colours the
pigment is then applied to; the final 8-bit image only adds the clipped fraction.
*/

use super::params::PhotoParams;
use super::pigment::{self, apply, Item};
use super::raster::{raster, Shape};
use super::rng::hash3;
use super::skin::{self, build_layer, Layer, NEAR_MARK};
use super::surface::View;
use super::truth::{clipped_fraction, compute};
use super::{optics, scene, SynthPhoto};
use crate::time::CivilTime;
use rayon::prelude::*;

/// Flags pixels within 2 px (Euclidean) of any of the shapes.
///
/// The 13-pixel disk of radius 2 is the union of a 5-wide run on the row, 3-wide runs one row up and down, and
/// single pixels two rows up and down, so rows are dilated once by 1 and by 2 and then combined.
fn mark_near<S: Shape>(layer: &mut Layer, groups: &[&[Item<S>]]) {
    let (w, h) = (layer.w, layer.h);
    let mut hit = vec![false; w * h];
    for items in groups {
        for it in *items {
            raster(&it.shape, w, h, |i, _| hit[i] = true);
        }
    }
    let dilate = |r: usize| -> Vec<bool> {
        let mut out = vec![false; w * h];
        out.par_chunks_mut(w).zip(hit.par_chunks(w)).for_each(|(o, src)| {
            for (x, s) in src.iter().enumerate() {
                if *s {
                    o[x.saturating_sub(r)..(x + r + 1).min(w)].fill(true);
                }
            }
        });
        out
    };
    let (d1, d2) = (dilate(1), dilate(2));
    let at = |m: &[bool], x: usize, y: i64| y >= 0 && (y as usize) < h && m[y as usize * w + x];
    layer.flags.par_chunks_mut(w).enumerate().for_each(|(y, row)| {
        let y = y as i64;
        for (x, f) in row.iter_mut().enumerate() {
            let near =
                at(&d2, x, y) || at(&d1, x, y - 1) || at(&d1, x, y + 1) || at(&hit, x, y - 2) || at(&hit, x, y + 2);
            if near {
                *f |= NEAR_MARK;
            }
        }
    });
}

/// Takes the hair fringe out of the treated mask: skin within one dot pitch of a loose strand from the hair mass is
/// covered by hair, not measurable treated skin (the measurer's rule is the same: skin near hair attached to a dark
/// mass is hair).
fn exclude_fringe(layer: &mut Layer, strands: &[super::scene::Stroke], view: &View, pitch: f64) {
    let (w, h) = (layer.w as i64, layer.h as i64);
    for st in strands {
        let (a, b) = (view.to_image(st.a), view.to_image(st.b));
        let reach = pitch + 0.5 * st.width * view.scale();
        let (x0, x1) = ((a[0].min(b[0]) - reach).floor() as i64, (a[0].max(b[0]) + reach).ceil() as i64);
        let (y0, y1) = ((a[1].min(b[1]) - reach).floor() as i64, (a[1].max(b[1]) + reach).ceil() as i64);
        let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
        let len2 = (dx * dx + dy * dy).max(1e-12);
        for y in y0.max(0)..=y1.min(h - 1) {
            for x in x0.max(0)..=x1.min(w - 1) {
                let (px, py) = (x as f64 + 0.5, y as f64 + 0.5);
                let t = (((px - a[0]) * dx + (py - a[1]) * dy) / len2).clamp(0.0, 1.0);
                if (px - a[0] - t * dx).hypot(py - a[1] - t * dy) <= reach {
                    layer.flags[(y * w + x) as usize] &= !super::skin::TREATED;
                }
            }
        }
    }
}

/// The capture time used for photos rendered on their own: the fixtures' session start.
pub(crate) fn default_time() -> CivilTime {
    CivilTime::from_parts(2026, 11, 2, 10, 0, 0).unwrap_or(CivilTime(0))
}

/// `IMG_YYYYMMDD_HHMMSS.jpg`, as phones name photos.
pub(crate) fn file_name(t: CivilTime) -> String {
    let (y, mo, d, h, mi, s) = t.parts();
    format!("IMG_{y:04}{mo:02}{d:02}_{h:02}{mi:02}{s:02}.jpg")
}

/// Renders one photo from explicit parameters. The same parameters and seed always give the same image; photos
/// differing only in time-dependent fields (contrast, redness, swelling, hairs, patches, lighting, camera, `shot`)
/// show the same scalp. `taken` is 2026-11-02T10:00:00 and `day` 0; [`super::render_series`] sets them.
pub fn render_photo(params: &PhotoParams, seed: u64) -> SynthPhoto {
    let (w, h) = params.size();
    let scene = scene::build(params, seed);
    let view = View::new(&params.camera, w, h);
    let mut layer = build_layer(&scene, params, &view, seed);
    if matches!(scene.geo, super::geometry::Geometry::Close(_)) {
        exclude_fringe(&mut layer, &scene.face_hair, &view, params.dot_spacing * params.dot_diameter_px * view.scale());
    }
    let card = params.grey_card.then(|| skin::card_rect(w, h));
    if let Some([x0, y0, x1, y1]) = card {
        for y in y0..y1 {
            for x in x0..x1 {
                layer.flags[y * w + x] = 0;
            }
        }
    }
    let (dots, true_dots) = pigment::dots(&scene, params, &view, &layer);
    let pores = pigment::pores(&scene, &view, &layer);
    let (hairs, true_hairs) = pigment::hairs(&scene, &view, &layer);
    mark_near(&mut layer, &[&dots]);
    mark_near(&mut layer, &[&hairs]);
    let active = params.patch_fraction > 0.0 && !scene.patches.is_empty();
    let in_patch = |x: usize, y: usize| {
        active && {
            let p = view.to_scene([x as f64 + 0.5, y as f64 + 0.5]);
            scene.patches.iter().any(|pt| pt.contains(p))
        }
    };
    // The neutral light that calibration against the card restores: the white-balance gains and the light on
    // the card (or the exposure, without a card) divided out.
    let centre = card
        .map_or([w as f64 / 2.0, h as f64 / 2.0], |[x0, y0, x1, y1]| [(x0 + x1) as f64 / 2.0, (y0 + y1) as f64 / 2.0]);
    let (k_ref, gains) = skin::light_at(params, w, h, centre);
    let neutral: [f64; 3] = std::array::from_fn(|c| 1.0 / (k_ref * gains[c]).max(1e-9));
    let mut truth = compute(&layer, &true_dots, &true_hairs, &in_patch, neutral);
    let Layer { mut lit, spec, cast, .. } = layer;
    for it in &dots {
        apply(&mut lit, w, it);
    }
    for it in &pores {
        apply(&mut lit, w, it);
    }
    lit.par_iter_mut().zip(&spec).for_each(|(px, s)| {
        for c in 0..3 {
            px[c] += (cast[c] * *s as f64) as f32;
        }
    });
    for it in &hairs {
        apply(&mut lit, w, it);
    }
    if let Some([x0, y0, x1, y1]) = card {
        for y in y0..y1 {
            for x in x0..x1 {
                let (k, g) = skin::light_at(params, w, h, [x as f64 + 0.5, y as f64 + 0.5]);
                lit[y * w + x] = g.map(|g| (skin::CARD_REFLECTANCE * k * g) as f32);
            }
        }
    }
    let noise_seed = hash3(seed, params.shot as i64, 0x0015E);
    let image = optics::expose(&mut lit, w, h, params.blur_sigma_px, params.noise_sigma, noise_seed);
    truth.clipped_fraction = clipped_fraction(&image);
    let taken = default_time();
    SynthPhoto {
        file_name: file_name(taken),
        taken,
        day: 0.0,
        image,
        truth,
        dots: true_dots,
        hairs: true_hairs,
        params: params.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::raster::Capsule;

    #[test]
    fn marks_match_a_brute_force_disk_of_radius_2() {
        let (w, h) = (40, 30);
        let items: Vec<Item<Capsule>> =
            [([3.0, 4.0], [20.0, 9.0]), ([30.0, 25.0], [31.0, 29.5]), ([0.2, 29.0], [0.4, 29.2])]
                .into_iter()
                .map(|(a, b)| Item { shape: Capsule { a, b, hw: 0.4 }, t: [0.5; 3] })
                .collect();
        let mut layer =
            Layer { w, h, lit: vec![[0.5; 3]; w * h], spec: vec![0.0; w * h], cast: [1.0; 3], flags: vec![0; w * h] };
        mark_near(&mut layer, &[&items]);
        let mut hit = vec![false; w * h];
        for it in &items {
            raster(&it.shape, w, h, |i, _| hit[i] = true);
        }
        for i in 0..w * h {
            let (x, y) = ((i % w) as i64, (i / w) as i64);
            let want = (0..w * h).any(|j| {
                let (u, v) = ((j % w) as i64, (j / w) as i64);
                hit[j] && (u - x).pow(2) + (v - y).pow(2) <= 4
            });
            assert_eq!(layer.flags[i] & NEAR_MARK != 0, want, "pixel ({x}, {y})");
        }
    }
}
