/*!
When each photo was taken: healing is measured in days since a session, so every photo needs a capture time.

Sources in order of trust: the EXIF capture date (read from the file header, never from pixels), a date in the
file name (phones and messengers name files after the capture time), and last the file modification time, which
copying and syncing reset, so it comes with a warning for the report.
*/

use crate::time::CivilTime;
use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

/// Where a capture time came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateSource {
    /// EXIF DateTimeOriginal, or DateTimeDigitized / DateTime when it is missing.
    Exif,
    /// A date (and maybe a time) in the file name.
    Filename,
    /// The file modification time, read as a UTC wall clock.
    Mtime,
}

/// A photo's capture time and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct CaptureTime {
    /// Wall-clock capture time.
    pub time: CivilTime,
    /// `"+01:00"` when the EXIF offset (OffsetTimeOriginal, or the one matching the date used) was present.
    pub offset: Option<String>,
    /// Where `time` came from.
    pub source: DateSource,
}

impl CaptureTime {
    /// ISO text for the report: `"2026-11-04T09:30:12"` or `"2026-11-04T09:30:12+01:00"`.
    pub fn display(&self) -> String {
        format!("{}{}", self.time, self.offset.as_deref().unwrap_or(""))
    }
}

/// At most this many bytes of a file are read when looking for EXIF.
const EXIF_READ_LIMIT: u64 = 8 << 20;

/// Date tags in order of preference, each with the tag holding its time-zone offset.
const DATE_TAGS: [(exif::Tag, exif::Tag); 3] = [
    (exif::Tag::DateTimeOriginal, exif::Tag::OffsetTimeOriginal),
    (exif::Tag::DateTimeDigitized, exif::Tag::OffsetTimeDigitized),
    (exif::Tag::DateTime, exif::Tag::OffsetTime),
];

/// EXIF DateTimeOriginal (+ OffsetTimeOriginal) read from the file's metadata only: pixels are never decoded and
/// at most the first 8 MiB are read. Works for JPEG, PNG (`eXIf`), TIFF and WebP.
///
/// Falls back to DateTimeDigitized, then DateTime (0x0132), when DateTimeOriginal is missing or invalid. Blank or
/// invalid dates (`"0000:00:00 00:00:00"`, month 13, years outside 1990-2100) count as missing. `None` when the file
/// cannot be read, has no EXIF or no valid date.
pub fn exif_capture_time(path: &Path) -> Option<(CivilTime, Option<String>)> {
    capture_time_of(&read_exif(path)?)
}

/// The EXIF block of a file, read from its metadata only (at most the first 8 MiB; pixels are never decoded).
pub fn read_exif(path: &Path) -> Option<exif::Exif> {
    let file = File::open(path).ok()?;
    let mut reader = BufReader::new(Capped { inner: file, pos: 0, limit: EXIF_READ_LIMIT });
    match exif::Reader::new().continue_on_error(true).read_from_container(&mut reader) {
        Ok(exif) => Some(exif),
        Err(e) => e.distill_partial_result(|_| {}).ok(),
    }
}

/// The EXIF block of a file's bytes (a JPEG, PNG, TIFF or WebP container), if it has one.
pub fn read_exif_bytes(bytes: &[u8]) -> Option<exif::Exif> {
    let mut reader = std::io::Cursor::new(bytes);
    match exif::Reader::new().continue_on_error(true).read_from_container(&mut reader) {
        Ok(exif) => Some(exif),
        Err(e) => e.distill_partial_result(|_| {}).ok(),
    }
}

/// The capture time of an EXIF block (see [`exif_capture_time`]).
pub fn capture_time_of(exif: &exif::Exif) -> Option<(CivilTime, Option<String>)> {
    DATE_TAGS.iter().find_map(|&(date_tag, offset_tag)| {
        let time = ascii_field(exif, date_tag).and_then(|d| parse_exif_date(&d))?;
        Some((time, ascii_field(exif, offset_tag).and_then(|o| valid_offset(&o))))
    })
}

/// The first string of an ASCII field of the primary image, trimmed.
pub(crate) fn ascii_field(exif: &exif::Exif, tag: exif::Tag) -> Option<String> {
    match &exif.get_field(tag, exif::In::PRIMARY)?.value {
        exif::Value::Ascii(strings) => {
            let text = std::str::from_utf8(strings.first()?).ok()?;
            Some(text.trim_matches(|c: char| c == '\0' || c.is_whitespace()).to_owned())
        }
        _ => None,
    }
}

/// `"YYYY:MM:DD HH:MM:SS"` (also tolerating `-` in the date and `T` before the time), validated.
fn parse_exif_date(text: &str) -> Option<CivilTime> {
    let b = text.as_bytes();
    let date_sep = *b.get(4)?;
    let ok_seps = matches!(date_sep, b':' | b'-')
        && b.get(7) == Some(&date_sep)
        && matches!(b.get(10), Some(b' ' | b'T'))
        && b.get(13) == Some(&b':')
        && b.get(16) == Some(&b':');
    if !ok_seps {
        return None;
    }
    let f = |at: usize, len: usize| digits(b, at, len);
    plausible(f(0, 4)?, f(5, 2)?, f(8, 2)?, f(11, 2)?, f(14, 2)?, f(17, 2)?)
}

/// `"+HH:MM"` / `"-HH:MM"` with a real offset (at most 14 hours), else `None`.
fn valid_offset(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let ok = b.len() == 6
        && matches!(b[0], b'+' | b'-')
        && b[3] == b':'
        && digits(b, 1, 2).is_some_and(|h| h <= 14)
        && digits(b, 4, 2).is_some_and(|m| m < 60);
    ok.then(|| text.to_owned())
}

/// The number written by exactly `len` ASCII digits at `at`.
fn digits(b: &[u8], at: usize, len: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(len)?)?;
    s.iter().all(u8::is_ascii_digit).then(|| s.iter().fold(0, |n, &c| n * 10 + u32::from(c - b'0')))
}

/// A valid date and time with a year a digital photo can have (1990-2100).
fn plausible(y: u32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<CivilTime> {
    if !(1990..=2100).contains(&y) {
        return None;
    }
    CivilTime::from_parts(i64::from(y), mo, d, h, mi, s)
}

/// A reader that stops at `limit` bytes but can still seek (kamadak-exif needs `BufRead + Seek`).
struct Capped {
    inner: File,
    pos: u64,
    limit: u64,
}

impl Read for Capped {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = usize::try_from(self.limit.saturating_sub(self.pos)).unwrap_or(usize::MAX);
        let want = buf.len().min(left);
        let n = self.inner.read(&mut buf[..want])?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for Capped {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        self.pos = self.inner.seek(to)?;
        Ok(self.pos)
    }
}

/// A date or date-time inside a file name.
///
/// Recognised: `2026-11-04`, `2026_11_04`, `2026.11.04`, `20261104`, `IMG_20261104_093012`,
/// `PXL_20261104_093012123`, `20261104093012`, `2026-11-04_09-30`, `2026-11-04 09.30.12`,
/// `Screenshot 2026-11-04 at 09.30.12` (also `at 9.30.12 PM`), WhatsApp `IMG-20261104-WA0001` (date only).
/// Only plausible dates count (year 1990-2100, real month and day), and only whole digit runs: `120261104` has no
/// date. A time is taken only when it directly follows the date after a separator and is valid.
pub fn date_from_file_name(name: &str) -> Option<CivilTime> {
    let b = name.as_bytes();
    (0..b.len())
        .filter(|&i| b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_digit()))
        .find_map(|i| name_date_at(b, i))
}

/// Length of the digit run starting at `at`.
fn run_len(b: &[u8], at: usize) -> usize {
    b.get(at..).map_or(0, |s| s.iter().take_while(|c| c.is_ascii_digit()).count())
}

/// A date starting with the digit run at `i`, with the time that follows it if any.
fn name_date_at(b: &[u8], i: usize) -> Option<CivilTime> {
    let f = |at: usize, len: usize| digits(b, at, len);
    let ((y, mo, d), end) = match run_len(b, i) {
        4 => {
            let sep = *b.get(i + 4).filter(|c| matches!(c, b'-' | b'_' | b'.'))?;
            let same_sep = b.get(i + 7) == Some(&sep) && run_len(b, i + 5) == 2 && run_len(b, i + 8) == 2;
            same_sep.then_some(((f(i, 4)?, f(i + 5, 2)?, f(i + 8, 2)?), i + 10))?
        }
        8 => ((f(i, 4)?, f(i + 4, 2)?, f(i + 6, 2)?), i + 8),
        14 | 17 => return plausible(f(i, 4)?, f(i + 4, 2)?, f(i + 6, 2)?, f(i + 8, 2)?, f(i + 10, 2)?, f(i + 12, 2)?),
        _ => return None,
    };
    let date = plausible(y, mo, d, 0, 0, 0)?;
    let time = time_after_date(b, end).and_then(|(h, mi, s)| plausible(y, mo, d, h, mi, s));
    Some(time.unwrap_or(date))
}

/// (hour, minute, second) right after a date ending at `end`: a separator (`_`, `-`, `.`, space, `T` or
/// `" at "`) then `HHMMSS[mmm]` or `HH?MM[?SS]` with one separator `?` out of `- . : _`.
fn time_after_date(b: &[u8], end: usize) -> Option<(u32, u32, u32)> {
    if b.get(end..).is_some_and(|rest| rest.starts_with(b" at ")) {
        return clock_time(b, end + 4, true);
    }
    if !matches!(b.get(end), Some(b'_' | b'-' | b'.' | b' ' | b'T')) {
        return None;
    }
    let p = end + 1;
    match run_len(b, p) {
        6 | 9 => Some((digits(b, p, 2)?, digits(b, p + 2, 2)?, digits(b, p + 4, 2)?)),
        2 => clock_time(b, p, false),
        _ => None,
    }
}

/// `HH?MM[?SS]` at `p`; with `at_form` (macOS screenshots) also a one-digit hour and a trailing AM/PM.
fn clock_time(b: &[u8], p: usize, at_form: bool) -> Option<(u32, u32, u32)> {
    let hlen = run_len(b, p);
    if !(hlen == 2 || (at_form && hlen == 1)) {
        return None;
    }
    let h = digits(b, p, hlen)?;
    let sep = *b.get(p + hlen).filter(|c| matches!(c, b'-' | b'.' | b':' | b'_'))?;
    let m_at = p + hlen + 1;
    if run_len(b, m_at) != 2 {
        return None;
    }
    let mi = digits(b, m_at, 2)?;
    let has_s = b.get(m_at + 2) == Some(&sep) && run_len(b, m_at + 3) == 2;
    let (s, after) = if has_s { (digits(b, m_at + 3, 2)?, m_at + 5) } else { (0, m_at + 2) };
    let h = if at_form { twelve_hour(h, b.get(after..).unwrap_or_default())? } else { h };
    Some((h, mi, s))
}

/// The 24-hour hour of `h` followed by `rest`, which may begin with " AM"/" PM" (space or U+202F before it).
fn twelve_hour(h: u32, rest: &[u8]) -> Option<u32> {
    let rest = rest.strip_prefix(b" ").or_else(|| rest.strip_prefix("\u{202f}".as_bytes()));
    match rest.and_then(|r| r.get(..2)) {
        Some(b"AM" | b"am") => (1..=12).contains(&h).then_some(h % 12),
        Some(b"PM" | b"pm") => (1..=12).contains(&h).then_some(h % 12 + 12),
        _ => Some(h),
    }
}

/// The warning for a capture time taken from the file modification time.
pub const MTIME_WARNING: &str =
    "no capture date in EXIF or file name; using the file's modification time, which copying resets";

/// The warning when not even a modification time is known.
pub const NO_DATE_WARNING: &str =
    "no capture date in EXIF or file name and no file modification time; using 1970-01-01";

/// A date in the file name, else in the names of the folders holding it, innermost first
/// (`2026-11-04/IMG_0001.jpg`). `rel` uses '/' separators.
pub fn date_from_path(rel: &str) -> Option<CivilTime> {
    rel.rsplit('/').find_map(date_from_file_name)
}

/// The capture time from the first source that has one: EXIF -> file name (then its folder names) -> file
/// modification time (read as a UTC wall clock). `rel` is the path relative to the photo folder ('/'
/// separators). The second value is a warning for the report when the modification time (or nothing) was used.
pub fn capture_time(path: &Path, rel: &str, mtime: Option<SystemTime>) -> (CaptureTime, Option<String>) {
    capture_time_with(read_exif(path).as_ref(), rel, mtime)
}

/// [`capture_time`] from an EXIF block already read (or none).
pub fn capture_time_with(
    exif: Option<&exif::Exif>,
    rel: &str,
    mtime: Option<SystemTime>,
) -> (CaptureTime, Option<String>) {
    if let Some((time, offset)) = exif.and_then(capture_time_of) {
        return (CaptureTime { time, offset, source: DateSource::Exif }, None);
    }
    if let Some(time) = date_from_path(rel) {
        return (CaptureTime { time, offset: None, source: DateSource::Filename }, None);
    }
    let (time, warning) = match mtime {
        Some(m) => (CivilTime::from_unix(unix_seconds(m)), MTIME_WARNING),
        None => (CivilTime(0), NO_DATE_WARNING),
    };
    (CaptureTime { time, offset: None, source: DateSource::Mtime }, Some(warning.to_owned()))
}

/// Whole seconds since the Unix epoch, negative before it.
fn unix_seconds(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => i64::try_from(e.duration().as_secs()).map_or(i64::MIN, |s| -s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exif_write::{exif_tiff, jpeg_with_exif, ExifFields};
    use std::io::Cursor;
    use std::time::Duration;

    fn iso(text: &str) -> CivilTime {
        CivilTime::parse_iso(text).unwrap()
    }

    fn fields(date: &str, offset: Option<&str>) -> ExifFields {
        ExifFields {
            date_time_original: Some(date.into()),
            offset_time_original: offset.map(Into::into),
            ..Default::default()
        }
    }

    fn tiny_image() -> image::DynamicImage {
        image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(8, 8, image::Rgb([200, 150, 120])))
    }

    fn jpeg_file(dir: &Path, name: &str, fields: &ExifFields) -> std::path::PathBuf {
        let mut plain = Cursor::new(Vec::new());
        tiny_image().write_to(&mut plain, image::ImageFormat::Jpeg).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, jpeg_with_exif(plain.get_ref(), fields).unwrap()).unwrap();
        path
    }

    #[test]
    fn reads_the_exif_date_with_its_offset() {
        let dir = tempfile::tempdir().unwrap();
        let path = jpeg_file(dir.path(), "a.jpg", &fields("2026:11:04 09:30:12", Some("+01:00")));
        assert_eq!(exif_capture_time(&path), Some((iso("2026-11-04T09:30:12"), Some("+01:00".into()))));
        let (capture, warning) = capture_time(&path, "a.jpg", None);
        assert_eq!(capture.source, DateSource::Exif);
        assert_eq!(capture.display(), "2026-11-04T09:30:12+01:00");
        assert_eq!(warning, None);
    }

    #[test]
    fn reads_the_exif_date_without_an_offset() {
        let dir = tempfile::tempdir().unwrap();
        let path = jpeg_file(dir.path(), "IMG_20200101_000000.jpg", &fields("2026:11:04 09:30:12", None));
        let (capture, _) = capture_time(&path, "IMG_20200101_000000.jpg", None);
        assert_eq!(capture, CaptureTime { time: iso("2026-11-04T09:30:12"), offset: None, source: DateSource::Exif });
        assert_eq!(capture.display(), "2026-11-04T09:30:12");
    }

    #[test]
    fn reads_the_exif_date_of_a_png_from_its_exif_chunk() {
        use image::ImageEncoder;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("scalp.png");
        let mut png = Vec::new();
        let mut encoder = image::codecs::png::PngEncoder::new(&mut png);
        encoder.set_exif_metadata(exif_tiff(&fields("2026:11:05 18:00:00", Some("-05:00"))).unwrap()).unwrap();
        encoder.write_image(tiny_image().as_bytes(), 8, 8, image::ExtendedColorType::Rgb8).unwrap();
        std::fs::write(&path, png).unwrap();
        assert_eq!(exif_capture_time(&path), Some((iso("2026-11-05T18:00:00"), Some("-05:00".into()))));
    }

    #[test]
    fn a_date_in_a_folder_name_is_used_when_the_file_name_has_none() {
        assert_eq!(date_from_path("2026-11-04/IMG_0001.jpg"), Some(iso("2026-11-04T00:00:00")));
        assert_eq!(date_from_path("client/2026-11-04/day 3/IMG_20261106_101500.jpg"), Some(iso("2026-11-06T10:15:00")));
        assert_eq!(date_from_path("client/IMG_0001.jpg"), None);
    }

    #[test]
    fn a_garbage_exif_date_falls_back_to_the_file_name() {
        let dir = tempfile::tempdir().unwrap();
        for garbage in ["0000:00:00 00:00:00", "2026:13:45 10:00:00", "    :  :     :  :  ", "", "yesterday"] {
            let path = jpeg_file(dir.path(), "x.jpg", &fields(garbage, Some("+01:00")));
            assert_eq!(exif_capture_time(&path), None, "{garbage:?}");
            let (capture, warning) = capture_time(&path, "IMG_20261104_093012.jpg", None);
            assert_eq!((capture.time, capture.source), (iso("2026-11-04T09:30:12"), DateSource::Filename));
            assert_eq!((capture.offset, warning), (None, None));
        }
    }

    #[test]
    fn falls_back_to_date_time_digitized_when_the_original_date_is_missing() {
        let tiff = exif_tiff(&fields("2026:11:04 09:30:12", None)).unwrap();
        // Retag DateTimeOriginal (0x9003, ASCII) as DateTimeDigitized (0x9004).
        let at = tiff.windows(4).position(|w| w == [0x03, 0x90, 0x02, 0x00]).unwrap();
        let mut retagged = tiff.clone();
        retagged[at] = 0x04;
        let mut plain = Cursor::new(Vec::new());
        tiny_image().write_to(&mut plain, image::ImageFormat::Jpeg).unwrap();
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE1];
        jpeg.extend_from_slice(&((retagged.len() + 8) as u16).to_be_bytes());
        jpeg.extend_from_slice(b"Exif\0\0");
        jpeg.extend_from_slice(&retagged);
        jpeg.extend_from_slice(&plain.get_ref()[2..]);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.jpg");
        std::fs::write(&path, jpeg).unwrap();
        assert_eq!(exif_capture_time(&path), Some((iso("2026-11-04T09:30:12"), None)));
    }

    #[test]
    fn an_invalid_exif_offset_is_dropped_but_the_date_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = jpeg_file(dir.path(), "a.jpg", &fields("2026:11:04 09:30:12", Some("+1 hour")));
        assert_eq!(exif_capture_time(&path), Some((iso("2026-11-04T09:30:12"), None)));
    }

    #[test]
    fn files_without_exif_or_that_are_not_images_have_no_exif_date() {
        let dir = tempfile::tempdir().unwrap();
        let path = jpeg_file(dir.path(), "a.jpg", &ExifFields { orientation: Some(1), ..Default::default() });
        assert_eq!(exif_capture_time(&path), None);
        let text = dir.path().join("notes.jpg");
        std::fs::write(&text, "not a photo").unwrap();
        assert_eq!(exif_capture_time(&text), None);
        assert_eq!(exif_capture_time(&dir.path().join("missing.jpg")), None);
    }

    #[test]
    fn reads_dates_in_each_file_name_pattern() {
        let cases = [
            ("2026-11-04.jpg", "2026-11-04T00:00:00"),
            ("scalp 2026_11_04.png", "2026-11-04T00:00:00"),
            ("2026.11.04 crown.jpg", "2026-11-04T00:00:00"),
            ("20261104.jpg", "2026-11-04T00:00:00"),
            ("IMG_20261104_093012.jpg", "2026-11-04T09:30:12"),
            ("PXL_20261104_093012123.jpg", "2026-11-04T09:30:12"),
            ("PXL_20261104_093012123.MP.jpg", "2026-11-04T09:30:12"),
            ("20261104093012.jpg", "2026-11-04T09:30:12"),
            ("2026-11-04_09-30.jpg", "2026-11-04T09:30:00"),
            ("2026-11-04 09.30.12.jpg", "2026-11-04T09:30:12"),
            ("Screenshot 2026-11-04 at 09.30.12.png", "2026-11-04T09:30:12"),
            ("Screen Shot 2026-11-04 at 9.30.12 PM.png", "2026-11-04T21:30:12"),
            ("Screen Shot 2026-11-04 at 12.05.00\u{202f}AM.png", "2026-11-04T00:05:00"),
            ("IMG-20261104-WA0001.jpg", "2026-11-04T00:00:00"),
            ("2026-11-04T09:30:12.jpg", "2026-11-04T09:30:12"),
        ];
        for (name, want) in cases {
            assert_eq!(date_from_file_name(name).map(|t| t.to_string()).as_deref(), Some(want), "{name}");
        }
    }

    #[test]
    fn ignores_implausible_dates_and_partial_digit_runs() {
        for name in [
            "IMG_0001.jpg",
            "120261104.jpg",
            "202611041.jpg",
            "12026-11-04.jpg",
            "2026-11-041.jpg",
            "2026-11_04.jpg",
            "2026-13-04.jpg",
            "2026-02-30.jpg",
            "18001104.jpg",
            "21501104.jpg",
            "DSC_1234.JPG",
            "photo.jpg",
            "",
        ] {
            assert_eq!(date_from_file_name(name), None, "{name}");
        }
    }

    #[test]
    fn takes_only_a_valid_time_that_directly_follows_the_date() {
        assert_eq!(date_from_file_name("2026-11-04_25-99.jpg"), Some(iso("2026-11-04")));
        assert_eq!(date_from_file_name("2026-11-04x09-30.jpg"), Some(iso("2026-11-04")));
        assert_eq!(date_from_file_name("IMG-20261104-0001.jpg"), Some(iso("2026-11-04")));
        assert_eq!(date_from_file_name("2026-11-04_2.jpg"), Some(iso("2026-11-04")));
        assert_eq!(date_from_file_name("x120261104 then 2026-11-05.jpg"), Some(iso("2026-11-05")));
    }

    #[test]
    fn falls_back_to_the_modification_time_with_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("crown.jpg");
        std::fs::write(&path, b"\xFF\xD8\xFF\xD9").unwrap();
        let mtime = UNIX_EPOCH + Duration::from_secs(1_793_784_612); // 2026-11-04T09:30:12Z
        let (capture, warning) = capture_time(&path, "crown.jpg", Some(mtime));
        assert_eq!(capture.time, iso("2026-11-04T09:30:12"));
        assert_eq!(capture.source, DateSource::Mtime);
        assert_eq!(warning.as_deref(), Some(MTIME_WARNING));
    }

    #[test]
    fn without_any_date_uses_1970_and_warns() {
        let (capture, warning) = capture_time(Path::new("/nonexistent/crown.jpg"), "crown.jpg", None);
        assert_eq!(capture.time.to_string(), "1970-01-01T00:00:00");
        assert_eq!(capture.source, DateSource::Mtime);
        assert_eq!(warning.as_deref(), Some(NO_DATE_WARNING));
    }

    #[test]
    fn modification_times_before_1970_are_negative() {
        assert_eq!(unix_seconds(UNIX_EPOCH - Duration::from_secs(86_400)), -86_400);
    }

    #[test]
    fn date_sources_serialise_in_lowercase() {
        assert_eq!(serde_json::to_string(&DateSource::Filename).unwrap(), "\"filename\"");
    }
}
