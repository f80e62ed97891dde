/*!
The analysis run: discover the photos and their dates, measure each photo (in parallel, one photo's pixels in
memory per worker), place them in sessions, and build the [`Report`]. The library never prints: progress goes to
a callback, failures into the report.
*/

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::discover::{discover, DiscoverError, Discovered};
use crate::measure::card::Calibration;
use crate::measure::{measure_file, MeasureOptions, Measurement, Warning};
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

/// Runs the analysis and returns the report (nothing is written here).
pub fn analyze(config: &AnalyzeConfig, progress: &(dyn Fn(Progress) + Sync)) -> Result<Report, AnalyzeError> {
    let found = discover(&config.photo_dir, std::slice::from_ref(&config.out_dir))?;
    if found.photos.is_empty() {
        return Err(AnalyzeError::NoPhotos(config.photo_dir.clone()));
    }
    progress(Progress::Found(found.photos.len()));
    let times: Vec<CivilTime> = found.photos.iter().map(|p| p.capture.time).collect();
    let sessions = plan_sessions(&config.sessions, &times);
    let measure_one = |p: &Discovered| {
        let result = measure_guarded(&p.path, &config.measure);
        progress(Progress::Measured { file: &p.rel, error: result.as_ref().err().map(String::as_str) });
        result
    };
    let jobs = config.jobs.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build().map_err(|_| AnalyzeError::Threads(jobs))?;
    let results: Vec<Result<Measurement, String>> = pool.install(|| found.photos.par_iter().map(measure_one).collect());
    let mut photos: Vec<PhotoEntry> =
        found.photos.iter().zip(results).map(|(p, r)| photo_entry(p, r, &sessions)).collect();
    crate::camera::consistency_warnings(&mut photos);
    let timeline = timeline::build(&photos, &sessions, &config.profile);
    for (p, stage) in photos.iter_mut().zip(timeline.stages) {
        p.stage = stage;
    }
    Ok(Report {
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
    })
}

/// Measures one file; a panic inside the analysis becomes that photo's error instead of ending the batch.
fn measure_guarded(path: &Path, opts: &MeasureOptions) -> Result<Measurement, String> {
    match std::panic::catch_unwind(|| measure_file(path, opts)) {
        Ok(result) => result.map_err(|e| e.to_string()),
        Err(_) => Err("internal error while measuring this photo (please report it with the photo)".to_string()),
    }
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
