/*!
Shape descriptors of a measured dot, which tell a dot from a piece of hair and a sharp photo from a blurred one:
- blobness: the ratio of the smaller to the larger principal curvature of the lightness at the darkest point (a
  dot is a bowl, about 1; a hair is a trough, near 0);
- line run: how far darkness runs on along the dot's long axis past its edge (a dot ends at its edge);
- steepest slope: the largest lightness gradient at the dot's edge (its sharpness, once divided by its depth).
*/

use super::dot::Neighbourhood;
use super::plane::Plane;

/// Dark runs along the region's major axis beyond its edge, both ways (shorter first), up to 4 radii. A sample is
/// dark when `p` (the smoothed L*) is at least half the dot's depth (`bg - dark`) below the background.
///
/// Returns the runs as they are and the dot's own runs. For a dot cut out of a compound blob, `rivals` tells the
/// pixels nearer another of the blob's dot seeds than this dot's, and gives `p` at this dot's darkest pixel. A run
/// that enters such a pixel and turns light within a dot's width (`2r + 1`) of where it entered is that dot's
/// darkness: the dot's own run stops where it entered. Not so when the neighbour, read on `p` as this dot is, is
/// over twice as deep (this "dot" is then the faint bridge between two dots), nor when the run stops at the
/// frame's edge or at 4 radii (it did not end).
pub(super) fn line_run(
    p: &Plane,
    centre: (f64, f64),
    axis: f64,
    r: f64,
    bg: f32,
    dark: f32,
    rivals: Option<(&dyn Fn(usize) -> bool, f32)>,
) -> ([f32; 2], [f32; 2]) {
    let limit = (4.0 * r).max(4.0);
    let half = bg - 0.5 * (bg - dark);
    let (dx, dy) = (axis.cos(), axis.sin());
    let run = |sign: f64| {
        let mut t = r;
        // Where the run entered a neighbour's side, and the darkest sample from there on.
        let mut entered: Option<(f64, f32)> = None;
        let mut ended = false;
        while t < r + limit {
            let (x, y) = (centre.0 + sign * t * dx, centre.1 + sign * t * dy);
            if x < 0.0 || y < 0.0 || x >= (p.width - 1) as f64 || y >= (p.height - 1) as f64 {
                break;
            }
            let (px, py) = (x.round() as usize, y.round() as usize);
            let v = p.get(px, py);
            if v > half {
                ended = true;
                break;
            }
            match (&mut entered, rivals) {
                (Some((_, darkest)), _) => *darkest = darkest.min(v),
                (None, Some((elsewhere, _))) if elsewhere(py * p.width + px) => entered = Some((t, v)),
                _ => {}
            }
            t += 0.5;
        }
        let own = match (entered, rivals) {
            (Some((at, darkest)), Some((_, here)))
                if ended && t <= at + 2.0 * r + 1.0 && bg - darkest <= 2.0 * (bg - here) =>
            {
                at
            }
            _ => t,
        };
        ((t - r) as f32, (own - r) as f32)
    };
    let ((a, own_a), (b, own_b)) = (run(1.0), run(-1.0));
    ([a.min(b), a.max(b)], [own_a.min(own_b), own_a.max(own_b)])
}

/// Smaller over larger principal curvature of `p`'s neighbourhood (finite differences `k` px apart); 0 when the
/// point is not a minimum in every direction.
pub(super) fn blobness(p: &Plane, i: usize, k: usize) -> f32 {
    let (w, h) = (p.width as i64, p.height as i64);
    let (x, y, k) = ((i as i64) % w, (i as i64) / w, k as i64);
    let at = |dx: i64, dy: i64| p.data[((y + dy).clamp(0, h - 1) * w + (x + dx).clamp(0, w - 1)) as usize];
    let c = at(0, 0);
    let lxx = at(k, 0) - 2.0 * c + at(-k, 0);
    let lyy = at(0, k) - 2.0 * c + at(0, -k);
    let lxy = 0.25 * (at(k, k) - at(k, -k) - at(-k, k) + at(-k, -k));
    let (tr, det) = (lxx + lyy, lxx * lyy - lxy * lxy);
    let disc = (0.25 * tr * tr - det).max(0.0).sqrt();
    let (big, small) = (0.5 * tr + disc, 0.5 * tr - disc);
    if big <= 0.0 {
        return 0.0;
    }
    (small / big).max(0.0)
}

/// Largest central-difference gradient magnitude over a region's pixels and their neighbours (`near`), leaving out
/// the frame's outermost pixels. The square root is taken once, of the largest squared gradient (it keeps order).
pub(super) fn steepest_slope(l: &Plane, near: &Neighbourhood) -> f32 {
    let (w, h) = (l.width, l.height);
    let mut best = 0f32;
    for (x, y) in near.pixels() {
        if x == 0 || y == 0 || x + 1 >= w || y + 1 >= h {
            continue;
        }
        let gx = l.get(x + 1, y) - l.get(x - 1, y);
        let gy = l.get(x, y + 1) - l.get(x, y - 1);
        best = best.max(gx * gx + gy * gy);
    }
    0.5 * best.sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Skin of L* 60 with a dark disk (radius 3) at (20, 20) and a dark horizontal stroke along y = 40.
    fn disk_and_stroke() -> Plane {
        let (w, h) = (60, 50);
        let mut p = Plane::filled(w, h, 60.0);
        for y in 0..h {
            for x in 0..w {
                let d = ((x as f64 - 20.0).powi(2) + (y as f64 - 20.0).powi(2)).sqrt();
                let disk = (1.0 - (d - 3.0).clamp(0.0, 1.0)) * 30.0 * (1.0 - d / 8.0).max(0.3);
                let stroke = if (y as i64 - 40).abs() <= 1 && (5..55).contains(&x) {
                    25.0 - 8.0 * (y as f32 - 40.0).abs()
                } else {
                    0.0
                };
                p.data[y * w + x] = 60.0 - disk as f32 - stroke;
            }
        }
        p
    }

    #[test]
    fn a_disk_is_a_bowl_and_a_stroke_is_a_trough() {
        let p = disk_and_stroke();
        assert!(blobness(&p, 20 * 60 + 20, 3) > 0.8, "{}", blobness(&p, 20 * 60 + 20, 3));
        assert!(blobness(&p, 40 * 60 + 30, 3) < 0.1, "{}", blobness(&p, 40 * 60 + 30, 3));
        assert_eq!(blobness(&Plane::filled(9, 9, 50.0), 40, 2), 0.0);
    }

    #[test]
    fn darkness_ends_at_a_dot_and_runs_on_along_a_stroke() {
        let p = disk_and_stroke();
        let dot = line_run(&p, (20.0, 20.0), 0.0, 3.0, 60.0, 30.0, None).0;
        assert!(dot[1] <= 1.0, "{dot:?}");
        let stroke = line_run(&p, (30.0, 40.0), 0.0, 1.5, 60.0, 35.0, None).0;
        assert!(stroke[0] >= 5.9 && stroke[1] >= 5.9, "{stroke:?}");
    }

    /// Five rows of skin at L* 60, the middle one (y = 2) darkened by `depth(x)`.
    fn profile(w: usize, depth: impl Fn(usize) -> f32) -> Plane {
        let mut p = Plane::filled(w, 5, 60.0);
        for x in 0..w {
            p.data[2 * w + x] = 60.0 - depth(x);
        }
        p
    }

    /// The runs of a dot of radius 2 at (10, 2), whose darkest L* is `dark`, whose neighbour's seed sits at x = 14
    /// (its side: x >= 13, nearer 14 than 10), along the row `p`.
    fn runs_beside_a_neighbour_at_14(p: &Plane, dark: f32) -> ([f32; 2], [f32; 2]) {
        let w = p.width;
        let theirs = |j: usize| ((j % w) as f64 - 14.0).abs() < ((j % w) as f64 - 10.0).abs();
        line_run(p, (10.0, 2.0), 0.0, 2.0, 60.0, dark, Some((&theirs, dark)))
    }

    #[test]
    fn darkness_ending_in_a_touching_neighbour_is_not_the_dots_own_run() {
        // The dot (x 8-12) touching its neighbour (x 13-16), both 20 deep.
        let pair = profile(30, |x| if (8..=16).contains(&x) { 20.0 } else { 0.0 });
        let (run, own) = runs_beside_a_neighbour_at_14(&pair, 40.0);
        assert_eq!(run, [1.0, 4.5], "the run goes on through the neighbour");
        assert_eq!(own, [0.5, 1.0], "the dot's own run stops where the neighbour's side begins");
        // Found on its own (no neighbours to tell apart), the run is the dot's.
        assert_eq!(line_run(&pair, (10.0, 2.0), 0.0, 2.0, 60.0, 40.0, None), (run, run));
        // A neighbour over twice as deep as this dot (8 deep: a faint bridge), even if only past where the run
        // entered its side: the run is the bridge's own.
        let bridge = profile(30, |x| match x {
            8..=13 => 8.0,
            14..=16 => 20.0,
            _ => 0.0,
        });
        let (run, own) = runs_beside_a_neighbour_at_14(&bridge, 52.0);
        assert_eq!(own, run);
        assert!(run[1] >= 4.0, "{run:?}");
        // Darkness going on for more than a dot's width (2r + 1 = 5 px) past where it entered: a stroke, not a dot.
        let stroke = profile(30, |x| if (8..=19).contains(&x) { 20.0 } else { 0.0 });
        let (run, own) = runs_beside_a_neighbour_at_14(&stroke, 40.0);
        assert_eq!(own, run);
        assert_eq!(run[1], 7.5);
        // Cut by the frame's edge, the darkness did not end: no telling it is a dot.
        let at_the_edge = profile(16, |x| if x >= 8 { 20.0 } else { 0.0 });
        let (run, own) = runs_beside_a_neighbour_at_14(&at_the_edge, 40.0);
        assert_eq!(own, run);
    }

    #[test]
    fn steepest_slope_of_a_unit_step_is_half_its_height_per_pixel() {
        let mut p = Plane::filled(8, 8, 50.0);
        for y in 0..8 {
            for x in 4..8 {
                p.data[y * 8 + x] = 30.0;
            }
        }
        let region: Vec<usize> = (0..8).flat_map(|y| (4..8).map(move |x| y * 8 + x)).collect();
        let mut near = Neighbourhood::default();
        near.mark(&region, 8, 8);
        assert_eq!(steepest_slope(&p, &near), 10.0);
    }
}
