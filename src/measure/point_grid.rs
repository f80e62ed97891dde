/*!
Points (dot centres) on a grid of square cells, for the nearest-neighbour questions several stages ask: the dot
spacing, a dot's nearest dots, the squeeze of the dots around one seen at a slant.

The indices are sorted by cell once (a counting sort, keeping their order within a cell), so a query reads the
3 x 3 cells around a point from one array: no hashing, no allocation (the hashed cells of the dot spacing took
65 ms of a 12 MP close-up, these 16-21 ms). With cells at least as wide as the distance asked about, those cells
hold every point within it.
*/

/// Point indices sorted by cell, with each cell's start. Cell (i, j) holds the points with
/// `floor(x / cell) = i0 + i` and `floor(y / cell) = j0 + j`, `(i0, j0)` the cell of the smallest coordinates.
#[derive(Debug, Clone)]
pub struct PointGrid {
    cell: f32,
    origin: [i64; 2],
    columns: usize,
    rows: usize,
    starts: Vec<u32>,
    order: Vec<u32>,
}

impl PointGrid {
    /// The grid of `points` with square cells `cell` wide (at least 1 px). The cells span the points' bounding box:
    /// the points are dot centres inside a frame (cells of 4 px and more over a 12 MP frame: under a million).
    pub fn new(points: &[[f32; 2]], cell: f32) -> PointGrid {
        debug_assert!(points.iter().flatten().all(|v| v.is_finite()), "dot centres are finite");
        let cell = cell.max(1.0);
        let key = |v: f32| (v / cell).floor() as i64;
        let (mut lo, mut hi) = ([i64::MAX; 2], [i64::MIN; 2]);
        for p in points {
            for k in 0..2 {
                (lo[k], hi[k]) = (lo[k].min(key(p[k])), hi[k].max(key(p[k])));
            }
        }
        let origin = if points.is_empty() { [0; 2] } else { lo };
        let (columns, rows) =
            if points.is_empty() { (0, 0) } else { ((hi[0] - lo[0] + 1) as usize, (hi[1] - lo[1] + 1) as usize) };
        let mut grid = PointGrid {
            cell,
            origin,
            columns,
            rows,
            starts: vec![0; columns * rows + 1],
            order: vec![0; points.len()],
        };
        let cell_of = |g: &PointGrid, p: &[f32; 2]| {
            (key(p[1]) - g.origin[1]) as usize * g.columns + (key(p[0]) - g.origin[0]) as usize
        };
        for p in points {
            let c = cell_of(&grid, p);
            grid.starts[c + 1] += 1;
        }
        for c in 0..columns * rows {
            grid.starts[c + 1] += grid.starts[c];
        }
        let mut fill = grid.starts.clone();
        for (k, p) in points.iter().enumerate() {
            let c = cell_of(&grid, p);
            grid.order[fill[c] as usize] = k as u32;
            fill[c] += 1;
        }
        grid
    }

    /// The range of the grid's columns (or rows, `axis` 1) within one cell of coordinate `v`'s cell; empty when
    /// none is.
    fn span(&self, v: f32, axis: usize) -> std::ops::Range<usize> {
        let n = [self.columns, self.rows][axis] as i64;
        let c = (v / self.cell).floor() as i64 - self.origin[axis];
        let (a, b) = ((c - 1).clamp(0, n), (c + 2).clamp(0, n));
        a as usize..b as usize
    }

    /// Indices of the points in the 3 x 3 cells around (x, y)'s cell, row by row of cells, in their order within
    /// each cell; the point itself among them when it is one of the grid's.
    pub fn near(&self, x: f32, y: f32) -> impl Iterator<Item = usize> + '_ {
        let xs = self.span(x, 0);
        self.span(y, 1).flat_map(move |row| {
            let cells = if xs.is_empty() { 0..0 } else { row * self.columns + xs.start..row * self.columns + xs.end };
            let (a, b) = (self.starts[cells.start] as usize, self.starts[cells.end] as usize);
            self.order[a..b].iter().map(|&k| k as usize)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::PointGrid;

    #[test]
    fn near_gives_every_point_within_a_cell_and_none_beyond_two() {
        // A jittered lattice, with points left of and above the frame's corner.
        let points: Vec<[f32; 2]> = (0..400)
            .map(|k| [(k % 20) as f32 * 3.7 + ((k * 7919) % 13) as f32 * 0.2 - 1.0, (k / 20) as f32 * 4.1 - 0.5])
            .collect();
        let grid = PointGrid::new(&points, 5.0);
        for (i, p) in points.iter().enumerate() {
            let mut near: Vec<usize> = grid.near(p[0], p[1]).collect();
            near.sort_unstable();
            let dist = |j: usize| (points[j][0] - p[0]).hypot(points[j][1] - p[1]);
            let mut want: Vec<usize> = (0..points.len()).filter(|&j| dist(j) <= 5.0).collect();
            want.retain(|j| !near.contains(j));
            assert!(want.is_empty(), "point {i}: missing {want:?}");
            assert!(near.contains(&i));
            // The 3 x 3 cells of 5 px around a point's cell reach at most two cells' diagonal from it.
            assert!(near.iter().all(|&j| dist(j) <= 2.0 * 5.0 * 2f32.sqrt()), "point {i}");
        }
    }

    #[test]
    fn a_point_beyond_the_grid_sees_only_the_cells_next_to_its_own() {
        let grid = PointGrid::new(&[[1.0, 1.0], [11.0, 1.0], [21.0, 1.0], [-9.0, 1.0]], 10.0);
        let near = |x: f32| grid.near(x, 1.0).collect::<Vec<_>>();
        // Cell 3 (x 30-40) reaches cells 2-4: only the point in cell 2.
        assert_eq!(near(35.0), vec![2]);
        assert!(near(45.0).is_empty());
        // Cell -2 reaches cells -3 to -1: the point at -9.
        assert_eq!(near(-15.0), vec![3]);
        assert_eq!(near(1.0), vec![3, 0, 1]);
    }

    #[test]
    fn an_empty_grid_has_no_neighbours() {
        let grid = PointGrid::new(&[], 4.0);
        assert_eq!(grid.near(3.0, 3.0).count(), 0);
    }
}
