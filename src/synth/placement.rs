/*!
Poisson-disc placement of points on the scalp surface (SMP artists place dots irregularly, never on a grid).

Bridson's algorithm ("Fast Poisson disk sampling in arbitrary dimensions", SIGGRAPH 2007 sketches) run on the
surface itself: candidates are generated in the tangent plane of an active point and snapped back onto the
sphere, and the minimum distance is measured in 3-D. So dots are uniform on the dome and, once projected, crowd
together towards the limb as real dots do. Conflicts are found with a 2-D grid over the projection (a 3-D distance
below `d` implies a projected distance below `d`). Random darts restart the growth in parts of the zone the front
has not reached.
*/

use super::rng::Rng;
use super::surface::Surface;

/// Candidates tried around an active point before it retires.
const TRIES: usize = 20;

struct Grid {
    x0: f64,
    y0: f64,
    cell: f64,
    nx: usize,
    ny: usize,
    cells: Vec<Vec<u32>>,
}

impl Grid {
    fn new(bbox: [f64; 4], cell: f64) -> Grid {
        let nx = (((bbox[2] - bbox[0]) / cell).ceil() as usize).max(1);
        let ny = (((bbox[3] - bbox[1]) / cell).ceil() as usize).max(1);
        Grid { x0: bbox[0], y0: bbox[1], cell, nx, ny, cells: vec![Vec::new(); nx * ny] }
    }

    fn index(&self, p: [f64; 3]) -> Option<(usize, usize)> {
        let gx = ((p[0] - self.x0) / self.cell).floor();
        let gy = ((p[1] - self.y0) / self.cell).floor();
        (gx >= 0.0 && gy >= 0.0 && (gx as usize) < self.nx && (gy as usize) < self.ny)
            .then_some((gx as usize, gy as usize))
    }

    fn conflicts(&self, p: [f64; 3], pts: &[[f64; 3]], d2: f64) -> bool {
        let Some((gx, gy)) = self.index(p) else { return true };
        for y in gy.saturating_sub(1)..(gy + 2).min(self.ny) {
            for x in gx.saturating_sub(1)..(gx + 2).min(self.nx) {
                for &i in &self.cells[y * self.nx + x] {
                    let q = pts[i as usize];
                    let dd = (p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2) + (p[2] - q[2]).powi(2);
                    if dd < d2 {
                        return true;
                    }
                }
            }
        }
        false
    }
}

fn tangent_basis(n: [f64; 3]) -> ([f64; 3], [f64; 3]) {
    let a = if n[0].abs() < 0.9 { [1.0, 0.0, 0.0] } else { [0.0, 1.0, 0.0] };
    let t1 = cross(n, a);
    let len = (t1[0] * t1[0] + t1[1] * t1[1] + t1[2] * t1[2]).sqrt();
    let t1 = [t1[0] / len, t1[1] / len, t1[2] / len];
    (t1, cross(n, t1))
}

fn cross(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]
}

/// What to place and where.
pub(crate) struct Placement<'a> {
    /// The surface carrying the points.
    pub surface: Surface,
    /// Region of the projection [x0, y0, x1, y1] to fill.
    pub bbox: [f64; 4],
    /// Minimum 3-D distance between points.
    pub d_min: f64,
    /// Whether a projected point may carry a point.
    pub accept: &'a (dyn Fn([f64; 2]) -> bool + Sync),
    /// Safety cap on the number of points.
    pub max_points: usize,
}

struct State<'p, 'a> {
    job: &'p Placement<'a>,
    grid: Grid,
    pts: Vec<[f64; 3]>,
    active: Vec<usize>,
}

impl State<'_, '_> {
    fn try_add(&mut self, p: [f64; 3]) -> bool {
        let inside =
            p[0] >= self.job.bbox[0] && p[0] < self.job.bbox[2] && p[1] >= self.job.bbox[1] && p[1] < self.job.bbox[3];
        let d2 = self.job.d_min * self.job.d_min;
        if !inside || !(self.job.accept)([p[0], p[1]]) || self.grid.conflicts(p, &self.pts, d2) {
            return false;
        }
        if let Some((gx, gy)) = self.grid.index(p) {
            self.grid.cells[gy * self.grid.nx + gx].push(self.pts.len() as u32);
            self.active.push(self.pts.len());
            self.pts.push(p);
        }
        true
    }

    fn grow(&mut self, rng: &mut Rng) {
        while !self.active.is_empty() && self.pts.len() < self.job.max_points {
            let slot = rng.below(self.active.len());
            let p = self.pts[self.active[slot]];
            let (t1, t2) = tangent_basis(self.job.surface.normal(p));
            let found = (0..TRIES).any(|_| {
                let rho = self.job.d_min * rng.range(1.0, 2.0);
                let (s, c) = rng.range(0.0, std::f64::consts::TAU).sin_cos();
                let q = std::array::from_fn(|k| p[k] + rho * (c * t1[k] + s * t2[k]));
                self.job.surface.snap(q).is_some_and(|q| self.try_add(q))
            });
            if !found {
                self.active.swap_remove(slot);
            }
        }
    }

    fn dart(&mut self, rng: &mut Rng) -> bool {
        let b = self.job.bbox;
        let p = [rng.range(b[0], b[2]), rng.range(b[1], b[3])];
        self.job.surface.lift(p).is_some_and(|s| self.try_add(s))
    }
}

/// Points on the surface (3-D), at least `d_min` apart, filling the accepted part of the box.
pub(crate) fn poisson(job: &Placement<'_>, rng: &mut Rng) -> Vec<[f64; 3]> {
    if job.d_min.is_nan() || job.d_min <= 0.0 || job.bbox[2] <= job.bbox[0] || job.bbox[3] <= job.bbox[1] {
        return Vec::new();
    }
    let mut st = State { job, grid: Grid::new(job.bbox, job.d_min), pts: Vec::new(), active: Vec::new() };
    loop {
        // A round of darts finds regions the growth has not reached (or the first seed).
        let mut found = false;
        for _ in 0..400 {
            if st.dart(rng) {
                found = true;
                break;
            }
        }
        if !found || st.pts.len() >= job.max_points {
            break;
        }
        st.grow(rng);
    }
    st.pts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_points_keep_their_distance_and_fill_the_region() {
        let accept = |p: [f64; 2]| p[1] < 80.0;
        let job = Placement {
            surface: Surface::Flat,
            bbox: [0.0, 0.0, 100.0, 100.0],
            d_min: 6.0,
            accept: &accept,
            max_points: 100_000,
        };
        let pts = poisson(&job, &mut Rng::new(3));
        for (i, a) in pts.iter().enumerate() {
            assert!(a[1] < 80.0);
            for b in &pts[i + 1..] {
                assert!((a[0] - b[0]).hypot(a[1] - b[1]) >= 6.0 - 1e-9);
            }
        }
        // Maximal Poisson-disc sets have a density near 0.7 / d^2.
        let density = pts.len() as f64 / 8000.0 * 36.0;
        assert!((0.55..0.85).contains(&density), "{density}");
    }
}
