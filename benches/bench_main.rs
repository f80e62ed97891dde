//! Criterion benches: one 12 MP photo analysed end to end, beside decoding the same file alone (the floor the
//! analysis is compared with). The photo is rendered by the generator at start-up, never committed.
//!
//! `cargo bench` (add `-- --quick` for a short run).

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion};
use smp_heal::measure::decode::{decode, Limits};
use smp_heal::measure::{measure_file, measure_image, MeasureOptions};
use smp_heal::synth::{render_photo, PhotoParams};

/// A 4000x3000 close-up written as JPEG (quality 90) into the target folder.
fn twelve_megapixel_jpeg() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target").join("bench-data");
    let path = dir.join("close-up-12mp.jpg");
    if !path.exists() {
        std::fs::create_dir_all(&dir).expect("bench data folder");
        let photo = render_photo(&PhotoParams::close_up(4000, 3000), 7);
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
}

criterion_group!(benches, twelve_megapixel);
criterion_main!(benches);
