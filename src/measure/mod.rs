/*!
Per-photo measurement: decode, find the dots and the treated skin, measure, drop the pixels.

[`measure_image`] is pure (an RGB image in, numbers out) and is what tests, benches and the generator's checks
drive; [`measure_file`] adds decoding with limits. Stages, each in its own file: [`plane`] (CIELAB planes),
[`morph`] (closing for the local background), [`blobs`] (dark candidates), [`dot`] and [`classify`](mod@classify)
(dots, hairs, other marks), [`areas`] (treated and untreated skin), [`redness`], [`patchiness`], [`quality`],
[`jpeg_bias`] (what JPEG storage did to the typical dot, from the file's own quantisation table: [`jpeg_tables`]).
`point_grid` answers the nearest-dot questions of several stages.
*/

pub mod areas;
pub mod blobs;
pub mod boxsum;
pub mod card;
pub mod classify;
pub mod deblend;
pub mod decode;
mod disk;
pub mod dot;
mod dot_shape;
pub mod fringe;
pub mod jpeg_bias;
mod jpeg_end;
pub mod jpeg_tables;
pub mod metrics;
pub mod morph;
pub mod patchiness;
pub mod plane;
mod point_grid;
pub mod quality;
pub mod redness;
mod residual;

use std::path::Path;

use image::RgbImage;

pub use areas::Roi;
pub use decode::Limits;
pub use metrics::Metrics;
pub use quality::Warning;

use areas::{find_areas, Areas};
use blobs::{find_blobs, Blobs};
use card::Calibration;
use classify::{classify, median, Classified, Hair};
use dot::{Dot, DotContext};
use fringe::hair_fringe;
use plane::{binomial3, Colour, Plane};

/// Why a photo could not be measured. Messages are for a technician; the caller adds the file name.
#[derive(Debug, thiserror::Error)]
pub enum MeasureError {
    /// The file could not be read.
    #[error("cannot read the file: {0}")]
    Read(#[source] std::io::Error),
    /// Zero bytes.
    #[error("the file is empty (0 bytes): probably an interrupted copy")]
    Empty,
    /// Over the file size limit.
    #[error("the file is {bytes} bytes, over the limit of {max} bytes")]
    FileTooLarge {
        /// File size.
        bytes: u64,
        /// Limit.
        max: u64,
    },
    /// Not a known image format.
    #[error("not a photo smp-heal can read (JPEG, PNG, TIFF or WebP): the contents are something else")]
    NotAnImage,
    /// An image format smp-heal does not read (GIF, BMP, HEIC...).
    #[error("a {0} image: smp-heal reads JPEG, PNG, TIFF and WebP; export the photo as JPEG")]
    UnsupportedFormat(String),
    /// Over the pixel limit.
    #[error("the image claims {width}x{height} pixels, over the limit of {max} pixels")]
    TooManyPixels {
        /// Width.
        width: u32,
        /// Height.
        height: u32,
        /// Limit.
        max: u64,
    },
    /// Too small to hold dots.
    #[error("the image is only {width}x{height} pixels: too small to measure")]
    TooSmall {
        /// Width.
        width: u32,
        /// Height.
        height: u32,
    },
    /// A JPEG cut off before its end.
    #[error("the JPEG file is cut off before its end: probably an interrupted copy or download")]
    Truncated,
    /// The decoder failed (truncated or corrupt data).
    #[error("the image data is damaged or unsupported: {0}")]
    Decode(String),
}

/// Options of the measurement.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeasureOptions {
    /// Restrict the treated area to this part of the frame. Default: the whole frame.
    pub roi: Option<Roi>,
    /// Decoding limits. Default: [`Limits::default`].
    pub limits: Limits,
    /// Look for a reference card and calibrate colours with it. Default: yes.
    pub reference_card: bool,
    /// The reference card's longer side in millimetres, for the scale. Default: unknown.
    pub card_size_mm: Option<f64>,
    /// Untreated reference skin set by hand (fractions of the frame) instead of found. Default: found.
    pub reference_roi: Option<Roi>,
}

impl Default for MeasureOptions {
    fn default() -> Self {
        MeasureOptions {
            roi: None,
            limits: Limits::default(),
            reference_card: true,
            card_size_mm: None,
            reference_roi: None,
        }
    }
}

/// The result of measuring one photo.
#[derive(Debug, Clone)]
pub struct Measurement {
    /// Width in pixels (after EXIF orientation).
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The numbers.
    pub metrics: Metrics,
    /// Quality warnings.
    pub warnings: Vec<Warning>,
    /// The dots counted (centre inside the treated area).
    pub dots: Vec<Dot>,
    /// The hairs counted.
    pub hairs: Vec<Hair>,
    /// Dot contrast threshold used.
    pub dot_threshold: f32,
    /// Share of the frame used as untreated reference skin.
    pub untreated_fraction: f64,
    /// How the colours were calibrated.
    pub calibration: Calibration,
    /// The treated area, row-major, one flag per pixel (for overlays).
    pub treated: Vec<bool>,
    /// The untreated reference skin, row-major, one flag per pixel (for overlays).
    pub untreated: Vec<bool>,
    /// Treated pixels in a patch with far less pigment (for overlays).
    pub patches: Vec<bool>,
}

/// Decodes and measures one photo file.
pub fn measure_file(path: &Path, opts: &MeasureOptions) -> Result<Measurement, MeasureError> {
    let stored = decode::decode_stored(path, &opts.limits)?;
    Ok(measure_stored(&stored.image, opts, stored.jpeg_luma_table.as_ref()))
}

/// Closing radius used first: removes dots up to about 20 px across.
const BASE_BACKGROUND_RADIUS: usize = 10;

/// The closing wants a radius of 1.6 typical dot diameters, which fills touching dots too; it is redone wider only
/// when that is more than this times the radius used. A window of 1.6 / 1.3 = 1.2 diameters still fills single dots
/// and rows of touching ones, and each pass costs a third of the measurement: on 12 MP close-ups with 6-8 px dots
/// the second pass (radius 10 to 11-13) changed the counts by under 0.05% and took 2.4-2.8 s to 1.6-2.1 s.
const REDO_MARGIN: f32 = 1.3;

/// Pixels usable as skin background: no channel clipped (at or above 250).
fn usable_pixels(img: &RgbImage) -> Vec<bool> {
    img.as_raw().chunks_exact(3).map(|p| p.iter().all(|&c| c < 250)).collect()
}

/// Measures an 8-bit RGB photo, taken as stored without loss (no compression bias taken out of its dots).
pub fn measure_image(img: &RgbImage, opts: &MeasureOptions) -> Measurement {
    measure_stored(img, opts, None)
}

/// Measures an 8-bit RGB photo decoded from a JPEG stored with luma quantisation `jpeg_luma_table` (natural
/// order; `None` for a lossless file): the typical dot's diameter and contrast are reported with the
/// compression's widening and fading taken out (`jpeg_bias`).
pub fn measure_stored(img: &RgbImage, opts: &MeasureOptions, jpeg_luma_table: Option<&[u16; 64]>) -> Measurement {
    let calibration = if opts.reference_card { card::detect_card(img) } else { Calibration::none() };
    let colour = Colour::new(img, calibration.gains);
    let smooth = binomial3(&colour.l);
    let usable = usable_pixels(img);
    let mut radius = BASE_BACKGROUND_RADIUS;
    let (blobs, mut classified, background, min_background, typical) = loop {
        let background = morph::close(&smooth, radius);
        let min_background = 0.5 * skin_lightness(&colour, &background);
        let blobs = find_blobs(&smooth, &background, &usable, min_background);
        let ctx = DotContext { l: &colour.l, smooth: &smooth, background: &background, blobs: &blobs, usable: &usable };
        let classified = classify(&ctx);
        let typical = median(classified.dots.iter().map(|(d, _)| d.diameter)).unwrap_or(0.0);
        let wanted = (1.6 * typical).ceil() as usize;
        if wanted as f32 <= REDO_MARGIN * radius as f32 || radius >= 48 {
            break (blobs, classified, background, min_background, typical);
        }
        radius = wanted.min(48);
    };
    // The smoothed plane and the usable mask are done with, and the background once the fringe is found: freed
    // before the fringe's and the areas' masks are built.
    drop((smooth, usable));
    deblend::mark_blends(&colour.l, &mut classified.dots);
    let fringe = hair_fringe(&blobs, &classified, &background, min_background, typical);
    drop(background);
    let all_dots: Vec<Dot> = classified.dots.iter().map(|(d, _)| *d).collect();
    let areas = find_areas(&colour, &all_dots, &fringe, opts.roi, opts.reference_roi);
    let mm_per_px = opts
        .card_size_mm
        .filter(|mm| *mm > 0.0 && calibration.card_length_px > 0.0)
        .map(|mm| mm / calibration.card_length_px);
    let mut m = summarise(&colour, &blobs, &classified, &areas, calibration, jpeg_luma_table);
    if let Some(s) = mm_per_px {
        m.metrics.mm_per_px = Some(s);
        m.metrics.dot_diameter_mm = m.metrics.dot_diameter_px.map(|d| d * s);
        m.metrics.dot_density_per_cm2 = m.metrics.dot_density_per_mpx.map(|d| d / 1e6 / (s * s) * 100.0);
    }
    m
}

fn summarise(
    colour: &Colour,
    blobs: &Blobs,
    c: &Classified,
    areas: &Areas,
    calibration: Calibration,
    jpeg_luma_table: Option<&[u16; 64]>,
) -> Measurement {
    let img = colour.img;
    let (w, h) = (img.width() as usize, img.height() as usize);
    let inside = |x: f32, y: f32| {
        let (xi, yi) = (x.round() as usize, y.round() as usize);
        x >= 0.0 && y >= 0.0 && xi < w && yi < h && areas.treated[yi * w + xi]
    };
    let dots: Vec<Dot> = c.dots.iter().map(|(d, _)| *d).filter(|d| inside(d.x, d.y)).collect();
    let hairs: Vec<Hair> = c.hairs.iter().chain(&c.hairs_on_dots).copied().filter(|hr| inside(hr.x, hr.y)).collect();
    let mut excluded = exclusion_mask(blobs, c, w, h);
    excluded.iter_mut().zip(&areas.shiny).for_each(|(e, &s)| *e |= s);
    let red = redness::measure_redness(colour, areas, &excluded, calibration.gains);
    // A photo without colour holds no redness: its a* of about 0 would read as a healed scalp.
    let red = match areas.cast {
        Some(t) if t.colourless() => {
            redness::Redness { redness_a: None, redness_delta_a: None, erythema_index: None, ita_deg: None, ..red }
        }
        _ => red,
    };
    let patches = patchiness::patches(&dots, &areas.treated, w, h, areas.spacing);
    let treated_px = areas.treated_count();
    let treated_fraction = treated_px as f64 / (w * h) as f64;
    let per_treated = |v: f64| (treated_px > 0).then(|| v / treated_px as f64);
    // Two dots blurred into one count for two, and say nothing of the typical dot's size, contrast or sharpness.
    let dot_count = dots.iter().map(|d| 1 + u64::from(d.blended)).sum::<u64>();
    let med = |f: fn(&Dot) -> f32| median(dots.iter().filter(|d| !d.blended).map(f)).map(|v| v as f64);
    let sharpness = med(|d| d.edge_sharpness);
    // The typical dot as the optics formed it: JPEG's widening and fading taken out of the medians.
    let (diameter, contrast) = (med(|d| d.diameter), med(|d| d.contrast));
    let bias =
        jpeg_luma_table.zip(diameter).and_then(|(table, typical)| jpeg_bias::bias(img, table, &dots, typical as f32));
    let (to_diameter, to_contrast) = bias.map_or((1.0, 1.0), |b| (f64::from(b.diameter), f64::from(b.contrast)));
    let clipped = quality::clipped_fraction(img);
    let treated_l = median_over(&colour.l, &areas.treated);
    let metrics = Metrics {
        redness_a: red.redness_a,
        redness_delta_a: red.redness_delta_a,
        erythema_index: red.erythema_index,
        ita_deg: red.ita_deg,
        dot_count,
        dot_density_per_mpx: per_treated(dot_count as f64 * 1e6),
        dot_diameter_px: diameter.map(|d| d * to_diameter),
        dot_contrast: contrast.map(|c| c * to_contrast),
        dot_coverage: per_treated(dots.iter().map(|d| d.area as f64).sum::<f64>() * to_diameter * to_diameter),
        hair_count: hairs.len() as u64,
        patchiness: patches.as_ref().map(|(share, _)| *share),
        treated_fraction,
        sharpness,
        clipped_fraction: clipped,
        untreated_fraction: red.untreated_fraction,
        treated_lab: red.treated_lab,
        untreated_lab: red.untreated_lab,
        ita_class: red.ita_deg.map(|v| metrics::ita_class(v).to_string()),
        dot_spacing_px: (areas.spacing > 0.0).then_some(areas.spacing as f64),
        mm_per_px: None,
        dot_diameter_mm: None,
        dot_density_per_cm2: None,
    };
    let (blown_fraction, black_fraction) = quality::clipped_shares(img);
    let warnings = quality::quality_warnings(&quality::QualityInput {
        sharpness,
        blown_fraction,
        black_fraction,
        frame_median_l: median(colour.l.data.iter().step_by(7).copied()).unwrap_or(0.0) as f64,
        treated_median_l: treated_l,
        treated_fraction,
        dot_count: dot_count as usize,
        near_threshold: quality::near_threshold_share(dots.iter().map(|d| d.contrast), c.threshold),
        cast: areas.cast.map(|t| (f64::from(t.hue()), t.colourless())),
    });
    Measurement {
        width: w as u32,
        height: h as u32,
        metrics,
        warnings,
        dots,
        hairs,
        dot_threshold: c.threshold,
        untreated_fraction: red.untreated_fraction,
        calibration,
        treated: areas.treated.clone(),
        untreated: areas.untreated.clone(),
        patches: patches.map(|(_, m)| m).unwrap_or_else(|| vec![false; w * h]),
    }
}

/// Pixels of dots, hairs and other marks, dilated by 2 px: left out of the redness figures.
fn exclusion_mask(blobs: &Blobs, c: &Classified, w: usize, h: usize) -> Vec<bool> {
    let mut marks = vec![false; w * h];
    let blob_ids =
        c.dots.iter().map(|(_, b)| *b).chain(c.hairs.iter().map(|hr| hr.blob)).chain(c.others.iter().copied());
    for bi in blob_ids {
        for &p in blobs.pixels_of(&blobs.blobs[bi]) {
            marks[p as usize] = true;
        }
    }
    morph::dilate_mask(&marks, w, h, 2)
}

/// Median background lightness over skin-coloured pixels (chroma >= 5, hue angle 0-100 degrees), sampled on a
/// 4-pixel lattice; over all pixels when none is skin-coloured.
pub fn skin_lightness(colour: &Colour, background: &Plane) -> f32 {
    let (w, h) = (colour.l.width, colour.l.height);
    let sample = |skin_only: bool| {
        let mut v = Vec::new();
        for y in (0..h).step_by(4) {
            for x in (0..w).step_by(4) {
                let i = y * w + x;
                let [_, a, b] = colour.lab(i);
                let hue = b.atan2(a).to_degrees();
                if !skin_only || (a.hypot(b) >= 5.0 && (0.0..=100.0).contains(&hue)) {
                    v.push(background.data[i]);
                }
            }
        }
        median(v.into_iter())
    };
    sample(true).or_else(|| sample(false)).unwrap_or(0.0)
}

/// Median of the plane over the masked pixels, sampled at every 7th pixel as the frame's median is: it only judges
/// exposure (under 15 or over 92 L*), where a tenth of an L* unit does not matter, and the full median of a 12 MP
/// treated area took 40 ms.
fn median_over(p: &Plane, mask: &[bool]) -> Option<f64> {
    let sample = p.data.iter().zip(mask).step_by(7).filter(|(_, &m)| m).map(|(v, _)| *v);
    median(sample).or_else(|| median(p.data.iter().zip(mask).filter(|(_, &m)| m).map(|(v, _)| *v))).map(f64::from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::colour::{lab_to_linear_rgb, linear_to_srgb, Lab};

    /// Flat skin with a square lattice of antialiased dots of known diameter and Weber contrast, and an untreated
    /// strip of the same skin at the bottom.
    fn lattice(w: u32, h: u32, diameter: f64, spacing: f64, contrast: f64) -> (RgbImage, usize) {
        let skin = Lab { l: 65.0, a: 14.0, b: 17.0 };
        let dot = Lab { l: 65.0 * (1.0 - contrast), a: 3.0, b: -2.0 };
        let (sl, dl) = (lab_to_linear_rgb(skin), lab_to_linear_rgb(dot));
        let treated_h = h as f64 * 0.75;
        let r = diameter / 2.0;
        let mut count = 0;
        let mut centres = Vec::new();
        let mut y = spacing / 2.0;
        while y < treated_h {
            let mut x = spacing / 2.0;
            while x < w as f64 {
                centres.push((x + 0.3 * (y % 3.0), y));
                count += 1;
                x += spacing;
            }
            y += spacing;
        }
        let img = RgbImage::from_fn(w, h, |px, py| {
            let mut cover = 0.0;
            for (cx, cy) in
                centres.iter().filter(|(cx, cy)| (cx - px as f64).abs() < r + 1.0 && (cy - py as f64).abs() < r + 1.0)
            {
                for sy in 0..4 {
                    for sx in 0..4 {
                        let (fx, fy) =
                            (px as f64 + (sx as f64 + 0.5) / 4.0 - 0.5, py as f64 + (sy as f64 + 0.5) / 4.0 - 0.5);
                        if (fx - cx).powi(2) + (fy - cy).powi(2) <= r * r {
                            cover += 1.0 / 16.0;
                        }
                    }
                }
            }
            let c = |k: usize| (linear_to_srgb(sl[k] * (1.0 - cover) + dl[k] * cover) * 255.0).round() as u8;
            image::Rgb([c(0), c(1), c(2)])
        });
        (img, count)
    }

    #[test]
    fn measures_a_known_lattice_of_dots() {
        let (img, count) = lattice(400, 300, 6.0, 18.0, 0.35);
        let m = measure_image(&img, &MeasureOptions::default());
        let got = m.metrics.dot_count as f64;
        assert!((got - count as f64).abs() <= 0.05 * count as f64, "{got} vs {count}");
        let d = m.metrics.dot_diameter_px.unwrap();
        assert!((d - 6.0).abs() < 0.6, "{d}");
        let c = m.metrics.dot_contrast.unwrap();
        assert!((c - 0.35).abs() < 0.035, "{c}");
        assert!(m.metrics.patchiness.unwrap() < 0.01);
        let a = m.metrics.redness_a.unwrap();
        assert!((a - 14.0).abs() < 0.5, "{a}");
        let delta = m.metrics.redness_delta_a.unwrap();
        assert!(delta.abs() < 0.5, "{delta}");
        assert!((m.metrics.treated_fraction - 0.75).abs() < 0.06, "{}", m.metrics.treated_fraction);
    }
}
