/*!
Skin redness of the treated area and of the untreated reference skin.

Over treated skin, leaving out dots, hairs and other marks dilated by 2 px, specular shine (see
[`super::areas`]), clipped pixels (a channel >= 250) and near-black pixels (L* < 8):
- `redness_a`: mean a*.
- `erythema_index`: mean `100 * log10(R / G)` on linear RGB (Dawson et al. 1980; Diffey et al. 1984).
- `ita_deg`: `atan2(mean L* - 50, mean b*)` in degrees (Chardon et al. 1991): skin-tone context.
- `redness_delta_a`: `redness_a` minus the mean a* of the untreated reference skin (same exclusions), when that
  skin covers at least 2% of the frame; it cancels most of the lighting and white-balance change between days.
*/

use super::areas::{Areas, MIN_UNTREATED_FRACTION};
use super::plane::Colour;
use crate::colour::{erythema_index, ita_deg, linear_lut};

/// Redness figures of a photo.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Redness {
    /// Mean a* of treated skin.
    pub redness_a: Option<f64>,
    /// `redness_a` minus the mean a* of untreated skin.
    pub redness_delta_a: Option<f64>,
    /// Mean erythema index of treated skin.
    pub erythema_index: Option<f64>,
    /// Individual typology angle of treated skin, degrees.
    pub ita_deg: Option<f64>,
    /// Share of the frame used as untreated reference skin.
    pub untreated_fraction: f64,
    /// Mean L*, a*, b* of the treated skin.
    pub treated_lab: Option<[f64; 3]>,
    /// Mean L*, a*, b* of the untreated reference skin, when `redness_delta_a` is measured.
    pub untreated_lab: Option<[f64; 3]>,
}

#[derive(Default)]
struct Sums {
    n: usize,
    l: f64,
    a: f64,
    b: f64,
    ei: f64,
}

fn sums(colour: &Colour, area: &[bool], excluded: &[bool], gains: [f64; 3]) -> Sums {
    // 100 log10 of each channel's linear value: the erythema index of a pixel is `red[r] - green[g]`.
    let lut = linear_lut();
    let log = |c: usize| lut.map(|v| erythema_index(gains[c] * v as f64, 1.0));
    let (red, green) = (log(0), log(1));
    debug_assert!(area.len() == excluded.len() && area.len() == colour.l.data.len());
    let mut s = Sums::default();
    let pixels = colour.img.as_raw().chunks_exact(3);
    for (i, (((&inside, &out), &l), px)) in area.iter().zip(excluded).zip(&colour.l.data).zip(pixels).enumerate() {
        if !inside || out || l < 8.0 {
            continue;
        }
        let [l, a, b] = colour.lab(i);
        s.n += 1;
        s.l += l as f64;
        s.a += a as f64;
        s.b += b as f64;
        s.ei += red[px[0] as usize] - green[px[1] as usize];
    }
    s
}

/// Measures redness given the areas and the mask of dots, hairs and marks (already dilated).
pub fn measure_redness(colour: &Colour, areas: &Areas, excluded: &[bool], gains: [f64; 3]) -> Redness {
    let t = sums(colour, &areas.treated, excluded, gains);
    if t.n == 0 {
        return Redness::default();
    }
    let n = t.n as f64;
    let redness_a = t.a / n;
    let u = sums(colour, &areas.untreated, excluded, gains);
    let untreated_fraction = u.n as f64 / areas.untreated.len() as f64;
    let enough = untreated_fraction >= MIN_UNTREATED_FRACTION;
    let delta = enough.then(|| redness_a - u.a / u.n as f64);
    Redness {
        redness_a: Some(redness_a),
        redness_delta_a: delta,
        erythema_index: Some(t.ei / n),
        ita_deg: Some(ita_deg(t.l / n, t.b / n)),
        untreated_fraction,
        treated_lab: Some([t.l / n, redness_a, t.b / n]),
        untreated_lab: enough.then(|| [u.l, u.a, u.b].map(|v| v / u.n as f64)),
    }
}
