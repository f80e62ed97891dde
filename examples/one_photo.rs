//! Developer tool: one generated photo from a preset with a chosen dot size, measured and matched with its truth.
//! `cargo run --release --example one_photo -- whole-head 4000x3000 3.0 [blur]`
//!
//! `Q=90` measures it after a JPEG round trip at that quality; `SAVE=x.png` writes the render (to encode it
//! elsewhere, e.g. with another chroma subsampling); `LOAD=x.jpg` also measures such a file. It prints the medians of
//! measured over true diameter and contrast of the matched dots; `BINS=1` prints them dot by dot, `MISSED=1` the
//! true dots missed; it ends with the sharpness and the warnings. `NOISE=`, `PORES=0`, `TEXTURE=`, `SHINE=` and
//! `CONTRAST=` change the preset's sensor noise, pores, skin texture, shine and dot contrast. `DOTS=x.csv` writes the
//! found dots with what each matches (1 a true dot in the treated mask, 0 one outside it, -1 none).

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
    // NOISE=sigma, PORES=0, TEXTURE=x: change the preset's sensor noise, pores and skin texture.
    if let Some(n) = std::env::var("NOISE").ok().and_then(|n| n.parse().ok()) {
        params.noise_sigma = n;
    }
    if std::env::var("PORES").is_ok_and(|p| p == "0") {
        params.pores = false;
    }
    if let Some(t) = std::env::var("TEXTURE").ok().and_then(|t| t.parse().ok()) {
        params.skin_texture = t;
    }
    if let Some(v) = std::env::var("CONTRAST").ok().and_then(|v| v.parse().ok()) {
        params.dot_contrast = v;
    }
    if let Some(v) = std::env::var("SHINE").ok().and_then(|v| v.parse().ok()) {
        params.shine = v;
    }
    let photo = render_photo(&params, 5);
    // Q=quality measures the photo after a JPEG round trip, as a camera stores it.
    if let Ok(path) = std::env::var("SAVE") {
        photo.image.save(&path).expect("save");
    }
    if let Ok(path) = std::env::var("LOAD") {
        let img = image::open(&path).expect("load").into_rgb8();
        let m = measure_image(&img, &MeasureOptions::default());
        println!(
            "loaded: dots {} diam {:?} contrast {:?}",
            m.metrics.dot_count, m.metrics.dot_diameter_px, m.metrics.dot_contrast
        );
    }
    let image = match std::env::var("Q").ok().and_then(|q| q.parse::<u8>().ok()) {
        Some(q) => {
            let mut jpeg = Vec::new();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, q).encode_image(&photo.image).expect("jpeg");
            image::load_from_memory(&jpeg).expect("decode").into_rgb8()
        }
        None => photo.image.clone(),
    };
    let m = measure_image(&image, &MeasureOptions::default());
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
    // Per matched dot, measured over true diameter and contrast: the medians, free of which dots each side counts.
    let (mut dr, mut cr) = (Vec::new(), Vec::new());
    for t in &truth {
        if let Some(d) =
            m.dots.iter().find(|d| (d.x as f64 - t.x).hypot(d.y as f64 - t.y) < (0.6 * t.diameter).max(1.2))
        {
            dr.push(d.diameter as f64 / t.diameter);
            cr.push(d.contrast as f64 / t.contrast);
            if std::env::var("BINS").is_ok() {
                println!(
                    "BIN {:.2} {:.3} {:.3} {:.3} {:.3}",
                    t.diameter,
                    d.contrast as f64 / t.contrast,
                    t.contrast,
                    d.diameter,
                    d.elongation
                );
            }
        }
    }
    dr.sort_by(f64::total_cmp);
    cr.sort_by(f64::total_cmp);
    if !dr.is_empty() {
        println!("matched medians: diameter ratio {:.3}, contrast ratio {:.3}", dr[dr.len() / 2], cr[cr.len() / 2]);
    }
    if std::env::var("MISSED").is_ok() {
        let w = image.width() as usize;
        for t in truth.iter().filter(|t| {
            !m.dots
                .iter()
                .any(|d| ((d.x as f64 - t.x).powi(2) + (d.y as f64 - t.y).powi(2)).sqrt() < (0.6 * t.diameter).max(1.2))
        }) {
            let inside = m.treated[t.y as usize * w + t.x as usize];
            println!(
                "missed ({:.0},{:.0}) d {:.1} c {:.2} in measured area {inside}",
                t.x, t.y, t.diameter, t.contrast
            );
        }
    }
    if let Ok(path) = std::env::var("DOTS") {
        // Each found dot with what it matches: 1 a true dot in the treated mask, 0 one outside it, -1 none.
        let rows: Vec<String> = m
            .dots
            .iter()
            .map(|d| {
                let hit = photo
                    .dots
                    .iter()
                    .find(|t| (d.x as f64 - t.x).hypot(d.y as f64 - t.y) < (0.6 * t.diameter).max(1.2));
                let kind = hit.map_or(-1, |t| t.in_treated as i32);
                format!("{:.1},{:.1},{kind},{:.2},{:.3}", d.x, d.y, d.diameter, d.contrast)
            })
            .collect();
        std::fs::write(path, rows.join("\n")).expect("write dots");
    }
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
    let codes: Vec<&str> = m.warnings.iter().map(|w| w.code.as_str()).collect();
    println!("sharpness {:?} | warnings {codes:?}", m.metrics.sharpness);
}
