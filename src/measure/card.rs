/*!
Reference card: a neutral grey card or white patch in the frame fixes the colour and the light level of a photo,
and, when its size is known, the scale.

Detection, on a grid of cells about 1% of the shorter side: a cell is card-like when it is uniform (L* standard
deviation under [`MAX_CELL_STD`]), not clipped or black (mean L* 15-97) and nearly grey (chroma under
[`MAX_CHROMA`]: a card under a white-balance cast of +-8% per channel stays under it, skin never gets that low).
Card-like cells are joined (4-connected); a part is a card when it covers at least [`MIN_PATCH_FRACTION`] of the
frame, does not touch the frame's border (a wall or a sheet behind the head does), fills at least 60% of its
bounding box (a card is a rectangle, seen at a slant a quadrilateral), is at most 4 times as long as wide, and
its cells agree in lightness (within 4 L* of the first, standard deviation under 1.5: evenly lit), and it differs
from the cells around it by a colour difference of at least [`MIN_EDGE_DELTA_E`] (a card's edge is a step; oily
shine, also grey and smooth, fades into the skin). The largest such part wins.

Gains: the card's mean linear RGB `m` over its inner cells (one cell in from its edge) is brought to a neutral
reference: `gain_c = target / m_c`, with `target` 0.18 (a standard 18% grey card) when the card's L* is under 75,
else 0.90 (white paper or a white sticker). This removes the white-balance cast and normalises the light level.
Colours are multiplied by the gains in linear RGB before anything is measured.
*/

use image::RgbImage;
use serde::{Deserialize, Serialize};

use crate::colour::{linear_lut, linear_rgb_to_lab};

/// Largest L* standard deviation inside a card-like cell.
pub const MAX_CELL_STD: f64 = 2.5;
/// Largest chroma of a card-like cell.
pub const MAX_CHROMA: f64 = 10.0;
/// Least share of the frame a card covers.
pub const MIN_PATCH_FRACTION: f64 = 0.004;

/// How a photo's colours were calibrated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CalibrationMethod {
    /// Against a grey card (18% reference).
    GreyCard,
    /// Against a white patch (90% reference).
    WhitePatch,
    /// Not calibrated.
    None,
}

/// The calibration of one photo, as reported.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// grey_card, white_patch or none.
    pub method: CalibrationMethod,
    /// Gains applied per channel in linear RGB `[r, g, b]` (1 without a card).
    pub gains: [f64; 3],
    /// Share of the frame the card covers (0 without).
    pub patch_fraction: f64,
    /// Length of the card's longer side in pixels (0 without).
    #[serde(skip)]
    pub card_length_px: f64,
}

impl Calibration {
    /// No card: colours as they are.
    pub fn none() -> Calibration {
        Calibration { method: CalibrationMethod::None, gains: [1.0; 3], patch_fraction: 0.0, card_length_px: 0.0 }
    }
}

struct Cell {
    rgb: [f64; 3],
    l: f64,
    a: f64,
    b: f64,
    card_like: bool,
}

/// Least colour difference (CIE76 ΔE) between a card and the cells just outside it: a card's edge is a step,
/// while oily shine fades into the skin around it.
pub const MIN_EDGE_DELTA_E: f64 = 8.0;

/// Whether the part's cells agree in lightness (standard deviation under 1.5 L*: a card is evenly lit, a shine
/// blob peaks in its middle) and differ from the cells around it by at least [`MIN_EDGE_DELTA_E`] on average, and
/// by half that all round ([`MIN_EDGE_SHARE`]).
fn is_flat_with_a_crisp_edge(cells: &[Cell], part: &[usize], label: &[usize], gw: usize, gh: usize) -> bool {
    let n = part.len() as f64;
    let mean = |f: fn(&Cell) -> f64| part.iter().map(|&i| f(&cells[i])).sum::<f64>() / n;
    let (l, a, b) = (mean(|c| c.l), mean(|c| c.a), mean(|c| c.b));
    let spread = (part.iter().map(|&i| (cells[i].l - l).powi(2)).sum::<f64>() / n).sqrt();
    let own = label[part[0]];
    let mut outside = Vec::new();
    for &i in part {
        let (x, y) = (i % gw, i / gw);
        for (dx, dy) in [(-2i64, 0i64), (2, 0), (0, -2), (0, 2)] {
            let (nx, ny) = (x as i64 + dx, y as i64 + dy);
            if nx >= 0 && ny >= 0 && (nx as usize) < gw && (ny as usize) < gh {
                let j = ny as usize * gw + nx as usize;
                if label[j] != own {
                    outside.push(j);
                }
            }
        }
    }
    outside.sort_unstable();
    outside.dedup();
    if outside.is_empty() {
        return false;
    }
    let steps: Vec<f64> = outside
        .iter()
        .map(|&j| ((cells[j].l - l).powi(2) + (cells[j].a - a).powi(2) + (cells[j].b - b).powi(2)).sqrt())
        .collect();
    let edge = steps.iter().sum::<f64>() / steps.len() as f64;
    let all_round = steps.iter().filter(|&&d| d >= 0.5 * MIN_EDGE_DELTA_E).count() as f64 / steps.len() as f64;
    spread < 1.5 && edge >= MIN_EDGE_DELTA_E && all_round >= MIN_EDGE_SHARE
}

/// Least share of the cells around a card that differ from it by at least half [`MIN_EDGE_DELTA_E`]: a card's
/// edge is a step all round, where an ear that a colour cast has greyed steps off the wall behind it but runs on
/// into the face.
pub const MIN_EDGE_SHARE: f64 = 0.75;

/// Finds a reference card and the gains it gives; [`Calibration::none`] when there is none.
pub fn detect_card(img: &RgbImage) -> Calibration {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let f = ((w.min(h) as f64 / 100.0).round() as usize).max(4);
    let (gw, gh) = (w / f, h / f);
    if gw < 8 || gh < 8 {
        return Calibration::none();
    }
    let cells = cells(img, f, gw, gh);
    let mut label = vec![usize::MAX; gw * gh];
    let mut best: Option<(Vec<usize>, f64)> = None;
    for seed in 0..gw * gh {
        if !cells[seed].card_like || label[seed] != usize::MAX {
            continue;
        }
        let part = flood(&cells, &mut label, seed, gw, gh);
        let fraction = (part.len() * f * f) as f64 / (w * h) as f64;
        if fraction >= MIN_PATCH_FRACTION
            && is_card_shaped(&part, gw, gh)
            && is_flat_with_a_crisp_edge(&cells, &part, &label, gw, gh)
            && best.as_ref().is_none_or(|(b, _)| part.len() > b.len())
        {
            best = Some((part, fraction));
        }
    }
    let Some((part, fraction)) = best else {
        return Calibration::none();
    };
    let inner: Vec<usize> = part
        .iter()
        .copied()
        .filter(|&i| {
            let (x, y) = (i % gw, i / gw);
            x > 0
                && y > 0
                && x + 1 < gw
                && y + 1 < gh
                && [i - 1, i + 1, i - gw, i + gw].iter().all(|&j| label[j] == label[i])
        })
        .collect();
    let use_cells = if inner.len() >= 4 { &inner } else { &part };
    let n = use_cells.len() as f64;
    let m: [f64; 3] = std::array::from_fn(|c| use_cells.iter().map(|&i| cells[i].rgb[c]).sum::<f64>() / n);
    if m.iter().any(|&v| v <= 1e-4) {
        return Calibration::none();
    }
    let l = linear_rgb_to_lab(m).l;
    let (method, target) =
        if l < 75.0 { (CalibrationMethod::GreyCard, 0.18) } else { (CalibrationMethod::WhitePatch, 0.90) };
    let gains = m.map(|v| target / v);
    if gains.iter().any(|g| !(0.2..=5.0).contains(g)) {
        return Calibration::none();
    }
    // Cells cut by the card's edge are not uniform and stay out: on average half a cell at each end.
    Calibration { method, gains, patch_fraction: fraction, card_length_px: (card_length(&part, gw) + 1.0) * f as f64 }
}

fn cells(img: &RgbImage, f: usize, gw: usize, gh: usize) -> Vec<Cell> {
    let lut = linear_lut();
    let w = img.width() as usize;
    let raw = img.as_raw();
    let mut out = Vec::with_capacity(gw * gh);
    // A row of cells at a time, each pixel row's run of `f` pixels per cell added in turn: every cell sums its
    // pixels in the same order as cell by cell, and the pixels are read in memory order.
    let mut sums = vec![CellSums::default(); gw];
    for cy in 0..gh {
        sums.iter_mut().for_each(|s| *s = CellSums::default());
        for y in cy * f..(cy + 1) * f {
            let row = &raw[3 * y * w..3 * (y * w + gw * f)];
            for (s, run) in sums.iter_mut().zip(row.chunks_exact(3 * f)) {
                for p in run.chunks_exact(3) {
                    s.clipped |= p.iter().any(|&c| c >= 250);
                    let lin = [lut[p[0] as usize] as f64, lut[p[1] as usize] as f64, lut[p[2] as usize] as f64];
                    let y_lum = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
                    (0..3).for_each(|c| s.rgb[c] += lin[c]);
                    s.sy += y_lum;
                    s.syy += y_lum * y_lum;
                    s.n += 1.0;
                }
            }
        }
        out.extend(sums.iter().map(CellSums::cell));
    }
    out
}

/// Running sums of one cell's pixels: linear RGB, luminance and its square, count, and whether any is clipped.
#[derive(Debug, Clone, Copy, Default)]
struct CellSums {
    rgb: [f64; 3],
    sy: f64,
    syy: f64,
    n: f64,
    clipped: bool,
}

impl CellSums {
    fn cell(&self) -> Cell {
        let n = self.n;
        let rgb = self.rgb.map(|v| v / n);
        // The L* spread from the luminance spread: dL*/dY = (116 / 3) Y^(-2/3) at the cell's mean.
        let mean_y = (self.sy / n).max(1e-6);
        let std = (self.syy / n - mean_y * mean_y).max(0.0).sqrt() * (116.0 / 3.0) * mean_y.powf(-2.0 / 3.0);
        let lab = linear_rgb_to_lab(rgb);
        let chroma = lab.a.hypot(lab.b);
        let card_like = !self.clipped && std < MAX_CELL_STD && (15.0..=97.0).contains(&lab.l) && chroma < MAX_CHROMA;
        Cell { rgb, l: lab.l, a: lab.a, b: lab.b, card_like }
    }
}

/// The 4-connected card-like cells of `seed`, whose L* stays within 4 of the seed's.
fn flood(cells: &[Cell], label: &mut [usize], seed: usize, gw: usize, gh: usize) -> Vec<usize> {
    let mut part = vec![seed];
    label[seed] = seed;
    let mut k = 0;
    while k < part.len() {
        let i = part[k];
        k += 1;
        for j in super::plane::four_neighbours(i, gw, gh) {
            if cells[j].card_like && label[j] == usize::MAX && (cells[j].l - cells[seed].l).abs() < 4.0 {
                label[j] = seed;
                part.push(j);
            }
        }
    }
    part
}

fn is_card_shaped(part: &[usize], gw: usize, gh: usize) -> bool {
    let xs = part.iter().map(|i| i % gw);
    let ys = part.iter().map(|i| i / gw);
    let (x0, x1) = (xs.clone().min().unwrap_or(0), xs.max().unwrap_or(0));
    let (y0, y1) = (ys.clone().min().unwrap_or(0), ys.max().unwrap_or(0));
    let touches_border = x0 == 0 || y0 == 0 || x1 + 1 >= gw || y1 + 1 >= gh;
    let (bw, bh) = ((x1 - x0 + 1) as f64, (y1 - y0 + 1) as f64);
    let fill = part.len() as f64 / (bw * bh);
    !touches_border && fill >= 0.6 && bw.max(bh) <= 4.0 * bw.min(bh) && part.len() >= 6
}

/// Length of the part's longer side, in cells, from its second moments (a `W x H` rectangle has variance `W^2 / 12`
/// along its long axis).
fn card_length(part: &[usize], gw: usize) -> f64 {
    let n = part.len() as f64;
    let (mx, my) = part.iter().fold((0.0, 0.0), |(a, b), &i| (a + (i % gw) as f64, b + (i / gw) as f64));
    let (mx, my) = (mx / n, my / n);
    let (mut sxx, mut syy, mut sxy) = (0.0, 0.0, 0.0);
    for &i in part {
        let (dx, dy) = ((i % gw) as f64 - mx, (i / gw) as f64 - my);
        sxx += dx * dx;
        syy += dy * dy;
        sxy += dx * dy;
    }
    let (sxx, syy, sxy) = (sxx / n + 1.0 / 12.0, syy / n + 1.0 / 12.0, sxy / n);
    let l1 = 0.5 * (sxx + syy) + (0.25 * (sxx - syy).powi(2) + sxy * sxy).sqrt();
    (12.0 * l1).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::colour::linear_to_srgb;

    fn srgb(lin: [f64; 3]) -> image::Rgb<u8> {
        image::Rgb(lin.map(|v| (linear_to_srgb(v) * 255.0).round().clamp(0.0, 255.0) as u8))
    }

    /// Skin with a speckle texture and, optionally, an 18% grey card under a cast.
    fn scene(card: bool, cast: [f64; 3], level: f64) -> RgbImage {
        RgbImage::from_fn(600, 400, |x, y| {
            let in_card = card && (60..200).contains(&x) && (250..350).contains(&y);
            let base = if in_card {
                [0.18; 3]
            } else {
                let t = ((x * 7 + y * 13) % 11) as f64 / 11.0;
                [0.45 + 0.05 * t, 0.30 + 0.04 * t, 0.24 + 0.03 * t]
            };
            srgb(std::array::from_fn(|c| base[c] * cast[c] * level))
        })
    }

    #[test]
    fn finds_a_grey_card_under_a_cast_and_undoes_the_cast() {
        let img = scene(true, [1.08, 1.0, 0.92], 0.8);
        let cal = detect_card(&img);
        assert_eq!(cal.method, CalibrationMethod::GreyCard);
        let expected = [1.08, 1.0, 0.92].map(|c| 1.0 / (c * 0.8));
        for c in 0..3 {
            assert!((cal.gains[c] - expected[c]).abs() < 0.02 * expected[c], "{:?} vs {expected:?}", cal.gains);
        }
        assert!((cal.patch_fraction - 140.0 * 100.0 / 240_000.0).abs() < 0.02, "{}", cal.patch_fraction);
        assert!((cal.card_length_px - 140.0).abs() < 14.0, "{}", cal.card_length_px);
    }

    #[test]
    fn no_card_and_a_grey_wall_touching_the_border_are_not_cards() {
        assert_eq!(detect_card(&scene(false, [1.0; 3], 1.0)).method, CalibrationMethod::None);
        let wall =
            RgbImage::from_fn(600, 400, |x, _| if x < 200 { srgb([0.3; 3]) } else { image::Rgb([200, 140, 120]) });
        assert_eq!(detect_card(&wall).method, CalibrationMethod::None);
    }
}
