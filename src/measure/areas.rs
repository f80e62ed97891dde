/*!
Where to measure: the treated area (skin carrying the dot pattern) and the untreated reference skin.

The treated area is found from the dots themselves, because whatever else a photo shows (wall, face, ears,
eyebrows, beard, clothing, hair) carries no SMP pattern:
1. The dot spacing `s` is the median nearest-neighbour distance between dots.
2. A dot belongs to the pattern when at least 15% of the photo's median number of dots lie within `2.5 s` of it:
   isolated false dots (a pore, a freckle) drop out.
3. The pattern's extent is the union of disks of radius `0.75 s` around those dots (on a grid of about `s / 3`
   pixels, no finer than about a million cells), with gaps up to `3 s` wide bridged (a row of dots a little
   farther apart stays part of the pattern):
   its connected part holding the most dots found on their own (a stubble beard's "dots" are knots cut
   out of hair networks), closed with a disk of `4 s` (gaps between dots and patches of lost dots opening onto its
   edge join it) and with its holes filled (a patch of lost dots stays inside the area).
   Skin within one dot pitch (`1.3 s`) of hair attached to a dark mass (the loose strands along a hair mass) is a
   hair fringe and is left out: dots under strands cannot be measured.
4. Grid cells (each with the CIELAB of its mean linear RGB) are kept only where the colour is skin-like (chroma at
   least 4, hue angle 0-100 degrees) and not a dark mass (L* at least 55% of the brightest cell within 5 spacings:
   hair masses and eyebrows are abruptly darker than the skin beside them, the dome's shading darkens gradually;
   where it falls steeply, near the silhouette, a cell is skin when it is at least 70% as light as the skin around
   the dots found within `0.75 s` of it); pixels with a clipped channel (>= 250: shine, blown highlights), closed
   with a disk a dot wide so dots inside a highlight go with it, are left out.
5. Under a strong colour cast (the dotted skin's typical colour outside the range of skin, see [`Tint`]) the cells'
   colours are judged through the white balance that takes the cast out.

Untreated reference skin: grid cells of skin colour (chroma >= 6, a* >= 3.5, hue 15-80 degrees: skin always has
some red from blood, a beige wall or wood does not; and at least `UNTREATED_MIN_RED_SHARE` (0.35) of the treated skin's
a* per unit of L*: a white wall under a warm lamp has pale skin's hue) with a mean L* within 0.6-1.4
times the treated area's, farther than 3% of the image diagonal from the treated area and from any other dotted
region (a beard), unclipped. `redness_delta_a` needs at least [`MIN_UNTREATED_FRACTION`] of the frame of it.
*/

use image::{GrayImage, Luma, RgbImage};
use imageproc::region_labelling::{connected_components, Connectivity};

use super::boxsum::{box_mean, box_sum};
use super::classify::median;
use super::dot::Dot;
use super::plane::Colour;
use super::point_grid::PointGrid;
use crate::colour::{lab_to_linear_rgb, Lab};

/// Least share of the frame that untreated reference skin must cover for `redness_delta_a`.
pub const MIN_UNTREATED_FRACTION: f64 = 0.02;

/// A region of interest as fractions of width and height.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Roi {
    /// Left edge, fraction of the width.
    pub x: f64,
    /// Top edge, fraction of the height.
    pub y: f64,
    /// Width, fraction of the width.
    pub w: f64,
    /// Height, fraction of the height.
    pub h: f64,
}

impl Roi {
    fn contains(&self, x: usize, y: usize, width: usize, height: usize) -> bool {
        let (fx, fy) = ((x as f64 + 0.5) / width as f64, (y as f64 + 0.5) / height as f64);
        fx >= self.x && fx < self.x + self.w && fy >= self.y && fy < self.y + self.h
    }
}

/// The measured areas of a photo.
#[derive(Debug, Clone)]
pub struct Areas {
    /// Treated pixels.
    pub treated: Vec<bool>,
    /// Untreated reference skin pixels (dots and hairs not yet left out).
    pub untreated: Vec<bool>,
    /// Shiny pixels (specular highlights) of either area: left out of the redness figures.
    pub shiny: Vec<bool>,
    /// Median nearest-neighbour dot spacing, pixels (0 without dots).
    pub spacing: f32,
    /// The dotted skin's typical colour when it lies outside the range of skin colours (a strong colour cast, taken
    /// out for finding the skin); `None` under usual light.
    pub cast: Option<Tint>,
}

impl Areas {
    /// Number of treated pixels.
    pub fn treated_count(&self) -> usize {
        self.treated.iter().filter(|&&t| t).count()
    }
}

/// A coarse grid of `f x f` pixel cells with their colour: the CIELAB of the cell's mean linear RGB, the colour the
/// cell has seen from farther away (one conversion per cell; converting every pixel took a third of the stage).
struct Grid {
    f: usize,
    gw: usize,
    gh: usize,
    mean_l: Vec<f32>,
    mean_a: Vec<f32>,
    mean_b: Vec<f32>,
}

impl Grid {
    /// The grid of `f x f` cells, each cell's mean linear RGB multiplied by `gains` before its conversion.
    fn new(colour: &Colour, f: usize, gains: [f32; 3]) -> Grid {
        let (w, h) = (colour.l.width, colour.l.height);
        let (gw, gh) = (w.div_ceil(f), h.div_ceil(f));
        // A row of cells at a time: each pixel row's runs of (at most 64) linear values summed in f32, the rows in
        // f64.
        let mut sums = vec![[0f64; 3]; gw * gh];
        let mut row_sums = vec![[0f32; 3]; gw];
        for y in 0..h {
            colour.linear_run_sums(y, f, &mut row_sums);
            for (s, t) in sums[(y / f) * gw..(y / f + 1) * gw].iter_mut().zip(&row_sums) {
                s.iter_mut().zip(t).for_each(|(s, &t)| *s += t as f64);
            }
        }
        // Cells of the last column and row may be cut short by the frame.
        let count = |i: usize| ((w - (i % gw) * f).min(f) * (h - (i / gw) * f).min(f)) as f64;
        let labs: Vec<[f32; 3]> = sums
            .iter()
            .enumerate()
            .map(|(i, s)| colour.lab_of_linear(std::array::from_fn(|k| (s[k] / count(i)) as f32 * gains[k])))
            .collect();
        let plane = |k: usize| labs.iter().map(|v| v[k]).collect();
        Grid { f, gw, gh, mean_l: plane(0), mean_a: plane(1), mean_b: plane(2) }
    }

    /// The mean colours averaged over a window about two dot spacings wide, so that a cell lying on a dark dot
    /// still reads as the skin around it.
    fn smoothed(mut self, spacing: f32) -> Grid {
        let r = (spacing / self.f as f32).ceil() as usize;
        for plane in [&mut self.mean_l, &mut self.mean_a, &mut self.mean_b] {
            *plane = box_mean(plane, self.gw, self.gh, r);
        }
        self
    }

    /// A cell mask spread over the pixels (`w x h`) the cells cover.
    fn to_pixels(&self, cells: &GrayImage, w: usize, h: usize) -> Vec<bool> {
        let mut out = Vec::with_capacity(w * h);
        let mut line = vec![false; w];
        // Each row of cells spreads into one line of pixels, copied to the cells' `f` rows (the last ones cut
        // short by the frame's edge).
        for (gy, cell_row) in cells.as_raw().chunks_exact(self.gw).enumerate() {
            for (run, &c) in line.chunks_mut(self.f).zip(cell_row) {
                run.fill(c > 0);
            }
            for _ in gy * self.f..((gy + 1) * self.f).min(h) {
                out.extend_from_slice(&line);
            }
        }
        out
    }

    fn mask(&self) -> GrayImage {
        GrayImage::new(self.gw as u32, self.gh as u32)
    }

    fn hue_chroma(&self, i: usize) -> (f32, f32) {
        let (a, b) = (self.mean_a[i], self.mean_b[i]);
        (b.atan2(a).to_degrees(), self.chroma(i))
    }

    fn chroma(&self, i: usize) -> f32 {
        let (a, b) = (self.mean_a[i], self.mean_b[i]);
        (a * a + b * b).sqrt()
    }
}

/// Finds the treated area and the untreated reference skin. `fringe` marks hair attached to a dark mass: skin
/// within one dot spacing of it is a hair fringe, left out of the treated area. `reference` sets the untreated
/// reference skin by hand (its unclipped pixels outside the treated area) instead of finding it.
pub fn find_areas(colour: &Colour, dots: &[Dot], fringe: &[bool], roi: Option<Roi>, reference: Option<Roi>) -> Areas {
    let (w, h) = (colour.l.width, colour.l.height);
    let none = Areas {
        treated: vec![false; w * h],
        untreated: vec![false; w * h],
        shiny: vec![false; w * h],
        spacing: 0.0,
        cast: None,
    };
    let Some(spacing) = nearest_neighbour_spacing(dots) else {
        return none;
    };
    let grid = Grid::new(colour, cell_size(spacing, w, h), [1.0; 3]).smoothed(spacing);
    let dense = dense_dots(dots, spacing, &grid);
    if dense.len() < 10 {
        return Areas { spacing, ..none };
    }
    let radius = ((0.75 * spacing) / grid.f as f32).ceil().clamp(1.0, 255.0) as u8;
    let all_patterns = dilate(&stamp(&grid, &dense), radius);
    let close_radius = ((CLOSE_SPACINGS * spacing) / grid.f as f32).ceil().clamp(1.0, 255.0) as u8;
    let bridge = ((1.5 * spacing) / grid.f as f32).ceil().clamp(1.0, 255.0) as u8;
    let parts = close_padded(&all_patterns, bridge);
    let pattern = fill_holes(&close_padded(&best_component(&parts, &dense, grid.f), close_radius));
    let pitch = PITCH_PER_SPACING * spacing;
    let hair = dilate(&stamp_pixels(&grid, fringe, w), ((pitch / grid.f as f32).ceil()).clamp(1.0, 255.0) as u8);
    let dotted_skin = dotted_skin_lightness(&grid, &dense, spacing);
    let (mut treated_cells, tint) = gate_skin(&grid, &pattern, &dotted_skin, &hair, spacing);
    // Under a strong colour cast the skin is judged by its colour with the cast taken out.
    let cast = tint.filter(|t| t.is_cast());
    let grid = match cast {
        Some(tint) => {
            let neutral = Grid::new(colour, grid.f, tint.correction()).smoothed(spacing);
            treated_cells = gate_skin(&neutral, &pattern, &dotted_skin, &hair, spacing).0;
            neutral
        }
        None => grid,
    };
    let clipped_mask = clipped_regions(colour.img, median(dots.iter().map(|d| d.diameter)).unwrap_or(1.0));
    let mut treated = grid.to_pixels(&treated_cells, w, h);
    treated.iter_mut().zip(&clipped_mask).for_each(|(t, &c)| *t &= !c);
    if let Some(r) = roi {
        for (i, t) in treated.iter_mut().enumerate() {
            *t &= r.contains(i % w, i / w, w, h);
        }
    }
    let untreated_cells = match reference {
        Some(r) => GrayImage::from_fn(grid.gw as u32, grid.gh as u32, |gx, gy| {
            let (x, y) =
                ((gx as usize * grid.f + grid.f / 2).min(w - 1), (gy as usize * grid.f + grid.f / 2).min(h - 1));
            Luma([if r.contains(x, y, w, h) { 255 } else { 0 }])
        }),
        None => untreated_cells(&grid, &treated_cells, &all_patterns, w, h),
    };
    let shiny_cells = shiny_cells(&grid, &treated_cells, &untreated_cells);
    let mut untreated = match reference {
        Some(r) => (0..w * h).map(|i| r.contains(i % w, i / w, w, h) && !treated[i]).collect(),
        None => grid.to_pixels(&untreated_cells, w, h),
    };
    untreated.iter_mut().zip(&clipped_mask).for_each(|(u, &c)| *u &= !c);
    let shiny = grid.to_pixels(&shiny_cells, w, h);
    Areas { treated, untreated, shiny, spacing, cast }
}

/// Most cells of the coarse grid, about a megapixel's worth. A 12 MP whole-head photo's 2-3 px dots lie 4-5 px
/// apart, and a third of that rounds to one pixel: a full-resolution grid took 4 of its 6 s and 300 MB; with cells
/// of 4 px it takes under a second. Cell borders and radii are rounded to whole cells, so the treated area grows a
/// little: on 12 MP renders, by 0.1% of itself for a close-up's 4.6 px dots, 1.3% for 2.5 px dots on a whole head,
/// 7% for 1.8 px ones (`examples/one_photo`).
pub(super) const MAX_GRID_CELLS: f64 = 1e6;

/// Side of the grid's cells, pixels: a third of the dot spacing, but no finer than [`MAX_GRID_CELLS`] allow.
fn cell_size(spacing: f32, w: usize, h: usize) -> usize {
    let finest = ((w * h) as f64 / MAX_GRID_CELLS).sqrt().ceil() as usize;
    ((spacing / 3.0).round() as usize).max(finest).clamp(1, 64)
}

/// Pixels with a clipped channel (>= 250), closed with a disk a dot wide: a dot inside a blown highlight is part of
/// the highlight (the skin around it cannot be measured), though its own pixels are dark.
fn clipped_regions(img: &RgbImage, dot_diameter: f32) -> Vec<bool> {
    let (w, h) = (img.width() as usize, img.height() as usize);
    // The brightest channel value, as a reduction the compiler vectorises (an early-exit search does not).
    if img.as_raw().iter().copied().fold(0u8, u8::max) < 250 {
        return vec![false; w * h];
    }
    let clipped: Vec<bool> = img.as_raw().chunks_exact(3).map(|p| p.iter().any(|&c| c >= 250)).collect();
    let radius = (0.5 * dot_diameter).ceil() as usize + 1;
    // Closing: dilation, then erosion as the complement of the dilated complement.
    let mut grown = super::morph::dilate_mask(&clipped, w, h, radius);
    grown.iter_mut().for_each(|v| *v = !*v);
    let mut closed = super::morph::dilate_mask(&grown, w, h, radius);
    closed.iter_mut().for_each(|v| *v = !*v);
    closed
}

/// Cells of specular shine within each area: brighter than 1.1 times the area's median L* while their chroma per
/// unit of L* is under 0.75 times the area's median. Shine adds white light, raising L* and washing out colour; a
/// change of lighting scales both together.
fn shiny_cells(grid: &Grid, treated: &GrayImage, untreated: &GrayImage) -> GrayImage {
    let mut out = grid.mask();
    for area in [treated, untreated] {
        let cells: Vec<usize> = (0..grid.gw * grid.gh).filter(|&i| area.as_raw()[i] > 0).collect();
        let saturation = |i: usize| grid.chroma(i) / grid.mean_l[i].max(1.0);
        let (Some(l), Some(sat)) =
            (median(cells.iter().map(|&i| grid.mean_l[i])), median(cells.iter().map(|&i| saturation(i))))
        else {
            continue;
        };
        for &i in &cells {
            if grid.mean_l[i] > 1.1 * l && saturation(i) < 0.75 * sat {
                out.as_mut()[i] = 255;
            }
        }
    }
    out
}

/// Median distance from each dot to its nearest neighbour; `None` with fewer than 10 dots.
fn nearest_neighbour_spacing(dots: &[Dot]) -> Option<f32> {
    if dots.len() < 10 {
        return None;
    }
    let cell = 4.0 * median(dots.iter().map(|d| d.diameter))?.max(1.0);
    let points: Vec<[f32; 2]> = dots.iter().map(|d| [d.x, d.y]).collect();
    let grid = PointGrid::new(&points, cell);
    let nearest = points.iter().enumerate().filter_map(|(i, p)| {
        let best = grid
            .near(p[0], p[1])
            .filter(|&j| j != i)
            .map(|j| ((p[0] - points[j][0]).powi(2) + (p[1] - points[j][1]).powi(2)).sqrt())
            .fold(f32::INFINITY, f32::min);
        best.is_finite().then_some(best)
    });
    median(nearest)
}

/// Least share of the typical number of neighbours within 2.5 spacings for a dot to belong to the pattern.
const MIN_NEIGHBOUR_SHARE: f32 = 0.15;

/// Dots with at least [`MIN_NEIGHBOUR_SHARE`] of the median number of neighbours within 2.5 spacings.
fn dense_dots<'a>(dots: &'a [Dot], spacing: f32, grid: &Grid) -> Vec<&'a Dot> {
    let mut counts = vec![0u32; grid.gw * grid.gh];
    let cell_of = |d: &Dot| {
        let gx = ((d.x.max(0.0) as usize) / grid.f).min(grid.gw - 1);
        let gy = ((d.y.max(0.0) as usize) / grid.f).min(grid.gh - 1);
        (gx, gy)
    };
    for d in dots {
        let (gx, gy) = cell_of(d);
        counts[gy * grid.gw + gx] += 1;
    }
    let r = ((2.5 * spacing) / grid.f as f32).ceil() as usize;
    let counts: Vec<f64> = counts.into_iter().map(f64::from).collect();
    let sums: Vec<u32> = box_sum(&counts, grid.gw, grid.gh, r).into_iter().map(|s| s as u32).collect();
    let neighbours: Vec<u32> = dots
        .iter()
        .map(|d| {
            let (gx, gy) = cell_of(d);
            sums[gy * grid.gw + gx]
        })
        .collect();
    let Some(typical) = median(neighbours.iter().map(|&n| n as f32)) else {
        return Vec::new();
    };
    dots.iter().zip(&neighbours).filter(|(_, &n)| n as f32 >= MIN_NEIGHBOUR_SHARE * typical).map(|(d, _)| d).collect()
}

fn stamp(grid: &Grid, dots: &[&Dot]) -> GrayImage {
    let mut m = grid.mask();
    for d in dots {
        let gx = ((d.x.max(0.0) as usize) / grid.f).min(grid.gw - 1);
        let gy = ((d.y.max(0.0) as usize) / grid.f).min(grid.gh - 1);
        m.put_pixel(gx as u32, gy as u32, Luma([255]));
    }
    m
}

/// Dot pitch (square root of the area per dot) per nearest-neighbour spacing, for irregularly placed dots.
const PITCH_PER_SPACING: f32 = 1.3;

/// Radius of the closing that makes the pattern one area, in dot spacings: gaps between randomly placed dots and
/// patches of lost dots opening onto the edge (up to about 8 spacings across) become part of it, while the
/// outline of the treated area, a smooth hairline, keeps its shape.
const CLOSE_SPACINGS: f32 = 4.0;

/// Morphological closing (disk of `radius`) of a mask whose edges are replicated outwards first, so the frame
/// border does not erode the area.
fn close_padded(m: &GrayImage, radius: u8) -> GrayImage {
    let r = radius as u32;
    let (w, h) = (m.width(), m.height());
    let padded = GrayImage::from_fn(w + 2 * r, h + 2 * r, |x, y| {
        let sx = x.saturating_sub(r).min(w - 1);
        let sy = y.saturating_sub(r).min(h - 1);
        *m.get_pixel(sx, sy)
    });
    let closed = super::disk::erode(&dilate(&padded, radius), radius);
    GrayImage::from_fn(w, h, |x, y| *closed.get_pixel(x + r, y + r))
}

fn dilate(m: &GrayImage, radius: u8) -> GrayImage {
    super::disk::dilate(m, radius)
}

/// The connected part of the pattern holding the most dots found on their own (not cut out of a compound blob):
/// SMP dots on the scalp are mostly clean single blobs, while the "dots" of a stubble beard or eyebrows are
/// knots cut out of hair networks. Ties go to the larger part.
fn best_component(m: &GrayImage, dots: &[&Dot], f: usize) -> GrayImage {
    let labels = connected_components(m, Connectivity::Eight, Luma([0u8]));
    let mut score = std::collections::HashMap::<u32, (usize, usize)>::new();
    let mut areas = vec![0usize; labels.pixels().map(|p| p[0] as usize + 1).max().unwrap_or(1)];
    labels.pixels().for_each(|p| areas[p[0] as usize] += 1);
    for (l, &n) in areas.iter().enumerate().skip(1).filter(|(_, &n)| n > 0) {
        score.entry(l as u32).or_default().1 = n;
    }
    for d in dots.iter().filter(|d| !d.split) {
        let (gx, gy) = ((d.x.max(0.0) as usize / f) as u32, (d.y.max(0.0) as usize / f) as u32);
        if gx < labels.width() && gy < labels.height() {
            let l = labels.get_pixel(gx, gy)[0];
            if l > 0 {
                score.entry(l).or_default().0 += 1;
            }
        }
    }
    let best = score.iter().max_by_key(|(l, s)| (**s, std::cmp::Reverse(**l))).map(|(l, _)| *l);
    let mut out = GrayImage::new(m.width(), m.height());
    for (o, p) in out.pixels_mut().zip(labels.pixels()) {
        o[0] = if Some(p[0]) == best { 255 } else { 0 };
    }
    out
}

/// Sets every background region not connected to the border (4-connectivity): a flood of the unset cells from the
/// border, the rest set.
fn fill_holes(m: &GrayImage) -> GrayImage {
    let (w, h) = (m.width() as usize, m.height() as usize);
    let unset = |i: usize| m.as_raw()[i] == 0;
    let mut outside = vec![false; w * h];
    let mut stack: Vec<usize> =
        (0..w).flat_map(|x| [x, (h - 1) * w + x]).chain((0..h).flat_map(|y| [y * w, y * w + w - 1])).collect();
    while let Some(i) = stack.pop() {
        if outside[i] || !unset(i) {
            continue;
        }
        outside[i] = true;
        stack.extend(super::plane::four_neighbours(i, w, h));
    }
    let bytes = outside.iter().map(|&o| if o { 0 } else { 255 }).collect();
    GrayImage::from_raw(w as u32, h as u32, bytes).unwrap_or_else(|| GrayImage::new(w as u32, h as u32))
}

fn stamp_pixels(grid: &Grid, pixels: &[bool], w: usize) -> GrayImage {
    let mut m = grid.mask();
    for (i, _) in pixels.iter().enumerate().filter(|(_, &p)| p) {
        let (gx, gy) = ((i % w) / grid.f, (i / w) / grid.f);
        m.put_pixel(gx as u32, gy as u32, Luma([255]));
    }
    m
}

/// Least mean L* of a cell, as a share of the skin around the dots found near it ([`dotted_skin_lightness`]), for
/// the cell to be skin however dark the shading around: near the silhouette the dome's shading falls steeply, and
/// skin carrying found dots is treated skin. A hair mass beside the dots is far darker than the skin around them.
const DOTTED_SKIN_SHARE: f32 = 0.7;

/// Per grid cell, the lightest ring background (the skin around a dot, [`Dot::background`]) of the pattern's dots
/// within `0.75 s`; 0 where there is none.
fn dotted_skin_lightness(grid: &Grid, dots: &[&Dot], spacing: f32) -> super::plane::Plane {
    let mut cells = super::plane::Plane::filled(grid.gw, grid.gh, 0.0);
    for d in dots {
        let gx = ((d.x.max(0.0) as usize) / grid.f).min(grid.gw - 1);
        let gy = ((d.y.max(0.0) as usize) / grid.f).min(grid.gh - 1);
        let cell = &mut cells.data[gy * grid.gw + gx];
        *cell = cell.max(d.background);
    }
    super::morph::dilate(&cells, ((0.75 * spacing) / grid.f as f32).ceil() as usize)
}

/// Keeps the pattern cells that are skin: skin-coloured, not hair fringe, and not a dark mass: at least 55% of the
/// brightest cell within 5 spacings (a hair mass is abruptly darker than the skin beside it; the dome's shading
/// darkens gradually), or, near found dots, [`DOTTED_SKIN_SHARE`] of the skin around them (steep shading at the
/// silhouette).
fn gate_skin(
    grid: &Grid,
    pattern: &GrayImage,
    dotted_skin: &super::plane::Plane,
    hair: &GrayImage,
    spacing: f32,
) -> (GrayImage, Option<Tint>) {
    let inside: Vec<usize> =
        (0..grid.gw * grid.gh).filter(|&i| pattern.as_raw()[i] > 0 && hair.as_raw()[i] == 0).collect();
    let lightness = super::plane::Plane { width: grid.gw, height: grid.gh, data: grid.mean_l.clone() };
    let around = super::morph::dilate(&lightness, ((5.0 * spacing) / grid.f as f32).ceil() as usize);
    let lit: Vec<usize> = inside
        .iter()
        .copied()
        .filter(|&i| {
            let (l, dotted) = (grid.mean_l[i], dotted_skin.data[i]);
            l >= 0.55 * around.data[i] || (dotted > 0.0 && l >= DOTTED_SKIN_SHARE * dotted)
        })
        .collect();
    let mut out = grid.mask();
    for &i in &lit {
        let (hue, chroma) = grid.hue_chroma(i);
        if chroma >= SKIN_CHROMA && (SKIN_HUE.0..=SKIN_HUE.1).contains(&hue) {
            out.as_mut()[i] = 255;
        }
    }
    (out, Tint::of(grid, &lit))
}

/// Hue angles of a cell of skin in CIELAB under neutral light, degrees (from deep red to yellow), and its least
/// chroma.
const SKIN_HUE: (f32, f32) = (0.0, 100.0);
pub(crate) const SKIN_CHROMA: f32 = 4.0;

/// Hue angles of the dotted skin's typical colour under neutral light, degrees: about 50 for every skin tone (38-43
/// on the fixtures' red day-0 scalps), down to about 25-30 on a strongly inflamed one (a* 25-30 for b* 12-15); 15
/// leaves room for the reddest, so that no inflamed scalp is taken for a cast.
const USUAL_SKIN_HUE: (f32, f32) = (15.0, 75.0);

/// The colour the dotted skin is taken back to under a colour cast: its own L*, hue 52 degrees (the middle of
/// [`USUAL_SKIN_HUE`]) and at least chroma 18 (skin's is about 15-25; a cast that greys pale skin also takes the red
/// out of the reference skin beside it, and a target of 12 left half of it under the a* bar).
const NEUTRAL_SKIN_HUE: f64 = 52.0;
const NEUTRAL_SKIN_CHROMA: f64 = 18.0;

/// The dotted skin's typical colour (the median L*, a* and b* of its cells), which tells the colour of the light.
/// A strong colour cast (a daylight shot with a tungsten white balance, a green fluorescent tint) takes the skin's
/// hue, pale skin's most, out of the range of skin, and no skin would be found. Where the dotted skin's hue lies
/// outside `USUAL_SKIN_HUE` (15-75 degrees), or it looks grey (chroma under `SKIN_CHROMA`, 4), the light is taken
/// to be tinted: per-channel gains on linear RGB (as a white balance) take the dotted skin back to a usual skin
/// colour of the same lightness, and every skin-colour rule judges the cells through them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tint {
    /// Median L* of the dotted skin's cells.
    pub l: f32,
    /// Median a*.
    pub a: f32,
    /// Median b*.
    pub b: f32,
}

impl Tint {
    /// The typical colour of the cells `cells`; `None` without cells.
    fn of(grid: &Grid, cells: &[usize]) -> Option<Tint> {
        let l = median(cells.iter().map(|&i| grid.mean_l[i]))?;
        let a = median(cells.iter().map(|&i| grid.mean_a[i]))?;
        let b = median(cells.iter().map(|&i| grid.mean_b[i]))?;
        Some(Tint { l, a, b })
    }

    /// Hue angle of the dotted skin, degrees (-180 to 180).
    pub fn hue(&self) -> f32 {
        self.b.atan2(self.a).to_degrees()
    }

    /// Whether the light or the white balance tints the photo beyond the range of skin colours.
    pub fn is_cast(&self) -> bool {
        self.colourless() || !(USUAL_SKIN_HUE.0..=USUAL_SKIN_HUE.1).contains(&self.hue())
    }

    /// Whether the skin shows no colour (chroma under `SKIN_CHROMA`): a black-and-white photo, or a cast that
    /// cancels the skin's colour. Its redness cannot be measured.
    pub fn colourless(&self) -> bool {
        self.a.hypot(self.b) < SKIN_CHROMA
    }

    /// Gains on linear R, G and B that take the dotted skin's colour to a usual skin colour of the same L* (and so
    /// nearly the same luminance), as a white balance would.
    fn correction(&self) -> [f32; 3] {
        let chroma = f64::from(self.a.hypot(self.b)).max(NEUTRAL_SKIN_CHROMA);
        let hue = NEUTRAL_SKIN_HUE.to_radians();
        let l = f64::from(self.l);
        let target = lab_to_linear_rgb(Lab { l, a: chroma * hue.cos(), b: chroma * hue.sin() });
        let seen = lab_to_linear_rgb(Lab { l, a: f64::from(self.a), b: f64::from(self.b) });
        std::array::from_fn(|k| if seen[k] > 1e-6 { (target[k] / seen[k]).clamp(0.2, 5.0) as f32 } else { 1.0 })
    }
}

fn untreated_cells(grid: &Grid, treated: &GrayImage, patterns: &GrayImage, w: usize, h: usize) -> GrayImage {
    let diag = ((w * w + h * h) as f64).sqrt();
    let margin = ((0.03 * diag) / grid.f as f64).ceil().clamp(1.0, 255.0) as u8;
    let both = GrayImage::from_fn(treated.width(), treated.height(), |x, y| {
        Luma([treated.get_pixel(x, y)[0].max(patterns.get_pixel(x, y)[0])])
    });
    let near = dilate(&both, margin);
    let treated_cells: Vec<usize> = (0..grid.gw * grid.gh).filter(|&i| treated.as_raw()[i] > 0).collect();
    let treated_l = median(treated_cells.iter().map(|&i| grid.mean_l[i]));
    let mut out = grid.mask();
    let Some(tl) = treated_l else {
        return out;
    };
    let skin: Vec<usize> = (0..grid.gw * grid.gh)
        .filter(|&i| {
            let l_ok = grid.mean_l[i] >= 0.6 * tl && grid.mean_l[i] <= 1.4 * tl;
            // The hue angle (an arc tangent) last: most cells fail before it.
            near.as_raw()[i] == 0 && l_ok && grid.mean_a[i] >= UNTREATED_MIN_A && {
                let (hue, chroma) = grid.hue_chroma(i);
                chroma >= UNTREATED_CHROMA && (UNTREATED_HUE.0..=UNTREATED_HUE.1).contains(&hue)
            }
        })
        .collect();
    // A white wall under warm light takes pale skin's colour, but far less red than the treated skin: the cells
    // with at least UNTREATED_MIN_RED_SHARE of the treated skin's a* per unit of L* are the reference, as long as
    // they are enough for one (a strongly inflamed scalp can be three times as red as the skin beside it).
    let treated_a = median(treated_cells.iter().map(|&i| grid.mean_a[i]));
    let least_red = UNTREATED_MIN_RED_SHARE * treated_a.unwrap_or(0.0) / tl.max(1.0);
    let redder: Vec<usize> =
        skin.iter().copied().filter(|&i| grid.mean_a[i] / grid.mean_l[i].max(1.0) >= least_red).collect();
    let enough = (MIN_UNTREATED_FRACTION * (grid.gw * grid.gh) as f64).ceil() as usize;
    for &i in if redder.len() >= enough { &redder } else { &skin } {
        out.as_mut()[i] = 255;
    }
    out
}

/// Untreated reference skin under neutral light: hue 15-80 degrees, chroma at least 6, a* at least 3.5 (a beige
/// wall or wood has no red from blood). Stricter than the treated area's: no dot pattern vouches for it.
const UNTREATED_HUE: (f32, f32) = (15.0, 80.0);
const UNTREATED_CHROMA: f32 = 6.0;
const UNTREATED_MIN_A: f32 = 3.5;

/// Least a* per unit of L* of untreated reference skin, as a share of the treated skin's, while cells that red
/// still make a reference. Skin is red from blood: beside a scalp of usual redness (post-session redness up to
/// about 1.7 times its a*, shading and the site changing it by about a third) it keeps at least about 0.45 of it,
/// while a white or grey wall under a warm lamp (red up 15-25%) takes the hue of pale skin but only about 0.25. A
/// strongly inflamed scalp can be three times as red as the skin beside it: then the share is not asked for.
const UNTREATED_MIN_RED_SHARE: f32 = 0.35;

#[cfg(test)]
mod tests {
    use super::{cell_size, Grid};

    #[test]
    fn a_cell_mask_covers_exactly_its_cells_pixels() {
        // 3 px cells over 8 x 7 pixels: the last column and row of cells are cut short by the frame.
        let (f, w, h) = (3usize, 8usize, 7usize);
        let (gw, gh) = (w.div_ceil(f), h.div_ceil(f));
        let grid = Grid { f, gw, gh, mean_l: Vec::new(), mean_a: Vec::new(), mean_b: Vec::new() };
        let mut cells = grid.mask();
        for (i, v) in cells.as_mut().iter_mut().enumerate() {
            // A pattern that differs from one row of cells to the next.
            *v = if (i * 7) % 5 < 2 { 255 } else { 0 };
        }
        let want: Vec<bool> = (0..w * h).map(|i| cells.as_raw()[(i / w / f) * gw + (i % w) / f] > 0).collect();
        assert_eq!(grid.to_pixels(&cells, w, h), want);
    }

    #[test]
    fn the_grid_follows_the_dot_spacing_up_to_a_million_cells() {
        // A third of the spacing, rounded, on a 1000x750 frame.
        assert_eq!(cell_size(5.2, 1000, 750), 2);
        assert_eq!(cell_size(9.0, 1000, 750), 3);
        assert_eq!(cell_size(2.0, 1000, 750), 1);
        // 4000x3000: a third of 4.2 px would be one pixel; at least 4 keeps the grid under a million cells.
        assert_eq!(cell_size(4.2, 4000, 3000), 4);
        assert!((4000usize.div_ceil(4) * 3000usize.div_ceil(4)) as f64 <= super::MAX_GRID_CELLS);
        assert_eq!(cell_size(30.0, 4000, 3000), 10);
        // Never coarser than 64 px.
        assert_eq!(cell_size(1000.0, 4000, 3000), 64);
    }
}
