/*!
Where things are in a synthetic photo: the scalp surface, the treated zone and the material under each point.

Everything is defined in scene coordinates: pixels of the nominal framing, x right, y down, with pixel (i, j)
covering [i, i+1) x [j, j+1). A `View` (`surface.rs`) maps them to the pixels of one photo (the small camera
moves of a series).
The scalp is seen in orthographic projection: flat, or a sphere whose visible hemisphere faces the camera (+z).
*/

use super::field::{ValueNoise, Wiggle};
use super::head::HeadGeo;
use super::params::{CloseUp, FarEdge, Framing};
use super::rng::{stream, Rng};
use super::surface::Surface;

/// What a point of the scene shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Material {
    /// Skin (scalp, forehead, face, ears, neck).
    Skin,
    /// A mass of natural hair.
    Hair,
    /// Room or wall behind the head.
    Background,
    /// Clothing.
    Clothing,
    /// Skin under the eyebrows.
    Brow,
    /// Skin of the beard area (with stubble strokes on it).
    Beard,
    /// Lips.
    Lips,
    /// Eyes (sclera, iris, pupil).
    Eye,
}

/// What the scene shows at one point.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sample {
    /// The material.
    pub material: Material,
    /// Inside the treated (dotted) zone.
    pub zone: bool,
    /// Unit surface normal, +z towards the camera.
    pub normal: [f64; 3],
    /// Material detail: for eyes, the distance from the iris centre in iris radii.
    pub aux: f64,
    /// Ambient occlusion factor (1 = none): eye sockets, under the nose and chin.
    pub occlusion: f64,
}

impl Sample {
    /// A sample of a material facing the camera.
    pub fn flat(material: Material, zone: bool) -> Sample {
        Sample { material, zone, normal: [0.0, 0.0, 1.0], aux: 0.0, occlusion: 1.0 }
    }
}

/// A close-up: far edge (limb or hair), treated zone, untreated strip, along an axis.
#[derive(Debug, Clone)]
pub(crate) struct CloseGeo {
    c0: [f64; 2],
    axis: [f64; 2],
    span: f64,
    spec: CloseUp,
    far_wiggle: Wiggle,
    near_wiggle: Wiggle,
    tufts: ValueNoise,
    px: f64,
    surface: Surface,
}

impl CloseGeo {
    fn new(spec: CloseUp, w: f64, h: f64, seed: u64) -> CloseGeo {
        let mut rng = Rng::stream(seed, stream::GEOMETRY);
        let (sin, cos) = spec.axis_deg.to_radians().sin_cos();
        let c0 = [w / 2.0, h / 2.0];
        let span = (w * cos).abs() + (h * sin).abs();
        let r = spec.dome_radius.max(0.2) * w.max(h);
        // A background edge is the limb, crossing the centre line at `far_share`; with a hair edge the camera
        // faces the middle of the frame and the limb lies outside it.
        let frontal_u = match spec.far_edge {
            FarEdge::Background => spec.far_share + r / span,
            FarEdge::HairMass => 0.5,
        };
        let d = (frontal_u - 0.5) * span;
        let surface = Surface::Sphere { c: [c0[0] + cos * d, c0[1] + sin * d], r };
        CloseGeo {
            c0,
            axis: [cos, sin],
            span,
            spec,
            far_wiggle: Wiggle::random(&mut rng, 4, 0.035, 1.2),
            near_wiggle: Wiggle::random(&mut rng, 6, 0.06, 0.9),
            tufts: ValueNoise::new(rng.next_u64()),
            px: (w / 1000.0).min(h / 750.0),
            surface,
        }
    }

    /// Position along the axis (0 at the far edge, 1 at the near edge) and across it, in spans.
    fn uv(&self, p: [f64; 2]) -> (f64, f64) {
        let d = [p[0] - self.c0[0], p[1] - self.c0[1]];
        let along = d[0] * self.axis[0] + d[1] * self.axis[1];
        let across = -d[0] * self.axis[1] + d[1] * self.axis[0];
        (along / self.span + 0.5, across / self.span)
    }

    fn near_u(&self, v: f64) -> f64 {
        1.0 - self.spec.untreated_share + self.near_wiggle.at(v)
    }

    /// Position along the axis of the hair mass's edge at v.
    fn hair_u(&self, v: f64) -> f64 {
        let tuft = 0.006 * self.tufts.at(v * self.span / (16.0 * self.px), 0.5);
        self.spec.far_share + self.far_wiggle.at(v) + tuft
    }

    fn in_hair(&self, u: f64, v: f64) -> bool {
        self.spec.far_edge == FarEdge::HairMass && u < self.hair_u(v)
    }

    /// For a hair-mass edge: the scene point of the edge at `t` (0..1 across the frame) and the axis direction.
    pub fn hair_edge(&self, t: f64) -> Option<([f64; 2], [f64; 2])> {
        if self.spec.far_edge != FarEdge::HairMass {
            return None;
        }
        let v = (t - 0.5) * 1.6;
        let (along, across) = ((self.hair_u(v) - 0.5) * self.span, v * self.span);
        let p = [
            self.c0[0] + along * self.axis[0] - across * self.axis[1],
            self.c0[1] + along * self.axis[1] + across * self.axis[0],
        ];
        Some((p, self.axis))
    }

    fn sample(&self, p: [f64; 2]) -> Sample {
        let Some(s) = self.surface.lift(p) else {
            return Sample::flat(Material::Background, false);
        };
        let normal = self.surface.normal(s);
        let (u, v) = self.uv(p);
        let (material, zone) =
            if self.in_hair(u, v) { (Material::Hair, false) } else { (Material::Skin, u <= self.near_u(v)) };
        Sample { material, zone, normal, aux: 0.0, occlusion: 1.0 }
    }

    fn in_zone(&self, p: [f64; 2]) -> bool {
        if self.surface.lift(p).is_none() {
            return false;
        }
        let (u, v) = self.uv(p);
        !self.in_hair(u, v) && u <= self.near_u(v)
    }
}

/// The layout of a frame.
#[derive(Debug, Clone)]
pub(crate) enum Geometry {
    /// Flat skin; the zone is everything above `zone_bottom`.
    Flat {
        /// y of the zone's lower edge.
        zone_bottom: f64,
    },
    /// A close-up of a domed scalp.
    Close(CloseGeo),
    /// A whole head.
    Head(HeadGeo),
}

impl Geometry {
    /// The geometry of a framing for a `w` x `h` frame.
    pub fn new(framing: &Framing, w: usize, h: usize, seed: u64) -> Geometry {
        let (w, h) = (w as f64, h as f64);
        match framing {
            Framing::Flat { untreated_share } => {
                Geometry::Flat { zone_bottom: h * (1.0 - untreated_share.clamp(0.0, 1.0)) }
            }
            Framing::CloseUp(spec) => Geometry::Close(CloseGeo::new(*spec, w, h, seed)),
            Framing::WholeHead => Geometry::Head(HeadGeo::new(w, h, seed)),
        }
    }

    /// What the scene shows at `p`.
    pub fn sample(&self, p: [f64; 2]) -> Sample {
        match self {
            Geometry::Flat { zone_bottom } => Sample::flat(Material::Skin, p[1] < *zone_bottom),
            Geometry::Close(g) => g.sample(p),
            Geometry::Head(g) => g.sample(p),
        }
    }

    /// Whether `p` is in the treated zone (same answer as `sample(p).zone`, faster).
    pub fn in_zone(&self, p: [f64; 2]) -> bool {
        match self {
            Geometry::Flat { zone_bottom } => p[1] < *zone_bottom,
            Geometry::Close(g) => g.in_zone(p),
            Geometry::Head(g) => g.in_zone(p),
        }
    }

    /// Approximate distance in pixels from `p` to the zone's edge with untreated skin (for feathering dots).
    pub fn depth_in_zone(&self, p: [f64; 2]) -> f64 {
        match self {
            Geometry::Flat { zone_bottom } => zone_bottom - p[1],
            Geometry::Close(g) => {
                let (u, v) = g.uv(p);
                (g.near_u(v) - u) * g.span
            }
            Geometry::Head(g) => g.depth_in_zone(p),
        }
    }

    /// The surface carrying the dots.
    pub fn surface(&self) -> Surface {
        match self {
            Geometry::Flat { .. } => Surface::Flat,
            Geometry::Close(g) => g.surface,
            Geometry::Head(g) => g.surface(),
        }
    }

    /// Main direction of hair growth at `p`, in radians (image axes).
    pub fn flow(&self, p: [f64; 2]) -> f64 {
        match self {
            Geometry::Flat { .. } => std::f64::consts::FRAC_PI_2,
            Geometry::Close(g) => g.axis[1].atan2(g.axis[0]),
            Geometry::Head(g) => g.flow(p),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_up_has_background_zone_and_untreated_skin_along_the_axis() {
        let g = Geometry::new(&Framing::CloseUp(CloseUp::default()), 1000, 750, 1);
        assert_eq!(g.sample([500.0, 5.0]).material, Material::Background);
        assert!(g.sample([500.0, 375.0]).zone);
        let low = g.sample([500.0, 740.0]);
        assert!(low.material == Material::Skin && !low.zone);
    }
}
