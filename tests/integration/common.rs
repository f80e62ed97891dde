//! Helpers shared by the integration tests.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Mutex, OnceLock};

use smp_heal::analyze::{analyze, AnalyzeConfig};
use smp_heal::report::Report;

/// Runs the smp-heal binary with arguments.
pub fn smp_heal(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_smp-heal")).args(args).output().expect("the binary runs")
}

/// Writes a plain skin-coloured PNG (no dots) of the given size.
pub fn write_plain_photo(path: &Path, w: u32, h: u32) {
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([190 + (x % 7) as u8, 150 + (y % 5) as u8, 130]));
    img.save(path).expect("write png");
}

/// A fresh temporary folder.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("tempdir")
}

/// The committed fixture series folder of a scenario.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(name)
}

/// Stdout and stderr as text.
pub fn text(out: &Output) -> (String, String) {
    (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// The report of a committed fixture series, analysed once per test run and shared between tests.
pub fn analyzed(name: &str) -> Report {
    static CACHE: OnceLock<Mutex<HashMap<String, Report>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(r) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(name) {
        return r.clone();
    }
    let out = tempdir();
    let config = AnalyzeConfig { out_dir: out.path().to_path_buf(), ..AnalyzeConfig::new(fixture(name)) };
    let report = analyze(&config, &|_| {}).expect("analysis runs");
    cache.lock().unwrap_or_else(|e| e.into_inner()).insert(name.to_string(), report.clone());
    report
}
