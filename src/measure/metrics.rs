/*!
The per-photo numbers written to report.json, in the order and with the meaning README documents.
*/

use serde::{Deserialize, Serialize};

/// Every metric of one photo. `None` is written as `null`: not measurable in this photo (never NaN).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Metrics {
    /// Mean a* of treated skin (dots, hairs dilated by 2 px, clipped and near-black pixels left out).
    pub redness_a: Option<f64>,
    /// `redness_a` minus the mean a* of untreated skin in the same photo; null without enough untreated skin.
    pub redness_delta_a: Option<f64>,
    /// Mean `100 * log10(R / G)` on linear RGB over the same pixels as `redness_a`.
    pub erythema_index: Option<f64>,
    /// Individual typology angle `atan2(L* - 50, b*)` of treated skin, degrees.
    pub ita_deg: Option<f64>,
    /// Dots whose centre lies in the treated area.
    pub dot_count: u64,
    /// Dots per million treated pixels.
    pub dot_density_per_mpx: Option<f64>,
    /// Median equivalent dot diameter, pixels of the photo as stored (after EXIF orientation).
    pub dot_diameter_px: Option<f64>,
    /// Median Weber contrast of the dots, `(L_bg - L_core) / L_bg` in L*.
    pub dot_contrast: Option<f64>,
    /// Share of the treated area covered by dots (half-depth regions).
    pub dot_coverage: Option<f64>,
    /// Elongated dark strokes in the treated area, rejected as hair.
    pub hair_count: u64,
    /// Share of the treated area in compact regions with far less pigment than around them.
    pub patchiness: Option<f64>,
    /// Share of the frame measured as treated skin.
    pub treated_fraction: f64,
    /// Median dot edge steepness over depth, 1/px.
    pub sharpness: Option<f64>,
    /// Share of the frame's pixels with a channel at 255 or all channels at 0.
    pub clipped_fraction: f64,
    /// Share of the frame used as untreated reference skin.
    pub untreated_fraction: f64,
    /// Mean `[L*, a*, b*]` of the treated skin (same pixels as `redness_a`).
    pub treated_lab: Option<[f64; 3]>,
    /// Mean `[L*, a*, b*]` of the untreated reference skin (with `redness_delta_a`): healthy skin does not change
    /// between days, so its colour shows each photo's light, which the timeline takes out.
    pub untreated_lab: Option<[f64; 3]>,
    /// Skin-tone class of the treated skin from `ita_deg`: very_light (> 55), light (41-55), intermediate (28-41),
    /// tan (10-28), brown (-30 to 10), dark (< -30).
    pub ita_class: Option<String>,
    /// Median distance from each dot to its nearest neighbour, pixels: the dot scale (unlike the diameter it does
    /// not swell on scab days, so it shows a change of camera distance).
    pub dot_spacing_px: Option<f64>,
    /// Millimetres per pixel, from a reference card of known size (`--card-size-mm`); null otherwise.
    pub mm_per_px: Option<f64>,
    /// `dot_diameter_px` in millimetres, with a known scale.
    pub dot_diameter_mm: Option<f64>,
    /// Dots per square centimetre of treated skin, with a known scale.
    pub dot_density_per_cm2: Option<f64>,
}

/// The ITA skin-tone class of an ITA angle (degrees), by the usual bounds (Chardon et al. 1991; Del Bino et al.
/// 2006).
pub fn ita_class(ita_deg: f64) -> &'static str {
    if ita_deg > 55.0 {
        "very_light"
    } else if ita_deg > 41.0 {
        "light"
    } else if ita_deg > 28.0 {
        "intermediate"
    } else if ita_deg > 10.0 {
        "tan"
    } else if ita_deg > -30.0 {
        "brown"
    } else {
        "dark"
    }
}

#[cfg(test)]
mod tests {
    use super::ita_class;

    #[test]
    fn ita_classes_follow_the_published_bounds() {
        let cases = [(60.0, "very_light"), (45.0, "light"), (30.0, "intermediate"), (20.0, "tan"), (0.0, "brown")];
        for (ita, class) in cases {
            assert_eq!(ita_class(ita), class);
        }
        assert_eq!(ita_class(-45.0), "dark");
    }
}
