/*!
The report: one serialisable struct that every exporter reads, and its JSON exporter.

# Format (report.json, `schema_version` 1)

```text
{
  "schema_version": 1,
  "tool": {"name": "smp-heal", "version": "0.1.0"},
  "input": {"folder": "<PHOTO_DIR as given>", "photo_count": <photos found>},
  "sessions": [{"index": 1, "start": "2026-11-02T10:00:00", "source": "option" | "assumed_first_photo"}],
  "photos": [{
    "file": "<path relative to PHOTO_DIR, '/' separators>",
    "taken": "2026-11-04T09:30:12" (or with "+01:00" when EXIF gave an offset),
    "date_source": "exif" | "filename" | "mtime",
    "session": 1 | null (taken before the first session),
    "day": 2.0396 | null (days since that session's start),
    "status": "ok" | "error",
    "error": null | "<what is wrong, in plain words>",
    "width": 1000 | null, "height": 750 | null (pixels after EXIF orientation),
    "metrics": null | { see [`Metrics`] and README },
    "warnings": [{"code": "...", "message": "..."}]
  }]
}
```
Photos are sorted by capture time, then file. Real numbers are rounded to 4 decimals; nothing depends on the clock
or on the number of threads, so the same photos and options give byte-identical files.
*/

pub mod charts;
pub mod contact;
pub mod csv;
pub mod html;
pub mod json;
pub mod outputs;
pub mod overlay;

use serde::{Deserialize, Serialize};

use crate::camera::CameraInfo;
use crate::dates::DateSource;
use crate::measure::card::Calibration;
use crate::measure::{Metrics, Warning};
use crate::sessions::SessionSource;
use crate::timeline::profile::Profile;
use crate::timeline::{Flag, NextSession, Note, PhotoStage, SessionFit};

/// Version of the report format; bumped only when a field changes meaning or disappears.
pub const SCHEMA_VERSION: u32 = 1;

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Report format version.
    pub schema_version: u32,
    /// The program that wrote it.
    pub tool: Tool,
    /// What was analysed.
    pub input: Input,
    /// Treatment sessions.
    pub sessions: Vec<SessionEntry>,
    /// One entry per photo, by capture time then file.
    pub photos: Vec<PhotoEntry>,
    /// The healing profile the timeline was judged against (stages and expected bands).
    pub profile: Profile,
    /// Per session: the redness and contrast fits and the verdict.
    pub fits: Vec<SessionFit>,
    /// What needs attention.
    pub flags: Vec<Flag>,
    /// Worth knowing, nothing to act on.
    pub notes: Vec<Note>,
    /// The next session's earliest date, with the reason.
    pub next_session: Option<NextSession>,
}

/// The program that wrote the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tool {
    /// Always "smp-heal".
    pub name: String,
    /// Crate version.
    pub version: String,
}

impl Tool {
    /// This build of smp-heal.
    pub fn current() -> Self {
        Tool { name: env!("CARGO_PKG_NAME").to_string(), version: env!("CARGO_PKG_VERSION").to_string() }
    }
}

/// What was analysed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Input {
    /// The photo folder as given.
    pub folder: String,
    /// Photos found.
    pub photo_count: usize,
}

/// One session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionEntry {
    /// 1-based number.
    pub index: usize,
    /// Start, ISO 8601 wall-clock time.
    pub start: String,
    /// Given with --session, or assumed from the earliest photo.
    pub source: SessionSource,
}

/// Whether a photo was measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Measured.
    Ok,
    /// Could not be measured; see `error`.
    Error,
}

/// One photo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhotoEntry {
    /// Path relative to the photo folder, '/' separators.
    pub file: String,
    /// Capture time, ISO 8601.
    pub taken: String,
    /// Where the capture time came from.
    pub date_source: DateSource,
    /// Session number, or null before the first session.
    pub session: Option<usize>,
    /// Days since the session's start.
    pub day: Option<f64>,
    /// ok or error.
    pub status: Status,
    /// The error, for status error.
    pub error: Option<String>,
    /// Width in pixels after EXIF orientation.
    pub width: Option<u32>,
    /// Height in pixels after EXIF orientation.
    pub height: Option<u32>,
    /// The measurements, for status ok.
    pub metrics: Option<Metrics>,
    /// How the colours were calibrated (a reference card, or none), for status ok.
    pub calibration: Option<Calibration>,
    /// Capture settings from EXIF, when the photo has any.
    pub camera: Option<CameraInfo>,
    /// Things to know about this photo.
    pub warnings: Vec<Warning>,
    /// Its place on the healing course (measured photos in a session).
    pub stage: Option<PhotoStage>,
}

/// Rounds to 4 decimals (keeps reports readable and stable); never writes `-0.0`.
pub fn round4(v: f64) -> f64 {
    (v * 1e4).round() / 1e4 + 0.0
}

/// Rounds every real number of the metrics to 4 decimals.
pub fn rounded(m: &Metrics) -> Metrics {
    let r = |v: Option<f64>| v.map(round4);
    Metrics {
        redness_a: r(m.redness_a),
        redness_delta_a: r(m.redness_delta_a),
        erythema_index: r(m.erythema_index),
        ita_deg: r(m.ita_deg),
        dot_count: m.dot_count,
        dot_density_per_mpx: r(m.dot_density_per_mpx),
        dot_diameter_px: r(m.dot_diameter_px),
        dot_contrast: r(m.dot_contrast),
        dot_coverage: r(m.dot_coverage),
        hair_count: m.hair_count,
        patchiness: r(m.patchiness),
        treated_fraction: round4(m.treated_fraction),
        sharpness: r(m.sharpness),
        clipped_fraction: round4(m.clipped_fraction),
        untreated_fraction: round4(m.untreated_fraction),
        treated_lab: m.treated_lab.map(|v| v.map(round4)),
        untreated_lab: m.untreated_lab.map(|v| v.map(round4)),
        ita_class: m.ita_class.clone(),
        dot_spacing_px: r(m.dot_spacing_px),
        mm_per_px: m.mm_per_px.map(|v| (v * 1e6).round() / 1e6),
        dot_diameter_mm: r(m.dot_diameter_mm),
        dot_density_per_cm2: r(m.dot_density_per_cm2),
    }
}

#[cfg(test)]
mod tests {
    use super::round4;

    #[test]
    fn rounds_to_four_decimals_without_negative_zero() {
        assert_eq!(round4(0.123_456), 0.1235);
        assert_eq!(round4(-2.000_04), -2.0);
        assert_eq!(round4(-0.000_01).to_string(), "0");
        assert_eq!(serde_json::to_string(&round4(-0.0)).unwrap(), "0.0");
    }
}
