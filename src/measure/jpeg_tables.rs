/*!
The luma quantisation table of a JPEG file, read from its headers: how coarsely the camera stored each spatial
frequency of the lightness, which is what takes a tiny dot's edge away (see `jpeg_bias`).

The frame header (SOF) names the table of its first component (luma, or the only one of a grey photo); the
define-quantisation-table segments (DQT), before or after it but before the first scan, hold the tables, 8- or
16-bit, in zigzag order. Returned in natural
(row-major) order. `None` for a file that is no JPEG, or whose headers are cut or inconsistent.
*/

/// Zigzag position k holds the coefficient at natural (row-major) index `ZIGZAG[k]`.
pub const ZIGZAG: [usize; 64] = [
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21,
    28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54,
    47, 55, 62, 63,
];

/// The luma quantisation table (natural order) of JPEG data; `None` when there is none to be found.
pub fn luma_table(data: &[u8]) -> Option<[u16; 64]> {
    if data.len() < 4 || data[0] != 0xFF || data[1] != 0xD8 {
        return None;
    }
    let mut tables: [Option<[u16; 64]>; 4] = [None; 4];
    let mut selector = None;
    let mut i = 2;
    while i + 3 < data.len() {
        if data[i] != 0xFF {
            return None;
        }
        let marker = data[i + 1];
        match marker {
            0xFF => {
                i += 1;
                continue;
            }
            0x01 | 0xD0..=0xD7 => {
                i += 2;
                continue;
            }
            // The first scan: every table it uses is defined by now (they may follow the frame header).
            0xDA => return tables.get(selector?).copied().flatten(),
            0xD9 => return None,
            _ => {}
        }
        let len = u16::from_be_bytes([data[i + 2], data[i + 3]]) as usize;
        let body = data.get(i + 4..i + 2 + len.max(2))?;
        match marker {
            0xDB => read_tables(body, &mut tables)?,
            // Frame headers (baseline, extended, progressive, lossless...; not DHT C4, JPG C8, DAC CC).
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => selector = Some(*body.get(8)? as usize),
            _ => {}
        }
        i += 2 + len;
    }
    None
}

/// Reads every table of one DQT segment into `tables` (by their 2-bit identifier).
fn read_tables(mut body: &[u8], tables: &mut [Option<[u16; 64]>; 4]) -> Option<()> {
    while let Some((&pq_tq, rest)) = body.split_first() {
        let (wide, id) = (pq_tq >> 4 != 0, (pq_tq & 0x0F) as usize);
        let size = if wide { 128 } else { 64 };
        let values = rest.get(..size)?;
        let mut table = [0u16; 64];
        for (k, &at) in ZIGZAG.iter().enumerate() {
            table[at] = if wide { u16::from_be_bytes([values[2 * k], values[2 * k + 1]]) } else { values[k] as u16 };
        }
        if id >= 4 || table.contains(&0) {
            return None;
        }
        tables[id] = Some(table);
        body = &rest[size..];
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The luma table of ITU-T T.81 Annex K (K.1), natural order: what libjpeg-style encoders scale by quality.
    const K1: [u16; 64] = [
        16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29,
        51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121,
        120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
    ];

    fn encoded(quality: u8, colour: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality);
        if colour {
            let img = image::RgbImage::from_fn(16, 16, |x, y| image::Rgb([(x * 9) as u8, (y * 9) as u8, 90]));
            img.write_with_encoder(enc).expect("encode");
        } else {
            let img = image::GrayImage::from_fn(16, 16, |x, y| image::Luma([(x * y) as u8]));
            img.write_with_encoder(enc).expect("encode");
        }
        out
    }

    #[test]
    fn the_luma_table_is_the_standard_one_scaled_by_quality() {
        for (quality, colour) in [(90, true), (75, false), (50, true)] {
            // libjpeg's scaling: 200 - 2q percent from quality 50 up.
            let scale = 200 - 2 * quality as u16;
            let want = K1.map(|v| ((v * scale + 50) / 100).clamp(1, 255));
            assert_eq!(luma_table(&encoded(quality, colour)), Some(want), "quality {quality}");
        }
        // Quality 90: the DC step is 3 (16 x 20% rounded), the highest frequency's 20.
        let table = luma_table(&encoded(90, true)).expect("table");
        assert_eq!((table[0], table[63]), (3, 20));
    }

    #[test]
    fn no_table_outside_a_jpeg() {
        assert_eq!(luma_table(b"\x89PNG\r\n\x1a\n"), None);
        assert_eq!(luma_table(&[]), None);
        let mut cut = encoded(90, true);
        cut.truncate(30);
        assert_eq!(luma_table(&cut), None);
    }
}
