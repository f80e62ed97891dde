//! Developer tool: renders a synthetic series in memory, measures each photo (after a JPEG round trip, as the
//! fixtures are stored) and matches the detected dots with the true ones, to show where a metric goes wrong.
//!
//! `cargo run --release --example diagnose -- typical-healing [WIDTHxHEIGHT] [seed]`
//!
//! Switches: `ONLY=k` measures photo k only; `Q=` the JPEG quality, `NOJPEG=1` none; `NN=1` how crowded the true
//! dots are, `QUANT=1` their contrast quantiles, `MISS=1` why true dots were missed, `DIAM=1` diameter medians
//! (matched, all, unmatched; isolated and crowded), `ELONG=1` shapes dot by dot, `SHOW=1` spurious dots,
//! `PAIRS=1` how many true dots each found dot stands for, against its area and elongation and whether it was
//! called two dots blurred into one,
//! `OVERLAY=DIR` saves each photo with its true and found dots marked, the photo itself and its dots as CSV.

use smp_heal::measure::{measure_image, MeasureOptions};
use smp_heal::synth::{render_series, Scenario, SynthOptions};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let scenario = Scenario::from_name(args.get(1).map_or("typical-healing", |s| s.as_str())).expect("scenario");
    let mut opts = SynthOptions::default();
    if let Some((w, h)) = args.get(2).and_then(|s| s.split_once('x')) {
        (opts.width, opts.height) = (w.parse().expect("width"), h.parse().expect("height"));
    }
    if let Some(seed) = args.get(3) {
        opts.seed = seed.parse().expect("seed");
    }
    let series = render_series(scenario, &opts);
    let only: Option<usize> = std::env::var("ONLY").ok().and_then(|s| s.parse().ok());
    for (index, photo) in series.photos.iter().enumerate() {
        if only.is_some_and(|o| o != index) {
            continue;
        }
        let mut jpeg = Vec::new();
        let q = std::env::var("Q").map_or(opts.jpeg_quality, |q| q.parse().expect("quality"));
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, q).encode_image(&photo.image).expect("jpeg");
        let img = if std::env::var("NOJPEG").is_ok() {
            photo.image.clone()
        } else {
            image::load_from_memory(&jpeg).expect("decode").into_rgb8()
        };
        let m = measure_image(&img, &MeasureOptions::default());
        let truth: Vec<_> = photo.dots.iter().filter(|d| d.in_treated).collect();
        if std::env::var("NN").is_ok() {
            let mut close = [0usize; 4];
            for t in &truth {
                let nn = nearest(&photo.dots, t);
                for (k, lim) in [0.75, 1.0, 1.25, 1.5].iter().enumerate() {
                    close[k] += (nn < *lim) as usize;
                }
            }
            println!("true dots with a neighbour closer than 0.75/1/1.25/1.5 diameters: {close:?} of {}", truth.len());
        }
        let mut matched = 0;
        let mut contrast_ratio = Vec::new();
        for t in &truth {
            let near = m
                .dots
                .iter()
                .find(|d| ((d.x as f64 - t.x).powi(2) + (d.y as f64 - t.y).powi(2)).sqrt() < t.diameter.max(2.0) * 0.6);
            if let Some(d) = near {
                matched += 1;
                contrast_ratio.push(d.contrast as f64 / t.contrast);
            }
        }
        if std::env::var("QUANT").is_ok() {
            let mut c: Vec<f64> = truth.iter().map(|t| t.contrast).collect();
            c.sort_by(f64::total_cmp);
            let q = |f: f64| c[((c.len() - 1) as f64 * f) as usize];
            println!(
                "   true contrast quantiles 5/10/25/50%: {:.3} {:.3} {:.3} {:.3}; under threshold {}",
                q(0.05),
                q(0.1),
                q(0.25),
                q(0.5),
                c.iter().filter(|&&x| x < m.dot_threshold as f64).count()
            );
        }
        if std::env::var("MISS").is_ok() {
            // Why true dots were missed: outside the measured area, faint, or crowded.
            let (mut outside, mut faint, mut crowded, mut other) = (0, 0, 0, 0);
            let w = img.width() as usize;
            for t in &truth {
                let hit = m.dots.iter().any(|d| {
                    ((d.x as f64 - t.x).powi(2) + (d.y as f64 - t.y).powi(2)).sqrt() < t.diameter.max(2.0) * 0.6
                });
                if hit {
                    continue;
                }
                let nn = nearest(&photo.dots, t);
                if !m.treated[t.y as usize * w + t.x as usize] {
                    outside += 1;
                } else if t.contrast < m.dot_threshold as f64 * 1.5 {
                    faint += 1;
                } else if nn < 1.5 {
                    crowded += 1;
                } else {
                    other += 1;
                    if other <= 5 {
                        let found = m
                            .dots
                            .iter()
                            .map(|d| (d.x as f64 - t.x).hypot(d.y as f64 - t.y))
                            .fold(f64::INFINITY, f64::min);
                        println!(
                            "   missed at ({:.0},{:.0}) d {:.1} c {:.2} nn {:.1}, nearest found {found:.1} px",
                            t.x, t.y, t.diameter, t.contrast, nn
                        );
                    }
                }
            }
            println!("   missed: {outside} outside measured area, {faint} faint (< 1.5 thr), {crowded} crowded (nn < 1.5 d), {other} other");
        }
        if std::env::var("PAIRS").is_ok() {
            // How many true dots each found dot stands for (each true dot given to the nearest found dot within
            // a typical diameter), against the found dot's area (per the median) and elongation.
            let typical = m.metrics.dot_diameter_px.unwrap_or(2.0);
            let mut owners = vec![0usize; m.dots.len()];
            for t in &truth {
                let best = m
                    .dots
                    .iter()
                    .enumerate()
                    .map(|(k, d)| (k, (d.x as f64 - t.x).hypot(d.y as f64 - t.y)))
                    .min_by(|a, b| a.1.total_cmp(&b.1));
                if let Some((k, _)) = best.filter(|(_, dist)| *dist < typical) {
                    owners[k] += 1;
                }
            }
            let mut areas: Vec<f32> = m.dots.iter().map(|d| d.area).collect();
            areas.sort_by(f32::total_cmp);
            let med = areas[areas.len() / 2];
            for k in 0..=3 {
                let mut rows: Vec<(f32, f32)> = m
                    .dots
                    .iter()
                    .zip(&owners)
                    .filter(|(_, &o)| o == k)
                    .map(|(d, _)| (d.area / med, d.elongation))
                    .collect();
                if rows.is_empty() {
                    continue;
                }
                let n = rows.len();
                let blended = m.dots.iter().zip(&owners).filter(|(d, &o)| o == k && d.blended).count();
                println!("   found dots standing for {k} true: {blended} of {n} called two blurred into one");
                let over: Vec<usize> =
                    [1.5, 1.8, 2.2].iter().map(|&a| rows.iter().filter(|r| r.0 >= a).count()).collect();
                let el: Vec<usize> =
                    [1.4, 1.7, 2.0].iter().map(|&e| rows.iter().filter(|r| r.1 >= e).count()).collect();
                rows.sort_by(|a, b| a.0.total_cmp(&b.0));
                println!(
                    "   found dots standing for {k} true: {n}; area/median q10/50/90 {:.2} {:.2} {:.2}; area >= 1.5/1.8/2.2: {over:?}; elong >= 1.4/1.7/2: {el:?}",
                    rows[n / 10].0, rows[n / 2].0, rows[n * 9 / 10].0
                );
            }
        }
        if std::env::var("DIAM").is_ok() {
            // Diameter ratio (found / true) of matched dots, isolated (nearest dot over 2.5 diameters) and crowded.
            let (mut lone, mut crowd) = (Vec::new(), Vec::new());
            for t in &truth {
                let near = m.dots.iter().find(|d| {
                    ((d.x as f64 - t.x).powi(2) + (d.y as f64 - t.y).powi(2)).sqrt() < t.diameter.max(2.0) * 0.6
                });
                if let Some(d) = near {
                    let r = d.diameter as f64 / t.diameter;
                    if nearest(&photo.dots, t) > 2.5 {
                        lone.push((r, d.split))
                    } else {
                        crowd.push((r, d.split))
                    }
                }
            }
            // Medians of the matched dots, found and true, against the medians of all found and all true dots.
            let med = |mut v: Vec<f64>| {
                v.sort_by(f64::total_cmp);
                v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
            };
            let (mut mf, mut mt, mut unmatched) = (Vec::new(), Vec::new(), Vec::new());
            for d in &m.dots {
                let t = truth.iter().find(|t| (d.x as f64 - t.x).hypot(d.y as f64 - t.y) < t.diameter.max(2.0) * 0.6);
                match t {
                    Some(t) => {
                        mf.push(d.diameter as f64);
                        mt.push(t.diameter);
                    }
                    None => unmatched.push(d.diameter as f64),
                }
            }
            println!(
                "   medians: matched found {:.2} true {:.2}; all found {:.2} true {:.2}; unmatched found {:.2} ({})",
                med(mf),
                med(mt),
                med(m.dots.iter().map(|d| d.diameter as f64).collect()),
                med(truth.iter().map(|t| t.diameter).collect()),
                med(unmatched.clone()),
                unmatched.len()
            );
            for (name, v) in [("isolated", &mut lone), ("crowded", &mut crowd)] {
                v.sort_by(|a, b| a.0.total_cmp(&b.0));
                let split = v.iter().filter(|x| x.1).count();
                if !v.is_empty() {
                    println!(
                        "   {name}: {} matched ({split} split), diameter ratio median {:.3}",
                        v.len(),
                        v[v.len() / 2].0
                    );
                }
            }
        }
        contrast_ratio.sort_by(f64::total_cmp);
        let (mut boundary, mut spurious) = (0, 0);
        for d in &m.dots {
            let near = |t: &&smp_heal::synth::TrueDot| {
                ((d.x as f64 - t.x).powi(2) + (d.y as f64 - t.y).powi(2)).sqrt() < t.diameter.max(2.0) * 0.6
            };
            if truth.iter().any(near) {
                if std::env::var("ELONG").is_ok() {
                    println!(
                        "ELONG matched {:.1} {:.1} {} e {:.2} minor {:.2}",
                        d.line_run[0] / d.diameter,
                        d.line_run[1] / d.diameter,
                        d.split,
                        d.elongation,
                        d.diameter / d.elongation.sqrt()
                    );
                }
                continue;
            }
            if std::env::var("ELONG").is_ok() {
                println!(
                    "ELONG spurious {:.1} {:.1} {}",
                    d.line_run[0] / d.diameter,
                    d.line_run[1] / d.diameter,
                    d.split
                );
            }
            if photo.dots.iter().any(|t| near(&t)) {
                boundary += 1;
                if std::env::var("ELONG").is_ok() {
                    println!("ELONG outside e {:.2} minor {:.2}", d.elongation, d.diameter / d.elongation.sqrt());
                }
            } else {
                spurious += 1;
                if spurious <= 3 && std::env::var("SHOW").is_ok() {
                    println!("   spurious at ({:.0},{:.0}) d {:.1} c {:.2}", d.x, d.y, d.diameter, d.contrast);
                }
            }
        }
        println!("   extras: {boundary} true dots outside the true treated area, {spurious} spurious");
        if let Ok(dir) = std::env::var("OVERLAY") {
            let mut over = img.clone();
            for ((p, &t), &u) in over.pixels_mut().zip(&m.treated).zip(&m.untreated) {
                if u {
                    p.0 = [p.0[0] / 2, p.0[1] / 2 + 100, p.0[2] / 2];
                } else if !t {
                    p.0 = p.0.map(|c| c / 2);
                }
            }
            let mut mark = |x: f64, y: f64, r: f64, c: [u8; 3]| {
                for k in 0..24 {
                    let a = k as f64 / 24.0 * std::f64::consts::TAU;
                    let (px, py) = ((x + r * a.cos()).round() as i64, (y + r * a.sin()).round() as i64);
                    if px >= 0 && py >= 0 && (px as u32) < over.width() && (py as u32) < over.height() {
                        over.put_pixel(px as u32, py as u32, image::Rgb(c));
                    }
                }
            };
            for t in &photo.dots {
                let c = if t.in_treated { [0, 255, 0] } else { [0, 120, 255] };
                mark(t.x, t.y, t.diameter / 2.0 + 2.0, c);
            }
            for d in &m.dots {
                mark(d.x as f64, d.y as f64, d.diameter as f64 / 2.0 + 4.0, [255, 0, 0]);
            }
            for hr in &m.hairs {
                mark(hr.x as f64, hr.y as f64, 6.0, [255, 255, 0]);
            }
            over.save(format!("{dir}/day{:04.1}.png", photo.day)).expect("save overlay");
            img.save(format!("{dir}/raw{:04.1}.png", photo.day)).expect("save photo");
            let mut csv = String::new();
            for t in &photo.dots {
                csv += &format!("t,{},{},{},{},{}\n", t.x, t.y, t.diameter, t.contrast, t.in_treated as u8);
            }
            for d in &m.dots {
                csv += &format!(
                    "f,{},{},{},{},{},{},{}\n",
                    d.x, d.y, d.diameter, d.contrast, d.split as u8, d.elongation, d.area
                );
            }
            std::fs::write(format!("{dir}/dots{:04.1}.csv", photo.day), csv).expect("save dots");
        }
        let false_pos = m.dots.len().saturating_sub(matched);
        println!(
            "day {:5.1}: true {:5} found {:5} matched {:5} extra {:4} | treated {:.3} vs {:.3} | diam {:.2} vs {:.2} | contrast {:.3} vs {:.3} (matched ratio median {:.2}) | thr {:.3} spacing? | delta_a {:?} vs {:?} | hairs {} vs {}",
            photo.day,
            truth.len(),
            m.dots.len(),
            matched,
            false_pos,
            m.metrics.treated_fraction,
            photo.truth.treated_fraction,
            m.metrics.dot_diameter_px.unwrap_or(0.0),
            photo.truth.dot_diameter_px.unwrap_or(0.0),
            m.metrics.dot_contrast.unwrap_or(0.0),
            photo.truth.dot_contrast.unwrap_or(0.0),
            contrast_ratio.get(contrast_ratio.len() / 2).copied().unwrap_or(0.0),
            m.dot_threshold,
            m.metrics.redness_delta_a,
            photo.truth.redness_delta_a,
            m.metrics.hair_count,
            photo.truth.hair_count,
        );
    }
}

/// Distance from `t` to its nearest other true dot, in its diameters.
fn nearest(dots: &[smp_heal::synth::TrueDot], t: &smp_heal::synth::TrueDot) -> f64 {
    dots.iter()
        .filter(|o| !std::ptr::eq(*o, t))
        .map(|o| ((o.x - t.x).powi(2) + (o.y - t.y).powi(2)).sqrt() / t.diameter.max(0.5))
        .fold(f64::INFINITY, f64::min)
}
