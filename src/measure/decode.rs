/*!
Decoding a photo safely: format sniffed from the bytes, size limits checked on the header before any pixel is
decoded, EXIF orientation applied, converted to 8-bit RGB.
*/

use std::path::Path;

use image::{DynamicImage, ImageDecoder, ImageReader, RgbImage};

use super::MeasureError;

/// Size limits for one photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most pixels (width x height) a photo may have. Default: 100 million (a 12 MP photo is 12 million).
    pub max_pixels: u64,
    /// Largest file size in bytes. Default: 200 MB.
    pub max_file_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_pixels: 100_000_000, max_file_bytes: 200_000_000 }
    }
}

/// Smallest side, in pixels, of a photo worth measuring.
pub const MIN_SIDE: u32 = 32;

/// Decodes `path` to 8-bit RGB in display orientation.
pub fn decode(path: &Path, limits: &Limits) -> Result<RgbImage, MeasureError> {
    let size = std::fs::metadata(path).map_err(MeasureError::Read)?.len();
    if size > limits.max_file_bytes {
        return Err(MeasureError::FileTooLarge { bytes: size, max: limits.max_file_bytes });
    }
    if size == 0 {
        return Err(MeasureError::Empty);
    }
    let reader =
        ImageReader::open(path).map_err(MeasureError::Read)?.with_guessed_format().map_err(MeasureError::Read)?;
    if reader.format().is_none() {
        return Err(MeasureError::NotAnImage);
    }
    let mut decoder = reader.into_decoder().map_err(|e| MeasureError::Decode(e.to_string()))?;
    let (w, h) = decoder.dimensions();
    if w as u64 * h as u64 > limits.max_pixels {
        return Err(MeasureError::TooManyPixels { width: w, height: h, max: limits.max_pixels });
    }
    if w < MIN_SIDE || h < MIN_SIDE {
        return Err(MeasureError::TooSmall { width: w, height: h });
    }
    let mut io_limits = image::Limits::default();
    io_limits.max_image_width = Some(w);
    io_limits.max_image_height = Some(h);
    io_limits.max_alloc = Some(limits.max_pixels.saturating_mul(8));
    decoder.set_limits(io_limits).map_err(|e| MeasureError::Decode(e.to_string()))?;
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| MeasureError::Decode(e.to_string()))?;
    img.apply_orientation(orientation);
    Ok(img.into_rgb8())
}
