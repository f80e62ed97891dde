/*!
Healing stages: the one expected from a photo's day, the one its measurements show, and how the two compare.

A photo's stage is judged on its *nominal day*, the day since the session rounded to the nearest whole day: a photo
taken on the morning of the seventh day after an afternoon session is the "day 7" photo (6.9 days), as
technicians count.

Observed stage, from the photo's values relative to the session's first photo (redness excess `x`: 1 at the first
photo, 0 at the baseline; contrast ratio `c`; diameter ratio `d`). Each stage has a signature the values can be
consistent with:
- inflammation: `x > 0.25` (still clearly red);
- scabbing: `x <= 0.75` and, when contrast can be judged, `c >= 0.95` or `d >= 1.05` (scabs: dots as dark as
  fresh or darker, or larger);
- flaking and fading: `x <= 0.5` and `c <= 1.0` (dots no longer darker than fresh);
- settling and settled: `x <= 0.25`, `c <= 0.85` and `d` within 0.85-1.15 (even skin, lighter dots back to their
  size); one photo cannot tell settling from settled, only time can.

The observed stage is the expected one when the values are consistent with it; otherwise the consistent stage
nearest to it (the earlier one on a tie); unknown when none is or there is no redness excess. Contrast and
diameter conditions count as met when contrast cannot be judged: dots under [`MIN_JUDGED_DIAMETER_PX`] across in
either photo, whose contrast depends on focus more than on pigment.

Status: `on_track` when observed and expected agree, `behind` when the observed stage is earlier, `ahead` when it
is later.
*/

use serde::{Deserialize, Serialize};

/// Smallest median dot diameter, in pixels, at which dot contrast reflects pigment rather than focus.
pub const MIN_JUDGED_DIAMETER_PX: f64 = 4.0;

/// A healing stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Red, inflamed skin.
    Inflammation,
    /// Scabs over the dots.
    Scabbing,
    /// Scabs flaking off, dots lightening.
    FlakingFading,
    /// Colour settling.
    Settling,
    /// The lasting look.
    Settled,
}

impl Stage {
    /// Every stage, in healing order.
    pub const ALL: [Stage; 5] =
        [Stage::Inflammation, Stage::Scabbing, Stage::FlakingFading, Stage::Settling, Stage::Settled];

    /// The name used in reports and profiles.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Inflammation => "inflammation",
            Stage::Scabbing => "scabbing",
            Stage::FlakingFading => "flaking_fading",
            Stage::Settling => "settling",
            Stage::Settled => "settled",
        }
    }

    /// Words for a chart or a client.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Inflammation => "inflammation",
            Stage::Scabbing => "scabbing",
            Stage::FlakingFading => "flaking & fading",
            Stage::Settling => "settling",
            Stage::Settled => "settled",
        }
    }
}

/// How the observed stage compares with the expected one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StageStatus {
    /// As expected.
    OnTrack,
    /// An earlier stage than expected.
    Behind,
    /// A later stage than expected.
    Ahead,
}

/// The nominal day of a photo: days since the session rounded to the nearest whole day.
pub fn nominal_day(day: f64) -> f64 {
    day.round()
}

/// A photo's values relative to the session's first photo.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Relative {
    /// Redness excess.
    pub excess: Option<f64>,
    /// Contrast ratio, when contrast can be judged.
    pub contrast: Option<f64>,
    /// Diameter ratio, when contrast can be judged.
    pub diameter: Option<f64>,
}

/// Whether the values are consistent with a stage's signature (see the module documentation).
pub fn consistent(stage: Stage, v: &Relative) -> bool {
    let Some(x) = v.excess else {
        return false;
    };
    let c = |f: &dyn Fn(f64) -> bool| v.contrast.is_none_or(f);
    let d = |f: &dyn Fn(f64) -> bool| v.diameter.is_none_or(f);
    match stage {
        Stage::Inflammation => x > 0.25,
        Stage::Scabbing => {
            x <= 0.75
                && (v.contrast.is_none() && v.diameter.is_none()
                    || v.contrast.is_some_and(|c| c >= 0.95)
                    || v.diameter.is_some_and(|d| d >= 1.05))
        }
        Stage::FlakingFading => x <= 0.5 && c(&|c| c <= 1.0),
        Stage::Settling | Stage::Settled => x <= 0.25 && c(&|c| c <= 0.85) && d(&|d| (0.85..=1.15).contains(&d)),
    }
}

/// The observed stage next to the `expected` one: the expected stage when consistent, else the nearest consistent
/// one (earlier on a tie); `None` when no stage is consistent.
pub fn observed_stage(expected: Stage, v: &Relative) -> Option<Stage> {
    let e = expected as i32;
    Stage::ALL.into_iter().filter(|s| consistent(*s, v)).min_by_key(|s| ((*s as i32 - e).abs(), *s as i32))
}

/// Compares an observed stage with the expected one.
pub fn compare(observed: Stage, expected: Stage) -> StageStatus {
    match observed.cmp(&expected) {
        std::cmp::Ordering::Equal => StageStatus::OnTrack,
        std::cmp::Ordering::Less => StageStatus::Behind,
        std::cmp::Ordering::Greater => StageStatus::Ahead,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(x: f64, c: f64, d: f64) -> Relative {
        Relative { excess: Some(x), contrast: Some(c), diameter: Some(d) }
    }

    #[test]
    fn observed_stage_follows_the_documented_signatures() {
        use Stage::*;
        // Typical healing: every photo consistent with its expected stage.
        assert_eq!(observed_stage(Inflammation, &rel(1.0, 1.0, 1.0)), Some(Inflammation));
        assert_eq!(observed_stage(Scabbing, &rel(0.45, 1.2, 1.25)), Some(Scabbing));
        assert_eq!(observed_stage(FlakingFading, &rel(0.08, 0.8, 1.12)), Some(FlakingFading));
        assert_eq!(observed_stage(Settling, &rel(0.0, 0.73, 1.0)), Some(Settling));
        assert_eq!(observed_stage(Settled, &rel(0.0, 0.7, 1.0)), Some(Settled));
        // Still red at day 4: inflammation, behind.
        assert_eq!(observed_stage(Scabbing, &rel(0.9, 1.2, 1.2)), Some(Inflammation));
        // Not lighter at day 7: still scabbing.
        assert_eq!(observed_stage(FlakingFading, &rel(0.1, 1.1, 1.2)), Some(Scabbing));
        // Redness gone and dots lighter by day 4: ahead.
        assert_eq!(observed_stage(Scabbing, &rel(0.1, 0.8, 1.0)), Some(FlakingFading));
        // Red at day 14: flaking stage, behind.
        assert_eq!(observed_stage(Settling, &rel(0.4, 0.7, 1.0)), Some(FlakingFading));
        // Without contrast, redness alone decides.
        let no_contrast = Relative { excess: Some(0.1), contrast: None, diameter: None };
        assert_eq!(observed_stage(FlakingFading, &no_contrast), Some(FlakingFading));
        assert_eq!(observed_stage(Settling, &Relative { excess: None, ..no_contrast }), None);
        assert_eq!(nominal_day(6.9), 7.0);
        assert_eq!(nominal_day(4.4), 4.0);
    }

    #[test]
    fn status_compares_stage_order() {
        assert_eq!(compare(Stage::Scabbing, Stage::Scabbing), StageStatus::OnTrack);
        assert_eq!(compare(Stage::Inflammation, Stage::Scabbing), StageStatus::Behind);
        assert_eq!(compare(Stage::Settling, Stage::FlakingFading), StageStatus::Ahead);
    }
}
