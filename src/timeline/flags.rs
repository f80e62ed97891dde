/*!
Flags (what needs a technician's attention) and notes (worth knowing, nothing to act on).

Every flag has a fixed code, a severity, a message in plain words and its evidence (the photos, days and values
that raised it). The rules, on the relative values of [`super`] and the bands of the profile, on each photo's nominal
day (rounded to
the whole day, see [`super::stage`]):
- `slow_redness` (warning): redness excess above the band that holds from day 3.5 (0.5 by default) by more than
  [`BAND_TOLERANCE`], on a photo from day 3.5 on (the day-7 band applies from day 7);
- `persistent_redness` (warning): above the band from day 7 (0.25) by more than the tolerance, from day 7 on;
- `redness_rising` (alert): the redness metric up by more than [`RISE_A`] a* units and [`RISE_SHARE`] of the
  session's post-session redness between two photos, the later one after day 2;
- `patchy` (warning): patchiness at least [`PATCHY_AT`] on a photo from day 5 on (a tenth of the treated area
  missing most of its dots);
- `no_lightening` (warning): contrast ratio above the band from day 7 by more than the tolerance, from day 7 on;
- `low_contrast_after_settling` (warning): contrast ratio below the band from day 28 by more than the tolerance;
- `hair_regrowth` (warning): at least [`HAIR_REGROWTH_COUNT`] hair strokes in the treated area and
  [`HAIR_REGROWTH_SHARE`] of the dot count, on any photo;
- `session_too_soon` (warning): two sessions closer than the profile's least gap (7 days);
- `photo_quality` (warning): photos that could not be measured or carry a quality warning (blurred, over- or
  underexposed, treated area too small);
- `insufficient_data` (warning): a session with fewer than 3 measured photos.

Contrast rules apply only where contrast can be judged (dots at least 4 px across), and redness rules only where
the session has a post-session redness to follow. Redness flags on brown or dark skin (the session's median ITA
under 10 degrees) carry `confidence: lower` and say so in their message.
*/

use serde::{Deserialize, Serialize};

use super::profile::{bounds_on, Profile};
use super::stage::nominal_day;
use super::{SessionFit, SessionView, MIN_PHOTOS_FOR_FIT};
use crate::report::{round4, PhotoEntry, Status};
use crate::sessions::{Session, SessionSource};

/// How far past a band's bound a value must be to raise a flag (measurement noise).
pub const BAND_TOLERANCE: f64 = 0.05;
/// Least rise of redness, a* units, for `redness_rising`.
pub const RISE_A: f64 = 1.5;
/// Least rise of redness as a share of the session's post-session redness, for `redness_rising`.
pub const RISE_SHARE: f64 = 0.2;
/// Least patchiness for `patchy`.
pub const PATCHY_AT: f64 = 0.10;
/// Least hair strokes for `hair_regrowth`.
pub const HAIR_REGROWTH_COUNT: u64 = 40;
/// Least hair strokes per dot for `hair_regrowth`.
pub const HAIR_REGROWTH_SHARE: f64 = 0.025;

/// Warning codes that make a photo's quality a flag.
const QUALITY_WARNINGS: [&str; 5] = ["blurred", "overexposed", "underexposed", "treated_area_too_small", "colour_cast"];

/// The fixed flag codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagCode {
    /// Redness above the mid-week band.
    SlowRedness,
    /// Redness above the day-7 band.
    PersistentRedness,
    /// Redness clearly up between two photos after day 2.
    RednessRising,
    /// A region with far fewer or far lighter dots.
    Patchy,
    /// Dots not lighter by day 7.
    NoLightening,
    /// Dots lighter than the settled band.
    LowContrastAfterSettling,
    /// Stubble in the treated area.
    HairRegrowth,
    /// Sessions closer than the least gap.
    SessionTooSoon,
    /// Photos that could not be measured well.
    PhotoQuality,
    /// Too few photos in a session.
    InsufficientData,
}

impl FlagCode {
    /// The code as written in the report.
    pub fn name(self) -> &'static str {
        match self {
            FlagCode::SlowRedness => "slow_redness",
            FlagCode::PersistentRedness => "persistent_redness",
            FlagCode::RednessRising => "redness_rising",
            FlagCode::Patchy => "patchy",
            FlagCode::NoLightening => "no_lightening",
            FlagCode::LowContrastAfterSettling => "low_contrast_after_settling",
            FlagCode::HairRegrowth => "hair_regrowth",
            FlagCode::SessionTooSoon => "session_too_soon",
            FlagCode::PhotoQuality => "photo_quality",
            FlagCode::InsufficientData => "insufficient_data",
        }
    }
}

/// How urgent a flag is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Look at it.
    Warning,
    /// Act on it.
    Alert,
}

/// Something that needs attention.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flag {
    /// Fixed code.
    pub code: FlagCode,
    /// warning or alert.
    pub severity: Severity,
    /// The session it concerns, if one.
    pub session: Option<usize>,
    /// Plain words for the technician.
    pub message: String,
    /// The photos and values behind it.
    pub evidence: Vec<Evidence>,
    /// normal, or lower: a redness flag on brown or dark skin (ITA under 10 degrees), where redness is harder to
    /// see and to measure.
    pub confidence: Confidence,
}

/// How far a flag can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// As measured.
    Normal,
    /// Redness on brown or dark skin.
    Lower,
}

/// ITA (degrees) under which skin is brown or dark and redness flags carry lower confidence.
pub const LOWER_CONFIDENCE_ITA: f64 = 10.0;

const LOWER_CONFIDENCE_NOTE: &str = " Lower confidence: on brown and dark skin redness is harder to see and to \
                                     measure; confirm by looking at the scalp.";

/// One value behind a flag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// The photo, if one.
    pub file: Option<String>,
    /// Its day since the session start (or the session's start day offset for session gaps).
    pub day: Option<f64>,
    /// What the value is.
    pub what: String,
    /// The value.
    pub value: f64,
}

/// Something worth knowing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    /// Stable code.
    pub code: String,
    /// Plain words.
    pub message: String,
}

fn note(code: &str, message: String) -> Note {
    Note { code: code.to_string(), message }
}

fn evidence(file: &str, day: f64, what: &str, value: f64) -> Evidence {
    Evidence { file: Some(file.to_string()), day: Some(round4(day)), what: what.to_string(), value: round4(value) }
}

/// Raises the flags and writes the notes.
pub(crate) fn evaluate(
    photos: &[PhotoEntry],
    sessions: &[Session],
    views: &[SessionView],
    fits: &[SessionFit],
    profile: &Profile,
) -> (Vec<Flag>, Vec<Note>) {
    let mut flags = Vec::new();
    let mut notes = Vec::new();
    for pair in sessions.windows(2) {
        let gap = pair[1].start.days_since(pair[0].start);
        if gap < profile.min_session_gap_days {
            flags.push(Flag {
                code: FlagCode::SessionTooSoon,
                severity: Severity::Warning,
                session: Some(pair[1].index),
                message: format!(
                    "Session {} started {gap:.1} days after session {}; sessions should be at least {} days apart so \
                     the skin can heal in between.",
                    pair[1].index, pair[0].index, profile.min_session_gap_days
                ),
                evidence: vec![Evidence {
                    file: None,
                    day: None,
                    what: "days between sessions".into(),
                    value: round4(gap),
                }],
                confidence: Confidence::Normal,
            });
        }
    }
    for view in views {
        session_flags(view, profile, &mut flags, &mut notes);
    }
    quality_flag(photos, &mut flags);
    session_notes(photos, sessions, fits, profile, &mut notes);
    flags.sort_by_key(|f| (f.session, f.code));
    (flags, notes)
}

fn session_flags(view: &SessionView, profile: &Profile, flags: &mut Vec<Flag>, notes: &mut Vec<Note>) {
    let s = view.index;
    let dark = view.ita_deg.is_some_and(|ita| ita < LOWER_CONFIDENCE_ITA);
    let mut raise = |code: FlagCode, severity: Severity, mut message: String, evidence: Vec<Evidence>| {
        let redness = matches!(code, FlagCode::SlowRedness | FlagCode::PersistentRedness | FlagCode::RednessRising);
        let confidence = if redness && dark {
            message += LOWER_CONFIDENCE_NOTE;
            Confidence::Lower
        } else {
            Confidence::Normal
        };
        if !evidence.is_empty() {
            flags.push(Flag { code, severity, session: Some(s), message, evidence, confidence });
        }
    };
    if view.rows.len() < MIN_PHOTOS_FOR_FIT {
        raise(
            FlagCode::InsufficientData,
            Severity::Warning,
            format!(
                "Session {s} has {} measured photo(s); take at least {MIN_PHOTOS_FOR_FIT} (for example on days 0, 3-4 \
                 and 7) to follow the healing.",
                view.rows.len()
            ),
            vec![Evidence { file: None, day: None, what: "measured photos".into(), value: view.rows.len() as f64 }],
        );
    }
    let above = |bands: &[super::profile::Band], day: f64, v: f64| {
        bounds_on(bands, day).1.is_some_and(|hi| v > hi + BAND_TOLERANCE)
    };
    let below = |bands: &[super::profile::Band], day: f64, v: f64| {
        bounds_on(bands, day).0.is_some_and(|lo| v < lo - BAND_TOLERANCE)
    };
    let red = &profile.bands.redness_excess;
    let ev = |pick: &dyn Fn(&super::Row) -> Option<f64>, what: &str, keep: &dyn Fn(&super::Row, f64) -> bool| {
        view.rows
            .iter()
            .filter_map(|r| pick(r).filter(|v| keep(r, *v)).map(|v| evidence(&r.file, r.day, what, v)))
            .collect::<Vec<_>>()
    };
    raise(
        FlagCode::SlowRedness,
        Severity::Warning,
        format!(
            "Session {s}: the redness is going down more slowly than expected (more than half of it left after \
             mid-week). Check aftercare (no scratching, sun or sweat) and take another photo in a few days."
        ),
        ev(&|r| r.excess, "redness excess", &|r, v| nominal_day(r.day) >= 3.5 && above(red, nominal_day(r.day), v)),
    );
    raise(
        FlagCode::PersistentRedness,
        Severity::Warning,
        format!(
            "Session {s}: the skin is still red a week or more after the session. Ask the client how the scalp \
             feels; if it stays red, wait with the next session and consider advice from a doctor."
        ),
        ev(&|r| r.excess, "redness excess", &|r, v| nominal_day(r.day) >= 7.0 && above(red, nominal_day(r.day), v)),
    );
    let mut rising = Vec::new();
    if let Some(amp) = view.amplitude {
        for pair in view.rows.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            if let (Some(ra), Some(rb)) = (a.redness, b.redness) {
                if nominal_day(b.day) > 2.0 && rb - ra > RISE_A.max(RISE_SHARE * amp) {
                    rising.push(evidence(&a.file, a.day, "redness (a*)", ra));
                    rising.push(evidence(&b.file, b.day, "redness (a*)", rb));
                }
            }
        }
    }
    raise(
        FlagCode::RednessRising,
        Severity::Alert,
        format!(
            "Session {s}: the redness went up again between photos while healing. Contact the technician, and a \
             doctor if the scalp is painful, swollen, warm or weeping. (smp-heal measures colour; it cannot \
             diagnose.)"
        ),
        rising,
    );
    raise(
        FlagCode::Patchy,
        Severity::Warning,
        format!(
            "Session {s}: part of the treated area has far fewer or far lighter dots than around it; scabs were \
             likely lost early (picked or rubbed off). Plan a touch-up of that area in the next session."
        ),
        ev(&|r| r.patchiness, "patchiness", &|r, v| nominal_day(r.day) >= 5.0 && v >= PATCHY_AT),
    );
    let con = &profile.bands.contrast;
    let judged = |r: &super::Row| r.contrast_ratio.filter(|_| r.judged);
    raise(
        FlagCode::NoLightening,
        Severity::Warning,
        format!(
            "Session {s}: the dots are not lighter a week after the session, as they usually are. Scabs may still \
             be on; check again at day 10-14."
        ),
        ev(&judged, "contrast ratio", &|r, v| nominal_day(r.day) >= 7.0 && above(con, nominal_day(r.day), v)),
    );
    raise(
        FlagCode::LowContrastAfterSettling,
        Severity::Warning,
        format!(
            "Session {s}: after settling the dots kept less than half of their first darkness. Plan the next \
             session to build up the density."
        ),
        ev(&judged, "contrast ratio", &|r, v| nominal_day(r.day) >= 28.0 && below(con, nominal_day(r.day), v)),
    );
    raise(
        FlagCode::HairRegrowth,
        Severity::Warning,
        format!(
            "Session {s}: hair is growing in the treated area; it hides and mimics dots. Ask the client to shave \
             before the photos and before the next session."
        ),
        ev(&|r| Some(r.hair_count as f64), "hair strokes", &|r, v| {
            r.hair_count >= HAIR_REGROWTH_COUNT && v >= HAIR_REGROWTH_SHARE * r.dot_count as f64
        }),
    );
    if view.rows.len() >= MIN_PHOTOS_FOR_FIT && view.amplitude.is_none() {
        notes.push(note(
            "no_redness_to_follow",
            format!(
                "Session {s}: the first photo shows less than {} a* units of redness above the baseline, so the \
                 redness course is not followed (was it taken some days after the session?).",
                super::MIN_EXCESS_A
            ),
        ));
    }
}

fn quality_flag(photos: &[PhotoEntry], flags: &mut Vec<Flag>) {
    let mut evidence = Vec::new();
    for p in photos {
        if p.status == Status::Error {
            evidence.push(Evidence {
                file: Some(p.file.clone()),
                day: p.day,
                what: "could not be measured".into(),
                value: 1.0,
            });
        }
        for w in p.warnings.iter().filter(|w| QUALITY_WARNINGS.contains(&w.code.as_str())) {
            evidence.push(Evidence { file: Some(p.file.clone()), day: p.day, what: w.code.clone(), value: 1.0 });
        }
    }
    if !evidence.is_empty() {
        let files: std::collections::BTreeSet<&str> = evidence.iter().filter_map(|e| e.file.as_deref()).collect();
        flags.push(Flag {
            code: FlagCode::PhotoQuality,
            severity: Severity::Warning,
            session: None,
            message: format!(
                "{} photo(s) could not be measured or were measured poorly (see each photo's warnings); retake them \
                 at the same distance, in focus, evenly lit and in neutral light.",
                files.len()
            ),
            evidence,
            confidence: Confidence::Normal,
        });
    }
}

fn session_notes(
    photos: &[PhotoEntry],
    sessions: &[Session],
    fits: &[SessionFit],
    profile: &Profile,
    notes: &mut Vec<Note>,
) {
    if sessions.first().is_some_and(|s| s.source == SessionSource::AssumedFirstPhoto) {
        notes.push(note(
            "session_assumed",
            "No --session date was given: session 1 is taken to start at the earliest photo.".to_string(),
        ));
    }
    if sessions.len() < profile.min_sessions {
        notes.push(note(
            "more_sessions_needed",
            format!("A treatment takes at least {} sessions; {} so far.", profile.min_sessions, sessions.len()),
        ));
    }
    for f in fits {
        if let Some(share) = f.contrast.day7_share_of_scab {
            notes.push(note(
                "day7_fade",
                format!(
                    "Session {}: at day 7 the dots keep {:.0}% of their scab-phase darkness. Dots looking lighter in \
                     the first week (\"phantom fade\") is expected as the scabs come off.",
                    f.session,
                    100.0 * share
                ),
            ));
        }
        if !f.contrast.judged && f.photos > 0 {
            notes.push(note(
                "contrast_not_judged",
                format!(
                    "Session {}: the dots are under {} px across in these photos, too small for their darkness to \
                     be judged against the expected course; photograph closer to follow it.",
                    f.session,
                    super::stage::MIN_JUDGED_DIAMETER_PX
                ),
            ));
        }
    }
    let mtime = photos.iter().filter(|p| p.warnings.iter().any(|w| w.code == "date_from_mtime")).count();
    if mtime > 0 {
        notes.push(note(
            "dates_from_file_times",
            format!("{mtime} photo(s) are dated by file modification time, which copying can change."),
        ));
    }
    let before = photos.iter().filter(|p| p.session.is_none()).count();
    if before > 0 {
        notes.push(note(
            "photos_before_first_session",
            format!("{before} photo(s) were taken before the first session and are not part of any timeline."),
        ));
    }
}
