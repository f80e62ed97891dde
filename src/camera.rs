/*!
Capture settings from EXIF, and the warnings when they change between a client's photos.

A client's photos are compared only if they were taken alike: the same camera, white balance, flash, focal length
and light level, at the same distance. Each photo is compared with the client's previous photo that has the
setting (photos in capture order), and the dot scale with the first measured photo:
- `camera_changed`: another camera make or model;
- `white_balance_changed`: the white-balance mode switched between auto and manual;
- `flash_changed`: the flash fired in one photo and not in the other;
- `focal_length_changed`: the focal length differs by more than 10% (another lens or zoom);
- `exposure_changed`: exposure time times ISO differs by more than one stop (a factor of 2: another light);
- `scale_changed`: the dot spacing (`dot_spacing_px`, median distance between neighbouring dots) differs by more than
  [`SCALE_CHANGE`] from the first measured photo: the camera was closer or farther. The spacing is used rather than
  the dot diameter, which swells by a quarter or more on scab days while the spacing stays.
*/

use serde::{Deserialize, Serialize};

use crate::measure::Warning;
use crate::report::PhotoEntry;

/// Relative change of the dot scale that makes a `scale_changed` warning.
pub const SCALE_CHANGE: f64 = 0.25;

/// Capture settings read from EXIF (each `None` when absent).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CameraInfo {
    /// Camera maker.
    pub make: Option<String>,
    /// Camera model.
    pub model: Option<String>,
    /// White-balance mode: auto or manual.
    pub white_balance: Option<String>,
    /// Exposure time, seconds.
    pub exposure_time_s: Option<f64>,
    /// ISO sensitivity.
    pub iso: Option<u32>,
    /// Whether the flash fired.
    pub flash_fired: Option<bool>,
    /// Focal length, millimetres.
    pub focal_length_mm: Option<f64>,
}

impl CameraInfo {
    /// The settings in an EXIF block.
    pub fn from_exif(exif: &exif::Exif) -> CameraInfo {
        let field = |tag| exif.get_field(tag, exif::In::PRIMARY).map(|f| &f.value);
        let uint = |tag| field(tag).and_then(|v| v.get_uint(0));
        let rational = |tag| match field(tag) {
            Some(exif::Value::Rational(r)) => r.first().map(|r| r.to_f64()).filter(|v| v.is_finite() && *v > 0.0),
            _ => None,
        };
        CameraInfo {
            make: crate::dates::ascii_field(exif, exif::Tag::Make).filter(|s| !s.is_empty()),
            model: crate::dates::ascii_field(exif, exif::Tag::Model).filter(|s| !s.is_empty()),
            white_balance: uint(exif::Tag::WhiteBalance).and_then(|v| match v {
                0 => Some("auto".to_string()),
                1 => Some("manual".to_string()),
                _ => None,
            }),
            exposure_time_s: rational(exif::Tag::ExposureTime),
            iso: uint(exif::Tag::PhotographicSensitivity).filter(|v| *v > 0),
            flash_fired: uint(exif::Tag::Flash).map(|v| v & 1 == 1),
            focal_length_mm: rational(exif::Tag::FocalLength),
        }
    }

    /// Whether nothing was read.
    pub fn is_empty(&self) -> bool {
        *self == CameraInfo::default()
    }
}

/// Adds the consistency warnings to photos in capture order.
pub fn consistency_warnings(photos: &mut [PhotoEntry]) {
    let first_spacing = photos.iter().find_map(|p| p.metrics.as_ref().and_then(|m| m.dot_spacing_px));
    for i in 0..photos.len() {
        let mut found = Vec::new();
        if let Some(cam) = photos[i].camera.clone() {
            let previous = |pick: &dyn Fn(&CameraInfo) -> bool| {
                photos[..i].iter().rev().filter_map(|p| p.camera.as_ref()).find(|c| pick(c)).cloned()
            };
            let id = |c: &CameraInfo| (c.make.clone(), c.model.clone());
            if cam.make.is_some() || cam.model.is_some() {
                if let Some(prev) = previous(&|c| c.make.is_some() || c.model.is_some()) {
                    if id(&prev) != id(&cam) {
                        found.push(Warning::new(
                            "camera_changed",
                            format!(
                                "taken with {} after {}: colours and sharpness differ between cameras; use the same \
                                 one",
                                name(&cam),
                                name(&prev)
                            ),
                        ));
                    }
                }
            }
            if let (Some(wb), Some(prev)) = (&cam.white_balance, previous(&|c| c.white_balance.is_some())) {
                if prev.white_balance.as_ref() != Some(wb) {
                    found.push(Warning::new(
                        "white_balance_changed",
                        format!(
                            "white balance {wb} after {}: colours shift; keep one setting",
                            prev.white_balance.unwrap_or_default()
                        ),
                    ));
                }
            }
            if let (Some(f), Some(prev)) = (cam.flash_fired, previous(&|c| c.flash_fired.is_some())) {
                if prev.flash_fired != Some(f) {
                    let what = if f { "with flash after a photo without" } else { "without flash after a photo with" };
                    found.push(Warning::new(
                        "flash_changed",
                        format!("taken {what}: redness and shine look different; use the same light each time"),
                    ));
                }
            }
            if let (Some(fl), Some(prev)) = (cam.focal_length_mm, previous(&|c| c.focal_length_mm.is_some())) {
                let before = prev.focal_length_mm.unwrap_or(fl);
                if (fl - before).abs() > 0.10 * before {
                    found.push(Warning::new(
                        "focal_length_changed",
                        format!("focal length {fl:.1} mm after {before:.1} mm: another lens or zoom"),
                    ));
                }
            }
            let ev = |c: &CameraInfo| c.exposure_time_s.zip(c.iso).map(|(t, iso)| t * iso as f64);
            if let (Some(e), Some(prev)) = (ev(&cam), previous(&|c| ev(c).is_some())) {
                let before = ev(&prev).unwrap_or(e);
                if (e / before).log2().abs() > 1.0 {
                    found.push(Warning::new(
                        "exposure_changed",
                        format!(
                            "exposure (time x ISO) {:.1}x that of the previous photo: the light changed; use the same \
                             lamp and place",
                            e / before
                        ),
                    ));
                }
            }
        }
        let spacing = photos[i].metrics.as_ref().and_then(|m| m.dot_spacing_px);
        if let (Some(s), Some(first)) = (spacing, first_spacing) {
            if (s / first - 1.0).abs() > SCALE_CHANGE {
                found.push(Warning::new(
                    "scale_changed",
                    format!(
                        "the dots look {:.0}% {} than in the first photo: the camera was {}; keep the same distance",
                        100.0 * (s / first - 1.0).abs(),
                        if s > first { "farther apart" } else { "closer together" },
                        if s > first { "closer" } else { "farther away" }
                    ),
                ));
            }
        }
        photos[i].warnings.extend(found);
    }
}

fn name(c: &CameraInfo) -> String {
    [c.make.as_deref(), c.model.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::DateSource;
    use crate::measure::Metrics;
    use crate::report::Status;

    fn photo(camera: CameraInfo, spacing: f64) -> PhotoEntry {
        PhotoEntry {
            file: "x.jpg".into(),
            taken: String::new(),
            date_source: DateSource::Exif,
            session: Some(1),
            day: Some(0.0),
            status: Status::Ok,
            error: None,
            width: None,
            height: None,
            metrics: Some(Metrics { dot_spacing_px: Some(spacing), ..Metrics::default() }),
            calibration: None,
            camera: Some(camera),
            warnings: Vec::new(),
            stage: None,
        }
    }

    fn phone() -> CameraInfo {
        CameraInfo {
            make: Some("Acme".into()),
            model: Some("P1".into()),
            white_balance: Some("auto".into()),
            exposure_time_s: Some(1.0 / 100.0),
            iso: Some(100),
            flash_fired: Some(false),
            focal_length_mm: Some(4.2),
        }
    }

    fn codes(p: &PhotoEntry) -> Vec<&str> {
        p.warnings.iter().map(|w| w.code.as_str()).collect()
    }

    #[test]
    fn each_change_between_photos_is_warned_about_and_alike_photos_are_not() {
        let mut photos = vec![
            photo(phone(), 10.0),
            photo(CameraInfo { exposure_time_s: Some(1.0 / 60.0), ..phone() }, 11.0),
            photo(CameraInfo { model: Some("P2".into()), flash_fired: Some(true), ..phone() }, 10.5),
            photo(CameraInfo { white_balance: Some("manual".into()), focal_length_mm: Some(6.0), ..phone() }, 10.0),
            photo(CameraInfo { exposure_time_s: Some(1.0 / 400.0), ..phone() }, 13.0),
        ];
        consistency_warnings(&mut photos);
        assert!(codes(&photos[0]).is_empty() && codes(&photos[1]).is_empty(), "under a stop, under 25%");
        assert_eq!(codes(&photos[2]), ["camera_changed", "flash_changed"]);
        assert_eq!(
            codes(&photos[3]),
            ["camera_changed", "white_balance_changed", "flash_changed", "focal_length_changed"]
        );
        assert_eq!(
            codes(&photos[4]),
            ["white_balance_changed", "focal_length_changed", "exposure_changed", "scale_changed"]
        );
        assert!(photos[4].warnings[3].message.contains("30%"), "{}", photos[4].warnings[3].message);
    }
}
