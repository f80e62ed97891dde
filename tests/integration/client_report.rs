//! The client-file outputs: report.html (self-contained, escaped, every photo and flag named, rendered by a real
//! browser), overlays, the contact sheet and metrics.csv (round trip), and the choice of outputs.

use std::path::{Path, PathBuf};
use std::process::Command;

use smp_heal::report::Report;

use crate::common::{fixture, smp_heal, tempdir, text};

/// A hostile but legal file name: HTML and CSV special characters, accents and an emoji.
const HOSTILE: &str = "IMG_20261109_0930 <b>&\"quote's\",été 😀.jpg";

/// A photo folder: the slow-redness series, one photo renamed to [`HOSTILE`], plus `extra` photos of the patchy
/// series.
fn folder(extra: usize) -> tempfile::TempDir {
    let dir = tempdir();
    let copy = |series: &str, take: usize| {
        let mut files: Vec<PathBuf> = std::fs::read_dir(fixture(series))
            .expect("fixture")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "jpg"))
            .collect();
        files.sort();
        for f in files.into_iter().take(take) {
            let name = f.file_name().expect("name").to_string_lossy().into_owned();
            let name =
                if name.starts_with("IMG_20261109") && series == "slow-redness" { HOSTILE.to_string() } else { name };
            std::fs::copy(&f, dir.path().join(format!("{series}-{name}"))).expect("copy");
        }
    };
    copy("slow-redness", 6);
    copy("patchy", extra);
    dir
}

fn run(dir: &Path, extra: &[&str]) -> (tempfile::TempDir, Report) {
    let out = tempdir();
    let mut args = vec!["analyze", dir.to_str().unwrap(), "--quiet", "--out", out.path().to_str().unwrap()];
    args.extend(extra);
    let run = smp_heal(&args);
    assert_eq!(run.status.code(), Some(0), "{:?}", text(&run));
    let report = serde_json::from_slice(&std::fs::read(out.path().join("report.json")).expect("json")).expect("report");
    (out, report)
}

#[test]
fn the_html_page_is_self_contained_escaped_and_names_every_photo_and_flag() {
    let dir = folder(5);
    let (out, report) = run(dir.path(), &[]);
    assert_eq!(report.photos.len(), 11);
    let path = out.path().join("report.html");
    let html = std::fs::read_to_string(&path).expect("report.html");
    let size = std::fs::metadata(&path).expect("size").len();
    assert!(size <= 5_000_000, "report.html for 11 photos is {size} bytes");
    let dom = tl::parse(&html, tl::ParserOptions::default()).expect("the page parses");
    let parser = dom.parser();
    let imgs: Vec<_> = dom.query_selector("img").expect("selector").filter_map(|h| h.get(parser)).collect();
    assert_eq!(imgs.len(), 12, "the overview chart and one picture per photo");
    for img in &imgs {
        let src = img.as_tag().and_then(|t| t.attributes().get("src").flatten()).expect("src").as_utf8_str();
        assert!(src.starts_with("data:image/"), "embedded image, not {}", &src[..src.len().min(40)]);
    }
    // No network: no external URL, script, font or stylesheet.
    for needle in ["http://", "https://", "<script", "@import", "url(", "<link"] {
        assert!(!html.contains(needle), "the page contains {needle}");
    }
    // Every photo and every flag is named; the hostile name is escaped.
    let text: String = dom.nodes().iter().filter_map(|n| n.as_raw()).map(|b| b.as_utf8_str().into_owned()).collect();
    for p in &report.photos {
        assert!(text.contains(&html_text(&p.file)), "{} is named", p.file);
    }
    for f in &report.flags {
        assert!(html.contains(&f.code.name().replace('_', " ")), "flag {} is named", f.code.name());
    }
    assert!(!report.flags.is_empty());
    assert!(!html.contains("<b>&"), "the hostile file name is escaped");
    assert!(html.contains("&lt;b&gt;&amp;&quot;"), "escaped as entities");
    assert!(html.contains("not medical advice"));
    // The overlays and the contact sheet.
    for p in &report.photos {
        let overlay = out.path().join("overlays").join(format!("{}.jpg", p.file));
        let img = image::open(&overlay).unwrap_or_else(|e| panic!("{}: {e}", overlay.display()));
        assert!(img.width().max(img.height()) <= 1600);
    }
    let sheet = image::open(out.path().join("contact-sheet.png")).expect("contact sheet");
    assert!(sheet.width() > 1000 && sheet.height() > 250, "{}x{}", sheet.width(), sheet.height());
}

/// How tinytemplate's HTML escaping writes text.
fn html_text(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

#[test]
fn metrics_csv_round_trips() {
    let dir = folder(0);
    let (out, report) = run(dir.path(), &["--format", "json,csv"]);
    let bytes = std::fs::read(out.path().join("metrics.csv")).expect("metrics.csv");
    assert!(std::str::from_utf8(&bytes).is_ok(), "UTF-8");
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(bytes.as_slice());
    let header: Vec<String> = reader.headers().expect("header").iter().map(String::from).collect();
    assert_eq!(header, smp_heal::report::csv::COLUMNS);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("record")).collect();
    assert_eq!(rows.len(), report.photos.len());
    let col = |name: &str| header.iter().position(|h| h == name).expect("column");
    for (row, p) in rows.iter().zip(&report.photos) {
        assert_eq!(&row[col("file")], p.file, "file names survive quoting");
        let m = p.metrics.as_ref().expect("metrics");
        assert_eq!(row[col("dot_count")].parse::<u64>().expect("count"), m.dot_count);
        assert_eq!(row[col("redness_a")].parse::<f64>().ok(), m.redness_a);
        assert_eq!(row[col("day")].parse::<f64>().ok(), p.day);
        assert_eq!(&row[col("expected_stage")], p.stage.as_ref().expect("stage").expected.name());
    }
    // Only what was asked for.
    assert!(!out.path().join("report.html").exists() && !out.path().join("overlays").exists());
    assert!(!out.path().join("overview.png").exists());
}

#[test]
fn outputs_can_be_chosen() {
    let dir = folder(0);
    let (out, _) = run(dir.path(), &["--no-overlays"]);
    for name in ["report.json", "report.html", "metrics.csv", "overview.png", "contact-sheet.png"] {
        assert!(out.path().join(name).exists(), "{name}");
    }
    assert!(!out.path().join("overlays").exists());
    let (only_json, _) = run(dir.path(), &["--format", "json"]);
    let names: Vec<String> =
        std::fs::read_dir(only_json.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
    assert_eq!(names, ["report.json"]);
    let bad = smp_heal(&["analyze", dir.path().to_str().unwrap(), "--format", "json,pdf"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad).1.contains("pdf"), "{:?}", text(&bad));
}

/// The headless Chromium binary, if installed (`.ci/run` installs Debian's `chromium` when absent and sets
/// `SMP_HEAL_REQUIRE_CHROMIUM=1`, so the test cannot be skipped there).
fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"].iter().find_map(|name| {
        std::env::var_os("PATH")?.to_str()?.split(':').map(|d| Path::new(d).join(name)).find(|p| p.is_file())
    })
}

#[test]
fn chromium_renders_the_page_and_it_is_not_blank() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var("SMP_HEAL_REQUIRE_CHROMIUM").is_err(),
            "chromium is required (SMP_HEAL_REQUIRE_CHROMIUM is set) but not installed"
        );
        eprintln!("chromium not installed: browser rendering not checked (apt-get install chromium)");
        return;
    };
    let dir = folder(0);
    let (out, _) = run(dir.path(), &[]);
    let shot = out.path().join("screenshot.png");
    let status = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--disable-dev-shm-usage",
            "--window-size=1100,9000",
            &format!("--screenshot={}", shot.display()),
        ])
        .arg(format!("file://{}", out.path().join("report.html").display()))
        .output()
        .expect("chromium runs");
    assert!(shot.is_file(), "no screenshot: {}", String::from_utf8_lossy(&status.stderr));
    let img = image::open(&shot).expect("screenshot").into_rgb8();
    let inked_rows: Vec<u32> = (0..img.height())
        .filter(|&y| (0..img.width()).step_by(3).any(|x| img.get_pixel(x, y).0.iter().any(|&c| c < 200)))
        .collect();
    let last = *inked_rows.last().expect("the page is not blank");
    let share = inked_rows.len() as f64 / img.height() as f64;
    // Six photo strips, the verdict, flags, chart and glossary: several thousand pixels tall, not the whole 9000.
    assert!((2500..8900).contains(&last), "content ends at row {last}");
    assert!(share > 0.2, "only {share:.2} of the rows carry content");
    let distinct: std::collections::HashSet<[u8; 3]> = img.pixels().step_by(97).map(|p| p.0).collect();
    assert!(distinct.len() > 200, "photos and charts are drawn: {} colours", distinct.len());
    if let Ok(keep) = std::env::var("SMP_HEAL_KEEP_SCREENSHOT") {
        let _ = std::fs::copy(&shot, keep);
    }
}
