/*!
The healing timeline: each session's photos set against the expected course of healing. Per session it fits the
redness drop and the contrast settling ([`fit`]), gives every photo its expected and observed stage ([`stage`]),
raises the flags that need a technician's attention and notes what is merely worth knowing ([`flags`]), and
proposes the next session's date. Pure: it reads measured photos and returns data for the report.

Relative values, per session (the first measured photo of the session is the reference):
- redness excess `x = (r - B) / (r_first - B)`, `r` the redness metric (`redness_delta_a` normalised to the first
  photo's light level when every photo of the session has it, else `redness_a`), `B` the baseline (see
  [`RednessFit`]); unknown when the first photo is less
  than [`MIN_EXCESS_A`] a* units above the baseline (no post-session redness to follow);
- contrast ratio `dot_contrast / dot_contrast_first`; diameter ratio likewise.
*/

pub mod fit;
pub mod flags;
pub mod profile;
pub mod stage;

use serde::{Deserialize, Serialize};

use crate::report::{round4, PhotoEntry, Status};
use crate::sessions::Session;
use crate::time::CivilTime;

use fit::{fit_exp_decay, Baseline, ExpFit};
pub use flags::{Confidence, Evidence, Flag, FlagCode, Note, Severity};
use profile::Profile;
use stage::{compare, nominal_day, observed_stage, Relative, Stage, StageStatus, MIN_JUDGED_DIAMETER_PX};

/// Least post-session redness, in a* units above the baseline, for a redness excess to be followed.
pub const MIN_EXCESS_A: f64 = 1.0;

/// Fewest measured photos a session needs for fits.
pub const MIN_PHOTOS_FOR_FIT: usize = 3;

/// Everything the timeline adds to the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    /// One entry per session.
    pub fits: Vec<SessionFit>,
    /// Per photo (same order as the report's photos): its stage, or `None` outside any session or unmeasured.
    pub stages: Vec<Option<PhotoStage>>,
    /// What needs attention.
    pub flags: Vec<Flag>,
    /// Worth knowing, nothing to act on.
    pub notes: Vec<Note>,
    /// When the next session can be.
    pub next_session: Option<NextSession>,
}

/// The fits and verdict of one session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionFit {
    /// Session number.
    pub session: usize,
    /// Measured photos in it.
    pub photos: usize,
    /// The redness drop.
    pub redness: RednessFit,
    /// The dot contrast course.
    pub contrast: ContrastFit,
    /// on_track, needs_attention or insufficient_data.
    pub verdict: Verdict,
    /// The verdict in plain words.
    pub summary: String,
}

/// A session's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Healing as expected.
    OnTrack,
    /// A flag was raised.
    NeedsAttention,
    /// Too few photos to tell.
    InsufficientData,
}

/// The redness fit `e(t) = A exp(-t / tau) + B` of a session, on `redness_delta_a_normalised` when every photo has
/// it (see [`normalised_delta`]), else `redness_delta_a` when every photo has that, else `redness_a`.
///
/// Baseline: fitted with `A` and `tau` when the session has at least 4 photos and its last is from day 10 on (the
/// redness has had time to level off); otherwise held: at 0 for `redness_delta_a` (healed skin is as red as the
/// untreated skin beside it), at the lowest measured value for `redness_a`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RednessFit {
    /// `redness_delta_a` or `redness_a`; `None` without redness values.
    pub metric: Option<String>,
    /// fitted, untreated_skin (held at 0) or lowest_photo; `None` without redness values.
    pub baseline_source: Option<String>,
    /// The baseline `B` used for the excess, a* units.
    pub baseline: Option<f64>,
    /// The fit, when there is one.
    pub fit: Option<FitEntry>,
    /// Why there is no fit.
    pub no_fit: Option<String>,
}

/// A fitted exponential, rounded for the report.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FitEntry {
    /// Amplitude at day 0.
    pub a: f64,
    /// Time constant, days.
    pub tau_days: f64,
    /// `tau ln 2`, days.
    pub half_life_days: f64,
    /// Baseline.
    pub baseline: f64,
    /// Coefficient of determination.
    pub r_squared: f64,
    /// Day (since the session, or since day 7 for settling) by which the value is within 10% of the way back to
    /// the baseline: `tau ln 10`.
    pub within_10pct_day: f64,
}

impl From<ExpFit> for FitEntry {
    fn from(f: ExpFit) -> Self {
        FitEntry {
            a: round4(f.a),
            tau_days: round4(f.tau),
            half_life_days: round4(f.half_life()),
            baseline: round4(f.b),
            r_squared: round4(f.r_squared),
            within_10pct_day: round4(f.within_ten_percent_day()),
        }
    }
}

/// The dot contrast course of a session, relative to its first photo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContrastFit {
    /// Whether contrast can be judged (dots at least 4 px across in the first photo).
    pub judged: bool,
    /// Mean contrast ratio of the photos in the scabbing stage (by nominal day).
    pub scab_phase: Option<f64>,
    /// Contrast ratio at day 7.
    pub day7: Option<f64>,
    /// measured (a photo within half a day of day 7) or interpolated (between the photos either side).
    pub day7_source: Option<String>,
    /// Share of the scab-phase contrast left at day 7: `day7 / scab_phase`.
    pub day7_share_of_scab: Option<f64>,
    /// Settling fit of the contrast ratio over days since day 7, with its baseline held at the last photo's value
    /// when that is from day 28 on (the look at one month is the lasting one), else fitted (4 photos needed).
    pub settling: Option<FitEntry>,
    /// Why there is no settling fit.
    pub settling_no_fit: Option<String>,
}

/// A photo's place on the healing course.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PhotoStage {
    /// The stage its day falls in.
    pub expected: Stage,
    /// The stage its measurements show (see [`stage`]), if they tell.
    pub observed: Option<Stage>,
    /// on_track, behind or ahead.
    pub status: Option<StageStatus>,
    /// Redness excess (1 at the session's first photo, 0 at the baseline).
    pub redness_excess: Option<f64>,
    /// Dot contrast relative to the session's first photo.
    pub contrast_ratio: Option<f64>,
    /// Dot diameter relative to the session's first photo.
    pub diameter_ratio: Option<f64>,
}

/// The next session's earliest date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NextSession {
    /// Which session it would be.
    pub session: usize,
    /// Earliest date, YYYY-MM-DD.
    pub earliest: String,
    /// Why that date.
    pub reason: String,
}

/// One measured photo of a session, with its values relative to the session's first.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub index: usize,
    pub file: String,
    pub day: f64,
    pub redness: Option<f64>,
    pub excess: Option<f64>,
    pub contrast_ratio: Option<f64>,
    pub diameter_ratio: Option<f64>,
    pub judged: bool,
    pub hair_count: u64,
    pub dot_count: u64,
    pub patchiness: Option<f64>,
}

/// A session's rows and redness fit, as the flag rules read them.
#[derive(Debug, Clone)]
pub(crate) struct SessionView {
    pub index: usize,
    pub rows: Vec<Row>,
    pub fit: Option<ExpFit>,
    /// Post-session redness above the baseline at the first photo, a* units.
    pub amplitude: Option<f64>,
    /// Median ITA of the session's treated skin, degrees.
    pub ita_deg: Option<f64>,
}

/// Builds the timeline of measured photos (sorted by capture time) and sessions.
pub fn build(photos: &[PhotoEntry], sessions: &[Session], profile: &Profile) -> Timeline {
    let mut stages = vec![None; photos.len()];
    let mut fits = Vec::new();
    let mut views = Vec::new();
    for s in sessions {
        let (view, fit) = session_fit(photos, s.index, profile);
        for r in &view.rows {
            stages[r.index] = Some(photo_stage(r, profile));
        }
        fits.push(fit);
        views.push(view);
    }
    let (flags, notes) = flags::evaluate(photos, sessions, &views, &fits, profile);
    for (f, view) in fits.iter_mut().zip(&views) {
        let raised: Vec<&str> =
            flags.iter().filter(|fl| fl.session == Some(f.session)).map(|fl| fl.code.name()).collect();
        (f.verdict, f.summary) = verdict(view, &f.redness, &f.contrast, &raised);
    }
    let next_session = next_session(sessions, &views, profile);
    Timeline { fits, stages, flags, notes, next_session }
}

fn session_fit(photos: &[PhotoEntry], session: usize, profile: &Profile) -> (SessionView, SessionFit) {
    let measured: Vec<(usize, &PhotoEntry)> = photos
        .iter()
        .enumerate()
        .filter(|(_, p)| p.session == Some(session) && p.status == Status::Ok && p.day.is_some())
        .filter(|(_, p)| p.metrics.is_some())
        .collect();
    let first_untreated = measured.first().and_then(|(_, p)| p.metrics.as_ref()?.untreated_lab);
    let metric_in = |p: &PhotoEntry, kind: RednessMetric| {
        let m = p.metrics.as_ref()?;
        match kind {
            RednessMetric::Normalised => normalised_delta(m, first_untreated?),
            RednessMetric::Delta => m.redness_delta_a,
            RednessMetric::Plain => m.redness_a,
        }
    };
    let kind = [RednessMetric::Normalised, RednessMetric::Delta]
        .into_iter()
        .find(|&k| !measured.is_empty() && measured.iter().all(|(_, p)| metric_in(p, k).is_some()))
        .unwrap_or(RednessMetric::Plain);
    let use_delta = kind != RednessMetric::Plain;
    let points: Vec<(f64, f64)> = measured.iter().filter_map(|(_, p)| Some((p.day?, metric_in(p, kind)?))).collect();
    let (days, values): (Vec<f64>, Vec<f64>) = points.iter().copied().unzip();
    let last_day = days.last().copied().unwrap_or(0.0);
    let free = points.len() >= 4 && last_day >= 10.0;
    let held = if use_delta { 0.0 } else { values.iter().copied().fold(f64::INFINITY, f64::min) };
    let baseline = if free { Baseline::Free } else { Baseline::Fixed(held) };
    let fit = if points.len() < MIN_PHOTOS_FOR_FIT {
        Err(format!("{} measured photos with redness; a fit needs at least {MIN_PHOTOS_FOR_FIT}", points.len()))
    } else {
        fit_exp_decay(&days, &values, baseline).map_err(|e| e.to_string())
    };
    let b = match (&fit, baseline) {
        (Ok(f), _) => Some(f.b),
        (Err(_), Baseline::Fixed(b)) if b.is_finite() => Some(b),
        (Err(_), _) => Some(held).filter(|b| b.is_finite()),
    };
    let first_value = values.first().copied();
    let amplitude = first_value.zip(b).map(|(v, b)| v - b).filter(|a| *a >= MIN_EXCESS_A);
    let first = measured.first().and_then(|(_, p)| p.metrics.as_ref());
    let ratio = |v: Option<f64>, v0: Option<f64>| v.zip(v0).filter(|(_, v0)| *v0 > 0.0).map(|(v, v0)| v / v0);
    let first_judged = first.and_then(|m| m.dot_diameter_px).is_some_and(|d| d >= MIN_JUDGED_DIAMETER_PX);
    let rows: Vec<Row> = measured
        .iter()
        .filter_map(|&(index, p)| {
            let m = p.metrics.as_ref()?;
            let redness = metric_in(p, kind);
            let excess = redness.zip(b).zip(amplitude).map(|((r, b), a)| (r - b) / a);
            let judged =
                first_judged && m.dot_diameter_px.is_some_and(|d| d >= MIN_JUDGED_DIAMETER_PX) && m.dot_count >= 20;
            Some(Row {
                index,
                file: p.file.clone(),
                day: p.day?,
                redness,
                excess,
                contrast_ratio: ratio(m.dot_contrast, first.and_then(|f| f.dot_contrast)),
                diameter_ratio: ratio(m.dot_diameter_px, first.and_then(|f| f.dot_diameter_px)),
                judged,
                hair_count: m.hair_count,
                dot_count: m.dot_count,
                patchiness: m.patchiness,
            })
        })
        .collect();
    let contrast = contrast_fit(&rows, profile, first_judged);
    let mut itas: Vec<f64> = measured.iter().filter_map(|(_, p)| p.metrics.as_ref()?.ita_deg).collect();
    itas.sort_by(f64::total_cmp);
    let ita_deg = itas.get(itas.len() / 2).copied();
    let view = SessionView { index: session, rows, fit: fit.as_ref().ok().copied(), amplitude, ita_deg };
    let redness = RednessFit {
        metric: (!points.is_empty()).then(|| kind.name().to_string()),
        baseline_source: (!points.is_empty()).then(|| {
            match (free, use_delta) {
                (true, _) => "fitted",
                (false, true) => "untreated_skin",
                (false, false) => "lowest_photo",
            }
            .to_string()
        }),
        baseline: b.map(round4),
        fit: fit.as_ref().ok().map(|f| FitEntry::from(*f)),
        no_fit: fit.as_ref().err().cloned(),
    };
    // The verdict and its words come once the flags are known (see `build`).
    let verdict = Verdict::InsufficientData;
    (view, SessionFit { session, photos: measured.len(), redness, contrast, verdict, summary: String::new() })
}

/// Which redness a session's fit follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RednessMetric {
    /// [`normalised_delta`]: every photo has treated and untreated skin colours.
    Normalised,
    /// `redness_delta_a` as measured.
    Delta,
    /// `redness_a`.
    Plain,
}

impl RednessMetric {
    fn name(self) -> &'static str {
        match self {
            RednessMetric::Normalised => "redness_delta_a_normalised",
            RednessMetric::Delta => "redness_delta_a",
            RednessMetric::Plain => "redness_a",
        }
    }
}

/// `redness_delta_a` with the photo's light brought to that of the session's first photo: healthy untreated skin
/// does not change between days, so the ratio of its mean linear RGB in the first photo to this photo's, per
/// channel, is the change of light (white balance and exposure, a von Kries adaptation). The treated skin's mean
/// colour is multiplied by it and its a* compared with the first photo's untreated skin. The plain difference
/// cancels a shift of a*, not a scaling: a* grows with the cube root of the light and a cast of a few percent per
/// channel changes the difference itself.
pub fn normalised_delta(m: &crate::measure::Metrics, first_untreated: [f64; 3]) -> Option<f64> {
    use crate::colour::{lab_to_linear_rgb, linear_rgb_to_lab, Lab};
    let lab = |v: [f64; 3]| Lab { l: v[0], a: v[1], b: v[2] };
    let (t, u) = (lab_to_linear_rgb(lab(m.treated_lab?)), lab_to_linear_rgb(lab(m.untreated_lab?)));
    let u0 = lab_to_linear_rgb(lab(first_untreated));
    if u.iter().chain(&u0).chain(&t).any(|&v| v <= 1e-6) {
        return m.redness_delta_a;
    }
    let adapted: [f64; 3] = std::array::from_fn(|c| t[c] * u0[c] / u[c]);
    Some(linear_rgb_to_lab(adapted).a - first_untreated[1])
}

fn contrast_fit(rows: &[Row], profile: &Profile, judged: bool) -> ContrastFit {
    let mut out = ContrastFit {
        judged,
        scab_phase: None,
        day7: None,
        day7_source: None,
        day7_share_of_scab: None,
        settling: None,
        settling_no_fit: None,
    };
    if !judged {
        out.settling_no_fit =
            Some(format!("dots under {MIN_JUDGED_DIAMETER_PX} px across: their contrast depends on focus, not judged"));
        return out;
    }
    let pts: Vec<(f64, f64)> =
        rows.iter().filter(|r| r.judged).filter_map(|r| Some((r.day, r.contrast_ratio?))).collect();
    let scab = profile.stages.iter().find(|s| s.stage == Stage::Scabbing);
    let in_scab: Vec<f64> = pts
        .iter()
        .filter(|(d, _)| {
            let d = nominal_day(*d);
            scab.is_some_and(|s| d >= s.from_day && s.to_day.is_none_or(|t| d < t))
        })
        .map(|p| p.1)
        .collect();
    out.scab_phase = (!in_scab.is_empty()).then(|| round4(in_scab.iter().sum::<f64>() / in_scab.len() as f64));
    if let Some(&(_, c)) = pts
        .iter()
        .filter(|(d, _)| (d - 7.0).abs() <= 0.5)
        .min_by(|a, b| (a.0 - 7.0).abs().total_cmp(&(b.0 - 7.0).abs()))
    {
        out.day7 = Some(round4(c));
        out.day7_source = Some("measured".into());
    } else if let (Some(before), Some(after)) =
        (pts.iter().rev().find(|(d, _)| *d < 7.0), pts.iter().find(|(d, _)| *d > 7.0))
    {
        let t = (7.0 - before.0) / (after.0 - before.0);
        out.day7 = Some(round4(before.1 + t * (after.1 - before.1)));
        out.day7_source = Some("interpolated".into());
    }
    out.day7_share_of_scab = out.day7.zip(out.scab_phase).filter(|(_, s)| *s > 0.0).map(|(d, s)| round4(d / s));
    let late: Vec<(f64, f64)> =
        pts.iter().filter(|(d, _)| *d >= 7.0 - 0.5).map(|&(d, c)| ((d - 7.0).max(0.0), c)).collect();
    let baseline = match late.last() {
        Some(&(t, c)) if t + 7.0 >= 28.0 => Baseline::Fixed(c),
        _ => Baseline::Free,
    };
    match fit_exp_decay(
        &late.iter().map(|p| p.0).collect::<Vec<_>>(),
        &late.iter().map(|p| p.1).collect::<Vec<_>>(),
        baseline,
    ) {
        Ok(f) => out.settling = Some(f.into()),
        Err(e) => out.settling_no_fit = Some(format!("from day 7 on: {e}")),
    }
    out
}

fn photo_stage(r: &Row, profile: &Profile) -> PhotoStage {
    let expected = profile.stage_on(nominal_day(r.day));
    let values = Relative {
        excess: r.excess,
        contrast: r.contrast_ratio.filter(|_| r.judged),
        diameter: r.diameter_ratio.filter(|_| r.judged),
    };
    let observed = observed_stage(expected, &values);
    PhotoStage {
        expected,
        observed,
        status: observed.map(|o| compare(o, expected)),
        redness_excess: r.excess.map(round4),
        contrast_ratio: r.contrast_ratio.map(round4),
        diameter_ratio: r.diameter_ratio.map(round4),
    }
}

/// The verdict of a session and its summary in plain words, given the codes of the flags raised for it.
fn verdict(view: &SessionView, redness: &RednessFit, contrast: &ContrastFit, raised: &[&str]) -> (Verdict, String) {
    if view.rows.len() < MIN_PHOTOS_FOR_FIT {
        return (
            Verdict::InsufficientData,
            format!(
                "Session {}: {} measured photo(s); at least {MIN_PHOTOS_FOR_FIT} are needed to follow the healing.",
                view.index,
                view.rows.len()
            ),
        );
    }
    let (verdict, status) = if raised.is_empty() {
        (Verdict::OnTrack, "healing as expected".to_string())
    } else {
        (Verdict::NeedsAttention, format!("needs attention ({})", raised.join(", ")))
    };
    let mut words = format!("Session {}: {status}.", view.index);
    if let Some(f) = &redness.fit {
        words += &format!(
            " Redness halves every {:.1} days and is back within 10% of its baseline by about day {:.0}.",
            f.half_life_days, f.within_10pct_day
        );
    }
    if let Some(share) = contrast.day7_share_of_scab {
        words += &format!(
            " At day 7 the dots keep {:.0}% of their scab-phase darkness: the usual lightening (\"phantom fade\").",
            100.0 * share
        );
    }
    (verdict, words)
}

fn next_session(sessions: &[Session], views: &[SessionView], profile: &Profile) -> Option<NextSession> {
    let last = sessions.last()?;
    let gap = profile.min_session_gap_days;
    let mut days = gap;
    let mut reason = format!("at least {gap} days after session {}", last.index);
    let view = views.iter().find(|v| v.index == last.index);
    if let Some(f) = view.and_then(|v| v.fit) {
        let back = f.within_ten_percent_day();
        if back > days {
            days = back.ceil();
            reason = format!("redness is projected back within 10% of its baseline by day {back:.0}");
        }
    } else if let Some(r) = view.and_then(|v| v.rows.iter().rev().find(|r| r.excess.is_some())) {
        let band = profile::bounds_on(&profile.bands.redness_excess, r.day.max(7.0)).1.unwrap_or(0.25);
        if r.excess.is_some_and(|x| x > band) {
            days = days.max(r.day.ceil() + gap);
            reason = format!(
                "redness was not yet back within its band at the last photo (day {:.0}); check it again before booking",
                r.day
            );
        }
    }
    let date = last.start.plus_seconds((days * 86_400.0).round() as i64);
    Some(NextSession { session: last.index + 1, earliest: date_only(date), reason })
}

fn date_only(t: CivilTime) -> String {
    let (y, m, d, ..) = t.parts();
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::DateSource;
    use crate::measure::Metrics;
    use crate::sessions::SessionSource;

    /// A measured photo of session 1 with these values.
    fn photo(day: f64, delta_a: f64, contrast: f64, diameter: f64) -> PhotoEntry {
        PhotoEntry {
            file: format!("day{day}.jpg"),
            taken: String::new(),
            date_source: DateSource::Exif,
            session: Some(1),
            day: Some(day),
            status: Status::Ok,
            error: None,
            width: Some(1000),
            height: Some(750),
            metrics: Some(Metrics {
                redness_a: Some(10.0 + delta_a),
                redness_delta_a: Some(delta_a),
                erythema_index: None,
                ita_deg: None,
                dot_count: 1000,
                dot_density_per_mpx: None,
                dot_diameter_px: Some(diameter),
                dot_contrast: Some(contrast),
                dot_coverage: None,
                hair_count: 0,
                patchiness: Some(0.0),
                treated_fraction: 0.5,
                sharpness: None,
                clipped_fraction: 0.0,
                treated_lab: Some([60.0, 10.0 + delta_a, 15.0]),
                untreated_lab: Some([60.0, 10.0, 15.0]),
                ..Metrics::default()
            }),
            calibration: None,
            camera: None,
            warnings: Vec::new(),
            stage: None,
        }
    }

    fn session() -> Vec<Session> {
        let start = CivilTime::from_parts(2026, 11, 2, 10, 0, 0).expect("time");
        vec![Session { index: 1, start, source: SessionSource::Option }]
    }

    /// Typical healing: redness 8 exp(-t / 2.5), contrast 1.2 while scabbed then 0.75, 0.68, 0.65.
    fn typical() -> Vec<PhotoEntry> {
        [(0.0, 1.0, 5.0), (2.0, 1.2, 6.2), (4.0, 1.2, 6.2), (7.0, 0.75, 5.4), (14.0, 0.68, 5.0), (28.0, 0.65, 5.0)]
            .iter()
            .map(|&(t, c, d)| photo(t, 8.0 * (-t / 2.5f64).exp(), 0.5 * c, d))
            .collect()
    }

    fn codes(t: &Timeline) -> Vec<&'static str> {
        t.flags.iter().map(|f| f.code.name()).collect()
    }

    #[test]
    fn typical_healing_is_on_track_with_its_known_course() {
        let t = build(&typical(), &session(), &Profile::builtin());
        assert!(t.flags.is_empty(), "{:?}", t.flags);
        let fit = t.fits[0].redness.fit.expect("fit");
        assert!((fit.tau_days - 2.5).abs() < 0.01 && fit.baseline.abs() < 0.01, "{fit:?}");
        assert_eq!(t.fits[0].redness.baseline_source.as_deref(), Some("fitted"));
        assert_eq!(t.fits[0].contrast.day7_share_of_scab, Some(0.625));
        assert!(t.stages.iter().all(|s| s.is_some_and(|s| s.status == Some(StageStatus::OnTrack))), "{:?}", t.stages);
        assert_eq!(t.next_session.expect("next").earliest, "2026-11-09");
    }

    #[test]
    fn each_rule_raises_its_flag_with_evidence() {
        let profile = Profile::builtin();
        // Redness back up by 3 a* on day 7.
        let mut p = typical();
        p[3] = photo(7.0, 3.5, 0.375, 5.4);
        let t = build(&p, &session(), &profile);
        assert!(codes(&t).contains(&"redness_rising"), "{:?}", codes(&t));
        let rising = t.flags.iter().find(|f| f.code == FlagCode::RednessRising).expect("flag");
        assert_eq!(rising.severity, Severity::Alert);
        assert_eq!(rising.evidence.iter().map(|e| e.day).collect::<Vec<_>>(), [Some(4.0), Some(7.0)]);
        // Dots as dark at day 7 as when fresh.
        let mut p = typical();
        p[3] = photo(7.0, 8.0 * (-7.0 / 2.5f64).exp(), 0.5, 5.4);
        assert_eq!(codes(&build(&p, &session(), &profile)), ["no_lightening"]);
        // Dots at 40% after a month.
        let mut p = typical();
        p[5] = photo(28.0, 0.0, 0.2, 5.0);
        assert_eq!(codes(&build(&p, &session(), &profile)), ["low_contrast_after_settling"]);
        // Hair and patches.
        let mut p = typical();
        if let Some(m) = p[4].metrics.as_mut() {
            (m.hair_count, m.patchiness) = (120, Some(0.2));
        }
        assert_eq!(codes(&build(&p, &session(), &profile)), ["patchy", "hair_regrowth"]);
        // A blurred photo.
        let mut p = typical();
        p[2].warnings.push(crate::measure::Warning::new("blurred", "blurred"));
        assert_eq!(codes(&build(&p, &session(), &profile)), ["photo_quality"]);
    }

    #[test]
    fn a_short_series_holds_its_baseline_and_degenerate_ones_give_no_fit() {
        let short: Vec<PhotoEntry> = typical().into_iter().take(3).collect();
        let t = build(&short, &session(), &Profile::builtin());
        assert_eq!(t.fits[0].redness.baseline_source.as_deref(), Some("untreated_skin"));
        assert!((t.fits[0].redness.fit.expect("fit").tau_days - 2.5).abs() < 0.01);
        let flat: Vec<PhotoEntry> = [0.0, 2.0, 4.0, 7.0].iter().map(|&d| photo(d, 0.2, 0.5, 5.0)).collect();
        let t = build(&flat, &session(), &Profile::builtin());
        assert!(t.fits[0].redness.fit.is_none() && t.fits[0].redness.no_fit.is_some());
        assert!(t.notes.iter().any(|n| n.code == "no_redness_to_follow"));
        assert!(!serde_json::to_string(&t).expect("json").contains("NaN"));
    }
}
