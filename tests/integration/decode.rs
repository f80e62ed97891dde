//! Decoding: EXIF orientation is applied, and oversized images are refused from their header alone.

use std::io::Cursor;

use smp_heal::exif_write::{jpeg_with_exif, ExifFields};
use smp_heal::measure::decode::{decode, Limits};
use smp_heal::measure::MeasureError;

use crate::common::{png_header, tempdir};

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
