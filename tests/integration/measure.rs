//! The measurement against photos rendered with known ground truth, one property at a time.

use smp_heal::measure::blobs::find_blobs;
use smp_heal::measure::classify::{classify, Classified, MIN_BLOBNESS, MIN_CORE_SHARE, MIN_DOT_CONTRAST};
use smp_heal::measure::dot::{measure_dot, DotContext, Scratch};
use smp_heal::measure::plane::{binomial3, Colour, Plane};
use smp_heal::measure::quality::NEAR_THRESHOLD;
use smp_heal::measure::{measure_image, morph, skin_lightness, MeasureOptions, Measurement};
use smp_heal::synth::{render_photo, PhotoParams, SynthPhoto};

fn measure(photo: &SynthPhoto) -> Measurement {
    measure_image(&photo.image, &MeasureOptions::default())
}

/// Measured dots that match no true dot (centres within 0.6 of the larger diameter, at least 1.2 px: a small dot
/// measured together with a pore beside it has its centroid moved towards the pore, but it is that dot).
fn unmatched(photo: &SynthPhoto, m: &Measurement) -> usize {
    m.dots
        .iter()
        .filter(|d| {
            !photo.dots.iter().any(|t| {
                (d.x as f64 - t.x).hypot(d.y as f64 - t.y) < (0.6 * t.diameter.max(d.diameter as f64)).max(1.2)
            })
        })
        .count()
}

/// Skin of L* 60 with a 4 x 4 grid of round blurred dots (30 L* deep, 14 px across at half depth) 50 px apart from
/// (40, 40), leaving out the grid places in `except`, darkened further wherever `mark` (L* at a pixel) is darker.
fn skin_with_dots(w: usize, h: usize, except: &[(f64, f64)], mark: impl Fn(f64, f64) -> f64) -> Plane {
    let centres: Vec<(f64, f64)> = (0..16)
        .map(|i| (40.0 + 50.0 * (i % 4) as f64, 40.0 + 50.0 * (i / 4) as f64))
        .filter(|c| !except.contains(c))
        .collect();
    let mut l = Plane::filled(w, h, 60.0);
    for (i, v) in l.data.iter_mut().enumerate() {
        let (x, y) = ((i % w) as f64, (i / w) as f64);
        let dots = centres.iter().map(|&(cx, cy)| 60.0 - 30.0 * (-0.5 * ((x - cx).hypot(y - cy) / 6.0).powi(2)).exp());
        *v = dots.fold(mark(x, y), f64::min).min(60.0) as f32;
    }
    l
}

/// The blobs of a lightness plane (skin at L* 60, nothing clipped) sorted into dots, hairs and other marks.
fn classify_lightness(l: &Plane) -> Classified {
    let smooth = binomial3(l);
    let usable = vec![true; l.data.len()];
    let background = morph::close(&smooth, 16);
    let blobs = find_blobs(&smooth, &background, &usable, 30.0);
    classify(&DotContext { l, smooth: &smooth, background: &background, blobs: &blobs, usable: &usable })
}

fn relative_error(got: f64, want: f64) -> f64 {
    (got - want).abs() / want.abs()
}

#[test]
fn a_clean_flat_photo_gives_back_count_size_contrast_and_redness() {
    let photo = render_photo(&PhotoParams::flat(600, 450), 3);
    let (m, t) = (measure(&photo), &photo.truth);
    assert!(
        relative_error(m.metrics.dot_count as f64, t.dot_count as f64) <= 0.03,
        "{} vs {}",
        m.metrics.dot_count,
        t.dot_count
    );
    let (d, td) = (m.metrics.dot_diameter_px.unwrap(), t.dot_diameter_px.unwrap());
    assert!(relative_error(d, td) <= 0.05, "diameter {d} vs {td}");
    let (c, tc) = (m.metrics.dot_contrast.unwrap(), t.dot_contrast.unwrap());
    assert!(relative_error(c, tc) <= 0.05, "contrast {c} vs {tc}");
    let (a, ta) = (m.metrics.redness_a.unwrap(), t.redness_a.unwrap());
    assert!((a - ta).abs() <= 0.5, "redness {a} vs {ta}");
    assert_eq!(unmatched(&photo, &m), 0);
}

#[test]
fn noise_blur_and_shading_keep_the_count_within_five_percent() {
    let params =
        PhotoParams { noise_sigma: 2.0, blur_sigma_px: 0.7, lighting_gradient: 0.15, ..PhotoParams::flat(600, 450) };
    let photo = render_photo(&params, 5);
    let m = measure(&photo);
    let want = photo.truth.dot_count as f64;
    assert!(relative_error(m.metrics.dot_count as f64, want) <= 0.05, "{} vs {want}", m.metrics.dot_count);
    assert!(unmatched(&photo, &m) as f64 <= 0.01 * want);
}

/// Tiny dots crowded until they touch (3 px dots at a spacing of 1.8 diameters: the nearest neighbours at 1.1
/// diameters): nearly every dot joins its neighbours in one candidate blob and is cut out of it. A tiny dot is
/// found on the raw lightness, whose darkest pixel can lie a pixel off the smoothed minimum, on the slope towards
/// the neighbour it touches; the curvature read there was no bowl, and 11% of the dots were lost (4% now).
#[test]
fn tiny_touching_dots_are_each_counted() {
    let params = PhotoParams { dot_diameter_px: 3.0, dot_spacing: 1.8, ..PhotoParams::flat(1000, 750) };
    let photo = render_photo(&params, 5);
    let m = measure(&photo);
    let want = photo.truth.dot_count as f64;
    let got = m.metrics.dot_count as f64;
    assert!(want > 10_000.0, "{want}");
    assert!(relative_error(got, want) <= 0.05, "{got} vs {want}");
    assert!(unmatched(&photo, &m) as f64 <= 0.01 * want);
}

/// A close-up out of focus: its 5 px dots blurred by 1.5 px fade towards the pore level and a quarter of them is
/// lost (2448 of 3167), while the dots still counted are the sharpest (the sharpness says 0.42, far from
/// `blurred`). The many dots left just above the threshold tell it: `faint_dots`. The same photo in focus has no
/// warning.
#[test]
fn a_close_up_out_of_focus_is_warned_about_its_faint_dots() {
    let codes = |m: &Measurement| m.warnings.iter().map(|w| w.code.clone()).collect::<Vec<_>>();
    let base = PhotoParams { dot_diameter_px: 5.0, ..PhotoParams::close_up(1000, 750) };
    let sharp = render_photo(&PhotoParams { blur_sigma_px: 0.5, ..base.clone() }, 5);
    let m = measure(&sharp);
    assert!(relative_error(m.metrics.dot_count as f64, sharp.truth.dot_count as f64) <= 0.05);
    assert!(codes(&m).is_empty(), "{:?}", m.warnings);
    let soft = render_photo(&PhotoParams { blur_sigma_px: 1.5, ..base }, 5);
    let m = measure(&soft);
    let (got, want) = (m.metrics.dot_count as f64, soft.truth.dot_count as f64);
    assert!(got < 0.9 * want, "{got} of {want} dots: the test photo no longer loses dots to blur");
    assert_eq!(codes(&m), ["faint_dots"], "{:?}", m.warnings);
}

/// Faint dots all alike (pigment contrast 0.12, no spread of size or contrast) `diameter` px across among pores,
/// under `blur` px of camera blur and sensor noise, on the skin of `base`.
fn alike_faint_dots(diameter: f64, blur: f64, base: PhotoParams) -> PhotoParams {
    PhotoParams {
        dot_diameter_px: diameter,
        dot_contrast: 0.12,
        dot_jitter: 0.0,
        pores: true,
        noise_sigma: 1.5,
        blur_sigma_px: blur,
        ..base
    }
}

/// Faint but whole: 6 px dots of pigment contrast 0.12 under 1 px of blur, all above the photo's threshold and 78% of
/// them under 1.3 times it, yet hardly any just above it, where a cut would leave as many as lie below: every dot
/// is counted and no `faint_dots` warning is given (it was, for that 78%).
#[test]
fn faint_dots_all_clear_of_the_threshold_get_no_faint_dots_warning() {
    let photo = render_photo(&alike_faint_dots(6.0, 1.0, PhotoParams::flat(900, 650)), 36);
    let m = measure(&photo);
    let (got, want) = (m.metrics.dot_count as f64, photo.truth.dot_count as f64);
    assert!(relative_error(got, want) <= 0.02, "{got} found of {want}");
    let near = m.dots.iter().filter(|d| d.contrast < NEAR_THRESHOLD * m.dot_threshold).count() as f64 / got;
    assert!(near > 0.3, "the test photo's dots are faint: {near} of them under 1.3 times the threshold");
    assert!(m.warnings.is_empty(), "{:?}", m.warnings);
}

#[test]
fn large_dots_of_a_high_resolution_close_up_are_each_found() {
    // 24 px dots (a 12 MP close-up): a saturated dot's dark plateau carries noise minima off its centre. Each dot
    // must still be found once, however its candidate blob joins a pore beside it.
    let photo = render_photo(&PhotoParams { dot_diameter_px: 24.0, ..PhotoParams::flat(1600, 1200) }, 5);
    let m = measure(&photo);
    let truth: Vec<_> = photo.dots.iter().filter(|d| d.in_treated).collect();
    let found = truth
        .iter()
        .filter(|t| m.dots.iter().any(|d| (d.x as f64 - t.x).hypot(d.y as f64 - t.y) < 0.6 * t.diameter))
        .count();
    assert!(truth.len() > 200, "{}", truth.len());
    assert!(found as f64 >= 0.97 * truth.len() as f64, "{found} of {} true dots found", truth.len());
    assert_eq!(unmatched(&photo, &m), 0);
}

#[test]
fn a_dot_with_a_faint_tail_is_a_dot_and_a_stroke_dark_along_its_length_is_hair() {
    // Skin of L* 60 with a 4 x 4 grid of round blurred dots (30 L* deep, 14 px across at half depth). One of them is
    // seen at a slant (squeezed to half its width) and has a faint tail (a pore or crease 6% deep) running on from
    // its end: its candidate blob is long and thin like a hair's, but its darkness is one dot. A 2 px stroke 70 px
    // long, as dark as a dot all along, is the hair. (The frame is large enough for 14 px to be dot-sized.)
    let l = skin_with_dots(800, 700, &[(90.0, 90.0)], |x, y| {
        let q = ((x - 90.0) / 4.6).powi(2) + ((y - 90.0) / 2.3).powi(2);
        let mut v: f64 = 60.0 - 30.0 * (-0.5 * q).exp();
        // The tail of the slanted dot at (90, 90), towards +x.
        if (98.0..122.0).contains(&x) && (y - 90.0).abs() <= 2.0 {
            v = v.min(56.4);
        }
        // The hair along y = 250, x 20..90.
        if (20.0..90.0).contains(&x) && (y - 250.0).abs() <= 1.0 {
            v = v.min(32.0);
        }
        v
    });
    let found = classify_lightness(&l);
    let at = |x: f32, y: f32| found.dots.iter().filter(|(d, _)| (d.x - x).abs() < 2.0 && (d.y - y).abs() < 2.0).count();
    assert_eq!(at(90.0, 90.0), 1, "the slanted dot with the tail: {:?} {:?}", found.hairs, found.others);
    assert_eq!(found.dots.len(), 16);
    assert_eq!(found.hairs.len(), 1, "{:?}", found.hairs);
    assert!((found.hairs[0].y - 250.0).abs() < 2.0);
}

#[test]
fn a_large_dot_whose_darkest_point_is_off_centre_is_found() {
    // Round blurred dots (14 px at half depth) set the typical size. A larger dot (22 px, about 30 L* deep) whose
    // darkest point lies 4 px off its centre has a faint tail that makes its blob long, so it is split. Grown from
    // its darkest point, it runs past the disk a split dot may grow in; it is measured again from the centre of
    // what was found. (The frame is large enough for 22 px to be dot-sized.)
    let (cx, cy) = (400.0, 300.0);
    let l = skin_with_dots(2000, 1600, &[], |x, y| {
        // A shallow bowl whose bottom is 4 px left of the centre, a 1 px edge to the skin; the tail to the right.
        let inside = 30.0 + 0.04 * ((x - cx + 4.0).powi(2) + (y - cy).powi(2));
        let edge = ((x - cx).hypot(y - cy) - 10.5).clamp(0.0, 1.0);
        let mut v = inside * (1.0 - edge) + 60.0 * edge;
        if (cx + 10.0..cx + 50.0).contains(&x) && (y - cy).abs() <= 3.0 {
            v = v.min(56.4);
        }
        v
    });
    let found = classify_lightness(&l);
    let centres: Vec<(f32, f32)> = found.dots.iter().map(|(d, _)| (d.x, d.y)).collect();
    let near = centres.iter().filter(|(x, y)| (*x as f64 - cx).abs() < 3.0 && (*y as f64 - cy).abs() < 3.0);
    assert_eq!(near.count(), 1, "{centres:?}");
    assert_eq!(found.dots.len(), 17);
}

/// L* of a flat-bottomed dot (saturated pigment) 30 L* deep at (cx, cy), squeezed across x by the slant of the
/// scalp: 18 px long, 9.4 px wide.
fn flat_slanted_dot(x: f64, y: f64, cx: f64, cy: f64) -> f64 {
    let r2 = ((x - cx) / 9.0).powi(2) + ((y - cy) / 4.7).powi(2);
    60.0 - 30.0 * (-r2.powi(3)).exp()
}

#[test]
fn flat_bottomed_dots_squeezed_like_their_neighbours_are_dots() {
    // Scab-day dots where the scalp turns away: flat-bottomed and squeezed to half their width, their darkest point
    // curves up steeply across the dot and hardly along it, so it is no bowl by the measure for round dots. Every
    // dot around is squeezed alike: all 36 are dots.
    let centres: Vec<(f64, f64)> =
        (0..36).map(|i| (30.0 + 36.0 * (i % 6) as f64, 25.0 + 24.0 * (i / 6) as f64)).collect();
    let (w, h) = (600, 600); // large enough for 12 px to be dot-sized
    let mut l = Plane::filled(w, h, 60.0);
    for (i, v) in l.data.iter_mut().enumerate() {
        let (x, y) = ((i % w) as f64, (i / w) as f64);
        *v = centres.iter().map(|&(cx, cy)| flat_slanted_dot(x, y, cx, cy)).fold(60.0, f64::min) as f32;
    }
    let found = classify_lightness(&l);
    let slanted: Vec<_> = found.dots.iter().map(|(d, _)| d).collect();
    assert_eq!(slanted.len(), 36, "others {:?}", found.others);
    assert!(slanted.iter().all(|d| d.elongation > 1.6 && d.blobness < MIN_BLOBNESS), "{slanted:?}");
    // The same dot alone among round dots is a short stroke (a bit of stubble lies at any angle): not counted.
    let lone = classify_lightness(&skin_with_dots(800, 700, &[], |x, y| flat_slanted_dot(x, y, 65.0, 65.0)));
    assert_eq!(lone.dots.len(), 16, "{:?} {:?} {:?}", lone.dots, lone.hairs, lone.others);
    assert!(lone.dots.iter().all(|(d, _)| (d.x - 65.0).abs() > 5.0 || (d.y - 65.0).abs() > 5.0));
}

#[test]
fn pores_are_never_counted_as_dots() {
    // Pores everywhere, dots nowhere: not one blob may pass as a dot, whatever the treated area.
    let params = PhotoParams {
        dot_spacing: 0.0,
        pores: true,
        noise_sigma: 1.5,
        blur_sigma_px: 0.5,
        ..PhotoParams::close_up(500, 380)
    };
    let photo = render_photo(&params, 11);
    let lab = Colour::new(&photo.image, [1.0; 3]);
    let smooth = binomial3(&lab.l);
    let usable: Vec<bool> = photo.image.as_raw().chunks_exact(3).map(|p| p.iter().all(|&c| c < 250)).collect();
    let background = morph::close(&smooth, 10);
    let blobs = find_blobs(&smooth, &background, &usable, 0.5 * skin_lightness(&lab, &background));
    let ctx = DotContext { l: &lab.l, smooth: &smooth, background: &background, blobs: &blobs, usable: &usable };
    assert!(blobs.blobs.len() > 50, "the photo has pores to reject: {}", blobs.blobs.len());
    let found = classify(&ctx);
    assert_eq!(
        found.dots.len(),
        0,
        "{:?} threshold {}",
        found.dots.iter().map(|(d, _)| d).collect::<Vec<_>>(),
        found.threshold
    );
    // Pores among dots: every counted dot is a true dot.
    let mixed = render_photo(&PhotoParams { pores: true, noise_sigma: 1.5, ..PhotoParams::close_up(600, 450) }, 12);
    let m = measure(&mixed);
    assert!(m.metrics.dot_count > 100);
    assert_eq!(unmatched(&mixed, &m), 0);
}

#[test]
fn at_most_five_percent_of_stubble_hairs_are_counted_as_dots() {
    let params = PhotoParams { stubble_count: 400, stubble_growth: 1.0, ..PhotoParams::close_up(800, 600) };
    let photo = render_photo(&params, 21);
    let m = measure(&photo);
    let hairs = photo.hairs.iter().filter(|h| h.in_treated).count();
    assert!(hairs > 200, "{hairs}");
    let spurious = unmatched(&photo, &m);
    assert!(spurious as f64 <= 0.05 * hairs as f64, "{spurious} of {hairs} hair strokes counted as dots");
}

#[test]
fn pores_among_tiny_blurred_dots_are_not_counted() {
    // 2 px dots under camera blur: the pore floor eases with the dot size, and pores (never larger than dots) must
    // still stay out.
    let params = PhotoParams {
        dot_diameter_px: 2.0,
        pores: true,
        noise_sigma: 1.5,
        blur_sigma_px: 0.7,
        ..PhotoParams::flat(700, 500)
    };
    let photo = render_photo(&params, 31);
    let m = measure(&photo);
    assert!(m.metrics.dot_count > 1000, "{}", m.metrics.dot_count);
    let spurious = unmatched(&photo, &m);
    assert!(
        spurious as f64 <= 0.002 * m.metrics.dot_count as f64,
        "{spurious} of {} dots match no true dot",
        m.metrics.dot_count
    );
}

#[test]
fn faint_small_dots_are_counted_and_pores_among_them_are_not() {
    // Faded 3-4 px dots (pigment contrast 0.12 before blur) among pores, under camera blur: the dots' threshold is
    // the pore floor, which eases with the dot size. Eased over 2.5-3.5 px of measured diameter (it was), 15% of the
    // 3 px dots and 8% of the 3.5 px ones were missed; eased over 2.5-4.5 px, every size is within 5%, and pores
    // (never larger than dots, their contrast diluted as much) still stay out.
    for (diameter, seed) in [(3.0, 32), (3.5, 33), (4.0, 34)] {
        let params = PhotoParams {
            dot_diameter_px: diameter,
            dot_contrast: 0.12,
            pores: true,
            noise_sigma: 1.5,
            blur_sigma_px: 0.7,
            ..PhotoParams::flat(700, 500)
        };
        let photo = render_photo(&params, seed);
        let m = measure(&photo);
        let (got, want) = (m.metrics.dot_count as f64, photo.truth.dot_count as f64);
        assert!(m.dot_threshold < MIN_DOT_CONTRAST, "{diameter} px: the floor is eased: {}", m.dot_threshold);
        assert!(relative_error(got, want) <= 0.05, "{diameter} px dots: {got} found of {want}");
        let spurious = unmatched(&photo, &m);
        assert!(spurious as f64 <= 0.002 * got, "{diameter} px dots: {spurious} of {got} match no true dot");
    }
}

#[test]
fn faded_fine_dots_without_one_clear_dot_are_still_counted() {
    // Every dot alike (no spread of contrast): 2.5 px dots of pigment contrast 0.12 under 0.8 px of blur measure
    // about 0.05-0.09, and not one reaches the 0.12 of a clear dot. Their size, read on the blobs above the strict
    // floor (pores stay under it), eases the floor as it does for photos with clear dots: 2956 of 4051 found, the
    // rest under the pore floor (README, Known limitations). With the strict floor kept for want of a size, 20.
    let photo = render_photo(&alike_faint_dots(2.5, 0.8, PhotoParams::flat(700, 500)), 35);
    let m = measure(&photo);
    let (got, want) = (m.metrics.dot_count as f64, photo.truth.dot_count as f64);
    assert!(m.dot_threshold < MIN_DOT_CONTRAST, "the floor is eased: {}", m.dot_threshold);
    assert!(got >= 0.65 * want && got <= 1.02 * want, "{got} found of {want}");
    let spurious = unmatched(&photo, &m);
    assert!(spurious as f64 <= 0.005 * got, "{spurious} of {got} match no true dot");
}

#[test]
fn patchiness_finds_a_known_patch_and_nothing_on_an_even_pattern() {
    let even = render_photo(&PhotoParams { noise_sigma: 1.5, ..PhotoParams::flat(900, 650) }, 41);
    let m = measure(&even);
    assert!(m.metrics.patchiness.unwrap() <= 0.02, "even pattern: {:?}", m.metrics.patchiness);
    let params = PhotoParams { patch_fraction: 0.10, patch_count: 1, noise_sigma: 1.5, ..PhotoParams::flat(900, 650) };
    let patchy = render_photo(&params, 41);
    let (got, want) = (measure(&patchy).metrics.patchiness.unwrap(), patchy.truth.patchiness);
    assert!(want > 0.05, "the render has a patch: {want}");
    // The 4-spacing window blurs a patch's edge and the rule counts the core under half the trend: a clean-edged
    // patch is under-measured by up to about 40% (README, "Patchiness rule").
    assert!(got >= 0.5 * want && got <= 1.2 * want, "patchiness {got} vs truth {want}");
}

/// Linear-light factor of the skin of [`rim_photo`] at x: even to x = 660, a glossy band (x1.6) at 700-720, then a
/// steep fall to 0.2 at the silhouette (x = 800), as where the dome turns away under a top light.
fn rim_shading(x: f64) -> f64 {
    match x {
        x if x < 660.0 => 1.0,
        x if x < 700.0 => 1.0 + 0.6 * (x - 660.0) / 40.0,
        x if x < 720.0 => 1.6,
        x => 1.6 - 1.4 * (x - 720.0) / 80.0,
    }
}

/// Dotted skin (L* 65; 6 px dots every 18 px, their linear light scaled by 0.45) shaded by [`rim_shading`], a dark
/// wall beyond the silhouette at x = 800 and a dark dotless hair mass (L* 22) below y = 470.
fn rim_photo() -> image::RgbImage {
    use smp_heal::colour::{lab_to_linear_rgb, linear_to_srgb, Lab};
    let skin = lab_to_linear_rgb(Lab { l: 65.0, a: 12.0, b: 16.0 });
    let hair = lab_to_linear_rgb(Lab { l: 22.0, a: 4.0, b: 8.0 });
    let srgb = |c: [f64; 3]| image::Rgb(c.map(|v| (255.0 * linear_to_srgb(v.clamp(0.0, 1.0))).round() as u8));
    image::RgbImage::from_fn(900, 600, |x, y| {
        let (fx, fy) = (x as f64 + 0.5, y as f64 + 0.5);
        if fx >= 800.0 {
            return image::Rgb([45, 45, 44]);
        }
        if fy >= 470.0 {
            return srgb(hair);
        }
        // Dot coverage of the pixel, 4 x 4 samples.
        let mut cover = 0.0;
        for k in 0..16 {
            let (sx, sy) = (x as f64 + (k % 4) as f64 / 4.0 + 0.125, y as f64 + (k / 4) as f64 / 4.0 + 0.125);
            let (dx, dy) = ((sx / 18.0).fract() - 0.5, (sy / 18.0).fract() - 0.5);
            cover += f64::from(u8::from((18.0 * dx).hypot(18.0 * dy) < 3.0)) / 16.0;
        }
        let k = rim_shading(fx) * (1.0 - 0.55 * cover);
        srgb(skin.map(|v| v * k))
    })
}

#[test]
fn dotted_skin_in_steep_shading_is_treated_and_a_dark_hair_mass_is_not() {
    // Near the silhouette the skin is under 55% of the glossy band's L* a few spacings away, which the dark-mass
    // test takes for hair; but dots are found on it, and the skin around them is as light as the cells: treated.
    let img = rim_photo();
    let m = measure_image(&img, &MeasureOptions::default());
    let share = |x0: u32, x1: u32, y0: u32, y1: u32| {
        let cells = (y0..y1).flat_map(|y| (x0..x1).map(move |x| (y * 900 + x) as usize));
        let (n, t) = cells.fold((0, 0), |(n, t), i| (n + 1, t + usize::from(m.treated[i])));
        t as f64 / n as f64
    };
    let band_dots = m.dots.iter().filter(|d| (775.0..795.0).contains(&d.x) && d.y < 440.0).count();
    assert!(band_dots >= 20, "dots found in the shaded band: {band_dots}");
    // Before, the last column of dots (x = 783) was cut in half: 0.60 of the band treated.
    assert!(share(780, 790, 40, 440) >= 0.95, "shaded band treated: {:.2}", share(780, 790, 40, 440));
    assert!(share(0, 800, 480, 600) <= 0.01, "hair mass treated: {:.3}", share(0, 800, 480, 600));
    assert_eq!(share(810, 900, 0, 600), 0.0);
}

#[test]
fn stubble_crossing_dots_is_counted_as_hair_and_touching_scab_dots_are_not() {
    // Stubble among 6 px dots: most strokes cross or touch a dot and join it in one blob. What of the blob lies
    // away from its dots is the hair: 30 of the 319 strokes were counted before it was looked for, 46 while it had
    // to reach two dot diameters past the dots, 75 now that one diameter does when it ends in open skin. Shorter
    // strokes are still not told from dots seen at a slant (README, Known limitations).
    let params = PhotoParams { stubble_count: 400, stubble_growth: 1.0, ..PhotoParams::close_up(800, 600) };
    let photo = render_photo(&params, 21);
    let (got, want) = (measure(&photo).metrics.hair_count as f64, photo.truth.hair_count as f64);
    assert!(got >= 0.2 * want && got <= want, "{got} hair strokes counted of {want}");
    // Scab day, no stubble: swollen dots touch, and the slivers between them are no hair.
    let scab = PhotoParams { scab: 1.0, dot_size_factor: 1.25, ..PhotoParams::close_up(800, 600) };
    let m = measure(&render_photo(&scab, 22));
    assert!(m.metrics.hair_count as f64 <= 0.02 * m.metrics.dot_count as f64, "{} hairs", m.metrics.hair_count);
}

/// [`skin_with_dots`] with a 3 px hair as dark as a dot (L* 34) along y = 90 over `xs`, classified: the hair joins
/// the dots it touches in one blob, so it must come out as exactly one hair on dots and no loose hair.
fn one_hair_on_dots(xs: std::ops::Range<f64>) -> (Classified, smp_heal::measure::classify::Hair) {
    let hair = |x: f64, y: f64| if xs.contains(&x) && (y - 90.0).abs() <= 1.0 { 34.0 } else { 60.0 };
    let found = classify_lightness(&skin_with_dots(800, 700, &[], hair));
    assert!(found.hairs.is_empty(), "{:?}", found.hairs);
    assert_eq!(found.hairs_on_dots.len(), 1, "{:?}", found.hairs_on_dots);
    let hair = found.hairs_on_dots[0];
    (found, hair)
}

#[test]
fn a_hair_crossing_a_dot_is_counted_once_as_long_as_it_is() {
    // A 3 px hair, as dark as a dot, runs 70 px across the dot at (90, 90) and up to the one at (140, 90): one blob.
    // The dots are cut out of it, and what is left is the hair: its two ends on either side of the first dot, on
    // one line, are one hair reaching across it (each alone is shorter than two dot diameters).
    let (found, hair) = one_hair_on_dots(60.0..130.0);
    assert!((hair.y - 90.0).abs() < 1.5 && (60.0..80.0).contains(&hair.length), "{hair:?}");
    // The dots away from the hair are all found.
    assert!(found.dots.len() >= 14, "{}", found.dots.len());
}

#[test]
fn a_hair_touching_a_dot_and_ending_in_open_skin_is_counted() {
    // A 3 px hair, as dark as a dot, leaves the dot at (90, 90) and ends in open skin 34 px from its centre: one
    // blob with the dot. Beyond the dot's halo it reaches about 1.2 dot diameters, under the two a stroke needs
    // between two dots (a sliver between touching dots), but one end is free: a hair.
    let (found, hair) = one_hair_on_dots(97.0..124.0);
    assert!((hair.y - 90.0).abs() < 1.5 && (15.0..26.0).contains(&hair.length), "{hair:?}");
    assert_eq!(found.dots.len(), 16);
}

/// Blurred 2 px dots: a dot centred near a pixel corner has no pixel within half its radius of its centre, and the
/// nearest pixel, 0.7 px off, is far lighter than the centre. Taking that pixel as the core read the median contrast
/// 7.5% low (0.121 against 0.131 true); taking the value at the centre, 2.5% (0.128).
#[test]
fn tiny_dots_between_pixel_centres_keep_their_contrast() {
    for seed in [3, 11] {
        let params =
            PhotoParams { dot_diameter_px: 2.0, blur_sigma_px: 0.8, pores: false, ..PhotoParams::flat(600, 450) };
        let photo = render_photo(&params, seed);
        let m = measure(&photo);
        let (c, tc) = (m.metrics.dot_contrast.unwrap(), photo.truth.dot_contrast.unwrap());
        assert!(relative_error(c, tc) <= 0.04, "seed {seed}: contrast {c} vs {tc}");
    }
}

/// Blurred flat-topped dots (25 L* deep, 6 px across) 30 px apart, and six pairs of smaller, fainter ones (14 L*
/// deep, 4 px across) 5.4 px apart between centres. Each pair is one region at half depth, elongated (2.1) but not
/// enough to be a stroke, and its candidate blob is no longer than a single dot's (the fainter the dot, the less its
/// blob reaches out): neither size nor length marked it as touching dots, and it was measured as one faint dot.
/// Its centroid lies in the saddle between the two, where the core is little more than half as deep as the darkest
/// point (0.63); a single dot's core is nearly as deep as its darkest point. By its light core it is now split
/// into its two dots (one dot at the saddle, contrast 0.12, before; two at 0.19 now).
#[test]
fn two_touching_dots_measured_as_one_region_are_split_by_their_light_core() {
    // The frame is wide enough for a 6 px dot to be a dot (at most 2.5% of the shorter side).
    let (w, h) = (600, 480);
    // The standard normal distribution function (Abramowitz and Stegun 7.1.26 for erf, error under 1.5e-7).
    let edge = |z: f64| {
        let t = 1.0 / (1.0 + 0.3275911 * z.abs() / 2f64.sqrt());
        let poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        let erf = 1.0 - poly * (-(z * z) / 2.0).exp();
        0.5 * (1.0 + erf.copysign(z))
    };
    let mut dots: Vec<(f64, f64, f64, f64)> =
        (0..19 * 14).map(|i| (30.0 + 30.0 * (i % 19) as f64, 30.0 + 30.0 * (i / 19) as f64, 25.0, 3.0)).collect();
    let pairs: Vec<(f64, f64)> = (0..6).map(|k| (60.0 + 80.0 * k as f64, 450.0)).collect();
    for &(x, y) in &pairs {
        dots.extend([(x - 2.7, y, 14.0, 2.0), (x + 2.7, y, 14.0, 2.0)]);
    }
    let mut l = Plane::filled(w, h, 60.0);
    for (i, v) in l.data.iter_mut().enumerate() {
        let (x, y) = ((i % w) as f64, (i / w) as f64);
        // A flat-topped disk of radius r, its edge blurred (sigma 1 px): the error-function step across it.
        let depth: f64 = dots.iter().map(|&(cx, cy, d, r)| d * edge(r - (x - cx).hypot(y - cy))).sum();
        *v = (60.0 - depth) as f32;
    }
    let smooth = binomial3(&l);
    let usable = vec![true; l.data.len()];
    let background = morph::close(&smooth, 16);
    let blobs = find_blobs(&smooth, &background, &usable, 30.0);
    let ctx = DotContext { l: &l, smooth: &smooth, background: &background, blobs: &blobs, usable: &usable };
    let found = classify(&ctx);
    let mut scratch = Scratch::default();
    for (bi, b) in blobs.blobs.iter().enumerate() {
        let one = measure_dot(&ctx, b, &mut scratch).expect("every blob has a half-depth region");
        if pairs.iter().any(|&(x, y)| (b.cx - x).hypot(b.cy - y) < 1.0) {
            assert!(one.core_share < MIN_CORE_SHARE, "pair at ({}, {}): core share {}", b.cx, b.cy, one.core_share);
            assert!(found.compound.iter().any(|&(c, _)| c == bi), "pair at ({}, {}) not split", b.cx, b.cy);
            for x in [b.cx - 2.7, b.cx + 2.7] {
                let hits = found.dots.iter().filter(|(d, _)| (d.x as f64 - x).hypot(d.y as f64 - b.cy) < 1.5).count();
                assert_eq!(hits, 1, "pair at ({}, {}): the dot at x {x} found {hits} times", b.cx, b.cy);
            }
        } else {
            assert!(one.core_share > 0.85, "dot at ({}, {}): core share {}", b.cx, b.cy, one.core_share);
            assert!(found.dots.iter().any(|&(_, d)| d == bi), "dot at ({}, {}) not found", b.cx, b.cy);
        }
    }
}

/// A flat 600x450 photo of small dots without pores, blurred and noisy as given.
fn small_flat_dots(diameter: f64, blur: f64, noise: f64, seed: u64) -> SynthPhoto {
    let params = PhotoParams {
        dot_diameter_px: diameter,
        blur_sigma_px: blur,
        noise_sigma: noise,
        pores: false,
        ..PhotoParams::flat(600, 450)
    };
    render_photo(&params, seed)
}

/// Dots of 1.6-2 px, blurred as a phone's lens and demosaicing blur them: the half-depth region is two to four whole
/// pixels, whose centroid may lie a third of a pixel off the dot's centre, where such a dot is already noticeably
/// lighter. With the core taken there, the median contrast of the 1.6 px dots read 9.4% low (1.8 px: 4.2%); around
/// the centroid found to sub-pixel precision (each pixel weighted by its depth below half depth), 4.9% (1.4%).
#[test]
fn the_core_of_the_tiniest_dots_is_found_between_pixels() {
    for (diameter, blur, seed) in [(1.6, 0.6, 3), (1.8, 0.6, 11), (2.0, 0.5, 5)] {
        let photo = small_flat_dots(diameter, blur, 1.0, seed);
        let m = measure(&photo);
        let (c, tc) = (m.metrics.dot_contrast.unwrap(), photo.truth.dot_contrast.unwrap());
        assert!(relative_error(c, tc) <= 0.06, "{diameter} px dots: contrast {c} vs {tc}");
    }
}

/// Dots of 2-3 px, slightly blurred, at every sub-pixel phase, on clean skin: most fall between pixel centres, so
/// their darkest pixel is lighter than their peak. Measured from that pixel, half depth sat too light and the median
/// diameter read up to 4% wide (2 px dots: 2.09 against 2.01 true; 3 px: 3.05 against 2.93); from the peak between
/// pixels each reads within 2.5%.
#[test]
fn small_dots_between_pixel_centres_keep_their_diameter() {
    for (diameter, blur, noise) in [(2.0, 0.5, 1.0), (2.5, 0.8, 1.5), (3.0, 0.8, 1.5)] {
        let photo = small_flat_dots(diameter, blur, noise, 11);
        let m = measure(&photo);
        let (d, td) = (m.metrics.dot_diameter_px.unwrap(), photo.truth.dot_diameter_px.unwrap());
        assert!(relative_error(d, td) <= 0.025, "{diameter} px dots: diameter {d} vs {td}");
    }
}

/// A strong white-balance cast (a daylight shot with a tungsten setting: blue up 40-60%; a green fluorescent tint;
/// a magenta one) takes pale skin's hue out of the range of skin. The dotted scalp is still measured, its dots
/// counted and its reference skin found, as in the same photo without the cast, and the photo is warned about.
#[test]
fn a_strong_colour_cast_does_not_hide_the_treated_skin() {
    for cast in [[1.0, 1.0, 1.0], [0.85, 1.0, 1.4], [0.8, 1.0, 1.6], [0.75, 1.0, 0.75], [1.2, 0.8, 1.2]] {
        let params = PhotoParams { skin_lab: [78.0, 9.0, 13.0], cast, ..PhotoParams::close_up(800, 600) };
        let photo = render_photo(&params, 17);
        let m = measure(&photo);
        let (got, want) = (m.metrics.dot_count as f64, photo.truth.dot_count as f64);
        assert!((got - want).abs() <= 0.05 * want, "cast {cast:?}: {got} dots vs {want}");
        let (tf, want_tf) = (m.metrics.treated_fraction, photo.truth.treated_fraction);
        assert!((tf - want_tf).abs() <= 0.05 * want_tf, "cast {cast:?}: treated {tf} vs {want_tf}");
        // The photo's own colours are measured, cast and all, as the truth has them.
        let (a, want_a) = (m.metrics.redness_a.unwrap_or(f64::NAN), photo.truth.redness_a.unwrap_or(f64::NAN));
        assert!((a - want_a).abs() <= 1.0, "cast {cast:?}: redness_a {a} vs {want_a}");
        let delta = m.metrics.redness_delta_a.unwrap_or(f64::NAN);
        let want_delta = photo.truth.redness_delta_a.unwrap_or(f64::NAN);
        assert!((delta - want_delta).abs() <= 1.0, "cast {cast:?}: redness_delta_a {delta} vs {want_delta}");
        // The untreated strip is found whole: the cast must not take the red out of it.
        let (u, want_u) = (m.untreated_fraction, photo.truth.untreated_fraction);
        assert!(u >= 0.8 * want_u, "cast {cast:?}: untreated {u} vs {want_u}");
        let warned = m.warnings.iter().any(|w| w.code == "colour_cast");
        assert_eq!(warned, cast != [1.0; 3], "cast {cast:?}: {:?}", m.warnings);
    }
}

/// Under a strong blue cast, a whole-head photo's ears turn nearly grey, flat, and stand out from the wall behind
/// them: they are no grey card (a card's edge is a step all round; an ear runs on into the face), and the redness
/// is measured as the photo shows it.
#[test]
fn an_ear_greyed_by_a_colour_cast_is_no_grey_card() {
    let params = PhotoParams { cast: [0.85, 1.0, 1.4], ..PhotoParams::whole_head(1000, 750) };
    let photo = render_photo(&params, 3);
    let m = measure(&photo);
    assert_eq!(m.calibration.method, smp_heal::measure::card::CalibrationMethod::None, "{:?}", m.calibration);
    let (a, want_a) = (m.metrics.redness_a.unwrap_or(f64::NAN), photo.truth.redness_a.unwrap_or(f64::NAN));
    assert!((a - want_a).abs() <= 1.0, "redness_a {a} vs {want_a}");
    let (got, want) = (m.metrics.dot_count as f64, photo.truth.dot_count as f64);
    assert!((got - want).abs() <= 0.1 * want, "{got} dots vs {want}");
}

/// A black-and-white photo (or one whose cast cancels the skin's colour) has no hue to tell skin by: the dotted
/// skin is still found, by its lightness, the photo is warned about, and no redness is reported.
#[test]
fn a_black_and_white_photo_is_measured_by_lightness() {
    let photo = render_photo(&PhotoParams::close_up(800, 600), 17);
    let grey = image::DynamicImage::ImageRgb8(photo.image.clone()).into_luma8();
    let m = measure_image(&image::DynamicImage::ImageLuma8(grey).into_rgb8(), &MeasureOptions::default());
    let (got, want) = (m.metrics.dot_count as f64, photo.truth.dot_count as f64);
    assert!((got - want).abs() <= 0.05 * want, "{got} dots vs {want}");
    let (tf, want_tf) = (m.metrics.treated_fraction, photo.truth.treated_fraction);
    assert!((tf - want_tf).abs() <= 0.05 * want_tf, "treated {tf} vs {want_tf}");
    assert!(m.warnings.iter().any(|w| w.code == "colour_cast" && w.message.contains("no colour")), "{:?}", m.warnings);
    // Grey pixels have a* 0: read as redness, they would say the scalp had healed.
    let redness = [m.metrics.redness_a, m.metrics.redness_delta_a, m.metrics.erythema_index, m.metrics.ita_deg];
    assert_eq!(redness, [None; 4]);
}

/// Under a warm lamp (red up, blue down) the wall behind a whole head takes the hue of pale skin: it must not be
/// taken for untreated reference skin, or `redness_delta_a` reads about 14 for a true 4.5.
#[test]
fn a_wall_under_warm_light_is_no_reference_skin() {
    for cast in [[1.15, 1.0, 0.85], [1.25, 1.0, 0.8]] {
        let photo = render_photo(&PhotoParams { cast, ..PhotoParams::whole_head(1000, 750) }, 3);
        let m = measure(&photo);
        let delta = m.metrics.redness_delta_a.unwrap_or(f64::NAN);
        let want = photo.truth.redness_delta_a.unwrap_or(f64::NAN);
        assert!((delta - want).abs() <= 1.0, "cast {cast:?}: redness_delta_a {delta} vs {want}");
        // The reference is skin (forehead, cheeks, neck), not the wall around the head.
        assert!(
            m.untreated_fraction <= 1.2 * photo.truth.untreated_fraction,
            "cast {cast:?}: {}",
            m.untreated_fraction
        );
    }
}

/// A strongly inflamed scalp just after a session is far redder than skin usually is (hue angle near 25 degrees),
/// but that is the skin, not the light: no colour cast, and the far less red skin beside it is the reference.
#[test]
fn an_inflamed_scalp_is_no_colour_cast() {
    let params = PhotoParams { skin_lab: [78.0, 9.0, 13.0], redness_excess_a: 20.0, ..PhotoParams::close_up(800, 600) };
    let photo = render_photo(&params, 17);
    let m = measure(&photo);
    assert!(m.warnings.iter().all(|w| w.code != "colour_cast"), "{:?}", m.warnings);
    let (a, want_a) = (m.metrics.redness_a.unwrap_or(f64::NAN), photo.truth.redness_a.unwrap_or(f64::NAN));
    assert!((a - want_a).abs() <= 1.0, "redness_a {a} vs {want_a}");
    let (got, want) = (m.metrics.dot_count as f64, photo.truth.dot_count as f64);
    assert!((got - want).abs() <= 0.05 * want, "{got} dots vs {want}");
    // The skin beside it is three times less red, and still the reference.
    let delta = m.metrics.redness_delta_a.unwrap_or(f64::NAN);
    let want_delta = photo.truth.redness_delta_a.unwrap_or(f64::NAN);
    assert!((delta - want_delta).abs() <= 1.0, "redness_delta_a {delta} vs {want_delta}");
}
