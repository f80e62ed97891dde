//! Developer tool: crops around measured dots that match no true dot in a stubble photo.
use smp_heal::measure::{measure_image, MeasureOptions};
use smp_heal::synth::{render_photo, PhotoParams};

fn main() {
    let params = PhotoParams { stubble_count: 400, stubble_growth: 1.0, ..PhotoParams::close_up(800, 600) };
    let photo = render_photo(&params, 21);
    let m = measure_image(&photo.image, &MeasureOptions::default());
    let mut n = 0;
    let mut sheet = image::RgbImage::new(8 * 48, 6 * 48);
    for d in &m.dots {
        let hit = photo
            .dots
            .iter()
            .any(|t| ((d.x as f64 - t.x).powi(2) + (d.y as f64 - t.y).powi(2)).sqrt() < (0.6 * t.diameter).max(1.2));
        if hit || n >= 48 {
            continue;
        }
        println!(
            "spurious ({:.0},{:.0}) d {:.1} c {:.2} elong {:.2} blob {:.2} split {}",
            d.x, d.y, d.diameter, d.contrast, d.elongation, d.blobness, d.split
        );
        let (cx, cy) = (d.x as i64, d.y as i64);
        for dy in 0..24i64 {
            for dx in 0..24i64 {
                let (x, y) = ((cx - 12 + dx).clamp(0, 799) as u32, (cy - 12 + dy).clamp(0, 599) as u32);
                let p = *photo.image.get_pixel(x, y);
                for k in 0..4 {
                    sheet.put_pixel(
                        ((n % 8) * 48 + dx as usize * 2 + k % 2) as u32,
                        ((n / 8) * 48 + dy as usize * 2 + k / 2) as u32,
                        p,
                    );
                }
            }
        }
        n += 1;
    }
    sheet.save("/tmp/ov/stubble_sheet.png").expect("save");
}
