//! Criterion benches: a 12 MP close-up and a 12 MP whole-head shot analysed end to end, each beside decoding the same
//! file alone (the floor the analysis is compared with), and each stage of the measurement on its own. The photos are
//! rendered by the generator on the first run (into target/bench-data/), never committed.
//!
//! `cargo bench` (add `-- --quick` for a short run).

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion};
use smp_heal::measure::areas::find_areas;
use smp_heal::measure::blobs::find_blobs;
use smp_heal::measure::card::detect_card;
use smp_heal::measure::classify::classify;
use smp_heal::measure::decode::{decode, Limits};
use smp_heal::measure::dot::DotContext;
use smp_heal::measure::morph;
use smp_heal::measure::plane::{binomial3, Colour};
use smp_heal::measure::{measure_file, measure_image, skin_lightness, MeasureOptions};
use smp_heal::synth::{render_photo, PhotoParams};

/// A 4000x3000 close-up written as JPEG (quality 90) into the target folder.
fn twelve_megapixel_jpeg() -> PathBuf {
    rendered_jpeg("close-up-12mp.jpg", &PhotoParams::close_up(4000, 3000))
}

/// A 4000x3000 whole-head photo with 2.5 px dots, as a phone's 12 MP head shot holds them (the generator's
/// whole-head preset scales its dots with the frame, to 12 px at this size).
fn whole_head_jpeg() -> PathBuf {
    let params = PhotoParams { dot_diameter_px: 2.5, ..PhotoParams::whole_head(4000, 3000) };
    rendered_jpeg("whole-head-12mp-2.5px.jpg", &params)
}

/// `params` rendered and written as JPEG (quality 90) into the target folder, once.
fn rendered_jpeg(name: &str, params: &PhotoParams) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target").join("bench-data");
    let path = dir.join(name);
    if !path.exists() {
        std::fs::create_dir_all(&dir).expect("bench data folder");
        let photo = render_photo(params, 7);
        let mut bytes = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 90).encode_image(&photo.image).expect("jpeg");
        std::fs::write(&path, bytes).expect("write bench photo");
    }
    path
}

fn twelve_megapixel(c: &mut Criterion) {
    let path = twelve_megapixel_jpeg();
    let opts = MeasureOptions::default();
    let mut group = c.benchmark_group("12mp");
    group.sample_size(10);
    group.bench_function("decode_only", |b| b.iter(|| decode(&path, &Limits::default()).expect("decode")));
    group.bench_function("analyse_end_to_end", |b| b.iter(|| measure_file(&path, &opts).expect("measure")));
    let img = decode(&path, &Limits::default()).expect("decode");
    group.bench_function("measure_decoded", |b| b.iter(|| measure_image(&img, &opts)));
    group.finish();
    // The whole-head shot: fine dots far apart in a frame that is mostly not scalp.
    let path = whole_head_jpeg();
    let mut group = c.benchmark_group("12mp_whole_head");
    group.sample_size(10);
    group.bench_function("decode_only", |b| b.iter(|| decode(&path, &Limits::default()).expect("decode")));
    group.bench_function("analyse_end_to_end", |b| b.iter(|| measure_file(&path, &opts).expect("measure")));
    group.finish();
}

/// The stages of the measurement one by one on the same decoded photo, to see where the time goes: colour
/// conversion, the reference-card search, smoothing and the background closing (masks), candidate labelling with
/// their statistics, dot detection and classification, and the treated area.
fn stages(c: &mut Criterion) {
    let path = twelve_megapixel_jpeg();
    let img = decode(&path, &Limits::default()).expect("decode");
    let mut group = c.benchmark_group("12mp_stages");
    group.sample_size(10);
    group.bench_function("colour_conversion", |b| b.iter(|| Colour::new(&img, [1.0; 3])));
    group.bench_function("reference_card_search", |b| b.iter(|| detect_card(&img)));
    let lab = Colour::new(&img, [1.0; 3]);
    let smooth = binomial3(&lab.l);
    group.bench_function("smoothing", |b| b.iter(|| binomial3(&lab.l)));
    group.bench_function("background_closing_r16", |b| b.iter(|| morph::close(&smooth, 16)));
    let background = morph::close(&smooth, 16);
    let usable: Vec<bool> = img.as_raw().chunks_exact(3).map(|p| p.iter().all(|&c| c < 250)).collect();
    let floor = 0.5 * skin_lightness(&lab, &background);
    group.bench_function("labelling_and_statistics", |b| b.iter(|| find_blobs(&smooth, &background, &usable, floor)));
    let blobs = find_blobs(&smooth, &background, &usable, floor);
    let ctx = DotContext { l: &lab.l, smooth: &smooth, background: &background, blobs: &blobs, usable: &usable };
    group.bench_function("dot_detection", |b| b.iter(|| classify(&ctx)));
    let dots: Vec<_> = classify(&ctx).dots.into_iter().map(|(d, _)| d).collect();
    let no_fringe = vec![false; usable.len()];
    group.bench_function("treated_area", |b| b.iter(|| find_areas(&lab, &dots, &no_fringe, None, None)));
    group.finish();
}

criterion_group!(benches, twelve_megapixel, stages);
criterion_main!(benches);
