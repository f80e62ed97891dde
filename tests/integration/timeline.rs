//! The healing timeline on the fixture series: each series gives exactly its expected flags, sessions are fitted
//! apart, and the charts are written. Two-session folders are built from fixture photos re-dated with new EXIF.

use std::path::Path;

use smp_heal::exif_write::{jpeg_with_exif, ExifFields};
use smp_heal::report::Report;
use smp_heal::time::CivilTime;
use smp_heal::timeline::Verdict;

use crate::common::{analyzed, fixture, smp_heal, tempdir, text};

fn flag_codes(report: &Report) -> Vec<&'static str> {
    report.flags.iter().map(|f| f.code.name()).collect()
}

fn assert_flags(series: &str, expected: &[&str]) {
    let report = analyzed(series);
    assert_eq!(flag_codes(&report), expected, "{series}: {:#?}", report.flags);
    let fit = &report.fits[0];
    assert!(fit.redness.fit.is_some(), "{series}: a redness fit: {:?}", fit.redness);
    let expected_verdict = if expected.is_empty() { Verdict::OnTrack } else { Verdict::NeedsAttention };
    assert_eq!(fit.verdict, expected_verdict, "{series}");
}

#[test]
fn typical_healing_on_light_medium_and_dark_skin_raises_no_flag() {
    assert_flags("typical-healing", &[]);
    assert_flags("medium-skin", &[]);
    assert_flags("dark-skin", &[]);
}

#[test]
fn slow_redness_is_flagged_slow_and_persistent() {
    assert_flags("slow-redness", &["slow_redness", "persistent_redness"]);
    let report = analyzed("slow-redness");
    // The generator's time constant is 9 days; the fit must find a slow drop.
    let tau = report.fits[0].redness.fit.expect("fit").tau_days;
    assert!((6.0..=12.0).contains(&tau), "tau {tau}");
    // The next session waits for the redness.
    let next = report.next_session.expect("next session");
    assert!(next.earliest.as_str() > "2026-11-09" && next.reason.contains("redness"), "{next:?}");
}

#[test]
fn patchy_healing_is_flagged_patchy() {
    assert_flags("patchy", &["patchy"]);
    let report = analyzed("patchy");
    let flag = &report.flags[0];
    assert!(flag.evidence.iter().all(|e| e.day.is_some_and(|d| d >= 4.5) && e.value >= 0.1), "{flag:?}");
}

#[test]
fn stubble_regrowth_is_flagged_hair_regrowth() {
    assert_flags("stubble-regrowth", &["hair_regrowth"]);
}

#[test]
fn dense_fine_dots_with_perspective_raise_no_flag() {
    assert_flags("dense-fine-dots", &[]);
    let report = analyzed("dense-fine-dots");
    assert!(!report.fits[0].contrast.judged, "2-3 px dots: contrast is not judged");
    assert!(report.notes.iter().any(|n| n.code == "contrast_not_judged"));
}

#[test]
fn whole_head_raises_no_flag() {
    assert_flags("whole-head", &[]);
}

#[test]
fn typical_healing_fits_give_the_generator_course() {
    let report = analyzed("typical-healing");
    let fit = &report.fits[0];
    // Generator: redness A exp(-t / 2.5) + 0.3 (in a*, of the lesion over healthy skin).
    let tau = fit.redness.fit.expect("fit").tau_days;
    assert!((2.0..=3.5).contains(&tau), "tau {tau}");
    // Generator: contrast 1.15 while scabbed, 0.75 at day 7: about 65% of the scab-phase contrast at day 7.
    let share = fit.contrast.day7_share_of_scab.expect("day-7 share");
    assert!((0.55..=0.75).contains(&share), "share {share}");
    assert_eq!(fit.contrast.day7_source.as_deref(), Some("measured"));
    for p in &report.photos {
        let stage = p.stage.as_ref().expect("stage");
        assert_eq!(stage.status, Some(smp_heal::timeline::stage::StageStatus::OnTrack), "{}: {stage:?}", p.file);
    }
    assert!(report.notes.iter().any(|n| n.code == "day7_fade"));
    assert_eq!(report.next_session.expect("next").earliest, "2026-11-09");
}

/// Copies fixture photos into `dir`, capture times moved by `shift_days` (new EXIF and file name).
fn copy_redated(series: &str, files: &[usize], shift_secs: i64, dir: &Path) {
    let mut photos: Vec<_> = std::fs::read_dir(fixture(series))
        .expect("fixture")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "jpg"))
        .collect();
    photos.sort();
    for &i in files {
        let name = photos[i].file_stem().and_then(|s| s.to_str()).expect("name");
        // IMG_YYYYMMDD_HHMMSS
        let d = &name[4..];
        let taken = CivilTime::from_parts(
            d[0..4].parse().unwrap(),
            d[4..6].parse().unwrap(),
            d[6..8].parse().unwrap(),
            d[9..11].parse().unwrap(),
            d[11..13].parse().unwrap(),
            d[13..15].parse().unwrap(),
        )
        .expect("time")
        .plus_seconds(shift_secs);
        let (y, mo, da, h, mi, s) = taken.parts();
        let fields = ExifFields {
            date_time_original: Some(format!("{y:04}:{mo:02}:{da:02} {h:02}:{mi:02}:{s:02}")),
            ..ExifFields::default()
        };
        let bytes = jpeg_with_exif(&std::fs::read(&photos[i]).expect("read"), &fields).expect("exif");
        let out = dir.join(format!("IMG_{y:04}{mo:02}{da:02}_{h:02}{mi:02}{s:02}.jpg"));
        std::fs::write(out, bytes).expect("write");
    }
}

fn analyze_folder(dir: &Path, sessions: &[&str], extra: &[&str]) -> (std::process::Output, Report) {
    let out = tempdir();
    let mut args = vec!["analyze", dir.to_str().unwrap(), "--quiet", "--out", out.path().to_str().unwrap()];
    for s in sessions {
        args.extend(["--session", s]);
    }
    args.extend(extra);
    let output = smp_heal(&args);
    let bytes = std::fs::read(out.path().join("report.json")).expect("report.json written");
    (output, serde_json::from_slice(&bytes).expect("report"))
}

const DAY: i64 = 86_400;

#[test]
fn two_sessions_fourteen_days_apart_give_two_fits_and_no_flag() {
    let dir = tempdir();
    copy_redated("typical-healing", &[0, 1, 2, 3], 0, dir.path());
    copy_redated("typical-healing", &[0, 1, 2, 3], 14 * DAY, dir.path());
    let (out, report) = analyze_folder(dir.path(), &["2026-11-02T10:00", "2026-11-16T10:00"], &["--strict"]);
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    assert_eq!(report.fits.len(), 2);
    for fit in &report.fits {
        assert_eq!(fit.photos, 4, "session {}", fit.session);
        assert!(fit.redness.fit.is_some(), "session {}: {:?}", fit.session, fit.redness);
        assert_eq!(fit.verdict, Verdict::OnTrack);
    }
    assert!(report.flags.is_empty(), "{:#?}", report.flags);
    assert!(report.photos.iter().filter(|p| p.session == Some(2)).all(|p| p.day.is_some_and(|d| d < 8.0)));
    assert_eq!(report.next_session.expect("next").session, 3);
}

#[test]
fn two_sessions_four_days_apart_are_flagged_too_soon() {
    let dir = tempdir();
    copy_redated("typical-healing", &[0, 1], 0, dir.path());
    // The day-4 photo, moved half a day earlier, is session 1's third photo (day 3.8).
    copy_redated("typical-healing", &[2], -DAY / 2, dir.path());
    copy_redated("typical-healing", &[0, 1, 2], 4 * DAY, dir.path());
    let (out, report) = analyze_folder(dir.path(), &["2026-11-02T10:00", "2026-11-06T10:00"], &["--strict"]);
    assert_eq!(flag_codes(&report), ["session_too_soon"], "{:#?}", report.flags);
    assert_eq!(out.status.code(), Some(3), "--strict exits 3 on a flag");
    let flag = &report.flags[0];
    assert_eq!((flag.session, flag.evidence[0].value), (Some(2), 4.0));
    assert!(flag.message.contains("7 days"), "{}", flag.message);
}

#[test]
fn a_session_with_two_photos_has_no_fit_and_is_flagged_insufficient() {
    let dir = tempdir();
    copy_redated("typical-healing", &[0, 3], 0, dir.path());
    let (out, report) = analyze_folder(dir.path(), &[], &[]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(flag_codes(&report), ["insufficient_data"]);
    let fit = &report.fits[0];
    assert_eq!(fit.verdict, Verdict::InsufficientData);
    assert!(fit.redness.fit.is_none() && fit.redness.no_fit.as_deref().is_some_and(|r| r.contains("at least 3")));
    let json = serde_json::to_string(&report).unwrap();
    assert!(!json.contains("NaN") && !json.contains("null,null,null,null"));
}

#[test]
fn charts_are_written_as_pngs_of_the_stated_size_and_not_blank() {
    let out = tempdir();
    let run = smp_heal(&[
        "analyze",
        fixture("typical-healing").to_str().unwrap(),
        "--quiet",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(0), "{:?}", text(&run));
    use smp_heal::report::charts::{CONTRAST_SIZE, OVERVIEW_SIZE, REDNESS_SIZE};
    for (name, size) in
        [("redness.png", REDNESS_SIZE), ("contrast.png", CONTRAST_SIZE), ("overview.png", OVERVIEW_SIZE)]
    {
        let bytes = std::fs::read(out.path().join(name)).expect(name);
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "{name} is a PNG");
        let img = image::load_from_memory_with_format(&bytes, image::ImageFormat::Png).expect(name).into_rgb8();
        assert_eq!(img.dimensions(), size, "{name}");
        let inked = img.pixels().filter(|p| p.0.iter().any(|&c| c < 200)).count();
        let share = inked as f64 / (size.0 * size.1) as f64;
        assert!(share > 0.01 && share < 0.6, "{name}: {share:.3} of pixels drawn");
        // The session colour (Okabe-Ito blue) is there: the points and the fitted curve were drawn.
        assert!(img.pixels().filter(|p| p.0 == [0, 114, 178]).count() > 200, "{name}: session points and curve");
    }
}

#[test]
fn a_bad_profile_is_refused_with_the_reason() {
    let dir = tempdir();
    let profile = dir.path().join("profile.json");
    std::fs::write(&profile, r#"{"name": "x"}"#).unwrap();
    let out =
        smp_heal(&["analyze", fixture("typical-healing").to_str().unwrap(), "--profile", profile.to_str().unwrap()]);
    let (_, err) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("profile.json") && err.contains("missing field"), "{err}");
}

#[test]
fn a_stricter_profile_changes_the_flags() {
    // The built-in profile with the day-7 redness band tightened to 0.02: typical healing is then flagged.
    let mut profile: serde_json::Value =
        serde_json::from_str(smp_heal::timeline::profile::DEFAULT_PROFILE_JSON).expect("json");
    profile["name"] = "strict".into();
    profile["bands"]["redness_excess"][1]["max"] = 0.02.into();
    let dir = tempdir();
    let path = dir.path().join("strict.json");
    std::fs::write(&path, profile.to_string()).unwrap();
    let (out, report) = analyze_folder(&fixture("typical-healing"), &[], &["--profile", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(report.profile.name, "strict");
    assert!(flag_codes(&report).contains(&"persistent_redness"), "{:?}", flag_codes(&report));
}
