//! Developer tool: dot classification run once on a decoded photo, set up as the `dot_detection` bench sets it up,
//! so that callgrind can count its instructions: a figure that, unlike time on these noisy machines, does not
//! change from run to run. Build two versions and compare:
//!
//! `valgrind --tool=callgrind --toggle-collect='smp_heal::measure::classify::classify' \
//!     target/release/examples/classify_cost target/bench-data/close-up-12mp.jpg`
use smp_heal::measure::blobs::find_blobs;
use smp_heal::measure::classify::classify;
use smp_heal::measure::decode::{decode, Limits};
use smp_heal::measure::dot::DotContext;
use smp_heal::measure::morph;
use smp_heal::measure::plane::{binomial3, Colour};
use smp_heal::measure::skin_lightness;

fn main() {
    let path = std::env::args().nth(1).expect("photo");
    let img = decode(std::path::Path::new(&path), &Limits::default()).expect("decode");
    let lab = Colour::new(&img, [1.0; 3]);
    let smooth = binomial3(&lab.l);
    let background = morph::close(&smooth, 16);
    let usable: Vec<bool> = img.as_raw().chunks_exact(3).map(|p| p.iter().all(|&c| c < 250)).collect();
    let floor = 0.5 * skin_lightness(&lab, &background);
    let blobs = find_blobs(&smooth, &background, &usable, floor);
    let ctx = DotContext { l: &lab.l, smooth: &smooth, background: &background, blobs: &blobs, usable: &usable };
    let t = std::time::Instant::now();
    let c = classify(&ctx);
    println!("dots {} in {:?}", c.dots.len(), t.elapsed());
}
