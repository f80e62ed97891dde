/*!
The whole-head framing: a shaved head against a wall, front view from slightly above.

A spherical cranium carries the treated scalp above a receding hairline; below it an elliptical face with
eyebrows, eyes, lips and a stubble beard area; ears, a neck and dark clothing. All lengths are fractions of the
frame height `h` so the layout is the same at every size. Shading uses a smooth normal field: the cranium's sphere
normal on top, blending into a flatter face ellipsoid below.
*/

use super::field::{smoothstep, Wiggle};
use super::geometry::{Material, Sample};
use super::rng::{stream, Rng};
use super::surface::Surface;

/// Whole-head layout in scene coordinates.
#[derive(Debug, Clone)]
pub(crate) struct HeadGeo {
    cx: f64,
    h: f64,
    cranium_cy: f64,
    r: f64,
    face_cy: f64,
    face_ax: f64,
    face_ay: f64,
    hairline: Wiggle,
}

/// An eyebrow or the beard, for placing face-hair strokes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HairRegion {
    /// Bounding box [x0, y0, x1, y1].
    pub bbox: [f64; 4],
    /// The material the region is made of.
    pub material: Material,
    /// Main stroke direction in radians.
    pub flow: f64,
    /// Number of strokes.
    pub count: usize,
    /// Stroke length range in pixels.
    pub length: [f64; 2],
    /// Stroke transmittance range.
    pub transmittance: [f64; 2],
}

impl HeadGeo {
    /// The layout for a `w` x `h` frame.
    pub fn new(w: f64, h: f64, seed: u64) -> HeadGeo {
        let mut rng = Rng::stream(seed, stream::GEOMETRY);
        HeadGeo {
            cx: w / 2.0,
            h,
            cranium_cy: 0.36 * h,
            r: 0.26 * h,
            face_cy: 0.50 * h,
            face_ax: 0.215 * h,
            face_ay: 0.255 * h,
            hairline: Wiggle::random(&mut rng, 5, 0.03, 0.8),
        }
    }

    /// The cranium sphere, on which the scalp dots lie.
    pub fn surface(&self) -> Surface {
        Surface::Sphere { c: [self.cx, self.cranium_cy], r: self.r }
    }

    /// Half-width of the head silhouette at height y, blending cranium circle into face ellipse.
    fn half_width(&self, y: f64) -> Option<f64> {
        let crown = (self.r * self.r - (y - self.cranium_cy).powi(2)).max(0.0).sqrt();
        let fy = (y - self.face_cy) / self.face_ay;
        let face = self.face_ax * (1.0 - fy * fy).max(0.0).sqrt();
        let t = smoothstep(0.40 * self.h, 0.52 * self.h, y);
        let hw = crown * (1.0 - t) + face * t;
        (hw > 0.5).then_some(hw)
    }

    /// The hairline's height at x: scalp above it.
    fn hairline_y(&self, x: f64) -> f64 {
        let s = ((x - self.cx) / self.r).abs();
        let temple = 0.06 * (-((s - 0.42) / 0.12).powi(2)).exp();
        let sides = 0.58 * smoothstep(0.55, 0.97, s);
        let y = self.cranium_cy + self.r * (-0.43 - temple + sides + self.hairline.at(s));
        y.min(0.40 * self.h)
    }

    fn head_normal(&self, p: [f64; 2], hw: f64) -> [f64; 3] {
        let t = smoothstep(0.40 * self.h, 0.52 * self.h, p[1]);
        let ny_crown = (p[1] - self.cranium_cy) / self.r;
        let ny_face = 0.6 * (p[1] - self.face_cy) / self.face_ay;
        let ny = (ny_crown * (1.0 - t) + ny_face * t).clamp(-0.99, 0.99);
        let s = ((p[0] - self.cx) / hw).clamp(-1.0, 1.0);
        let c = (1.0 - ny * ny).sqrt();
        [c * s, ny, c * (1.0 - s * s).sqrt()]
    }

    /// Treated zone: the cranium above the hairline.
    pub fn in_zone(&self, p: [f64; 2]) -> bool {
        self.surface().lift(p).is_some() && p[1] < self.hairline_y(p[0])
    }

    /// Distance in pixels below p to the hairline.
    pub fn depth_in_zone(&self, p: [f64; 2]) -> f64 {
        self.hairline_y(p[0]) - p[1]
    }

    /// Hair grows down and outwards.
    pub fn flow(&self, p: [f64; 2]) -> f64 {
        std::f64::consts::FRAC_PI_2 - 0.8 * ((p[0] - self.cx) / self.r).clamp(-1.0, 1.0)
    }

    fn in_ellipse(p: [f64; 2], c: [f64; 2], a: f64, b: f64) -> f64 {
        ((p[0] - c[0]) / a).powi(2) + ((p[1] - c[1]) / b).powi(2)
    }

    fn in_brow(&self, p: [f64; 2]) -> bool {
        let h = self.h;
        let side = if p[0] < self.cx { -1.0 } else { 1.0 };
        let t = (p[0] - (self.cx + side * 0.088 * h)) / (0.058 * h);
        let line = 0.405 * h - 0.012 * h * (1.0 - t * t) + 0.006 * h * t * side;
        t.abs() < 1.0 && (p[1] - line).abs() < 0.011 * h * (1.0 - 0.45 * t * side).max(0.3)
    }

    /// The face feature at p (inside the head), with detail and occlusion.
    fn face_feature(&self, p: [f64; 2]) -> (Material, f64, f64) {
        let h = self.h;
        let side = if p[0] < self.cx { -1.0 } else { 1.0 };
        let eye_c = [self.cx + side * 0.088 * h, 0.447 * h];
        let eye = Self::in_ellipse(p, eye_c, 0.033 * h, 0.012 * h);
        let socket = Self::in_ellipse(p, eye_c, 0.06 * h, 0.035 * h);
        let nose = Self::in_ellipse(p, [self.cx, 0.572 * h], 0.045 * h, 0.018 * h);
        let chin = smoothstep(0.70 * h, 0.76 * h, p[1]);
        let occl = (1.0 - 0.14 * (1.0 - socket).max(0.0)) * (1.0 - 0.25 * (1.0 - nose).max(0.0)) * (1.0 - 0.15 * chin);
        if eye < 1.0 {
            let iris = ((p[0] - eye_c[0]).powi(2) + (p[1] - eye_c[1]).powi(2)).sqrt() / (0.011 * h);
            return (Material::Eye, iris, occl);
        }
        if self.in_brow(p) {
            return (Material::Brow, 0.0, occl);
        }
        if Self::in_ellipse(p, [self.cx, 0.637 * h], 0.05 * h, 0.014 * h) < 1.0 {
            return (Material::Lips, 0.0, occl);
        }
        let dx = (p[0] - self.cx) / (0.2 * h);
        if p[1] > 0.59 * h - 0.07 * h * dx * dx {
            return (Material::Beard, 0.0, occl);
        }
        (Material::Skin, 0.0, occl)
    }

    /// What the scene shows at p.
    pub fn sample(&self, p: [f64; 2]) -> Sample {
        let (h, dx) = (self.h, p[0] - self.cx);
        let drop = (p[1] - 0.8 * h).max(0.0) / (0.2 * h);
        let shoulder = 0.16 * h + 0.55 * h * drop.sqrt();
        if p[1] > 0.8 * h && dx.abs() < shoulder {
            return Sample::flat(Material::Clothing, false);
        }
        if let Some(hw) = self.half_width(p[1]).filter(|hw| dx.abs() < *hw) {
            let normal = self.head_normal(p, hw);
            if self.in_zone(p) {
                return Sample { material: Material::Skin, zone: true, normal, aux: 0.0, occlusion: 1.0 };
            }
            let (material, aux, occlusion) = self.face_feature(p);
            return Sample { material, zone: false, normal, aux, occlusion };
        }
        let ear_c = [self.cx + dx.signum() * 0.232 * h, 0.475 * h];
        if Self::in_ellipse(p, ear_c, 0.034 * h, 0.07 * h) < 1.0 {
            let normal = [dx.signum() * 0.55, 0.0, 0.835];
            return Sample { material: Material::Skin, zone: false, normal, aux: 0.0, occlusion: 0.8 };
        }
        if dx.abs() < 0.14 * h && p[1] > 0.6 * h {
            let s = dx / (0.14 * h);
            let normal = [s * 0.8, 0.0, (1.0 - 0.64 * s * s).sqrt()];
            return Sample { material: Material::Skin, zone: false, normal, aux: 0.0, occlusion: 0.62 };
        }
        Sample::flat(Material::Background, false)
    }

    /// The eyebrows and the beard, with their stroke counts and looks.
    pub fn hair_regions(&self) -> Vec<HairRegion> {
        let (h, cx) = (self.h, self.cx);
        let brow = |side: f64| HairRegion {
            bbox: [cx + side * 0.088 * h - 0.06 * h, 0.38 * h, cx + side * 0.088 * h + 0.06 * h, 0.42 * h],
            material: Material::Brow,
            flow: if side > 0.0 { -0.15 } else { std::f64::consts::PI + 0.15 },
            count: 260,
            length: [0.008 * h, 0.016 * h],
            transmittance: [0.12, 0.3],
        };
        let beard = HairRegion {
            bbox: [cx - 0.21 * h, 0.5 * h, cx + 0.21 * h, 0.76 * h],
            material: Material::Beard,
            flow: std::f64::consts::FRAC_PI_2,
            count: 2600,
            length: [0.004 * h, 0.009 * h],
            transmittance: [0.35, 0.6],
        };
        vec![brow(-1.0), brow(1.0), beard]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_has_zone_on_top_face_below_and_wall_around() {
        let g = HeadGeo::new(1000.0, 750.0, 1);
        assert!(g.sample([500.0, 120.0]).zone);
        assert_eq!(g.sample([500.0, 250.0]).material, Material::Skin);
        assert!(!g.sample([500.0, 250.0]).zone);
        assert_eq!(g.sample([500.0, 540.0]).material, Material::Beard);
        assert_eq!(g.sample([60.0, 100.0]).material, Material::Background);
        assert_eq!(g.sample([500.0, 740.0]).material, Material::Clothing);
        assert_eq!(g.sample([566.0, 335.0]).material, Material::Eye);
    }
}
