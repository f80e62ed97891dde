/*!
Decoding a photo safely: format sniffed from the first bytes (a PNG named .jpg is read as PNG, a text file named
.jpg is "not a photo"), the pixel limit checked on the header before any pixel is decoded, EXIF orientation
applied, converted to 8-bit RGB.
*/

use std::path::Path;

use std::io::Read;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, RgbImage};

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

/// Decodes `path` to 8-bit RGB in display orientation. The file's size is checked first and its format sniffed
/// from its first bytes, so an oversized or non-image file is refused before it is read.
pub fn decode(path: &Path, limits: &Limits) -> Result<RgbImage, MeasureError> {
    decode_stored(path, limits).map(|s| s.image)
}

/// A photo as decoded, with what its storage says about how it was compressed.
#[derive(Debug, Clone)]
pub struct Stored {
    /// The pixels, 8-bit RGB in display orientation.
    pub image: RgbImage,
    /// The luma quantisation table (natural order) when the file is a JPEG: what the compression took from the
    /// finest detail (see `jpeg_bias`).
    pub jpeg_luma_table: Option<[u16; 64]>,
}

/// Decodes `path` as [`decode`] does, keeping its JPEG luma quantisation table.
pub fn decode_stored(path: &Path, limits: &Limits) -> Result<Stored, MeasureError> {
    let size = std::fs::metadata(path).map_err(MeasureError::Read)?.len();
    if size > limits.max_file_bytes {
        return Err(MeasureError::FileTooLarge { bytes: size, max: limits.max_file_bytes });
    }
    if size == 0 {
        return Err(MeasureError::Empty);
    }
    let mut head = [0u8; 32];
    let n = std::fs::File::open(path).and_then(|mut f| f.read(&mut head)).map_err(MeasureError::Read)?;
    sniff_format(&head[..n])?;
    let bytes = std::fs::read(path).map_err(MeasureError::Read)?;
    let image = decode_bytes(&bytes, limits)?;
    Ok(Stored { image, jpeg_luma_table: super::jpeg_tables::luma_table(&bytes) })
}

/// Decodes an image file's bytes to 8-bit RGB in display orientation, with the same checks as [`decode`].
pub fn decode_bytes(bytes: &[u8], limits: &Limits) -> Result<RgbImage, MeasureError> {
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(MeasureError::FileTooLarge { bytes: bytes.len() as u64, max: limits.max_file_bytes });
    }
    if bytes.is_empty() {
        return Err(MeasureError::Empty);
    }
    let format = sniff_format(&bytes[..bytes.len().min(32)])?;
    if format == ImageFormat::Jpeg && !super::jpeg_end::jpeg_is_complete(bytes) {
        return Err(MeasureError::Truncated);
    }
    let mut reader = ImageReader::with_format(std::io::Cursor::new(bytes), format);
    // The pixel limit is checked here, on the header, with our own message; the decoder's limits come after.
    reader.no_limits();
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

/// The format from a file's first bytes, whatever its name says; only JPEG, PNG, TIFF and WebP are read.
fn sniff_format(head: &[u8]) -> Result<ImageFormat, MeasureError> {
    match image::guess_format(head) {
        Ok(f @ (ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::Tiff | ImageFormat::WebP)) => Ok(f),
        Ok(other) => Err(MeasureError::UnsupportedFormat(format!("{other:?}").to_uppercase())),
        Err(_) => Err(MeasureError::NotAnImage),
    }
}
