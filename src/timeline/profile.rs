/*!
The expected course of healing as data: stage boundaries and the bands each measurement should stay within,
relative to the session's first photo. The built-in default (`default_profile.json`, embedded in the binary) is
what smp-heal uses unless `--profile FILE` gives another; every profile is validated before use.

Bands are relative: redness excess is 1.0 at the session's first photo and 0 at the baseline; dot contrast and
diameter are ratios to the first photo's. A band holds from `from_day` (inclusive) to `to_day` (exclusive; `null`:
for ever) and bounds the value by `min` and/or `max` (`null`: unbounded on that side).
*/

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::stage::Stage;

/// The built-in profile, as JSON.
pub const DEFAULT_PROFILE_JSON: &str = include_str!("default_profile.json");

/// An expected healing course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Short name, reported with the fits.
    pub name: String,
    /// What the profile describes.
    #[serde(default)]
    pub description: String,
    /// The five stages in order, contiguous from day 0, the last open-ended.
    pub stages: Vec<StageSpan>,
    /// Expected bands per measurement.
    pub bands: Bands,
    /// Least number of days between two sessions.
    pub min_session_gap_days: f64,
    /// Least number of sessions of a treatment.
    pub min_sessions: usize,
}

/// The days a stage spans.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageSpan {
    /// Which stage.
    pub stage: Stage,
    /// First day (inclusive).
    pub from_day: f64,
    /// Last day (exclusive); `None` for the last stage.
    pub to_day: Option<f64>,
}

/// Expected bands of each relative measurement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bands {
    /// Redness excess: 1 at the first photo, 0 at the baseline.
    pub redness_excess: Vec<Band>,
    /// Dot contrast relative to the first photo.
    pub contrast: Vec<Band>,
    /// Dot diameter relative to the first photo.
    pub diameter: Vec<Band>,
}

/// Bounds on a value over a span of days.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// First day (inclusive).
    pub from_day: f64,
    /// Last day (exclusive); `None`: for ever.
    pub to_day: Option<f64>,
    /// Lower bound, if any.
    pub min: Option<f64>,
    /// Upper bound, if any.
    pub max: Option<f64>,
}

impl Band {
    /// Whether the band holds on `day`.
    pub fn covers(&self, day: f64) -> bool {
        day >= self.from_day && self.to_day.is_none_or(|t| day < t)
    }
}

/// Why a profile cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// The file could not be read.
    #[error("cannot read profile {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// Not valid profile JSON (syntax, unknown or missing field, wrong type).
    #[error("profile {path}: {source}")]
    Parse {
        /// The file.
        path: String,
        /// Why.
        source: serde_json::Error,
    },
    /// Parsed but inconsistent.
    #[error("profile {path}: {reason}")]
    Invalid {
        /// The file.
        path: String,
        /// What is wrong.
        reason: String,
    },
}

impl Profile {
    /// The built-in default profile.
    pub fn builtin() -> Profile {
        // The embedded profile is checked by a unit test; should it ever fail to parse, fall back to nothing
        // rather than panic.
        Profile::from_json(DEFAULT_PROFILE_JSON, "built-in profile").unwrap_or_else(|_| Profile::empty())
    }

    fn empty() -> Profile {
        Profile {
            name: "empty".into(),
            description: String::new(),
            stages: Vec::new(),
            bands: Bands { redness_excess: Vec::new(), contrast: Vec::new(), diameter: Vec::new() },
            min_session_gap_days: 7.0,
            min_sessions: 2,
        }
    }

    /// Loads and validates a profile file.
    pub fn load(path: &Path) -> Result<Profile, ProfileError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ProfileError::Read { path: name.clone(), source })?;
        Profile::from_json(&text, &name)
    }

    /// Parses and validates profile JSON; `origin` names it in errors.
    pub fn from_json(text: &str, origin: &str) -> Result<Profile, ProfileError> {
        let p: Profile =
            serde_json::from_str(text).map_err(|source| ProfileError::Parse { path: origin.to_string(), source })?;
        p.validate().map_err(|reason| ProfileError::Invalid { path: origin.to_string(), reason })?;
        Ok(p)
    }

    /// Checks that stages and bands make sense.
    pub fn validate(&self) -> Result<(), String> {
        let order = Stage::ALL;
        if self.stages.len() != order.len() || self.stages.iter().zip(order).any(|(s, o)| s.stage != o) {
            return Err(format!(
                "stages must list {} in this order",
                order.iter().map(|s| s.name()).collect::<Vec<_>>().join(", ")
            ));
        }
        if self.stages[0].from_day != 0.0 {
            return Err("the first stage must start on day 0".into());
        }
        for pair in self.stages.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            match a.to_day {
                Some(t) if t.is_finite() && t > a.from_day && t == b.from_day => {}
                _ => {
                    return Err(format!(
                        "stage {} must end (to_day) after it starts and where {} starts",
                        a.stage.name(),
                        b.stage.name()
                    ))
                }
            }
        }
        if self.stages[order.len() - 1].to_day.is_some() {
            return Err("the last stage (settled) must be open-ended: \"to_day\": null".into());
        }
        for (what, bands) in [
            ("redness_excess", &self.bands.redness_excess),
            ("contrast", &self.bands.contrast),
            ("diameter", &self.bands.diameter),
        ] {
            for (i, b) in bands.iter().enumerate() {
                let finite = |v: Option<f64>| v.is_none_or(f64::is_finite);
                let ok = b.from_day.is_finite()
                    && b.from_day >= 0.0
                    && finite(b.to_day)
                    && finite(b.min)
                    && finite(b.max)
                    && b.to_day.is_none_or(|t| t > b.from_day)
                    && (b.min.is_some() || b.max.is_some())
                    && b.min.zip(b.max).is_none_or(|(lo, hi)| lo <= hi);
                if !ok {
                    return Err(format!(
                        "bands.{what}[{i}]: needs from_day >= 0, to_day after it (or null), min <= max and at \
                         least one of min and max"
                    ));
                }
            }
        }
        if !(self.min_session_gap_days.is_finite() && self.min_session_gap_days > 0.0) {
            return Err("min_session_gap_days must be a positive number".into());
        }
        if self.min_sessions == 0 {
            return Err("min_sessions must be at least 1".into());
        }
        Ok(())
    }

    /// The stage expected on `day`.
    pub fn stage_on(&self, day: f64) -> Stage {
        self.stages.iter().rev().find(|s| day >= s.from_day).map_or(Stage::Inflammation, |s| s.stage)
    }
}

/// The tightest bounds of the bands covering `day`: (min, max).
pub fn bounds_on(bands: &[Band], day: f64) -> (Option<f64>, Option<f64>) {
    let covering = bands.iter().filter(|b| b.covers(day));
    let lo = covering.clone().filter_map(|b| b.min).reduce(f64::max);
    let hi = covering.filter_map(|b| b.max).reduce(f64::min);
    (lo, hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_profile_is_valid_and_says_what_the_issue_says() {
        let p = Profile::from_json(DEFAULT_PROFILE_JSON, "built-in").expect("valid");
        assert_eq!(p.stage_on(0.0), Stage::Inflammation);
        assert_eq!(p.stage_on(3.5), Stage::Scabbing);
        assert_eq!(p.stage_on(7.0), Stage::FlakingFading);
        assert_eq!(p.stage_on(14.0), Stage::Settling);
        assert_eq!(p.stage_on(45.0), Stage::Settled);
        assert_eq!(bounds_on(&p.bands.redness_excess, 3.5), (None, Some(0.5)));
        assert_eq!(bounds_on(&p.bands.redness_excess, 7.0), (None, Some(0.25)));
        assert_eq!(bounds_on(&p.bands.contrast, 3.0), (Some(0.95), Some(1.35)));
        assert_eq!(bounds_on(&p.bands.contrast, 7.0), (None, Some(0.85)));
        assert_eq!(bounds_on(&p.bands.contrast, 30.0), (Some(0.5), Some(0.85)));
        assert_eq!(bounds_on(&p.bands.diameter, 10.0), (Some(0.85), Some(1.15)));
        assert_eq!((p.min_session_gap_days, p.min_sessions), (7.0, 2));
        assert_eq!(Profile::builtin(), p);
    }

    #[test]
    fn bad_profiles_are_refused_with_the_reason() {
        let good: serde_json::Value = serde_json::from_str(DEFAULT_PROFILE_JSON).unwrap();
        let check = |edit: &dyn Fn(&mut serde_json::Value), needle: &str| {
            let mut v = good.clone();
            edit(&mut v);
            let err = Profile::from_json(&v.to_string(), "p.json").expect_err(needle).to_string();
            assert!(err.starts_with("profile p.json: ") && err.contains(needle), "{err} (wanted {needle})");
        };
        check(&|v| v["stages"][1]["from_day"] = 3.0.into(), "must end (to_day)");
        check(&|v| v["stages"][4]["to_day"] = 60.0.into(), "open-ended");
        check(&|v| v["stages"].as_array_mut().unwrap().swap(0, 1), "in this order");
        check(&|v| v["bands"]["contrast"][0]["min"] = 2.0.into(), "bands.contrast[0]");
        check(&|v| v["bands"]["diameter"][1]["to_day"] = 5.0.into(), "bands.diameter[1]");
        check(&|v| v["min_session_gap_days"] = 0.into(), "min_session_gap_days");
        check(&|v| v["min_sessions"] = 0.into(), "min_sessions");
        check(&|v| v["colour"] = "red".into(), "unknown field `colour`");
        check(&|v| v["bands"]["redness_excess"][0]["max"] = "half".into(), "invalid type");
        assert!(Profile::from_json("{", "p.json").is_err());
        let missing = Profile::load(Path::new("/nonexistent/profile.json")).expect_err("missing file").to_string();
        assert!(missing.starts_with("cannot read profile /nonexistent/profile.json"), "{missing}");
    }
}
