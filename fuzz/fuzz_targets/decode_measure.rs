//! Arbitrary bytes as a photo file: decoding must give an image or an error, and measuring any image it gives must
//! finish without panicking. The pixel limit keeps each run fast.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smp_heal::measure::decode::{decode_bytes, Limits};
use smp_heal::measure::{measure_image, MeasureOptions};

fuzz_target!(|data: &[u8]| {
    let limits = Limits { max_pixels: 300_000, max_file_bytes: 4_000_000 };
    if let Ok(img) = decode_bytes(data, &limits) {
        let m = measure_image(&img, &MeasureOptions::default());
        assert!(m.metrics.redness_a.is_none_or(f64::is_finite));
    }
    let _ = smp_heal::dates::read_exif_bytes(data).map(|e| smp_heal::camera::CameraInfo::from_exif(&e));
});
