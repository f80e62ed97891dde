/*!
The analysis run: discover the photos and their dates, measure each photo (in parallel, one photo's pixels in
memory per worker), place them in sessions, and build the [`Report`]. The library never prints: progress goes to
a callback, failures into the report.
*/

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::discover::{discover, DiscoverError, Discovered};
use crate::measure::card::Calibration;
use crate::measure::decode::decode_stored;
use crate::measure::{measure_stored, MeasureOptions, Measurement, Warning};
use crate::report::overlay::pictures;
use crate::report::{round4, rounded, Input, PhotoEntry, Report, SessionEntry, Status, Tool, SCHEMA_VERSION};
use crate::sessions::{assign, plan_sessions, Session};
use crate::time::CivilTime;
use crate::timeline::{self, profile::Profile};

/// Name of the default output folder, made inside the photo folder.
pub const DEFAULT_OUT_DIR: &str = "smp-heal-report";

/// A validated analysis configuration (the CLI builds it; tests build it directly).
#[derive(Debug, Clone)]
pub struct AnalyzeConfig {
    /// The photo folder.
    pub photo_dir: PathBuf,
    /// Where the report goes. Default: `PHOTO_DIR/smp-heal-report`.
    pub out_dir: PathBuf,
    /// Session starts; empty means one session starting at the earliest photo.
    pub sessions: Vec<CivilTime>,
    /// Measurement options (region of interest, limits).
    pub measure: MeasureOptions,
    /// Worker threads; `None` uses every core.
    pub jobs: Option<usize>,
    /// The expected course of healing.
    pub profile: Profile,
    /// Where annotated overlays are written as each photo is measured (`overlays/` in the output folder), or
    /// `None` for none.
    pub overlays_dir: Option<PathBuf>,
}

impl AnalyzeConfig {
    /// Defaults for a photo folder.
    pub fn new(photo_dir: impl Into<PathBuf>) -> Self {
        let photo_dir = photo_dir.into();
        AnalyzeConfig {
            out_dir: photo_dir.join(DEFAULT_OUT_DIR),
            photo_dir,
            sessions: Vec::new(),
            measure: MeasureOptions::default(),
            jobs: None,
            profile: Profile::builtin(),
            overlays_dir: None,
        }
    }
}

/// Why an analysis could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum AnalyzeError {
    /// The photo folder is missing or unreadable.
    #[error(transparent)]
    Discover(#[from] DiscoverError),
    /// No photos in the folder.
    #[error("no photos (jpg, jpeg, png, tif, tiff, webp) found in {}", .0.display())]
    NoPhotos(PathBuf),
    /// The worker pool could not start.
    #[error("cannot start {0} worker threads")]
    Threads(usize),
}

/// What the progress callback hears.
#[derive(Debug, Clone)]
pub enum Progress<'a> {
    /// Photos found, before any is decoded.
    Found(usize),
    /// One photo done.
    Measured {
        /// Its relative path.
        file: &'a str,
        /// Its error, if it failed.
        error: Option<&'a str>,
    },
}

/// The small pictures kept of each measured photo for the HTML page and the contact sheet.
#[derive(Debug, Clone)]
pub struct Thumbs {
    /// The annotated overlay, small, JPEG.
    pub overlay_jpeg: Vec<u8>,
    /// The photo, small, JPEG.
    pub plain_jpeg: Vec<u8>,
    /// Bounding box of the treated area, fractions of the frame.
    pub treated_box: Option<[f64; 4]>,
}

/// Runs the analysis and returns the report (nothing is written here unless `config.overlays_dir` is set).
pub fn analyze(config: &AnalyzeConfig, progress: &(dyn Fn(Progress) + Sync)) -> Result<Report, AnalyzeError> {
    analyze_with_thumbs(config, progress, false).map(|(r, _)| r)
}

/// Runs the analysis; with `thumbs`, also keeps small pictures of each measured photo (same order as the report's
/// photos). Overlays are written to `config.overlays_dir` as each photo is measured, so no more than one photo's
/// pixels per worker are ever in memory.
pub fn analyze_with_thumbs(
    config: &AnalyzeConfig,
    progress: &(dyn Fn(Progress) + Sync),
    thumbs: bool,
) -> Result<(Report, Vec<Option<Thumbs>>), AnalyzeError> {
    let found = discover(&config.photo_dir, std::slice::from_ref(&config.out_dir))?;
    if found.photos.is_empty() {
        return Err(AnalyzeError::NoPhotos(config.photo_dir.clone()));
    }
    progress(Progress::Found(found.photos.len()));
    let times: Vec<CivilTime> = found.photos.iter().map(|p| p.capture.time).collect();
    let sessions = plan_sessions(&config.sessions, &times);
    let measure_one = |p: &Discovered| {
        let result = measure_guarded(p, config, thumbs);
        progress(Progress::Measured { file: &p.rel, error: result.as_ref().err().map(String::as_str) });
        result
    };
    let jobs = config.jobs.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build().map_err(|_| AnalyzeError::Threads(jobs))?;
    let results: Vec<Result<(Measurement, Option<Thumbs>), String>> =
        pool.install(|| found.photos.par_iter().map(measure_one).collect());
    let mut kept = Vec::with_capacity(results.len());
    let mut photos = Vec::with_capacity(results.len());
    for (p, r) in found.photos.iter().zip(results) {
        let (r, t) = match r {
            Ok((m, t)) => (Ok(m), t),
            Err(e) => (Err(e), None),
        };
        photos.push(photo_entry(p, r, &sessions));
        kept.push(t);
    }
    crate::camera::consistency_warnings(&mut photos);
    let timeline = timeline::build(&photos, &sessions, &config.profile);
    for (p, stage) in photos.iter_mut().zip(timeline.stages) {
        p.stage = stage;
    }
    Ok((
        Report {
            schema_version: SCHEMA_VERSION,
            tool: Tool::current(),
            input: Input { folder: config.photo_dir.display().to_string(), photo_count: found.photos.len() },
            sessions: sessions
                .iter()
                .map(|s| SessionEntry { index: s.index, start: s.start.to_string(), source: s.source })
                .collect(),
            photos,
            profile: config.profile.clone(),
            fits: timeline.fits,
            flags: timeline.flags,
            notes: timeline.notes,
            next_session: timeline.next_session,
        },
        kept,
    ))
}

/// Measures one file (and draws its pictures); a panic inside the analysis becomes that photo's error instead of
/// ending the batch.
fn measure_guarded(
    p: &Discovered,
    config: &AnalyzeConfig,
    thumbs: bool,
) -> Result<(Measurement, Option<Thumbs>), String> {
    let run = || -> Result<(Measurement, Option<Thumbs>), String> {
        let stored = decode_stored(&p.path, &config.measure.limits).map_err(|e| e.to_string())?;
        let img = stored.image;
        let m = measure_stored(&img, &config.measure, stored.jpeg_luma_table.as_ref());
        if config.overlays_dir.is_none() && !thumbs {
            return Ok((slim(m), None));
        }
        let pics = pictures(&img, &m);
        drop(img);
        if let Some(dir) = &config.overlays_dir {
            let path = overlay_path(dir, &p.rel);
            let written = path.parent().map_or(Ok(()), std::fs::create_dir_all).and_then(|_| {
                crate::report::json::write_atomic(&path, &crate::report::overlay::jpeg(&pics.overlay, 88))
            });
            written.map_err(|e| format!("measured, but cannot write its overlay {}: {e}", path.display()))?;
        }
        let kept = thumbs.then(|| Thumbs {
            overlay_jpeg: pics.thumb_jpeg,
            plain_jpeg: crate::report::overlay::jpeg(&pics.plain, 85),
            treated_box: pics.treated_box,
        });
        Ok((slim(m), kept))
    };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(result) => result,
        Err(_) => Err("internal error while measuring this photo (please report it with the photo)".to_string()),
    }
}

/// A measurement without its per-pixel masks and per-dot lists: what the report needs, so that a batch holds a few
/// numbers per photo, not megabytes.
fn slim(mut m: Measurement) -> Measurement {
    m.treated = Vec::new();
    m.untreated = Vec::new();
    m.patches = Vec::new();
    m.dots = Vec::new();
    m.hairs = Vec::new();
    m
}

/// Where the overlay of a photo goes: `overlays/<path relative to the photo folder>.jpg`.
pub fn overlay_path(dir: &Path, rel: &str) -> PathBuf {
    let mut path = dir.to_path_buf();
    for part in rel.split('/') {
        path.push(part);
    }
    let name = format!("{}.jpg", path.file_name().map_or(String::new(), |n| n.to_string_lossy().into_owned()));
    path.set_file_name(name);
    path
}

fn photo_entry(p: &Discovered, result: Result<Measurement, String>, sessions: &[Session]) -> PhotoEntry {
    let placed = assign(sessions, p.capture.time);
    let mut warnings = Vec::new();
    if let Some(w) = &p.date_warning {
        warnings.push(Warning::new("date_from_mtime", w.clone()));
    }
    if placed.is_none() {
        warnings.push(Warning::new(
            "before_first_session",
            "taken before the first session: not part of any session's healing timeline",
        ));
    }
    let mut entry = PhotoEntry {
        file: p.rel.clone(),
        taken: p.capture.display(),
        date_source: p.capture.source,
        session: placed.map(|(s, _)| s),
        day: placed.map(|(_, d)| round4(d)),
        status: Status::Ok,
        error: None,
        width: None,
        height: None,
        metrics: None,
        calibration: None,
        camera: p.camera.clone(),
        warnings,
        stage: None,
    };
    match result {
        Ok(m) => {
            entry.width = Some(m.width);
            entry.height = Some(m.height);
            entry.metrics = Some(rounded(&m.metrics));
            let c = m.calibration;
            entry.calibration =
                Some(Calibration { gains: c.gains.map(round4), patch_fraction: round4(c.patch_fraction), ..c });
            entry.warnings.extend(m.warnings);
        }
        Err(e) => {
            entry.status = Status::Error;
            entry.error = Some(e);
        }
    }
    entry
}
