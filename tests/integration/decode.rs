//! Decoding: EXIF orientation is applied, and oversized images are refused from their header alone.

use std::io::Cursor;

use smp_heal::exif_write::{jpeg_with_exif, ExifFields};
use smp_heal::measure::decode::{decode, Limits};
use smp_heal::measure::MeasureError;

use crate::common::tempdir;

/// A 60x40 JPEG whose left half is dark and right half light.
fn landscape_jpeg() -> Vec<u8> {
    let img =
        image::RgbImage::from_fn(
            60,
            40,
            |x, _| if x < 30 { image::Rgb([40, 30, 30]) } else { image::Rgb([220, 180, 160]) },
        );
    let mut out = Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img).write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

#[test]
fn exif_orientation_is_applied_before_measuring() {
    let dir = tempdir();
    // Orientation 6: the stored image must be rotated 90 degrees clockwise to display.
    let fields = ExifFields { orientation: Some(6), ..Default::default() };
    let path = dir.path().join("rotated.jpg");
    std::fs::write(&path, jpeg_with_exif(&landscape_jpeg(), &fields).unwrap()).unwrap();
    let img = decode(&path, &Limits::default()).unwrap();
    assert_eq!((img.width(), img.height()), (40, 60));
    // The dark left half of the stored image is now the top half.
    assert!(img.get_pixel(20, 5)[0] < 100 && img.get_pixel(20, 55)[0] > 150);
}

fn crc32(bytes: &[u8]) -> u32 {
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
fn png_header(w: u32, h: u32) -> Vec<u8> {
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

#[test]
fn a_header_claiming_too_many_pixels_is_refused_without_decoding() {
    let dir = tempdir();
    let path = dir.path().join("bomb.png");
    std::fs::write(&path, png_header(60_000, 60_000)).unwrap();
    match decode(&path, &Limits::default()) {
        Err(e @ MeasureError::TooManyPixels { width: 60_000, height: 60_000, .. }) => {
            assert!(e.to_string().contains("60000x60000"), "{e}")
        }
        other => panic!("expected TooManyPixels, got {other:?}"),
    }
}

#[test]
fn text_named_jpg_and_empty_files_are_clear_errors() {
    let dir = tempdir();
    let text = dir.path().join("notes.jpg");
    std::fs::write(&text, "this is not a photo").unwrap();
    assert!(matches!(decode(&text, &Limits::default()), Err(MeasureError::NotAnImage)));
    let empty = dir.path().join("empty.jpg");
    std::fs::write(&empty, b"").unwrap();
    assert!(matches!(decode(&empty, &Limits::default()), Err(MeasureError::Empty)));
    // A PNG saved under a .jpg name is read by its contents.
    let png_as_jpg = dir.path().join("really-a-png.jpg");
    image::RgbImage::from_pixel(40, 40, image::Rgb([200, 150, 130]))
        .save_with_format(&png_as_jpg, image::ImageFormat::Png)
        .unwrap();
    assert_eq!(decode(&png_as_jpg, &Limits::default()).unwrap().dimensions(), (40, 40));
}

#[test]
fn a_jpeg_cut_off_by_an_interrupted_copy_is_an_error_not_grey_skin() {
    let dir = tempdir();
    let whole = landscape_jpeg();
    let path = dir.path().join("half-copied.jpg");
    std::fs::write(&path, &whole[..whole.len() * 2 / 3]).unwrap();
    let err = decode(&path, &Limits::default()).unwrap_err();
    assert!(matches!(err, MeasureError::Truncated), "{err:?}");
    assert!(err.to_string().contains("cut off"), "{err}");
}
