/*!
Known-answer tests of the generator: the truth it reports must match the pixels it writes.
*/

use super::*;
use crate::colour::srgb8_to_lab;

fn flat_clean(w: u32, h: u32) -> PhotoParams {
    PhotoParams { skin_texture: 0.0, pores: false, ..PhotoParams::flat(w, h) }
}

fn lab_at(photo: &SynthPhoto, x: f64, y: f64) -> crate::colour::Lab {
    srgb8_to_lab(photo.image.get_pixel(x as u32, y as u32).0)
}

#[test]
fn flat_dots_reach_their_weber_contrast() {
    let photo = render_photo(&flat_clean(240, 180), 3);
    // Uniform skin: the median L* of the treated rows is the background.
    let mut ls: Vec<f64> = (0..120)
        .flat_map(|y| (0..240).map(move |x| (x, y)))
        .map(|(x, y)| lab_at(&photo, x as f64, y as f64).l)
        .collect();
    ls.sort_by(f64::total_cmp);
    let l_bg = ls[ls.len() / 2];
    let counted: Vec<&TrueDot> = photo.dots.iter().filter(|d| d.in_treated).collect();
    assert!(counted.len() > 50, "{}", counted.len());
    for d in &counted {
        let weber = (l_bg - lab_at(&photo, d.x, d.y).l) / l_bg;
        assert!(weber > 0.2, "dot at ({}, {}) is not dark: {weber}", d.x, d.y);
        assert!((weber - d.contrast).abs() < 0.02, "{weber} vs {}", d.contrast);
    }
    let median = photo.truth.dot_contrast.unwrap_or(0.0);
    assert!((median - 0.35).abs() < 0.02, "{median}");
    let diameter = photo.truth.dot_diameter_px.unwrap_or(0.0);
    assert!((diameter - 6.0).abs() < 0.4, "{diameter}");
}

#[test]
fn dot_count_is_the_number_of_dots_in_the_treated_mask() {
    for params in [PhotoParams::close_up(320, 240), PhotoParams::flat(200, 150)] {
        let photo = render_photo(&params, 11);
        let n = photo.dots.iter().filter(|d| d.in_treated).count();
        assert_eq!(photo.truth.dot_count as usize, n);
        assert!(n > 0);
        let hairs = photo.hairs.iter().filter(|h| h.in_treated).count();
        assert_eq!(photo.truth.hair_count as usize, hairs);
    }
}

#[test]
fn flat_redness_is_exact() {
    let params = PhotoParams { redness_excess_a: 6.0, ..flat_clean(200, 200) };
    let t = render_photo(&params, 5).truth;
    let a = t.redness_a.unwrap_or(0.0);
    assert!((a - 17.0).abs() < 1e-3, "{a}"); // the layer is stored as f32
    let delta = t.redness_delta_a.unwrap_or(0.0);
    assert!((delta - 6.0).abs() < 1e-3, "{delta}");
    assert!((t.treated_fraction - 0.75).abs() < 0.01);
    assert_eq!(t.patchiness, 0.0);
    assert_eq!(t.sharpness, None);
}

#[test]
fn rendering_is_deterministic_for_a_seed() {
    let params = PhotoParams { stubble_count: 40, patch_fraction: 0.1, ..PhotoParams::close_up(160, 120) };
    let a = render_photo(&params, 42);
    let b = render_photo(&params, 42);
    assert_eq!(a.image, b.image);
    assert_eq!(a.truth, b.truth);
    assert_eq!(a.dots, b.dots);
    assert_ne!(render_photo(&params, 43).image, a.image);
}

#[test]
fn patch_share_matches_the_request() {
    for (fraction, count) in [(0.12, 2), (0.06, 1)] {
        let params = PhotoParams { patch_fraction: fraction, patch_count: count, ..PhotoParams::close_up(400, 300) };
        let t = render_photo(&params, 8).truth;
        assert!((t.patchiness - fraction).abs() < 0.2 * fraction, "{} vs {fraction}", t.patchiness);
    }
}

#[test]
fn whole_head_has_small_treated_area_and_untreated_skin() {
    // At 1000x750 the dots are 1.5-3 px; at smaller sizes they would be under a pixel and unresolvable.
    let t = render_photo(&PhotoParams::whole_head(1000, 750), 2).truth;
    assert!(t.treated_fraction > 0.03 && t.treated_fraction < 0.3, "{}", t.treated_fraction);
    assert!(t.untreated_fraction > 0.02, "{}", t.untreated_fraction);
    assert!(t.redness_delta_a.is_some());
    assert!(t.dot_count > 100, "{}", t.dot_count);
}

#[test]
fn series_tell_their_story() {
    let opts = SynthOptions { width: 200, height: 150, ..SynthOptions::default() };
    let s = render_series(Scenario::StubbleRegrowth, &opts);
    assert_eq!(s.photos.len(), 6);
    let hairs: Vec<u32> = s.photos.iter().map(|p| p.truth.hair_count).collect();
    assert_eq!(hairs[0], 0);
    assert!(hairs[3] > 100, "{hairs:?}");
    let red: Vec<f64> = s.photos.iter().filter_map(|p| p.truth.redness_delta_a).collect();
    assert_eq!(red.len(), 6);
    assert!(red[0] > red[5] + 4.0, "{red:?}");
    let dark = render_series(Scenario::DarkSkin, &opts);
    assert!(dark.photos.iter().all(|p| p.truth.ita_deg.unwrap_or(0.0) < -30.0));
    let patchy = render_series(Scenario::Patchy, &opts);
    assert!(patchy.photos[2].truth.patchiness == 0.0 && patchy.photos[3].truth.patchiness > 0.05);
}

#[test]
fn written_series_is_deterministic_and_complete() {
    let opts = SynthOptions { width: 120, height: 90, ..SynthOptions::default() };
    let series = render_series(Scenario::TypicalHealing, &opts);
    let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    for d in &dirs {
        write_series(d.path(), &series, 90).unwrap();
    }
    let mut names: Vec<String> = std::fs::read_dir(dirs[0].path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 7);
    assert_eq!(names[6], "truth.json");
    assert!(names[0].starts_with("IMG_20261102_1") && names[0].ends_with(".jpg"), "{names:?}");
    for n in &names {
        assert_eq!(std::fs::read(dirs[0].path().join(n)).unwrap(), std::fs::read(dirs[1].path().join(n)).unwrap());
    }
    for p in &series.photos {
        let exif = crate::dates::exif_capture_time(&dirs[0].path().join(&p.file_name)).map(|(t, _)| t);
        assert_eq!(exif, Some(p.taken), "{}", p.file_name);
        assert_eq!(crate::dates::date_from_file_name(&p.file_name), Some(p.taken));
    }
    let truth: TruthFile = serde_json::from_slice(&std::fs::read(dirs[0].path().join("truth.json")).unwrap()).unwrap();
    assert_eq!(truth.photos.len(), 6);
    assert_eq!(truth.session_start, "2026-11-02T10:00:00");
    let again = render_series(Scenario::TypicalHealing, &opts);
    assert_eq!(again.photos[3].image, series.photos[3].image);
}

/// Renders every scenario at the default size into /tmp/synth-preview/<scenario>/, with crops of the decoded JPEGs
/// (4x nearest-neighbour zoom) in crops/ and whole decoded JPEGs as PNG in full/, for looking at:
/// `cargo test --lib synth -- --ignored`.
#[test]
#[ignore]
fn write_preview_series() {
    let root = std::path::Path::new("/tmp/synth-preview");
    let (crops, full) = (root.join("crops"), root.join("full"));
    std::fs::create_dir_all(&crops).unwrap();
    std::fs::create_dir_all(&full).unwrap();
    for scenario in Scenario::ALL {
        let series = render_series(scenario, &SynthOptions::default());
        write_series(&root.join(scenario.name()), &series, 90).unwrap();
        for (i, p) in series.photos.iter().enumerate() {
            let jpeg = image::open(root.join(scenario.name()).join(&p.file_name)).unwrap().to_rgb8();
            let crop = image::imageops::crop_imm(&jpeg, 420, 300, 160, 120).to_image();
            let zoom = image::imageops::resize(&crop, 640, 480, image::imageops::FilterType::Nearest);
            zoom.save(crops.join(format!("{}-{i}.png", scenario.name()))).unwrap();
            jpeg.save(full.join(format!("{}-{i}.png", scenario.name()))).unwrap();
            println!("{} {} {:?}", scenario.name(), p.file_name, p.truth);
        }
    }
}

/// Rendering time of 12-megapixel photos (what the benchmarks use). `cargo test --lib synth -- --ignored`.
#[test]
#[ignore]
fn times_12_megapixel_renders() {
    for params in [
        PhotoParams::close_up(4000, 3000),
        PhotoParams { dot_diameter_px: 10.0, dot_spacing: 2.75, ..PhotoParams::close_up(4000, 3000) },
        PhotoParams::whole_head(4000, 3000),
    ] {
        let t = std::time::Instant::now();
        let p = render_photo(&params, 1);
        println!("{:?}: {:?}, {} dots", params.framing, t.elapsed(), p.dots.len());
    }
}

#[test]
fn odd_parameters_do_not_panic() {
    let odd = [
        PhotoParams { width: 0, height: 0, ..PhotoParams::close_up(0, 0) },
        PhotoParams { dot_diameter_px: 400.0, blur_sigma_px: f64::NAN, noise_sigma: -1.0, ..PhotoParams::flat(64, 48) },
        PhotoParams {
            dot_spacing: 0.0,
            moles: 1000,
            patch_fraction: 5.0,
            patch_count: 0,
            ..PhotoParams::close_up(64, 48)
        },
        PhotoParams {
            camera: Camera { scale: 0.0, shift_x: 9.0, shift_y: f64::NAN, rotation_deg: 1e9 },
            exposure: f64::NAN,
            shine: 50.0,
            ..PhotoParams::whole_head(64, 48)
        },
    ];
    for p in &odd {
        let photo = render_photo(p, 1);
        assert!(photo.image.width() >= 8 && photo.image.height() >= 8);
    }
}

#[test]
fn dot_diameter_option_sets_the_dots_size_whatever_the_frame() {
    // The scenario's dots scale with the frame; the option fixes them in pixels, as a 12 MP phone photo holds them.
    let median_nominal = |opts: &SynthOptions| {
        let photo = render_series_photo(Scenario::TypicalHealing, opts, 0).expect("photo");
        let mut d: Vec<f64> = photo.dots.iter().filter(|d| d.in_treated).map(|d| d.nominal_diameter).collect();
        d.sort_by(f64::total_cmp);
        (photo.params.dot_diameter_px, photo.params.dot_size_factor, d[d.len() / 2])
    };
    let base = SynthOptions { width: 400, height: 300, ..SynthOptions::default() };
    let (scaled, _, _) = median_nominal(&base);
    let (set, factor, set_median) = median_nominal(&SynthOptions { dot_diameter_px: Some(4.0), ..base });
    assert_eq!(set, 4.0);
    assert!((scaled - 4.0).abs() > 1.0, "{scaled}");
    // Dots vary in size and the dome foreshortens some: the median outline is within a tenth of the nominal size.
    assert!((set_median / (4.0 * factor) - 1.0).abs() < 0.1, "{set_median}");
}
