//! Developer tool: for one synthetic photo, what became of each true dot the measurer missed (which blob, which
//! class), and of each true hair stroke. `cargo run --release --example trace -- typical-healing INDEX`
//! (`[RADIUS [WxH [SEED]]]` after it); `DOT=2.0` traces the preset photo (whole-head, flat, close-up) with dots that
//! wide instead (`SPACING=2.0` with them, in diameters), `WHY=1` says why each missed dot was rejected, `MATCH=1`
//! counts the true dots with no classified dot within 0.6 of their diameter by their blob's fate (`MISSED=1`: each
//! such dot on stderr), `MULTI=1` lists the blobs holding more true dots than dots found in them, `TRUEDUMP=1`
//! writes the true dots and hairs to stderr, `EXTRAS=1` the classified dots that match no true dot, `NOJPEG=1`
//! measures the render without the JPEG round trip.

use smp_heal::measure::blobs::find_blobs;
use smp_heal::measure::classify::classify;
use smp_heal::measure::dot::DotContext;
use smp_heal::measure::morph;
use smp_heal::measure::plane::{binomial3, Colour};
use smp_heal::synth::{render_photo, render_series, PhotoParams, Scenario, SynthOptions};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let index: usize = args[2].parse().expect("index");
    let radius: usize = args.get(3).map_or(10, |r| r.parse().expect("radius"));
    let mut opts = SynthOptions::default();
    if let Some((w, h)) = args.get(4).and_then(|s| s.split_once('x')) {
        (opts.width, opts.height) = (w.parse().expect("width"), h.parse().expect("height"));
    }
    if let Some(seed) = args.get(5) {
        opts.seed = seed.parse().expect("seed");
    }
    // DOT=2.0: instead of the series photo, the scenario's preset (whole-head, flat, close-up) with dots that wide.
    let single = std::env::var("DOT").ok().map(|d| {
        let (w, h) = (opts.width, opts.height);
        let base = match args[1].as_str() {
            "whole-head" => PhotoParams::whole_head(w, h),
            "flat" => PhotoParams::flat(w, h),
            _ => PhotoParams::close_up(w, h),
        };
        let spacing = std::env::var("SPACING").map_or(base.dot_spacing, |s| s.parse().expect("SPACING"));
        render_photo(&PhotoParams { dot_diameter_px: d.parse().expect("DOT"), dot_spacing: spacing, ..base }, 5)
    });
    let series = single.is_none().then(|| render_series(Scenario::from_name(&args[1]).expect("scenario"), &opts));
    let photo = single.as_ref().unwrap_or_else(|| &series.as_ref().expect("series").photos[index]);
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90).encode_image(&photo.image).expect("jpeg");
    // NOJPEG=1: the rendered photo itself, without the JPEG round trip.
    let img = if std::env::var("NOJPEG").is_ok() {
        photo.image.clone()
    } else {
        image::load_from_memory(&jpeg).expect("decode").into_rgb8()
    };
    let lab = Colour::new(&img, [1.0; 3]);
    let smooth = binomial3(&lab.l);
    let usable: Vec<bool> = img.as_raw().chunks_exact(3).map(|p| p.iter().all(|&c| c < 250)).collect();
    let background = morph::close(&smooth, radius);
    let floor = 0.5 * smp_heal::measure::skin_lightness(&lab, &background);
    let blobs = find_blobs(&smooth, &background, &usable, floor);
    let ctx = DotContext { l: &lab.l, smooth: &smooth, background: &background, blobs: &blobs, usable: &usable };
    let c = classify(&ctx);
    let w = img.width() as usize;
    let mut owner = vec![usize::MAX; blobs.mask.len()];
    for (bi, b) in blobs.blobs.iter().enumerate() {
        for &p in blobs.pixels_of(b) {
            owner[p as usize] = bi;
        }
    }
    let mut why = std::collections::BTreeMap::<String, usize>::new();
    for t in photo.dots.iter().filter(|d| d.in_treated) {
        let p = (t.y.round() as usize).min(img.height() as usize - 1) * w + (t.x.round() as usize).min(w - 1);
        let bi = owner[p];
        let class = if bi == usize::MAX {
            if std::env::var("WHY").is_ok() {
                println!(
                    "    no blob: bg {:.1} smooth {:.1} floor {:.1} usable {}",
                    background.data[p], smooth.data[p], floor, usable[p]
                );
            }
            "no blob".to_string()
        } else if c.dots.iter().any(|(_, b)| *b == bi) {
            "dot".to_string()
        } else if c.hairs.iter().any(|h| h.blob == bi) {
            format!("hair (elong {:.1})", blobs.blobs[bi].elongation().min(9.0).floor())
        } else if c.others.contains(&bi) {
            let b = &blobs.blobs[bi];
            format!("other (area {}, truncated {})", (b.area / 50) * 50, b.truncated)
        } else {
            if std::env::var("WHY").is_ok() {
                let mut scratch = smp_heal::measure::dot::Scratch::default();
                if let Some(d) = smp_heal::measure::dot::measure_dot(&ctx, &blobs.blobs[bi], &mut scratch) {
                    println!(
                        "    rejected: c {:.3} blobness {:.2} elong {:.2} run {:.1}/{:.1} d {:.1} blob area {}",
                        d.contrast,
                        d.blobness,
                        d.elongation,
                        d.line_run[0],
                        d.line_run[1],
                        d.diameter,
                        blobs.blobs[bi].area
                    );
                }
            }
            "below contrast threshold".to_string()
        };
        let n = why.entry(class.clone()).or_default();
        *n += 1;
        if *n <= 4 && class != "dot" {
            println!("  {class} at ({:.0}, {:.0}) d {:.1} c {:.2}", t.x, t.y, t.diameter, t.contrast);
        }
    }
    if std::env::var("EXTRAS").is_ok() {
        // Classified dots with no true dot (counted or not) within 0.6 of the larger diameter.
        for (d, bi) in &c.dots {
            let near = photo.dots.iter().any(|t| {
                (d.x as f64 - t.x).hypot(d.y as f64 - t.y) < (0.6 * t.diameter.max(d.diameter as f64)).max(1.2)
            });
            if !near {
                eprintln!(
                    "EXTRA {:.1} {:.1} d {:.2} c {:.3} el {:.2} split {} blob area {}",
                    d.x, d.y, d.diameter, d.contrast, d.elongation, d.split, blobs.blobs[*bi].area
                );
            }
        }
    }
    if std::env::var("TRUEDUMP").is_ok() {
        for t in photo.dots.iter().filter(|d| d.in_treated) {
            eprintln!("TRUE {:.2} {:.2} {:.2} {:.3}", t.x, t.y, t.diameter, t.contrast);
        }
        for hr in photo.hairs.iter() {
            eprintln!("HAIR {:.2} {:.2} {:.2} {:.2} {:.2}", hr.x0, hr.y0, hr.x1, hr.y1, hr.width);
        }
    }
    if std::env::var("MATCH").is_ok() {
        // True dots with no classified dot (anywhere in the frame) within 0.6 of their diameter, by their blob's fate.
        let mut unmatched = std::collections::BTreeMap::<&str, usize>::new();
        for t in photo.dots.iter().filter(|d| d.in_treated) {
            let hit =
                c.dots.iter().any(|(d, _)| (d.x as f64 - t.x).hypot(d.y as f64 - t.y) < t.diameter.max(2.0) * 0.6);
            if !hit {
                let p = (t.y.round() as usize).min(img.height() as usize - 1) * w + (t.x.round() as usize).min(w - 1);
                let bi = owner[p];
                let kind = if bi == usize::MAX {
                    "no blob"
                } else if c.compound.iter().any(|(b, _)| *b == bi) {
                    "compound"
                } else if c.dots.iter().any(|(_, b)| *b == bi) {
                    "single blob, dot elsewhere"
                } else {
                    "rejected blob"
                };
                *unmatched.entry(kind).or_default() += 1;
                if std::env::var("MISSED").is_ok() {
                    eprintln!("MISSED {:.2} {:.2} {:.2} {:.3} {kind}", t.x, t.y, t.diameter, t.contrast);
                }
            }
        }
        println!("true dots with no classified dot within 0.6 d: {unmatched:?}");
    }
    println!("true dots in the treated area by what became of them:");
    for (k, n) in &why {
        println!("  {n:5} {k}");
    }
    // True strokes by length (in typical dot diameters) and what became of them: the class of the blobs along each.
    let d = {
        let mut v: Vec<f32> = c.dots.iter().map(|(d, _)| d.diameter).collect();
        v.sort_by(f32::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(1.0) as f64
    };
    let mut hair_why = std::collections::BTreeMap::<String, usize>::new();
    for t in photo.hairs.iter().filter(|h| h.in_treated) {
        let len = ((t.x1 - t.x0).powi(2) + (t.y1 - t.y0).powi(2)).sqrt();
        let steps = (2.0 * len).ceil().max(1.0) as usize;
        let mut seen: Vec<usize> = (0..=steps)
            .filter_map(|i| {
                let k = i as f64 / steps as f64;
                let (x, y) = (t.x0 + k * (t.x1 - t.x0), t.y0 + k * (t.y1 - t.y0));
                let inside = x >= 0.0 && y >= 0.0 && x < w as f64 && y < img.height() as f64;
                inside.then(|| owner[y as usize * w + x as usize]).filter(|&bi| bi != usize::MAX)
            })
            .collect();
        seen.dedup();
        let class = if seen.is_empty() {
            "no blob"
        } else if seen.iter().any(|&bi| c.hairs.iter().chain(&c.hairs_on_dots).any(|h| h.blob == bi)) {
            "hair"
        } else if seen.iter().any(|&bi| c.compound.iter().any(|(b, _)| *b == bi)) {
            "in a compound blob"
        } else if seen.iter().any(|&bi| c.dots.iter().any(|(_, b)| *b == bi)) {
            "dot"
        } else {
            "other/skipped"
        };
        *hair_why.entry(format!("{:.0}-{:.0} d: {class}", (len / d).floor(), (len / d).floor() + 1.0)).or_default() +=
            1;
    }
    println!("true hair strokes by length (typical dot diameter {d:.1} px) and what became of them:");
    for (k, n) in &hair_why {
        println!("  {n:5} {k}");
    }
    let mut truth_per_blob = std::collections::HashMap::<usize, usize>::new();
    for t in photo.dots.iter().filter(|d| d.in_treated) {
        let p = (t.y.round() as usize).min(img.height() as usize - 1) * w + (t.x.round() as usize).min(w - 1);
        if owner[p] != usize::MAX {
            *truth_per_blob.entry(owner[p]).or_default() += 1;
        }
    }
    let mut found_per_blob = std::collections::HashMap::<usize, usize>::new();
    for (_, b) in &c.dots {
        *found_per_blob.entry(*b).or_default() += 1;
    }
    let (mut t_multi, mut f_multi, mut t_single, mut f_single) = (0, 0, 0, 0);
    for (b, n) in &truth_per_blob {
        let f = found_per_blob.get(b).copied().unwrap_or(0);
        if *n > 1 && f < *n && std::env::var("MULTI").is_ok() {
            let bb = &blobs.blobs[*b];
            let class = if c.hairs.iter().any(|h| h.blob == *b) {
                "hair"
            } else if c.compound.iter().any(|(cb, _)| cb == b) {
                "compound"
            } else if c.others.contains(b) {
                "other"
            } else {
                "single"
            };
            println!(
                "  multi at ({:.0}, {:.0}): {n} true, {f} found, area {}, elong {:.1}, length {:.1}, {class}",
                bb.cx,
                bb.cy,
                bb.area,
                bb.elongation(),
                bb.major_length()
            );
        }
        if *n > 1 {
            t_multi += n;
            f_multi += f;
        } else {
            t_single += n;
            f_single += f;
        }
    }
    println!(
        "blobs holding several true dots: {t_multi} true, {f_multi} found; single: {t_single} true, {f_single} found"
    );
    println!(
        "threshold {:.3}, blobs {}, dots {}, hairs {}, others {}",
        c.threshold,
        blobs.blobs.len(),
        c.dots.len(),
        c.hairs.len(),
        c.others.len()
    );
    for (k, v) in why {
        println!("{v:6}  {k}");
    }
}
