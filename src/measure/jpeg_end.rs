/*!
Whether a JPEG file is complete: its segments are walked from the start-of-image marker through every scan to
the end-of-image marker. A file cut off by an interrupted copy has no end marker, and decoders quietly fill the
missing rows with grey, which must not be measured as skin. Searching for the end marker's bytes would not do: an
EXIF thumbnail holds one, and motion photos append a video after the image's own.
*/

/// Whether the JPEG data reaches its end-of-image marker.
pub fn jpeg_is_complete(data: &[u8]) -> bool {
    if data.len() < 4 || data[0] != 0xFF || data[1] != 0xD8 {
        return false;
    }
    let mut i = 2;
    while i + 1 < data.len() {
        if data[i] != 0xFF {
            return false;
        }
        let marker = data[i + 1];
        match marker {
            0xD9 => return true,
            0xFF => i += 1, // fill byte
            0x01 | 0xD0..=0xD7 => i += 2,
            _ => {
                if i + 3 >= data.len() {
                    return false;
                }
                let len = u16::from_be_bytes([data[i + 2], data[i + 3]]) as usize;
                i += 2 + len;
                if marker == 0xDA {
                    i = skip_entropy_data(data, i);
                }
            }
        }
    }
    false
}

/// Index of the next marker after entropy-coded data (stuffed `FF 00` and restart markers are data).
fn skip_entropy_data(data: &[u8], mut i: usize) -> usize {
    while i + 1 < data.len() {
        if data[i] == 0xFF && data[i + 1] != 0x00 && !(0xD0..=0xD7).contains(&data[i + 1]) {
            return i;
        }
        i += 1;
    }
    data.len()
}

#[cfg(test)]
mod tests {
    use super::jpeg_is_complete;

    fn jpeg() -> Vec<u8> {
        let img = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([(x * 4) as u8, (y * 5) as u8, 90]));
        let mut out = std::io::Cursor::new(Vec::new());
        image::DynamicImage::ImageRgb8(img).write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
        out.into_inner()
    }

    #[test]
    fn a_whole_jpeg_is_complete_and_a_cut_one_is_not() {
        let whole = jpeg();
        assert!(jpeg_is_complete(&whole));
        assert!(!jpeg_is_complete(&whole[..whole.len() / 2]));
        assert!(!jpeg_is_complete(&whole[..whole.len() - 2]));
        assert!(!jpeg_is_complete(b"not a jpeg"));
    }

    #[test]
    fn data_appended_after_the_end_marker_is_fine() {
        let mut with_video = jpeg();
        with_video.extend(b"\x00\x00\x00\x18ftypmp42 and a video");
        assert!(jpeg_is_complete(&with_video));
    }

    #[test]
    fn a_thumbnail_end_marker_inside_exif_does_not_count() {
        let whole = jpeg();
        // An APP1 segment holding a tiny "thumbnail" with its own end marker, then the main image cut short.
        let mut cut = vec![0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x08, 0xFF, 0xD8, 0xFF, 0xD9];
        cut.extend(&whole[2..whole.len() / 2]);
        assert!(!jpeg_is_complete(&cut));
    }
}
