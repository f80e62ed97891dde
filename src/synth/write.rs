/*!
Writing a series to disk: one JPEG per photo, with EXIF capture date, and `truth.json`.

The output is byte-for-byte deterministic for a seed and options: the JPEG encoder has no randomness or
timestamps, and `truth.json` is pretty-printed from structs in field order. Nothing else is written.
*/

use super::params::PhotoParams;
use super::truth::Truth;
use super::{Series, SynthPhoto};
use crate::colour::ita_deg;
use crate::exif_write::{jpeg_with_exif, ExifFields, ExifWriteError};
use image::codecs::jpeg::JpegEncoder;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Why a series could not be written.
#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    /// Creating the folder or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The JPEG encoder failed.
    #[error("{}: cannot encode the JPEG: {source}", path.display())]
    Jpeg {
        /// The photo being written.
        path: PathBuf,
        /// The underlying error.
        source: image::ImageError,
    },
    /// The EXIF block could not be added.
    #[error("{}: cannot add EXIF: {source}", path.display())]
    Exif {
        /// The photo being written.
        path: PathBuf,
        /// The underlying error.
        source: ExifWriteError,
    },
    /// `truth.json` could not be serialised.
    #[error("cannot serialise truth.json: {0}")]
    Json(#[from] serde_json::Error),
}

/// Contents of `truth.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TruthFile {
    /// Scenario name, e.g. `typical-healing`.
    pub scenario: String,
    /// The seed given to the generator.
    pub seed: u64,
    /// Photo width in pixels.
    pub width: u32,
    /// Photo height in pixels.
    pub height: u32,
    /// Session start, ISO 8601 wall clock (`2026-11-02T10:00:00`).
    pub session_start: String,
    /// One entry per photo, in capture order.
    pub photos: Vec<TruthPhoto>,
}

/// The truth of one photo and the rendering settings a measurer cannot know exactly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TruthPhoto {
    /// File name in the series folder.
    pub file: String,
    /// Capture time written to EXIF DateTimeOriginal, ISO 8601.
    pub taken: String,
    /// Days since the session start.
    pub day: f64,
    /// The ground truth.
    pub truth: Truth,
    /// Standard deviation of the Gaussian optical blur, pixels.
    pub blur_sigma_px: f64,
    /// Standard deviation of the sensor noise, 8-bit units.
    pub noise_sigma: f64,
    /// Skin class of the base skin colour by ITA (Del Bino et al. 2006): very-light, light, intermediate, tan,
    /// brown, dark.
    pub skin_ita_class: String,
    /// ITA of the base skin colour before lighting, degrees.
    pub skin_base_ita_deg: f64,
    /// Erythema added inside the treated zone before lighting, a* units.
    pub redness_excess_a: f64,
    /// Target Weber contrast of a typical dot.
    pub dot_contrast_target: f64,
    /// Dot swelling relative to a settled dot.
    pub dot_size_factor: f64,
    /// Scab look, 0 to 1.
    pub scab: f64,
    /// Exposure multiplier.
    pub exposure: f64,
    /// Camera magnification relative to the nominal framing.
    pub camera_scale: f64,
}

/// ITA skin class name (Chardon et al. 1991 thresholds as used by Del Bino et al. 2006).
pub fn ita_class(ita: f64) -> &'static str {
    match ita {
        x if x > 55.0 => "very-light",
        x if x > 41.0 => "light",
        x if x > 28.0 => "intermediate",
        x if x > 10.0 => "tan",
        x if x > -30.0 => "brown",
        _ => "dark",
    }
}

fn truth_photo(p: &SynthPhoto) -> TruthPhoto {
    let pp: &PhotoParams = &p.params;
    let ita = ita_deg(pp.skin_lab[0], pp.skin_lab[2]);
    TruthPhoto {
        file: p.file_name.clone(),
        taken: p.taken.to_string(),
        day: p.day,
        truth: p.truth.clone(),
        blur_sigma_px: pp.blur_sigma_px,
        noise_sigma: pp.noise_sigma,
        skin_ita_class: ita_class(ita).to_string(),
        skin_base_ita_deg: ita,
        redness_excess_a: pp.redness_excess_a,
        dot_contrast_target: pp.dot_contrast,
        dot_size_factor: pp.dot_size_factor,
        scab: pp.scab,
        exposure: pp.exposure,
        camera_scale: pp.camera.scale,
    }
}

/// The `truth.json` contents of a series.
pub fn truth_file(series: &Series) -> TruthFile {
    TruthFile {
        scenario: series.scenario.name().to_string(),
        seed: series.seed,
        width: series.width,
        height: series.height,
        session_start: series.session_start.to_string(),
        photos: series.photos.iter().map(truth_photo).collect(),
    }
}

/// A photo as JPEG bytes with EXIF DateTimeOriginal, make and model.
pub fn encode_jpeg(photo: &SynthPhoto, quality: u8, path: &Path) -> Result<Vec<u8>, SynthError> {
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, quality.clamp(1, 100))
        .encode_image(&photo.image)
        .map_err(|source| SynthError::Jpeg { path: path.to_path_buf(), source })?;
    let (y, mo, d, h, mi, s) = photo.taken.parts();
    let fields = ExifFields {
        date_time_original: Some(format!("{y:04}:{mo:02}:{d:02} {h:02}:{mi:02}:{s:02}")),
        make: Some("smp-heal".to_string()),
        model: Some("synthetic scalp camera".to_string()),
        ..ExifFields::default()
    };
    jpeg_with_exif(&jpeg, &fields).map_err(|source| SynthError::Exif { path: path.to_path_buf(), source })
}

fn write(path: PathBuf, bytes: &[u8]) -> Result<(), SynthError> {
    std::fs::write(&path, bytes).map_err(|source| SynthError::Io { path, source })
}

/// Writes the series into `dir` (created if missing): one JPEG per photo at `quality` (1-100), named as in the
/// series, and `truth.json` ([`TruthFile`], pretty-printed). Writes nothing else.
pub fn write_series(dir: &Path, series: &Series, quality: u8) -> Result<(), SynthError> {
    std::fs::create_dir_all(dir).map_err(|source| SynthError::Io { path: dir.to_path_buf(), source })?;
    let encoded: Vec<(PathBuf, Result<Vec<u8>, SynthError>)> = series
        .photos
        .par_iter()
        .map(|p| {
            let path = dir.join(&p.file_name);
            let bytes = encode_jpeg(p, quality, &path);
            (path, bytes)
        })
        .collect();
    for (path, bytes) in encoded {
        write(path, &bytes?)?;
    }
    let mut json = serde_json::to_vec_pretty(&truth_file(series))?;
    json.push(b'\n');
    write(dir.join("truth.json"), &json)
}
