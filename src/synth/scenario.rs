/*!
The eight healing stories the fixtures tell, and how each changes from day to day.

A series is a session on 2026-11-02 at 10:00 and photos on days 0, 2, 4, 7, 14 and 28 at plausible times of day.
Healing follows one time course: erythema `A exp(-t / tau) + B` a* units; dots swelling 25% with a reddish-brown
crust on scab days 2-5, then settling (contrast relative to day 0: 1.15 while scabbed, 0.75 at day 7, 0.65 by day
28; diameter back within 10% by day 10). Each photo also gets its own exposure, white balance, light gradient,
shine, blur, noise and a small camera move.
*/

use super::field::{knots, smoothstep};
use super::params::{px_scale, CloseUp, FarEdge, Framing, PhotoParams};
use super::rng::{hash3, stream, Rng};
use crate::time::CivilTime;

/// A synthetic healing series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scenario {
    /// Light skin, close-up, redness fading in a few days, normal settling.
    TypicalHealing,
    /// Medium skin; redness fades slowly (time constant 9 days) and some stays.
    SlowRedness,
    /// From day 5 two patches (6% of the treated area each) lose most of their dots.
    Patchy,
    /// The client stops shaving: stubble appears in the treated area from day 1 and thickens.
    StubbleRegrowth,
    /// Dark skin (ITA below -30 degrees), lower dot contrast.
    DarkSkin,
    /// Medium (tan) skin, ITA about 20 degrees, healing as usual.
    MediumSkin,
    /// Small dots (3 px facing the camera, about 2 px median once foreshortened), dense, on a strongly curved dome.
    DenseFineDots,
    /// The whole head against a wall: small dots on the scalp, face, ears, brows and a stubble beard.
    WholeHead,
}

/// Scene-level recipe of a scenario.
struct Recipe {
    skin: [f64; 3],
    framing: Framing,
    dot: f64,
    spacing: f64,
    contrast: f64,
    redness: [f64; 3],
    shine: f64,
    moles: u32,
}

/// Days after the session on which photos are taken, with the nominal time of day (hour, minute).
const SHOTS: [(i64, u32, u32); 6] = [(0, 13, 10), (2, 9, 25), (4, 18, 40), (7, 9, 50), (14, 12, 20), (28, 17, 30)];

impl Scenario {
    /// Every scenario, in a stable order.
    pub const ALL: [Scenario; 8] = [
        Scenario::TypicalHealing,
        Scenario::SlowRedness,
        Scenario::Patchy,
        Scenario::StubbleRegrowth,
        Scenario::DarkSkin,
        Scenario::DenseFineDots,
        Scenario::WholeHead,
        Scenario::MediumSkin,
    ];

    /// The kebab-case name used for fixture folders.
    pub fn name(self) -> &'static str {
        match self {
            Scenario::TypicalHealing => "typical-healing",
            Scenario::SlowRedness => "slow-redness",
            Scenario::Patchy => "patchy",
            Scenario::StubbleRegrowth => "stubble-regrowth",
            Scenario::DarkSkin => "dark-skin",
            Scenario::DenseFineDots => "dense-fine-dots",
            Scenario::WholeHead => "whole-head",
            Scenario::MediumSkin => "medium-skin",
        }
    }

    /// The scenario with this name.
    pub fn from_name(name: &str) -> Option<Scenario> {
        Scenario::ALL.into_iter().find(|s| s.name() == name)
    }

    /// One sentence on what the series shows.
    pub fn describe(self) -> &'static str {
        match self {
            Scenario::TypicalHealing => "Light skin close-up; redness fades within days, dots scab then settle.",
            Scenario::SlowRedness => "Medium skin; redness fades slowly (tau 9 days) and part of it remains.",
            Scenario::Patchy => "From day 5 two blob-shaped patches lose most of their dots or fade to a third.",
            Scenario::StubbleRegrowth => "Stubble grows back in the treated area, none at day 0, hundreds by day 7.",
            Scenario::DarkSkin => "Dark skin (ITA below -30 degrees) with lower dot contrast.",
            Scenario::DenseFineDots => "Small dots (about 2 px) at 2.75 diameters on a strongly curved dome.",
            Scenario::WholeHead => "Whole head against a wall: scalp dots, face, ears, brows, beard, clothing.",
            Scenario::MediumSkin => "Medium (tan) skin, ITA about 20 degrees; healing as usual.",
        }
    }

    fn index(self) -> usize {
        Scenario::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    fn recipe(self) -> Recipe {
        let close = |axis_deg, far_edge| Framing::CloseUp(CloseUp { axis_deg, far_edge, ..CloseUp::default() });
        let base = Recipe {
            skin: [67.0, 11.0, 16.0],
            framing: close(90.0, FarEdge::Background),
            dot: 6.0,
            spacing: 3.2,
            contrast: 0.5,
            redness: [9.0, 2.5, 0.3],
            shine: 0.5,
            moles: 2,
        };
        match self {
            Scenario::TypicalHealing => Recipe { framing: close(90.0, FarEdge::HairMass), ..base },
            Scenario::SlowRedness => Recipe {
                skin: [60.0, 11.5, 18.0],
                framing: close(180.0, FarEdge::Background),
                dot: 5.5,
                spacing: 3.0,
                redness: [10.0, 9.0, 0.8],
                ..base
            },
            Scenario::Patchy => Recipe {
                skin: [68.0, 10.0, 15.0],
                framing: close(0.0, FarEdge::HairMass),
                dot: 6.5,
                spacing: 3.4,
                ..base
            },
            Scenario::StubbleRegrowth => Recipe {
                skin: [63.0, 12.0, 17.0],
                framing: close(0.0, FarEdge::Background),
                spacing: 3.0,
                moles: 1,
                ..base
            },
            Scenario::DarkSkin => Recipe {
                skin: [33.0, 12.0, 16.0],
                dot: 6.5,
                contrast: 0.38,
                redness: [6.0, 3.0, 0.4],
                shine: 0.35,
                ..base
            },
            Scenario::DenseFineDots => Recipe {
                skin: [65.0, 11.0, 16.0],
                framing: Framing::CloseUp(CloseUp { far_share: 0.14, dome_radius: 0.6, ..CloseUp::default() }),
                dot: 3.0,
                spacing: 2.75,
                contrast: 0.45,
                ..base
            },
            Scenario::MediumSkin => Recipe {
                skin: [56.0, 12.5, 17.0],
                framing: close(45.0, FarEdge::Background),
                contrast: 0.45,
                redness: [8.0, 2.5, 0.3],
                ..base
            },
            Scenario::WholeHead => Recipe {
                skin: [64.0, 12.0, 17.0],
                framing: Framing::WholeHead,
                dot: 3.0,
                spacing: 3.0,
                moles: 0,
                ..base
            },
        }
    }

    /// Capture times and photo parameters of the series (scene seed: see [`Scenario::scene_seed`]).
    pub(crate) fn plan(self, width: u32, height: u32, seed: u64) -> (CivilTime, Vec<(CivilTime, PhotoParams)>) {
        let start = CivilTime::from_parts(2026, 11, 2, 10, 0, 0).unwrap_or(CivilTime(0));
        let recipe = self.recipe();
        let mut rng = Rng::stream(self.scene_seed(seed), stream::SERIES);
        let photos = SHOTS
            .iter()
            .enumerate()
            .map(|(i, &(day, hour, minute))| {
                let jitter = (rng.signed() * 25.0 * 60.0) as i64 + rng.below(60) as i64;
                let midnight = CivilTime(start.0 - start.0.rem_euclid(86_400) + day * 86_400);
                let taken = midnight.plus_seconds(hour as i64 * 3600 + minute as i64 * 60 + jitter);
                let t = taken.days_since(start);
                (taken, self.photo(&recipe, width, height, t, i as u64, &mut rng))
            })
            .collect();
        (start, photos)
    }

    /// The seed of the scene (dots, pores, hairs) of this scenario's series.
    pub(crate) fn scene_seed(self, seed: u64) -> u64 {
        hash3(seed, self.index() as i64, 0x5CE7E)
    }

    fn photo(self, r: &Recipe, width: u32, height: u32, t: f64, shot: u64, rng: &mut Rng) -> PhotoParams {
        let scab = knots(&[(0.0, 0.0), (1.5, 0.5), (2.0, 1.0), (5.0, 1.0), (6.5, 0.2), (8.0, 0.0)], t);
        let contrast =
            knots(&[(0.0, 1.0), (1.0, 1.05), (2.0, 1.15), (5.0, 1.15), (7.0, 0.75), (14.0, 0.68), (28.0, 0.65)], t);
        let size = knots(&[(0.0, 1.0), (1.5, 1.1), (2.0, 1.25), (5.0, 1.25), (7.0, 1.08), (10.0, 1.0)], t);
        let [a, tau, b] = r.redness;
        let patchy = self == Scenario::Patchy && t >= 5.0;
        let stubble =
            if self == Scenario::StubbleRegrowth { (700.0 * smoothstep(0.3, 7.0, t)).round() as u32 } else { 0 };
        PhotoParams {
            framing: r.framing,
            skin_lab: r.skin,
            redness_excess_a: a * (-t / tau).exp() + b,
            dot_diameter_px: r.dot * px_scale(width, height),
            dot_spacing: r.spacing,
            dot_contrast: r.contrast * contrast,
            dot_size_factor: size,
            scab,
            patch_fraction: if patchy { 0.12 } else { 0.0 },
            patch_count: 2,
            moles: r.moles,
            stubble_count: stubble,
            stubble_growth: (0.25 + t / 9.0).min(1.0),
            shine: r.shine * rng.range(0.3, 1.3),
            lighting_gradient: rng.range(0.05, 0.15),
            lighting_angle_deg: rng.range(0.0, 360.0),
            exposure: rng.range(0.9, 1.1),
            cast: [0; 3].map(|_| 1.0 + rng.range(-0.04, 0.04)),
            camera: super::params::Camera {
                scale: rng.range(0.95, 1.05),
                shift_x: rng.range(-0.02, 0.02),
                shift_y: rng.range(-0.02, 0.02),
                rotation_deg: rng.range(-3.0, 3.0),
            },
            noise_sigma: rng.range(1.0, 2.5),
            blur_sigma_px: rng.range(0.4, 0.9),
            shot,
            ..PhotoParams::flat(width, height)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for s in Scenario::ALL {
            assert_eq!(Scenario::from_name(s.name()), Some(s));
        }
        assert_eq!(Scenario::from_name("nope"), None);
    }

    #[test]
    fn plan_follows_the_time_course() {
        let (start, photos) = Scenario::TypicalHealing.plan(200, 150, 1);
        assert_eq!(start.to_string(), "2026-11-02T10:00:00");
        assert_eq!(photos.len(), 6);
        let days: Vec<f64> = photos.iter().map(|(t, _)| t.days_since(start)).collect();
        assert!(days.windows(2).all(|w| w[0] < w[1]) && days[0] > 0.0);
        let (first, last) = (&photos[0].1, &photos[5].1);
        assert!(first.redness_excess_a > 7.0 && last.redness_excess_a < 0.5);
        assert!(photos[1].1.dot_size_factor > 1.2 && photos[1].1.scab > 0.9);
        for (t, _) in &photos {
            let (_, _, _, h, _, _) = t.parts();
            assert!((8..20).contains(&h));
        }
        let stubble = Scenario::StubbleRegrowth.plan(200, 150, 1).1;
        assert_eq!(stubble[0].1.stubble_count, 0);
        assert!(stubble[3].1.stubble_count > 500);
    }
}
