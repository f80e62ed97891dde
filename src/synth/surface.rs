/*!
The scalp surface and the camera of one photo.

Orthographic projection along z: a scene point (x, y) shows the surface point (x, y, z) facing the camera (+z).
A [`View`] maps scene coordinates (pixels of the nominal framing) to the pixels of one photo of a series.
*/

use super::params::Camera;

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
    pub fn to_image(self, p: [f64; 2]) -> [f64; 2] {
        let r = self.rotate([p[0] - self.c0[0], p[1] - self.c0[1]]);
        [self.c0[0] + self.scale * r[0] + self.shift[0], self.c0[1] + self.scale * r[1] + self.shift[1]]
    }

    /// Image point to scene point.
    pub fn to_scene(self, q: [f64; 2]) -> [f64; 2] {
        let d = [(q[0] - self.c0[0] - self.shift[0]) / self.scale, (q[1] - self.c0[1] - self.shift[1]) / self.scale];
        let r = [self.cos * d[0] + self.sin * d[1], -self.sin * d[0] + self.cos * d[1]];
        [self.c0[0] + r[0], self.c0[1] + r[1]]
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
}
