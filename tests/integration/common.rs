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

/// CRC-32 (IEEE), as PNG chunks carry.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A PNG claiming `w x h` pixels with almost no data: a decompression-bomb header.
/// A PNG claiming `w x h` pixels: signature, IHDR, an empty image-data chunk and the end chunk, as a real file has.
pub fn png_header(w: u32, h: u32) -> Vec<u8> {
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend(w.to_be_bytes());
    ihdr.extend(h.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(13u32.to_be_bytes());
    png.extend(&ihdr);
    png.extend(crc32(&ihdr).to_be_bytes());
    // A small image-data chunk (an empty zlib stream) and the end chunk, as a real file has.
    for (kind, data) in [(&b"IDAT"[..], &[0x78u8, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01][..]), (b"IEND", &[])] {
        let mut chunk = kind.to_vec();
        chunk.extend(data);
        png.extend((data.len() as u32).to_be_bytes());
        png.extend(&chunk);
        png.extend(crc32(&chunk).to_be_bytes());
    }
    png
}
