/*!
Where hairs grow: stubble in the treated zone, eyebrows and beard of the whole head, loose strands along a hair mass.

Each hair is a straight stroke from root to tip in scene coordinates. Stubble is drawn hair by hair from one random
stream, so a longer series (more hairs) keeps the hairs of the earlier days in place and only adds new ones.
*/

use super::geometry::{CloseGeo, Geometry, Material};
use super::head::HairRegion;
use super::params::{px_scale, PhotoParams};
use super::rng::{stream, Rng};
use super::scene::Stroke;

/// Stubble rooted in the treated zone: `stubble_count` hairs, the first k the same whatever the count.
pub(crate) fn stubble(geo: &Geometry, params: &PhotoParams, seed: u64, bbox: [f64; 4]) -> Vec<Stroke> {
    let px = px_scale(params.width, params.height);
    let growth = params.stubble_growth.clamp(0.1, 1.0);
    let mut rng = Rng::stream(seed, stream::STUBBLE);
    let mut out = Vec::new();
    for _ in 0..params.stubble_count.min(200_000) {
        let Some(a) =
            (0..200).map(|_| [rng.range(bbox[0], bbox[2]), rng.range(bbox[1], bbox[3])]).find(|p| geo.in_zone(*p))
        else {
            break;
        };
        let angle = geo.flow(a) + 0.6 * rng.signed();
        let width = px * rng.range(0.6, 1.5);
        let len = width * rng.range(5.0, 15.0) * growth;
        let b = [a[0] + len * angle.cos(), a[1] + len * angle.sin()];
        out.push(Stroke { a, b, width, t: rng.range(0.15, 0.4) });
    }
    out
}

/// The strokes of an eyebrow or the beard.
pub(crate) fn face_hair(geo: &Geometry, reg: &HairRegion, params: &PhotoParams, seed: u64, i: usize) -> Vec<Stroke> {
    let px = px_scale(params.width, params.height);
    let mut rng = Rng::item(seed, stream::FACE_HAIR, i as u64);
    let b = reg.bbox;
    let spread = if reg.material == Material::Brow { 0.3 } else { 0.9 };
    (0..reg.count)
        .filter_map(|_| {
            let a = (0..50)
                .map(|_| [rng.range(b[0], b[2]), rng.range(b[1], b[3])])
                .find(|p| geo.sample(*p).material == reg.material)?;
            let angle = reg.flow + spread * rng.signed();
            let len = rng.range(reg.length[0], reg.length[1]);
            let tip = [a[0] + len * angle.cos(), a[1] + len * angle.sin()];
            Some(Stroke {
                a,
                b: tip,
                width: px * rng.range(0.6, 1.1),
                t: rng.range(reg.transmittance[0], reg.transmittance[1]),
            })
        })
        .collect()
}

/// Loose strands along the edge of a hair mass, so it does not end in a cut line.
pub(crate) fn fringe(geo: &CloseGeo, params: &PhotoParams, seed: u64) -> Vec<Stroke> {
    let px = px_scale(params.width, params.height);
    let mut rng = Rng::item(seed, stream::FACE_HAIR, 99);
    let n = (1.6 * params.width.max(params.height) as f64 / px).round() as usize;
    (0..n)
        .filter_map(|_| {
            let (edge, axis) = geo.hair_edge(rng.unit())?;
            let back = px * rng.range(2.0, 30.0);
            let a = [edge[0] - back * axis[0], edge[1] - back * axis[1]];
            let angle = axis[1].atan2(axis[0]) + 0.45 * rng.signed();
            let len = px * rng.range(12.0, 40.0);
            let b = [a[0] + len * angle.cos(), a[1] + len * angle.sin()];
            Some(Stroke { a, b, width: px * rng.range(0.7, 1.4), t: rng.range(0.06, 0.2) })
        })
        .collect()
}
