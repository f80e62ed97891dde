//! Bad input never crashes a batch or loses data: a folder of hostile files (generated here, plus the two committed
//! in fixtures/bad/) is analysed; each file is measured or reported as that photo's error in plain words, the good
//! photos are measured, nothing in the folder changes, and outputs are refused where they would mix with someone
//! else's files.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::Path;

use image::{DynamicImage, ImageFormat, RgbImage};
use smp_heal::exif_write::{jpeg_with_exif, ExifFields};
use smp_heal::report::{Report, Status};

use crate::common::{crc32, fixture, png_header, smp_heal, tempdir, text};

fn encode(img: DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), format).expect("encode");
    out
}

fn skin(w: u32, h: u32) -> RgbImage {
    RgbImage::from_fn(w, h, |x, y| {
        if (x % 9 < 2) && (y % 9 < 2) {
            image::Rgb([70, 55, 50])
        } else {
            image::Rgb([200, 150, 130])
        }
    })
}

/// Writes the hostile corpus into `dir`; returns the names of the files that must be measured (not errors).
fn build_corpus(dir: &Path) -> Vec<String> {
    let w = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes).expect(name);
    let good = std::fs::read(fixture("typical-healing").join("IMG_20261104_093028.jpg"))
        .or_else(|_| {
            let mut files: Vec<_> = std::fs::read_dir(fixture("typical-healing"))?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "jpg"))
                .collect();
            files.sort();
            std::fs::read(&files[1])
        })
        .expect("a fixture photo");
    let rgb = skin(200, 150);
    let png = encode(DynamicImage::ImageRgb8(rgb.clone()), ImageFormat::Png);
    let jpg = encode(DynamicImage::ImageRgb8(rgb.clone()), ImageFormat::Jpeg);
    w("IMG_20261104_093028.jpg", &good);
    w("zero-bytes.jpg", b"");
    w("cut-off.jpg", &good[..good.len() / 2]);
    w("notes.jpg", b"these are my notes, not a photo\n");
    w("page.png", b"<!DOCTYPE html><html><body>not a photo</body></html>");
    let mut bad_crc = png.clone();
    bad_crc[29] ^= 0xFF; // inside IHDR's CRC
    w("bad-crc.png", &bad_crc);
    w("one-pixel.png", &encode(DynamicImage::ImageRgb8(RgbImage::new(1, 1)), ImageFormat::Png));
    w("2026-11-05 black.png", &encode(DynamicImage::ImageRgb8(RgbImage::new(200, 150)), ImageFormat::Png));
    w(
        "2026-11-05 16-bit.png",
        &encode(DynamicImage::ImageRgb16(DynamicImage::ImageRgb8(rgb.clone()).to_rgb16()), ImageFormat::Png),
    );
    w(
        "2026-11-05 grey.png",
        &encode(DynamicImage::ImageLuma8(DynamicImage::ImageRgb8(rgb.clone()).to_luma8()), ImageFormat::Png),
    );
    w(
        "2026-11-05 grey.jpg",
        &encode(DynamicImage::ImageLuma8(DynamicImage::ImageRgb8(rgb.clone()).to_luma8()), ImageFormat::Jpeg),
    );
    w(
        "2026-11-05 alpha.png",
        &encode(DynamicImage::ImageRgba8(DynamicImage::ImageRgb8(rgb.clone()).to_rgba8()), ImageFormat::Png),
    );
    w("2026-11-05 png-inside.jpg", &png);
    for name in ["cmyk.jpg", "gif-inside.jpg"] {
        std::fs::copy(fixture("bad").join(name), dir.join(format!("2026-11-05 {name}"))).expect(name);
    }
    w("bomb-60000.png", &png_header(60_000, 60_000));
    w("bomb-100000.png", &png_header(100_000, 100_000));
    let mut noise = vec![0u8; 50_000_000];
    let mut s = 0x9E37_79B9_7F4A_7C15u64;
    for chunk in noise.chunks_mut(8) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        chunk.copy_from_slice(&s.to_le_bytes()[..chunk.len()]);
    }
    w("50MB-random.jpg", &noise);
    w("2026-11-05 panorama.jpg", &encode(DynamicImage::ImageRgb8(skin(16000, 200)), ImageFormat::Jpeg));
    let garbage = ExifFields { date_time_original: Some("9999:99:99 99:99:99".into()), ..ExifFields::default() };
    w("2026-11-06 garbage-date.jpg", &jpeg_with_exif(&jpg, &garbage).expect("exif"));
    for o in 2..=8u16 {
        let f = ExifFields { orientation: Some(o), ..ExifFields::default() };
        w(&format!("2026-11-06 orientation-{o}.jpg"), &jpeg_with_exif(&jpg, &f).expect("exif"));
    }
    w("2026-11-07 spaces 'quotes' \"double\" <tag> & été 😀.jpg", &jpg);
    std::fs::create_dir(dir.join("folder.jpg")).expect("dir");
    std::fs::create_dir(dir.join("loop")).expect("dir");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.join("loop"), dir.join("loop").join("again")).expect("symlink");
        let fifo = dir.join("pipe.jpg");
        let ok = std::process::Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success());
        assert!(ok, "mkfifo");
    }
    w("2026-10-01 before-the-session.jpg", &jpg);
    w("2099-01-01 future.jpg", &jpg);
    let mut measured: Vec<String> = [
        "IMG_20261104_093028.jpg",
        "2026-11-05 black.png",
        "2026-11-05 16-bit.png",
        "2026-11-05 grey.png",
        "2026-11-05 grey.jpg",
        "2026-11-05 alpha.png",
        "2026-11-05 png-inside.jpg",
        "2026-11-05 cmyk.jpg",
        "2026-11-05 panorama.jpg",
        "2026-11-06 garbage-date.jpg",
        "2026-11-07 spaces 'quotes' \"double\" <tag> & été 😀.jpg",
        "2026-10-01 before-the-session.jpg",
        "2099-01-01 future.jpg",
    ]
    .map(String::from)
    .to_vec();
    measured.extend((2..=8).map(|o| format!("2026-11-06 orientation-{o}.jpg")));
    measured
}

/// Every file under `dir` with its bytes' checksum (FIFOs and folders by kind only).
fn snapshot(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).expect("dir").filter_map(Result::ok) {
        let meta = std::fs::symlink_metadata(entry.path()).expect("meta");
        let name = entry.file_name().to_string_lossy().into_owned();
        let value = if meta.is_file() {
            let bytes = std::fs::read(entry.path()).expect("read");
            format!("{} bytes, crc {:08x}, mtime {:?}", bytes.len(), crc32(&bytes), meta.modified().ok())
        } else {
            format!("{:?}", meta.file_type())
        };
        out.insert(name, value);
    }
    out
}

#[test]
fn a_folder_of_hostile_files_is_measured_or_reported_file_by_file_and_left_untouched() {
    let dir = tempdir();
    let measured = build_corpus(dir.path());
    let before = snapshot(dir.path());
    let out = tempdir();
    let run = smp_heal(&[
        "analyze",
        dir.path().to_str().unwrap(),
        "--session",
        "2026-11-02T10:00",
        "--out",
        out.path().join("report").to_str().unwrap(),
        "--quiet",
    ]);
    let (_, stderr) = text(&run);
    assert_eq!(run.status.code(), Some(1), "some photos failed: {stderr}");
    assert!(!stderr.contains("panicked") && !stderr.contains("internal error"), "{stderr}");
    let report: Report =
        serde_json::from_slice(&std::fs::read(out.path().join("report/report.json")).expect("json")).expect("report");
    let by_name: BTreeMap<&str, _> = report.photos.iter().map(|p| (p.file.as_str(), p)).collect();
    for name in &measured {
        let p = by_name.get(name.as_str()).unwrap_or_else(|| panic!("{name} is in the report"));
        assert_eq!(p.status, Status::Ok, "{name}: {:?}", p.error);
    }
    let expect_error = |name: &str, words: &str| {
        let p = by_name.get(name).unwrap_or_else(|| panic!("{name} is in the report"));
        let e = p.error.as_deref().unwrap_or_else(|| panic!("{name} must fail"));
        assert!(e.contains(words), "{name}: {e:?} should say {words:?}");
        assert!(stderr.contains(name) && stderr.contains(e), "{name} on stderr: {stderr}");
    };
    expect_error("zero-bytes.jpg", "empty");
    expect_error("cut-off.jpg", "cut off");
    expect_error("notes.jpg", "not a photo");
    expect_error("page.png", "not a photo");
    expect_error("bad-crc.png", "damaged");
    expect_error("one-pixel.png", "too small");
    expect_error("bomb-60000.png", "60000x60000 pixels, over the limit");
    expect_error("bomb-100000.png", "100000x100000 pixels, over the limit");
    expect_error("50MB-random.jpg", "not a photo");
    expect_error("2026-11-05 gif-inside.jpg", "GIF image");
    // Not photos at all: never opened, never listed.
    for name in ["folder.jpg", "pipe.jpg", "loop"] {
        assert!(!report.photos.iter().any(|p| p.file.starts_with(name)), "{name} is not a photo");
    }
    let early = by_name["2026-10-01 before-the-session.jpg"];
    assert!(early.session.is_none() && early.warnings.iter().any(|w| w.code == "before_first_session"));
    assert_eq!(by_name["2026-11-06 garbage-date.jpg"].date_source, smp_heal::dates::DateSource::Filename);
    let portrait = by_name["2026-11-06 orientation-6.jpg"];
    assert_eq!((portrait.width, portrait.height), (Some(150), Some(200)), "orientation 6 turns the photo");
    // Nothing the user owns changed.
    assert_eq!(snapshot(dir.path()), before, "the photo folder is unchanged");
    // The HTML and CSV carry the hostile names safely.
    let html = std::fs::read_to_string(out.path().join("report/report.html")).expect("html");
    assert!(!html.contains("<tag>") && html.contains("&lt;tag&gt;"));
}

#[test]
fn an_output_folder_with_someone_elses_files_is_refused_unless_forced() {
    let photos = tempdir();
    std::fs::copy(fixture("typical-healing").join("truth.json"), photos.path().join("notes.txt")).unwrap();
    let mut files: Vec<_> = std::fs::read_dir(fixture("typical-healing"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "jpg"))
        .collect();
    files.sort();
    std::fs::copy(&files[0], photos.path().join("IMG_20261102_131010.jpg")).unwrap();
    let out = tempdir();
    std::fs::write(out.path().join("tax-return.pdf"), b"precious").unwrap();
    let args = |extra: &[&str]| {
        let mut a = vec!["analyze", photos.path().to_str().unwrap(), "--out", out.path().to_str().unwrap(), "--quiet"];
        a.extend(extra);
        smp_heal(&a)
    };
    let refused = args(&[]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(text(&refused).1.contains("--force"), "{:?}", text(&refused));
    assert!(!out.path().join("report.json").exists());
    let forced = args(&["--force"]);
    assert_eq!(forced.status.code(), Some(0), "{:?}", text(&forced));
    assert_eq!(std::fs::read(out.path().join("tax-return.pdf")).unwrap(), b"precious");
    // Now it holds an smp-heal report: a second run updates it without --force.
    assert_eq!(args(&[]).status.code(), Some(0));
    // Limits are configurable: a 0.1 MP limit refuses the fixture photo with a clear message.
    let small = tempdir();
    let limited = smp_heal(&[
        "analyze",
        photos.path().to_str().unwrap(),
        "--out",
        small.path().join("r").to_str().unwrap(),
        "--max-megapixels",
        "0.1",
        "--quiet",
    ]);
    assert_eq!(limited.status.code(), Some(1));
    assert!(text(&limited).1.contains("over the limit of 100000 pixels"), "{:?}", text(&limited));
}

#[test]
fn fuzzing_finds_stay_fixed() {
    let dir = fixture("bad").join("fuzz-regressions");
    let limits = smp_heal::measure::decode::Limits { max_pixels: 300_000, max_file_bytes: 4_000_000 };
    for entry in std::fs::read_dir(&dir).expect("fuzz-regressions").filter_map(Result::ok) {
        let bytes = std::fs::read(entry.path()).expect("read");
        if let Ok(img) = smp_heal::measure::decode::decode_bytes(&bytes, &limits) {
            let _ = smp_heal::measure::measure_image(&img, &smp_heal::measure::MeasureOptions::default());
        }
        if let Ok(text) = std::str::from_utf8(&bytes) {
            let _ = smp_heal::timeline::profile::Profile::from_json(text, "fuzz");
            let _ = smp_heal::dates::date_from_file_name(text);
        }
    }
}
