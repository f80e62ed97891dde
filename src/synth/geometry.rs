/*!
Where things are in a synthetic photo: the scalp surface, the treated zone and the material under each point.

Everything is defined in scene coordinates: pixels of the nominal framing, x right, y down, with pixel (i, j)
covering [i, i+1) x [j, j+1). A [`View`] maps them to the pixels of one photo (the small camera moves of a series).
The scalp is seen in orthographic projection: flat, or a sphere whose visible hemisphere faces the camera (+z).
*/

use super::field::{ValueNoise, Wiggle};
use super::head::HeadGeo;
use super::params::{Camera, CloseUp, FarEdge, Framing};
use super::rng::{stream, Rng};

/// What a point of the scene shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
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

impl Material {
    /// Decodes the `repr(u8)` value stored in per-pixel buffers.
    pub fn from_u8(v: u8) -> Material {
        const ALL: [Material; 8] = [
            Material::Skin,
            Material::Hair,
            Material::Background,
            Material::Clothing,
            Material::Brow,
            Material::Beard,
            Material::Lips,
            Material::Eye,
        ];
        ALL.get(v as usize).copied().unwrap_or(Material::Background)
    }
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

/// The scalp surface on which dots lie.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Surface {
    /// The plane z = 0.
    Flat,
    /// A sphere of radius `r` centred at (c, 0).
    Sphere {
        /// Centre in scene coordinates.
        c: [f64; 2],
        /// Radius in scene pixels.
        r: f64,
    },
}

impl Surface {
    /// The visible surface point above scene point `p`, if any.
    pub fn lift(&self, p: [f64; 2]) -> Option<[f64; 3]> {
        match *self {
            Surface::Flat => Some([p[0], p[1], 0.0]),
            Surface::Sphere { c, r } => {
                let q = r * r - (p[0] - c[0]).powi(2) - (p[1] - c[1]).powi(2);
                (q > 0.0).then(|| [p[0], p[1], q.sqrt()])
            }
        }
    }

    /// Unit normal at a surface point.
    pub fn normal(&self, s: [f64; 3]) -> [f64; 3] {
        match *self {
            Surface::Flat => [0.0, 0.0, 1.0],
            Surface::Sphere { c, r } => [(s[0] - c[0]) / r, (s[1] - c[1]) / r, s[2] / r],
        }
    }

    /// Moves a point near the surface back onto its visible side.
    pub fn snap(&self, q: [f64; 3]) -> Option<[f64; 3]> {
        match *self {
            Surface::Flat => Some([q[0], q[1], 0.0]),
            Surface::Sphere { c, r } => {
                let v = [q[0] - c[0], q[1] - c[1], q[2]];
                let n = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt();
                let s = [c[0] + v[0] * r / n, c[1] + v[1] * r / n, v[2] * r / n];
                (n > 0.0 && s[2] > 0.0).then_some(s)
            }
        }
    }
}

/// Maps scene coordinates to the pixels of one photo: scale and rotation about the frame centre, then a shift.
#[derive(Debug, Clone, Copy)]
pub(crate) struct View {
    c0: [f64; 2],
    scale: f64,
    cos: f64,
    sin: f64,
    shift: [f64; 2],
}

impl View {
    /// The view of a camera for a frame of `w` x `h` pixels.
    pub fn new(cam: &Camera, w: usize, h: usize) -> View {
        let (sin, cos) = cam.rotation_deg.to_radians().sin_cos();
        View {
            c0: [w as f64 / 2.0, h as f64 / 2.0],
            scale: if cam.scale > 0.01 { cam.scale } else { 1.0 },
            cos,
            sin,
            shift: [cam.shift_x * w as f64, cam.shift_y * h as f64],
        }
    }

    /// Magnification from scene to image pixels.
    pub fn scale(&self) -> f64 {
        self.scale
    }

    /// Rotates a scene direction into the image.
    pub fn rotate(&self, v: [f64; 2]) -> [f64; 2] {
        [self.cos * v[0] - self.sin * v[1], self.sin * v[0] + self.cos * v[1]]
    }

    /// Scene point to image point.
    pub fn to_image(&self, p: [f64; 2]) -> [f64; 2] {
        let r = self.rotate([p[0] - self.c0[0], p[1] - self.c0[1]]);
        [
            self.c0[0] + self.scale * r[0] + self.shift[0],
            self.c0[1] + self.scale * r[1] + self.shift[1],
        ]
    }

    /// Image point to scene point.
    pub fn to_scene(&self, q: [f64; 2]) -> [f64; 2] {
        let d = [
            (q[0] - self.c0[0] - self.shift[0]) / self.scale,
            (q[1] - self.c0[1] - self.shift[1]) / self.scale,
        ];
        let r = [self.cos * d[0] + self.sin * d[1], -self.sin * d[0] + self.cos * d[1]];
        [self.c0[0] + r[0], self.c0[1] + r[1]]
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
        // The limb crosses the centre line at `far_share` for a background edge, beyond the frame for hair.
        let limb_u = match spec.far_edge {
            FarEdge::Background => spec.far_share,
            FarEdge::HairMass => -0.15,
        };
        let d = -span / 2.0 + limb_u * span + r;
        let surface = Surface::Sphere { c: [c0[0] + cos * d, c0[1] + sin * d], r };
        CloseGeo {
            c0,
            axis: [cos, sin],
            span,
            spec,
            far_wiggle: Wiggle::random(&mut rng, 4, 0.035, 1.2),
            near_wiggle: Wiggle::random(&mut rng, 4, 0.04, 1.0),
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

    fn in_hair(&self, u: f64, v: f64) -> bool {
        if self.spec.far_edge != FarEdge::HairMass {
            return false;
        }
        let tuft = 0.012 * self.tufts.fbm(v * self.span / (7.0 * self.px), 0.0, 2);
        u < self.spec.far_share + self.far_wiggle.at(v) + tuft
    }

    fn sample(&self, p: [f64; 2]) -> Sample {
        let Some(s) = self.surface.lift(p) else {
            return Sample::flat(Material::Background, false);
        };
        let normal = self.surface.normal(s);
        let (u, v) = self.uv(p);
        let (material, zone) = if self.in_hair(u, v) {
            (Material::Hair, false)
        } else {
            (Material::Skin, u <= self.near_u(v))
        };
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
    fn view_round_trips() {
        let cam = Camera { scale: 1.04, shift_x: 0.02, shift_y: -0.01, rotation_deg: 2.5 };
        let v = View::new(&cam, 400, 300);
        let p = [123.4, 56.7];
        let q = v.to_scene(v.to_image(p));
        assert!((q[0] - p[0]).abs() < 1e-9 && (q[1] - p[1]).abs() < 1e-9);
    }

    #[test]
    fn sphere_points_snap_back_onto_the_surface() {
        let s = Surface::Sphere { c: [100.0, 100.0], r: 80.0 };
        let p = s.lift([120.0, 90.0]).unwrap();
        let n = s.normal(p);
        assert!(((n[0] * n[0] + n[1] * n[1] + n[2] * n[2]) - 1.0).abs() < 1e-12);
        let q = s.snap([p[0] + 3.0, p[1], p[2] + 1.0]).unwrap();
        let d = ((q[0] - 100.0).powi(2) + (q[1] - 100.0).powi(2) + q[2] * q[2]).sqrt();
        assert!((d - 80.0).abs() < 1e-9);
    }

    #[test]
    fn close_up_has_background_zone_and_untreated_skin_along_the_axis() {
        let g = Geometry::new(&Framing::CloseUp(CloseUp::default()), 1000, 750, 1);
        assert_eq!(g.sample([500.0, 5.0]).material, Material::Background);
        assert!(g.sample([500.0, 375.0]).zone);
        let low = g.sample([500.0, 740.0]);
        assert!(low.material == Material::Skin && !low.zone);
    }
}
