//! report.json matches its documented schema exactly: mirror structs that reject unknown fields, so any drift
//! (a renamed, added or missing field) fails here and must be documented.

use serde::Deserialize;

use crate::common::{fixture, smp_heal, tempdir};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Report {
    schema_version: u32,
    tool: Tool,
    input: Input,
    sessions: Vec<Session>,
    photos: Vec<Photo>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Tool {
    name: String,
    version: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Input {
    folder: String,
    photo_count: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Session {
    index: usize,
    start: String,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Photo {
    file: String,
    taken: String,
    date_source: String,
    session: Option<usize>,
    day: Option<f64>,
    status: String,
    error: Option<String>,
    width: Option<u32>,
    height: Option<u32>,
    metrics: Option<Metrics>,
    warnings: Vec<Warning>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Metrics {
    redness_a: Option<f64>,
    redness_delta_a: Option<f64>,
    erythema_index: Option<f64>,
    ita_deg: Option<f64>,
    dot_count: u64,
    dot_density_per_mpx: Option<f64>,
    dot_diameter_px: Option<f64>,
    dot_contrast: Option<f64>,
    dot_coverage: Option<f64>,
    hair_count: u64,
    patchiness: Option<f64>,
    treated_fraction: f64,
    sharpness: Option<f64>,
    clipped_fraction: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Warning {
    code: String,
    message: String,
}

#[test]
fn report_json_matches_the_documented_schema() {
    let out_dir = tempdir();
    let out = smp_heal(&[
        "analyze",
        fixture("typical-healing").to_str().unwrap(),
        "--quiet",
        "--out",
        out_dir.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let bytes = std::fs::read(out_dir.path().join("report.json")).unwrap();
    let report: Report = serde_json::from_slice(&bytes).expect("report.json follows the schema");
    assert_eq!(report.schema_version, 1);
    assert_eq!(report.tool.name, "smp-heal");
    assert_eq!(report.input.photo_count, report.photos.len());
    assert_eq!(report.sessions.len(), 1);
    assert_eq!(report.sessions[0].source, "assumed_first_photo");
    for p in &report.photos {
        assert_eq!(p.status, "ok");
        assert_eq!(p.date_source, "exif");
        assert!(p.metrics.is_some() && p.error.is_none());
        assert!(["exif", "filename", "mtime"].contains(&p.date_source.as_str()));
    }
    let days: Vec<f64> = report.photos.iter().filter_map(|p| p.day).collect();
    assert!(days.windows(2).all(|w| w[0] <= w[1]), "sorted by capture time: {days:?}");
}
