//! Developer tool: patchiness inputs for one fixture photo.
fn main() {
    let path = std::env::args().nth(1).expect("photo");
    let img = image::open(&path).expect("open").into_rgb8();
    let m = smp_heal::measure::measure_image(&img, &Default::default());
    println!("dots {} patchiness {:?} treated {:.3}", m.dots.len(), m.metrics.patchiness, m.metrics.treated_fraction);
}
