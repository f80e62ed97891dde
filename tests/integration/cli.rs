//! The binary's behaviour: exit codes, messages, files written.

use crate::common::{fixture, smp_heal, tempdir, text, write_plain_photo};

#[test]
fn missing_folder_exits_2_naming_it() {
    let out = smp_heal(&["analyze", "/no/such/folder"]);
    let (_, err) = text(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("/no/such/folder"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}

#[test]
fn folder_without_photos_exits_2() {
    let dir = tempdir();
    std::fs::write(dir.path().join("notes.txt"), "hello").unwrap();
    let out = smp_heal(&["analyze", dir.path().to_str().unwrap()]);
    let (_, err) = text(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("no photos"), "{err}");
}

#[test]
fn bad_session_date_exits_2_with_the_expected_format() {
    let dir = tempdir();
    write_plain_photo(&dir.path().join("2026-11-02.png"), 64, 64);
    let out = smp_heal(&["analyze", dir.path().to_str().unwrap(), "--session", "2026-13-01"]);
    let (_, err) = text(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("2026-13-01") && err.contains("YYYY-MM-DD"), "{err}");
}

#[test]
fn bad_roi_and_zero_jobs_exit_2() {
    let dir = tempdir();
    write_plain_photo(&dir.path().join("a.png"), 64, 64);
    let p = dir.path().to_str().unwrap();
    assert_eq!(smp_heal(&["analyze", p, "--roi", "0.5,0.5,0.9,0.1"]).status.code(), Some(2));
    assert_eq!(smp_heal(&["analyze", p, "--jobs", "0"]).status.code(), Some(2));
    assert_eq!(smp_heal(&["analyze", p, "--no-such-flag"]).status.code(), Some(2));
}

#[test]
fn synth_refuses_a_dot_diameter_out_of_range_naming_the_flag() {
    let dir = tempdir();
    let p = dir.path().to_str().unwrap();
    for bad in ["0.5", "61", "NaN"] {
        let out = smp_heal(&["synth", p, "--scenario", "whole-head", "--dot-diameter", bad]);
        let (_, err) = text(&out);
        assert_eq!(out.status.code(), Some(2), "{bad}: {err}");
        assert!(err.contains("--dot-diameter") && err.contains("1 to 60"), "{err}");
    }
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none(), "nothing written");
}

#[test]
fn out_equal_to_the_photo_folder_is_refused() {
    let dir = tempdir();
    write_plain_photo(&dir.path().join("a.png"), 64, 64);
    let p = dir.path().to_str().unwrap();
    let out = smp_heal(&["analyze", p, "--out", p]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.path().join("report.json").exists());
}

#[test]
fn a_damaged_photo_is_reported_and_the_others_are_measured() {
    let dir = tempdir();
    write_plain_photo(&dir.path().join("2026-11-02.png"), 80, 60);
    write_plain_photo(&dir.path().join("2026-11-05.png"), 80, 60);
    std::fs::write(dir.path().join("2026-11-03.jpg"), b"\xff\xd8\xff\xe0 not really a jpeg").unwrap();
    let out = smp_heal(&["analyze", dir.path().to_str().unwrap(), "--quiet"]);
    let (stdout, err) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(stdout.is_empty(), "--quiet prints nothing but errors: {stdout}");
    assert!(err.contains("2026-11-03.jpg:"), "{err}");
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("smp-heal-report/report.json")).unwrap()).unwrap();
    let photos = report["photos"].as_array().unwrap();
    assert_eq!(photos.len(), 3);
    assert_eq!(photos[1]["file"], "2026-11-03.jpg");
    assert_eq!(photos[1]["status"], "error");
    assert!(photos[1]["error"].as_str().unwrap().contains("cut off before its end"), "{}", photos[1]["error"]);
    assert_eq!(photos[0]["status"], "ok");
    assert_eq!(photos[2]["status"], "ok");
    assert_eq!(photos[2]["day"], 3.0);
}

#[test]
fn sessions_place_photos_and_days() {
    let dir = tempdir();
    for name in ["2026-11-01.png", "IMG_20261103_120000.png", "2026-11-10.png", "2026-11-12.png"] {
        write_plain_photo(&dir.path().join(name), 64, 64);
    }
    let p = dir.path().to_str().unwrap();
    let out = smp_heal(&["analyze", p, "--session", "2026-11-09", "--session", "2026-11-02T00:00", "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out).1);
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("smp-heal-report/report.json")).unwrap()).unwrap();
    let sessions = report["sessions"].as_array().unwrap();
    assert_eq!(sessions[0]["start"], "2026-11-02T00:00:00");
    assert_eq!(sessions[1]["start"], "2026-11-09T00:00:00");
    let placed: Vec<(serde_json::Value, serde_json::Value)> =
        report["photos"].as_array().unwrap().iter().map(|p| (p["session"].clone(), p["day"].clone())).collect();
    assert_eq!(placed[0], (serde_json::Value::Null, serde_json::Value::Null));
    assert_eq!(placed[1], (1.into(), 1.5.into()));
    assert_eq!(placed[2], (2.into(), 1.0.into()));
    assert_eq!(placed[3], (2.into(), 3.0.into()));
    let first = &report["photos"][0]["warnings"][0]["code"];
    assert_eq!(first, "before_first_session");
}

#[test]
fn report_and_csv_are_byte_identical_whatever_the_number_of_jobs() {
    let dir = tempdir();
    let photos = fixture("patchy");
    let p = photos.to_str().unwrap();
    let mut reports = Vec::new();
    for jobs in ["1", "2", "1"] {
        let out_dir = dir.path().join(format!("out-{}", reports.len()));
        let out = smp_heal(&["analyze", p, "--jobs", jobs, "--quiet", "--out", out_dir.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0));
        reports.push((
            std::fs::read(out_dir.join("report.json")).unwrap(),
            std::fs::read(out_dir.join("metrics.csv")).unwrap(),
        ));
    }
    assert_eq!(reports[0], reports[1], "report.json and metrics.csv with --jobs 1 and 2");
    assert_eq!(reports[0], reports[2], "and on a second run");
}

#[test]
fn the_table_lists_every_photo() {
    let dir = tempdir();
    write_plain_photo(&dir.path().join("2026-11-02.png"), 64, 64);
    write_plain_photo(&dir.path().join("2026-11-04.png"), 64, 64);
    let out = smp_heal(&["analyze", dir.path().to_str().unwrap()]);
    let (stdout, _) = text(&out);
    assert!(stdout.starts_with("file"), "{stdout}");
    assert!(stdout.contains("2026-11-02.png") && stdout.contains("2026-11-04.png"), "{stdout}");
    assert!(stdout.contains("wrote ") && stdout.contains("report.json"), "{stdout}");
}
