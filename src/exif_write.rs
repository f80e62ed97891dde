/*!
A tiny EXIF writer, so the synthetic-photo generator and the tests can make photos whose capture date,
time-zone offset and orientation are known.

Only what smp-heal reads is written: a little-endian TIFF block (Exif 2.32, section 4.6) with IFD0 (Make, Model,
Orientation, pointer to the Exif IFD) and an Exif IFD (ExifVersion, DateTimeOriginal, OffsetTimeOriginal). In a JPEG
it goes into an APP1 `Exif\0\0` segment placed right after SOI (Exif 2.32, section 4.7.2).
*/

/// Fields to embed; `None` = omit.
#[derive(Debug, Clone, Default)]
pub struct ExifFields {
    /// DateTimeOriginal (0x9003), `"YYYY:MM:DD HH:MM:SS"`.
    pub date_time_original: Option<String>,
    /// OffsetTimeOriginal (0x9011), e.g. `"+01:00"`.
    pub offset_time_original: Option<String>,
    /// Orientation (0x0112), 1-8.
    pub orientation: Option<u16>,
    /// Camera maker (0x010F).
    pub make: Option<String>,
    /// Camera model (0x0110).
    pub model: Option<String>,
}

/// Why EXIF could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ExifWriteError {
    /// The input does not start with the JPEG SOI marker (FF D8).
    #[error("not a JPEG: the data does not start with the SOI marker FF D8")]
    NotJpeg,
    /// A text field holds a non-ASCII character or a NUL, which EXIF ASCII values cannot store.
    #[error("EXIF field {field} must be ASCII without NUL characters")]
    NotAscii {
        /// Name of the offending field.
        field: &'static str,
    },
    /// The EXIF block would not fit in one 64 KiB APP1 segment.
    #[error("EXIF block of {0} bytes does not fit in a JPEG APP1 segment (at most 65,527 bytes)")]
    TooLarge(usize),
}

const ASCII: u16 = 2;
const SHORT: u16 = 3;
const LONG: u16 = 4;
const UNDEFINED: u16 = 7;
const EXIF_IFD_POINTER: u16 = 0x8769;
/// Largest TIFF block an APP1 segment holds: 65,535 minus the length field (2) and `Exif\0\0` (6).
const MAX_APP1_TIFF: usize = 65_535 - 2 - 6;

/// One IFD entry with its value already encoded (little-endian).
struct Entry {
    tag: u16,
    typ: u16,
    count: u32,
    data: Vec<u8>,
}

/// Returns a copy of a baseline JPEG (starting with SOI FF D8) with an APP1 `Exif\0\0` segment inserted right
/// after SOI, holding the TIFF block of [`exif_tiff`].
///
/// An EXIF segment already in the input is left in place after the new one; readers take the first.
pub fn jpeg_with_exif(jpeg: &[u8], fields: &ExifFields) -> Result<Vec<u8>, ExifWriteError> {
    if !jpeg.starts_with(&[0xFF, 0xD8]) {
        return Err(ExifWriteError::NotJpeg);
    }
    let tiff = exif_tiff(fields)?;
    if tiff.len() > MAX_APP1_TIFF {
        return Err(ExifWriteError::TooLarge(tiff.len()));
    }
    let seg_len = (2 + 6 + tiff.len()) as u16;
    let mut out = Vec::with_capacity(jpeg.len() + 4 + 6 + tiff.len());
    out.extend_from_slice(&[0xFF, 0xD8, 0xFF, 0xE1]);
    out.extend_from_slice(&seg_len.to_be_bytes());
    out.extend_from_slice(b"Exif\0\0");
    out.extend_from_slice(&tiff);
    out.extend_from_slice(&jpeg[2..]);
    Ok(out)
}

/// The bare little-endian TIFF block (`II*\0` ...) holding `fields`, as stored in a JPEG APP1 segment, a PNG
/// `eXIf` chunk or a WebP `EXIF` chunk.
pub fn exif_tiff(fields: &ExifFields) -> Result<Vec<u8>, ExifWriteError> {
    let mut ifd0 = ifd0_entries(fields)?;
    let exif = exif_entries(fields)?;
    if !exif.is_empty() {
        // The pointer's value is patched below, once IFD0's size is known; the size does not depend on it.
        ifd0.push(long(EXIF_IFD_POINTER, 0));
    }
    let exif_offset = 8 + ifd_len(&ifd0);
    if let Some(pointer) = ifd0.iter_mut().find(|e| e.tag == EXIF_IFD_POINTER) {
        pointer.data = (exif_offset as u32).to_le_bytes().to_vec();
    }
    let mut out = b"II\x2A\x00\x08\x00\x00\x00".to_vec();
    write_ifd(&mut out, &ifd0);
    if !exif.is_empty() {
        write_ifd(&mut out, &exif);
    }
    Ok(out)
}

fn ifd0_entries(fields: &ExifFields) -> Result<Vec<Entry>, ExifWriteError> {
    let mut entries = Vec::new();
    if let Some(make) = &fields.make {
        entries.push(ascii(0x010F, make, "make")?);
    }
    if let Some(model) = &fields.model {
        entries.push(ascii(0x0110, model, "model")?);
    }
    if let Some(orientation) = fields.orientation {
        entries.push(Entry { tag: 0x0112, typ: SHORT, count: 1, data: orientation.to_le_bytes().to_vec() });
    }
    Ok(entries)
}

fn exif_entries(fields: &ExifFields) -> Result<Vec<Entry>, ExifWriteError> {
    let mut entries = Vec::new();
    if let Some(date) = &fields.date_time_original {
        entries.push(ascii(0x9003, date, "date_time_original")?);
    }
    if let Some(offset) = &fields.offset_time_original {
        entries.push(ascii(0x9011, offset, "offset_time_original")?);
    }
    if !entries.is_empty() {
        // ExifVersion is mandatory in an Exif IFD; "0232" is Exif 2.32, which defines OffsetTimeOriginal.
        entries.insert(0, Entry { tag: 0x9000, typ: UNDEFINED, count: 4, data: b"0232".to_vec() });
    }
    Ok(entries)
}

fn ascii(tag: u16, text: &str, field: &'static str) -> Result<Entry, ExifWriteError> {
    if !text.bytes().all(|b| b.is_ascii() && b != 0) {
        return Err(ExifWriteError::NotAscii { field });
    }
    let mut data = text.as_bytes().to_vec();
    data.push(0);
    let count = u32::try_from(data.len()).map_err(|_| ExifWriteError::TooLarge(data.len()))?;
    Ok(Entry { tag, typ: ASCII, count, data })
}

fn long(tag: u16, value: u32) -> Entry {
    Entry { tag, typ: LONG, count: 1, data: value.to_le_bytes().to_vec() }
}

/// Values longer than 4 bytes live after the IFD, each starting at an even ("word-aligned") offset.
fn padded(len: usize) -> usize {
    if len > 4 {
        len + len % 2
    } else {
        0
    }
}

/// Bytes taken by an IFD (count, entries, next-IFD offset) and its out-of-line values.
fn ifd_len(entries: &[Entry]) -> usize {
    2 + 12 * entries.len() + 4 + entries.iter().map(|e| padded(e.data.len())).sum::<usize>()
}

/// Appends an IFD, entries sorted by tag, at the current end of `out` (an even offset), with no next IFD.
fn write_ifd(out: &mut Vec<u8>, entries: &[Entry]) {
    let mut sorted: Vec<&Entry> = entries.iter().collect();
    sorted.sort_by_key(|e| e.tag);
    let start = out.len();
    let mut value_at = start + 2 + 12 * sorted.len() + 4;
    out.extend_from_slice(&(sorted.len() as u16).to_le_bytes());
    for e in &sorted {
        out.extend_from_slice(&e.tag.to_le_bytes());
        out.extend_from_slice(&e.typ.to_le_bytes());
        out.extend_from_slice(&e.count.to_le_bytes());
        if e.data.len() <= 4 {
            let mut inline = [0u8; 4];
            inline[..e.data.len()].copy_from_slice(&e.data);
            out.extend_from_slice(&inline);
        } else {
            out.extend_from_slice(&(value_at as u32).to_le_bytes());
            value_at += padded(e.data.len());
        }
    }
    out.extend_from_slice(&0u32.to_le_bytes());
    for e in sorted.iter().filter(|e| e.data.len() > 4) {
        out.extend_from_slice(&e.data);
        out.resize(out.len() + e.data.len() % 2, 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use exif::{In, Reader, Tag, Value};
    use std::io::Cursor;

    fn tiny_jpeg() -> Vec<u8> {
        let img = image::RgbImage::from_fn(16, 8, |x, y| image::Rgb([x as u8 * 16, y as u8 * 32, 128]));
        let mut out = Cursor::new(Vec::new());
        image::DynamicImage::ImageRgb8(img).write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
        out.into_inner()
    }

    fn all_fields() -> ExifFields {
        ExifFields {
            date_time_original: Some("2026:11:04 09:30:12".into()),
            offset_time_original: Some("+01:00".into()),
            orientation: Some(6),
            make: Some("Acme".into()),
            model: Some("ScalpCam 3000".into()),
        }
    }

    fn ascii_of(exif: &exif::Exif, tag: Tag) -> String {
        match &exif.get_field(tag, In::PRIMARY).unwrap().value {
            Value::Ascii(v) => String::from_utf8(v[0].clone()).unwrap(),
            other => panic!("{tag}: not ASCII: {other:?}"),
        }
    }

    #[test]
    fn every_field_survives_a_round_trip_through_kamadak_exif() {
        let jpeg = jpeg_with_exif(&tiny_jpeg(), &all_fields()).unwrap();
        let exif = Reader::new().read_from_container(&mut Cursor::new(&jpeg)).unwrap();
        assert_eq!(ascii_of(&exif, Tag::DateTimeOriginal), "2026:11:04 09:30:12");
        assert_eq!(ascii_of(&exif, Tag::OffsetTimeOriginal), "+01:00");
        assert_eq!(ascii_of(&exif, Tag::Make), "Acme");
        assert_eq!(ascii_of(&exif, Tag::Model), "ScalpCam 3000");
        let orientation = exif.get_field(Tag::Orientation, In::PRIMARY).unwrap();
        assert_eq!(orientation.value.get_uint(0), Some(6));
    }

    #[test]
    fn the_result_still_decodes_as_an_image() {
        let jpeg = jpeg_with_exif(&tiny_jpeg(), &all_fields()).unwrap();
        let img = image::load_from_memory(&jpeg).unwrap();
        assert_eq!((img.width(), img.height()), (16, 8));
    }

    #[test]
    fn a_single_field_or_none_at_all_is_still_readable() {
        let only_date = ExifFields { date_time_original: Some("2026:11:04 09:30:12".into()), ..Default::default() };
        let jpeg = jpeg_with_exif(&tiny_jpeg(), &only_date).unwrap();
        let exif = Reader::new().read_from_container(&mut Cursor::new(&jpeg)).unwrap();
        assert_eq!(ascii_of(&exif, Tag::DateTimeOriginal), "2026:11:04 09:30:12");
        assert!(exif.get_field(Tag::Make, In::PRIMARY).is_none());
        let only_orientation = ExifFields { orientation: Some(3), ..Default::default() };
        let jpeg = jpeg_with_exif(&tiny_jpeg(), &only_orientation).unwrap();
        let exif = Reader::new().read_from_container(&mut Cursor::new(&jpeg)).unwrap();
        assert_eq!(exif.get_field(Tag::Orientation, In::PRIMARY).unwrap().value.get_uint(0), Some(3));
        let empty = jpeg_with_exif(&tiny_jpeg(), &ExifFields::default()).unwrap();
        assert!(image::load_from_memory(&empty).is_ok());
    }

    #[test]
    fn values_after_an_ifd_start_at_even_offsets() {
        let odd = ExifFields { make: Some("Acme1".into()), model: Some("Model".into()), ..Default::default() };
        let tiff = exif_tiff(&odd).unwrap();
        // IFD0 at 8: 2 entries -> values start at 8 + 2 + 24 + 4 = 38; "Acme1\0" is 6 bytes, "Model\0" at 44.
        assert_eq!(u32::from_le_bytes(tiff[18..22].try_into().unwrap()), 38);
        assert_eq!(u32::from_le_bytes(tiff[30..34].try_into().unwrap()), 44);
        let exif = Reader::new().read_raw(tiff).unwrap();
        assert_eq!(ascii_of(&exif, Tag::Model), "Model");
    }

    #[test]
    fn rejects_data_that_is_not_a_jpeg() {
        assert!(matches!(jpeg_with_exif(b"\x89PNG\r\n", &all_fields()), Err(ExifWriteError::NotJpeg)));
        assert!(matches!(jpeg_with_exif(b"", &all_fields()), Err(ExifWriteError::NotJpeg)));
    }

    #[test]
    fn rejects_non_ascii_text_and_oversized_blocks() {
        let accented = ExifFields { make: Some("Caméra".into()), ..Default::default() };
        assert!(matches!(jpeg_with_exif(&tiny_jpeg(), &accented), Err(ExifWriteError::NotAscii { field: "make" })));
        let huge = ExifFields { model: Some("x".repeat(70_000)), ..Default::default() };
        assert!(matches!(jpeg_with_exif(&tiny_jpeg(), &huge), Err(ExifWriteError::TooLarge(_))));
    }
}
