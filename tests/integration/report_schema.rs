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
    profile: Profile,
    fits: Vec<Fit>,
    flags: Vec<Flag>,
    notes: Vec<Note>,
    next_session: Option<NextSession>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Profile {
    name: String,
    description: String,
    stages: Vec<StageSpan>,
    bands: Bands,
    min_session_gap_days: f64,
    min_sessions: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct StageSpan {
    stage: String,
    from_day: f64,
    to_day: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Bands {
    redness_excess: Vec<Band>,
    contrast: Vec<Band>,
    diameter: Vec<Band>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Band {
    from_day: f64,
    to_day: Option<f64>,
    min: Option<f64>,
    max: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Fit {
    session: usize,
    photos: usize,
    redness: RednessFit,
    contrast: ContrastFit,
    verdict: String,
    summary: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct RednessFit {
    metric: Option<String>,
    baseline_source: Option<String>,
    baseline: Option<f64>,
    fit: Option<ExpFit>,
    no_fit: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ExpFit {
    a: f64,
    tau_days: f64,
    half_life_days: f64,
    baseline: f64,
    r_squared: f64,
    within_10pct_day: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ContrastFit {
    judged: bool,
    scab_phase: Option<f64>,
    day7: Option<f64>,
    day7_source: Option<String>,
    day7_share_of_scab: Option<f64>,
    settling: Option<ExpFit>,
    settling_no_fit: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Flag {
    code: String,
    severity: String,
    session: Option<usize>,
    message: String,
    evidence: Vec<Evidence>,
    confidence: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Evidence {
    file: Option<String>,
    day: Option<f64>,
    what: String,
    value: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Note {
    code: String,
    message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct NextSession {
    session: usize,
    earliest: String,
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Stage {
    expected: String,
    observed: Option<String>,
    status: Option<String>,
    redness_excess: Option<f64>,
    contrast_ratio: Option<f64>,
    diameter_ratio: Option<f64>,
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
    calibration: Option<Calibration>,
    camera: Option<Camera>,
    warnings: Vec<Warning>,
    stage: Option<Stage>,
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
    untreated_fraction: f64,
    treated_lab: Option<[f64; 3]>,
    untreated_lab: Option<[f64; 3]>,
    ita_class: Option<String>,
    dot_spacing_px: Option<f64>,
    mm_per_px: Option<f64>,
    dot_diameter_mm: Option<f64>,
    dot_density_per_cm2: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Camera {
    make: Option<String>,
    model: Option<String>,
    white_balance: Option<String>,
    exposure_time_s: Option<f64>,
    iso: Option<u32>,
    flash_fired: Option<bool>,
    focal_length_mm: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Calibration {
    method: String,
    gains: [f64; 3],
    patch_fraction: f64,
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
        fixture("slow-redness").to_str().unwrap(),
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
    assert_eq!(report.profile.name, "default");
    assert_eq!(report.profile.stages.len(), 5);
    assert_eq!(report.fits.len(), 1);
    let fit = report.fits[0].redness.fit.as_ref().expect("a redness fit");
    assert_eq!(report.fits[0].redness.metric.as_deref(), Some("redness_delta_a_normalised"));
    assert!(fit.tau_days > 0.0 && fit.r_squared <= 1.0);
    assert!(!report.flags.is_empty() && report.flags.iter().all(|f| !f.evidence.is_empty()));
    assert!(report.flags.iter().all(|f| ["warning", "alert"].contains(&f.severity.as_str())));
    assert!(report.photos.iter().all(|p| p.stage.is_some()));
    assert_eq!(report.next_session.as_ref().map(|n| n.session), Some(2));
    let days: Vec<f64> = report.photos.iter().filter_map(|p| p.day).collect();
    assert!(days.windows(2).all(|w| w[0] <= w[1]), "sorted by capture time: {days:?}");
}
