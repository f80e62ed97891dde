/*!
Synthetic scalp photos with exact ground truth: the fixtures and accuracy tests are built from them.

A photo is rendered physically, in linear light: a clean layer (skin with mottling, erythema and moles on a domed
scalp, lit with shading, a light gradient, exposure and a white-balance cast, plus oily shine), then pigment
filters (SMP dots, pores, hairs, antialiased by supersampling only where an outline crosses a pixel), then optical
blur, sRGB encoding, sensor noise and 8-bit quantisation; [`write_series`] adds JPEG compression and EXIF. The
[`Truth`] of each photo is computed from the very colours and shapes that were rendered; its definitions are in
the documentation of [`Truth`] and in `truth.rs`.

- [`render_series`]: one of the eight [`Scenario`]s, six photos over 28 days, in parallel, deterministic per seed.
- [`render_photo`]: a single photo from explicit [`PhotoParams`], for known-answer tests of the measurer.
- [`write_series`]: JPEGs + `truth.json` ([`TruthFile`]).

Randomness comes from the crate's own SplitMix64 (`rng.rs`), so the pixels never change with a dependency update.
*/

mod edt;
mod field;
mod geometry;
mod hairs;
mod head;
mod ideal;
mod materials;
mod optics;
mod params;
mod pigment;
mod placement;
mod raster;
mod render;
mod rng;
mod scenario;
mod scene;
mod skin;
mod surface;
mod truth;
mod write;

#[cfg(test)]
mod tests;

pub use params::{Camera, CloseUp, FarEdge, Framing, PhotoParams};
pub use render::render_photo;
pub use scenario::Scenario;
pub use truth::{TrueDot, TrueHair, Truth};
pub use write::{encode_jpeg, ita_class, truth_file, write_series, SynthError, TruthFile, TruthPhoto};

use crate::time::CivilTime;
use rayon::prelude::*;

/// Size, seed and JPEG quality of a rendered series.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthOptions {
    /// Photo width in pixels. Default: 1000.
    pub width: u32,
    /// Photo height in pixels. Default: 750.
    pub height: u32,
    /// Random seed; the same seed gives the same pixels. Default: 1.
    pub seed: u64,
    /// JPEG quality used by callers of [`write_series`], 1-100. Default: 90.
    pub jpeg_quality: u8,
    /// A neutral 18% grey card in every photo. Default: no.
    pub grey_card: bool,
    /// Harsh lighting changes between photos: white-balance casts up to +-8% per channel and exposure 0.75-1.25
    /// (instead of +-4% and 0.9-1.1). Default: no.
    pub harsh_light: bool,
    /// Skin tone of the series as an ITA angle in degrees (the skin's L* set from its b*), instead of the
    /// scenario's. Default: the scenario's.
    pub skin_ita: Option<f64>,
    /// Dot diameter in pixels facing the camera, before the scab days' swelling, instead of the scenario's (which
    /// scales with the frame: a 4000x3000 close-up gets 24 px dots, a whole head 12 px, where a phone's 12 MP photo
    /// holds 3-10 px and 1.5-4 px). Default: the scenario's.
    pub dot_diameter_px: Option<f64>,
}

impl Default for SynthOptions {
    fn default() -> Self {
        SynthOptions {
            width: 1000,
            height: 750,
            seed: 1,
            jpeg_quality: 90,
            grey_card: false,
            harsh_light: false,
            skin_ita: None,
            dot_diameter_px: None,
        }
    }
}

/// One rendered photo with its ground truth.
#[derive(Debug, Clone)]
pub struct SynthPhoto {
    /// File name, `IMG_YYYYMMDD_HHMMSS.jpg` from the capture time.
    pub file_name: String,
    /// Capture time (wall clock), written to EXIF DateTimeOriginal.
    pub taken: CivilTime,
    /// Days since the session start.
    pub day: f64,
    /// The final 8-bit sRGB image, before JPEG compression.
    pub image: image::RgbImage,
    /// Ground truth of the photo.
    pub truth: Truth,
    /// Every dot drawn in the frame (in the treated mask or not).
    pub dots: Vec<TrueDot>,
    /// Every scalp stubble hair drawn in the frame (eyebrows and beard are not listed).
    pub hairs: Vec<TrueHair>,
    /// The parameters the photo was rendered from.
    pub params: PhotoParams,
}

/// A rendered healing series.
#[derive(Debug, Clone)]
pub struct Series {
    /// The scenario.
    pub scenario: Scenario,
    /// The seed given in [`SynthOptions`].
    pub seed: u64,
    /// Photo width in pixels.
    pub width: u32,
    /// Photo height in pixels.
    pub height: u32,
    /// When the SMP session started.
    pub session_start: CivilTime,
    /// The photos in capture order.
    pub photos: Vec<SynthPhoto>,
}

/// Renders the six photos of a scenario (days 0, 2, 4, 7, 14, 28 after a session on 2026-11-02 at 10:00).
/// Photos are rendered in parallel; the result depends only on the scenario and the options.
pub fn render_series(scenario: Scenario, opts: &SynthOptions) -> Series {
    let (start, plan) = planned(scenario, opts);
    let seed = scenario.scene_seed(opts.seed);
    let photos = plan.par_iter().map(|(taken, params)| render_planned(start, *taken, params, seed)).collect();
    Series {
        scenario,
        seed: opts.seed,
        width: opts.width.max(8),
        height: opts.height.max(8),
        session_start: start,
        photos,
    }
}

/// Renders only photo `index` (0-5) of a scenario's series, exactly as [`render_series`] renders it; `None` past
/// the last photo.
pub fn render_series_photo(scenario: Scenario, opts: &SynthOptions, index: usize) -> Option<SynthPhoto> {
    let (start, plan) = planned(scenario, opts);
    let (taken, params) = plan.get(index)?;
    Some(render_planned(start, *taken, params, scenario.scene_seed(opts.seed)))
}

fn render_planned(start: CivilTime, taken: CivilTime, params: &PhotoParams, seed: u64) -> SynthPhoto {
    SynthPhoto {
        file_name: render::file_name(taken),
        taken,
        day: taken.days_since(start),
        ..render_photo(params, seed)
    }
}

/// The session start and each photo's capture time and parameters, with the options applied.
fn planned(scenario: Scenario, opts: &SynthOptions) -> (CivilTime, Vec<(CivilTime, PhotoParams)>) {
    let (start, mut plan) = scenario.plan(opts.width, opts.height, opts.seed);
    for (_, p) in &mut plan {
        p.grey_card = opts.grey_card;
        if opts.harsh_light {
            p.cast = p.cast.map(|g| 1.0 + 2.0 * (g - 1.0));
            p.exposure = 1.0 + 2.5 * (p.exposure - 1.0);
        }
        if let Some(ita) = opts.skin_ita {
            p.skin_lab[0] = (50.0 + p.skin_lab[2] * ita.to_radians().tan()).clamp(20.0, 90.0);
        }
        if let Some(d) = opts.dot_diameter_px {
            p.dot_diameter_px = d;
        }
    }
    (start, plan)
}
