//! Developer tool: one generated photo from a preset with a chosen dot size, measured and matched with its truth.
//! `cargo run --release --example one_photo -- whole-head 4000x3000 3.0 [blur]`

use smp_heal::measure::{measure_image, MeasureOptions};
use smp_heal::synth::{render_photo, PhotoParams};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (w, h) = args[2].split_once('x').map(|(w, h)| (w.parse().expect("w"), h.parse().expect("h"))).expect("size");
    let base = match args[1].as_str() {
        "whole-head" => PhotoParams::whole_head(w, h),
        "flat" => PhotoParams::flat(w, h),
        _ => PhotoParams::close_up(w, h),
    };
    let mut params = PhotoParams { dot_diameter_px: args[3].parse().expect("diameter"), ..base };
    if let Some(b) = args.get(4) {
        params.blur_sigma_px = b.parse().expect("blur");
    }
    let photo = render_photo(&params, 5);
    let m = measure_image(&photo.image, &MeasureOptions::default());
    let t = &photo.truth;
    let truth: Vec<_> = photo.dots.iter().filter(|d| d.in_treated).collect();
    let matched = truth
        .iter()
        .filter(|t| {
            m.dots
                .iter()
                .any(|d| ((d.x as f64 - t.x).powi(2) + (d.y as f64 - t.y).powi(2)).sqrt() < (0.6 * t.diameter).max(1.2))
        })
        .count();
    let spurious =
        m.dots
            .iter()
            .filter(|d| {
                !photo.dots.iter().any(|t| {
                    ((d.x as f64 - t.x).powi(2) + (d.y as f64 - t.y).powi(2)).sqrt() < (0.6 * t.diameter).max(1.2)
                })
            })
            .count();
    println!(
        "spurious {spurious} | dots {} vs {} (matched {matched}) | treated {:.3} vs {:.3} | diam {:?} vs {:?} | contrast {:?} vs {:?} | delta {:?} vs {:?}",
        m.metrics.dot_count, t.dot_count, m.metrics.treated_fraction, t.treated_fraction, m.metrics.dot_diameter_px,
        t.dot_diameter_px, m.metrics.dot_contrast, t.dot_contrast, m.metrics.redness_delta_a, t.redness_delta_a
    );
}
