/*!
Antialiased shapes: irregular foreshortened disks (dots, pores) and capsules (hairs).

Only the pixels a shape touches are visited, and only pixels its outline crosses are supersampled (4 x 4), so a
4000 x 3000 frame costs no more than its shapes. A dot is a disk in the skin's tangent plane whose radius wobbles
with a few low-order harmonics; orthographic projection squeezes it by `nz` along the direction towards the limb,
so its projected area is exactly pi r^2 (1 + sum a_k^2 / 2) nz.
*/

/// Supersamples per axis on edge pixels.
const SS: usize = 4;

/// A shape that can report how much of a pixel it covers.
pub(crate) trait Shape {
    /// Image-space bounding box [x0, y0, x1, y1].
    fn bbox(&self) -> [f64; 4];
    /// Whether the image point (x, y) is inside.
    fn contains(&self, x: f64, y: f64) -> bool;
    /// Quick answer for the pixel whose centre is (x, y): `Some(coverage)` when certainly full or empty.
    fn quick(&self, x: f64, y: f64) -> Option<f32>;
}

/// An irregular disk on the skin, projected into the image.
#[derive(Debug, Clone)]
pub(crate) struct Blob {
    /// Centre in image pixels.
    pub c: [f64; 2],
    /// Mean radius in the tangent plane, in image pixels.
    pub r: f64,
    /// Image direction towards the limb (unit); the squeezed axis.
    pub er: [f64; 2],
    /// Cosine of the angle between the skin normal and the view direction.
    pub nz: f64,
    /// Harmonics k = 2, 3, 4, 5 of the outline as (a cos phase, a sin phase), a the relative amplitude.
    harm: [[f64; 2]; 4],
    /// Sum of the harmonics' amplitudes: the outline stays within r (1 +- wobble).
    wobble: f64,
}

impl Blob {
    /// A blob; `harm` holds the relative amplitude and phase of harmonics k = 2, 3, 4, 5 of its outline.
    pub fn new(c: [f64; 2], r: f64, er: [f64; 2], nz: f64, harm: [[f64; 2]; 4]) -> Blob {
        let wobble = harm.iter().map(|h| h[0].abs()).sum();
        let harm = harm.map(|[a, ph]| [a * ph.cos(), a * ph.sin()]);
        Blob { c, r, er, nz, harm, wobble }
    }

    fn wobble(&self) -> f64 {
        self.wobble
    }

    /// Largest distance of the projected outline from the centre, pixels.
    pub fn outer_radius(&self) -> f64 {
        self.r * (1.0 + self.wobble)
    }

    /// Share of the square of side `side` centred on (x, y) inside the outline. Exact when the square is certainly
    /// inside or outside; near the outline, the share cut off by its tangent at the point of the outline in the
    /// square's direction (the outline's curvature is negligible over the square); near the centre, or for squares
    /// as large as the blob, from `sub` x `sub` samples.
    pub fn share(&self, x: f64, y: f64, side: f64, sub: usize) -> f32 {
        let (ut, ur) = self.local(x, y);
        let rho2 = ut * ut + ur * ur;
        let nz = self.nz.max(0.05);
        // The square lies within `margin` of its centre in the outline's undistorted frame.
        let margin = side * std::f64::consts::FRAC_1_SQRT_2 / nz;
        let (lo, hi) = (self.r * (1.0 - self.wobble) - margin, self.r * (1.0 + self.wobble) + margin);
        if lo > 0.0 && rho2 < lo * lo {
            return 1.0;
        }
        if rho2 > hi * hi {
            return 0.0;
        }
        let rho = rho2.sqrt();
        if rho < 4.0 * margin {
            return self.sampled(x, y, side, sub);
        }
        let (c, s) = (ut / rho, ur / rho);
        let (edge, slope) = self.radius_slope_at(c, s);
        // F = rho - R(direction): its gradient in the undistorted frame, then in the image.
        let (gt, gr) = (c + slope * s / rho, s - slope * c / rho);
        let gx = -gt * self.er[1] + gr * self.er[0] / nz;
        let gy = gt * self.er[0] + gr * self.er[1] / nz;
        let g = (gx * gx + gy * gy).sqrt();
        square_share((edge - rho) / (g * side), gx.abs().max(gy.abs()) / g, gx.abs().min(gy.abs()) / g)
    }

    /// Share of the square of side `side` centred on (x, y) inside the outline from `sub` x `sub` samples.
    fn sampled(&self, x: f64, y: f64, side: f64, sub: usize) -> f32 {
        let mut hits = 0;
        for sy in 0..sub {
            for sx in 0..sub {
                let ox = ((sx as f64 + 0.5) / sub as f64 - 0.5) * side;
                let oy = ((sy as f64 + 0.5) / sub as f64 - 0.5) * side;
                hits += self.contains(x + ox, y + oy) as usize;
            }
        }
        hits as f32 / (sub * sub).max(1) as f32
    }

    /// Outline radius in the direction (cos t, sin t) and its derivative with respect to t.
    fn radius_slope_at(&self, cos: f64, sin: f64) -> (f64, f64) {
        let (mut zr, mut zi) = (cos * cos - sin * sin, 2.0 * cos * sin);
        let (mut rel, mut d) = (0.0, 0.0);
        for (k, [ac, as_]) in self.harm.iter().enumerate() {
            rel += ac * zr - as_ * zi;
            d -= (k + 2) as f64 * (ac * zi + as_ * zr);
            (zr, zi) = (zr * cos - zi * sin, zr * sin + zi * cos);
        }
        (self.r * (1.0 + rel), self.r * d)
    }

    fn local(&self, x: f64, y: f64) -> (f64, f64) {
        let (dx, dy) = (x - self.c[0], y - self.c[1]);
        let ut = -dx * self.er[1] + dy * self.er[0];
        let ur = (dx * self.er[0] + dy * self.er[1]) / self.nz.max(0.05);
        (ut, ur)
    }

    /// Outline radius in the direction (cos t, sin t): sum of a_k cos(k t + phase_k), with cos(k t) and
    /// sin(k t) from complex powers rather than trigonometric calls.
    fn radius_at(&self, cos: f64, sin: f64) -> f64 {
        let (mut zr, mut zi) = (cos * cos - sin * sin, 2.0 * cos * sin);
        let mut rel = 0.0;
        for [ac, as_] in self.harm {
            rel += ac * zr - as_ * zi;
            (zr, zi) = (zr * cos - zi * sin, zr * sin + zi * cos);
        }
        self.r * (1.0 + rel)
    }

    /// Exact area of the projected outline in square pixels.
    pub fn area(&self) -> f64 {
        let sq: f64 = self.harm.iter().map(|h| h[0] * h[0] + h[1] * h[1]).sum();
        std::f64::consts::PI * self.r * self.r * (1.0 + sq / 2.0) * self.nz.max(0.05)
    }
}

impl Shape for Blob {
    fn bbox(&self) -> [f64; 4] {
        let r = self.r * (1.0 + self.wobble()) + 1.0;
        [self.c[0] - r, self.c[1] - r, self.c[0] + r, self.c[1] + r]
    }

    fn contains(&self, x: f64, y: f64) -> bool {
        let (ut, ur) = self.local(x, y);
        let rho2 = ut * ut + ur * ur;
        let w = self.wobble();
        if rho2 > (self.r * (1.0 + w)).powi(2) {
            return false;
        }
        if rho2 <= (self.r * (1.0 - w)).powi(2) {
            return true;
        }
        let rho = rho2.sqrt();
        rho <= self.radius_at(ut / rho, ur / rho)
    }

    fn quick(&self, x: f64, y: f64) -> Option<f32> {
        let (ut, ur) = self.local(x, y);
        let rho = ut.hypot(ur);
        let margin = std::f64::consts::FRAC_1_SQRT_2 / self.nz.max(0.05);
        let w = self.wobble();
        if rho + margin < self.r * (1.0 - w) {
            Some(1.0)
        } else if rho - margin > self.r * (1.0 + w) {
            Some(0.0)
        } else {
            None
        }
    }
}

/// Share of the unit square centred on the origin where n . p < d, for a unit normal n with |components| a >= b.
fn square_share(d: f64, a: f64, b: f64) -> f32 {
    let h = 0.5 * (a + b);
    let v = if d <= -h {
        0.0
    } else if d >= h {
        1.0
    } else if d < b - h {
        (d + h).powi(2) / (2.0 * a * b)
    } else if d > h - b {
        1.0 - (h - d).powi(2) / (2.0 * a * b)
    } else {
        0.5 + d / a
    };
    v as f32
}

/// A straight hair: the points within `hw` of the segment a-b.
#[derive(Debug, Clone)]
pub(crate) struct Capsule {
    /// Root in image pixels.
    pub a: [f64; 2],
    /// Tip in image pixels.
    pub b: [f64; 2],
    /// Half the width in pixels.
    pub hw: f64,
}

impl Capsule {
    fn dist(&self, x: f64, y: f64) -> f64 {
        let (vx, vy) = (self.b[0] - self.a[0], self.b[1] - self.a[1]);
        let (px, py) = (x - self.a[0], y - self.a[1]);
        let len2 = vx * vx + vy * vy;
        let t = if len2 > 0.0 { ((px * vx + py * vy) / len2).clamp(0.0, 1.0) } else { 0.0 };
        (px - t * vx).hypot(py - t * vy)
    }
}

impl Shape for Capsule {
    fn bbox(&self) -> [f64; 4] {
        let m = self.hw + 1.0;
        [
            self.a[0].min(self.b[0]) - m,
            self.a[1].min(self.b[1]) - m,
            self.a[0].max(self.b[0]) + m,
            self.a[1].max(self.b[1]) + m,
        ]
    }

    fn contains(&self, x: f64, y: f64) -> bool {
        self.dist(x, y) <= self.hw
    }

    fn quick(&self, x: f64, y: f64) -> Option<f32> {
        let d = self.dist(x, y);
        let m = std::f64::consts::FRAC_1_SQRT_2;
        if d + m < self.hw {
            Some(1.0)
        } else if d - m > self.hw {
            Some(0.0)
        } else {
            None
        }
    }
}

/// Calls `f(pixel index, coverage)` for every pixel of a `w` x `h` frame the shape covers (coverage > 0).
pub(crate) fn raster(shape: &impl Shape, w: usize, h: usize, mut f: impl FnMut(usize, f32)) {
    let b = shape.bbox();
    let x0 = b[0].floor().max(0.0) as usize;
    let y0 = b[1].floor().max(0.0) as usize;
    let x1 = (b[2].ceil().max(0.0) as usize).min(w);
    let y1 = (b[3].ceil().max(0.0) as usize).min(h);
    for py in y0..y1 {
        for px in x0..x1 {
            let (cx, cy) = (px as f64 + 0.5, py as f64 + 0.5);
            let cov = shape.quick(cx, cy).unwrap_or_else(|| {
                let mut n = 0;
                for sy in 0..SS {
                    for sx in 0..SS {
                        let x = px as f64 + (sx as f64 + 0.5) / SS as f64;
                        let y = py as f64 + (sy as f64 + 0.5) / SS as f64;
                        n += shape.contains(x, y) as usize;
                    }
                }
                n as f32 / (SS * SS) as f32
            });
            if cov > 0.0 {
                f(py * w + px, cov);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rasterised_area_matches_the_exact_area() {
        let harm = [[0.06, 0.3], [0.04, 1.0], [0.02, 2.0], [0.01, 0.5]];
        let blob = Blob::new([40.3, 30.7], 9.0, [0.6, 0.8], 0.55, harm);
        // The outline by recurrence equals the outline by cosines.
        for i in 0..50 {
            let t = i as f64 * 0.37;
            let direct: f64 = harm.iter().enumerate().map(|(k, [a, ph])| a * ((k + 2) as f64 * t + ph).cos()).sum();
            assert!((blob.radius_at(t.cos(), t.sin()) - 9.0 * (1.0 + direct)).abs() < 1e-9);
        }
        let mut sum = 0.0;
        raster(&blob, 100, 80, |_, c| sum += c as f64);
        assert!((sum - blob.area()).abs() / blob.area() < 0.01, "{sum} vs {}", blob.area());
        let hair = Capsule { a: [10.0, 10.0], b: [30.0, 25.0], hw: 0.5 };
        let mut s = 0.0;
        raster(&hair, 100, 80, |_, c| s += c as f64);
        let exact = 25.0 * 1.0 + std::f64::consts::PI * 0.25;
        assert!((s - exact).abs() / exact < 0.05, "{s} vs {exact}");
    }
}
