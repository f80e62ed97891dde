//! Arbitrary text as a session date, a file name, a folder path and an EXIF block: every parser returns a value or
//! nothing, never panics, and every date it returns is valid.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smp_heal::dates::{capture_time_of, date_from_file_name, date_from_path, read_exif_bytes};
use smp_heal::time::CivilTime;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        for t in [CivilTime::parse_iso(text), date_from_file_name(text), date_from_path(text)].into_iter().flatten() {
            let (y, mo, d, h, mi, s) = t.parts();
            assert!((1..=12).contains(&mo) && (1..=31).contains(&d) && h < 24 && mi < 60 && s < 61, "{y}-{mo}-{d}");
            let _ = t.to_string();
        }
    }
    if let Some(exif) = read_exif_bytes(data) {
        let _ = capture_time_of(&exif);
    }
});
