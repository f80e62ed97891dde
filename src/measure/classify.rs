/*!
Sorting candidate blobs into SMP dots, hair strokes and other marks.

- Hair: an elongated stroke (elongation at least [`HAIR_ELONGATION`], at least 3 px long) longer than
  [`FORESHORTENED_LENGTH`] times a typical dot's blob (shorter ones are dots seen at a slant where the scalp turns away)
  and thinner than [`HAIR_MAX_WIDTH_RATIO`] of the typical dot diameter (wider ones are chains of touching dots,
  split like other compound blobs; a piece cut out of one that is itself elongated is a bit of hair, not a dot), and
  at least [`HAIR_DEPTH_SHARE`] of the dot threshold deep, relative to the background (blur dilutes a thin
  hair more than a dot; fainter strokes are skin creases). Stubble and fine hairs are thin and
  long; dots are round or slightly irregular (elongation under 2), and a 1-2 px dot stays under the limit.
- Hair on dots: what of a compound blob lies away from the dots cut out of it, when stroke-shaped (see
  `residual`): stubble crossing or touching dots.
- Dot: a round blob (its darkest point a bowl, not a trough: [`MIN_BLOBNESS`]; for a flat-bottomed dot seen at a
  slant, squeezed like the dots around it, a bowl once its squeeze is allowed for) whose Weber contrast is at least
  the photo's dot threshold: `0.35 x` the median contrast of the
  clear dots (contrast >= 0.12), clamped to [`pore_floor`, `MAX_DOT_THRESHOLD`]. Pores are fainter specks
  (Weber contrast under about 0.08) and stay below it; where the dots are strong the bar rises with them. The
  floor follows the typical dot's size, read on the clear dots, or on the blobs reaching [`MIN_DOT_CONTRAST`] where
  fewer than [`MIN_SIZING_DOTS`] are clear (faded fine dots under blur).
- Compound: a blob more than [`CLUSTER_BLOB_RATIO`] times the typical dot's blob area or [`CLUSTER_LENGTH_RATIO`]
  times its length, or one whose core is far lighter than its darkest point ([`MIN_CORE_SHARE`]: the centroid
  of two touching dots falls between them), holds touching dots (scab days, dense rows, dots at a slant along the
  silhouette), whatever its contrast measured as one region (faded touching dots merge into one faint, wide
  region). It is split
  at its local minima, two minima being two dots when they are at least [`MIN_SEED_GAP`] diameters apart and,
  closer than 1.5 diameters, the lightness rises between them by [`SADDLE_SHARE`] of their depth. A piece is a dot
  when it is round (its darkness running on into a touching neighbour dot is no line: see `Dot::own_run`), or
  when it is a dot seen at a slant: squeezed (up to [`SPLIT_SLANT_MAX_ELONGATION`], or more when still
  `resolvable` with the blur taken out) along the same axis as the single dots around it, and not running on along
  a line (see
  `squeezed_like_its_neighbours`; pieces of a stubble network lie at any angle among round dots).
- Other: round blobs far larger than the photo's dots (moles, scabs of a wound, freckles: more than
  [`MAX_AREA_RATIO`] times the median dot area), far smaller ones (under [`MIN_AREA_RATIO`] of it, when dots are
  large enough for that to mean noise), blobs cut off as large dark regions, and blobs without a clean half-depth
  region.
- Short strokes: an elongated blob no longer than [`FORESHORTENED_LENGTH`] times a typical dot's blob, or a
  dot-sized region at least [`HAIR_ELONGATION`] elongated, is a dot seen at a slant only when its half-depth region
  is at most [`SLANTED_MAX_LENGTH`] dot diameters long, does not run on along a line, and its nearest dots are
  squeezed along the same axis too ([`SLANT_SHARED`]): perspective squeezes a whole neighbourhood alike, a short
  stubble stroke lies at
  any angle among round dots. It is neither dot nor hair otherwise (too short to call a hair). A dot cut by the
  frame's edge is exempt. A round region whose darkness runs on [`LONG_RUN_SHARE`] diameters along its axis is the
  end of a hair.
*/

use super::blobs::{Blob, Blobs};
use super::boxsum::box_mean;
use super::dot::{measure_dot, measure_seeded, seeded_radius, Dot, DotContext, Scratch};
use super::plane::Plane;
use super::point_grid::PointGrid;

/// Elongation from which a blob is a hair stroke.
pub const HAIR_ELONGATION: f64 = 2.3;
/// The lowest dot threshold: below it, pores and skin texture.
pub const MIN_DOT_CONTRAST: f32 = 0.09;
/// The lowest dot threshold for dots of 2.5 px and less (see [`pore_floor`]).
pub const MIN_TINY_DOT_CONTRAST: f32 = 0.06;
/// The highest dot threshold, so faint but real dots (Weber 0.12) always count.
pub const MAX_DOT_THRESHOLD: f32 = 0.11;
/// Blobs with more than this times the median dot area are other marks (moles).
pub const MAX_AREA_RATIO: f32 = 6.0;
/// Blobs with less than this times the median dot area are specks, when the median dot is over 12 px in area.
pub const MIN_AREA_RATIO: f32 = 0.12;

/// A hair stroke.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hair {
    /// Centroid x.
    pub x: f32,
    /// Centroid y.
    pub y: f32,
    /// Length along the stroke, pixels.
    pub length: f32,
    /// Index of the blob it came from.
    pub blob: usize,
}

/// Blobs sorted by kind.
#[derive(Debug, Default)]
pub struct Classified {
    /// Accepted dots, with the index of their blob.
    pub dots: Vec<(Dot, usize)>,
    /// Hair strokes.
    pub hairs: Vec<Hair>,
    /// Hair strokes left in compound blobs once their dots are cut out (stubble crossing or touching dots; see
    /// `residual`). Kept apart from `hairs`: they are no loose strands of a hair mass (the hair fringe).
    pub hairs_on_dots: Vec<Hair>,
    /// Blobs that are neither (moles, dark regions): their indices.
    pub others: Vec<usize>,
    /// Blobs split as compound (touching dots, dots under hair, edges of dark masses): their indices, and the share
    /// of each blob's area its dots explain, each dot counting for a typical single dot's blob area (high for
    /// touching dots, low for tangled hair).
    pub compound: Vec<(usize, f32)>,
    /// The dot contrast threshold used for this photo.
    pub threshold: f32,
}

/// Longest major axis of an elongated blob that is a dot seen at a slant rather than a hair, as a multiple of the
/// typical dot's blob (blob against blob: a candidate blob reaches past the half-depth edge, the more so the
/// blurrier the photo): foreshortening squeezes a dot across but keeps its length, while a hair is several dots
/// long.
pub const FORESHORTENED_LENGTH: f64 = 1.3;

/// Largest dot diameter as a share of the frame's shorter side: an SMP dot is 0.1-0.17 mm, under 2.5% of even a
/// macro close-up; anything larger is a mole, a scab of a wound or a shadow.
pub const MAX_DIAMETER_SHARE: f32 = 0.025;

/// A dark run along a dot's long axis this many diameters past its edge makes it a piece of hair.
pub const LINE_RUN_SHARE: f32 = 0.5;
/// A dark run along a round region's axis this many diameters past its edge makes it the end of a hair: a dot
/// touching a hair takes in part of it and is no longer round.
pub const LONG_RUN_SHARE: f32 = 1.5;
/// Least elongation of a region for the line test: hair pieces are oblong, dots round.
pub const LINE_MIN_ELONGATION: f32 = 1.4;

/// A hair must be at least this share of the dot threshold deep: a 1 px hair loses more depth to blur than a dot.
pub const HAIR_DEPTH_SHARE: f32 = 0.8;

/// Least [`Dot::blobness`] of a dot: its darkest point curves up in every direction (a bowl), where a piece of
/// hair is a trough (flat along the hair).
pub const MIN_BLOBNESS: f32 = 0.2;
/// Least [`Dot::blobness`] of a dot cut out of a compound blob, where pieces of hair crossing dots come from.
pub const MIN_SPLIT_BLOBNESS: f32 = 0.35;

/// Least depth of a dot's core as a share of its darkest point's ([`Dot::core_share`]). A blurred dot's darkest point
/// is its centre, and its core (within half a radius of the centroid) is nearly as deep: 0.85-1 with noise. Two
/// touching dots measured as one region have their centroid in the saddle between them, which is at least half as
/// deep as their darkest (or they would be two regions): 0.5 and up. Two thirds is half way; a region under it is
/// split like other compound blobs.
pub const MIN_CORE_SHARE: f32 = 2.0 / 3.0;

/// A round blob more than this times the typical single dot's blob area holds several touching dots.
pub const CLUSTER_BLOB_RATIO: f32 = 2.2;

/// A blob more than this times as long as the typical single dot's blob holds a row of touching dots (two dots
/// seen at a slant touch end to end without covering much area).
pub const CLUSTER_LENGTH_RATIO: f32 = 1.5;

/// Width, in pixels, under which an elongated blob is a hair stroke rather than touching dots: hairs are thin, a
/// pair of touching dots is as wide as a dot.
pub const HAIR_MAX_WIDTH_RATIO: f64 = 0.75;

/// Classifies every blob of a photo.
pub fn classify(ctx: &DotContext) -> Classified {
    let mut out = Classified::default();
    let (w, h) = (ctx.l.width, ctx.l.height);
    let max_diameter = MAX_DIAMETER_SHARE * w.min(h) as f32;
    let mut measured = Vec::new();
    let mut compound = Vec::new();
    let mut scratch = Scratch::default();
    for (bi, blob) in ctx.blobs.blobs.iter().enumerate() {
        if blob.truncated {
            compound.push(bi);
        } else if is_elongated(blob) {
            out.hairs.push(Hair { x: blob.cx as f32, y: blob.cy as f32, length: blob.major_length() as f32, blob: bi });
        } else {
            match measure_dot(ctx, blob, &mut scratch) {
                Some(dot) if dot.elongation as f64 >= HAIR_ELONGATION && blob.major_length() >= 3.0 => {
                    out.hairs.push(Hair { x: dot.x, y: dot.y, length: blob.major_length() as f32, blob: bi })
                }
                Some(dot) if dot.diameter > max_diameter => out.others.push(bi),
                Some(dot) => measured.push((dot, bi)),
                None => compound.push(bi),
            }
        }
    }
    out.threshold = dot_threshold(&measured);
    let clear = |d: &Dot| d.contrast >= out.threshold;
    let typical_area = median(measured.iter().filter(|(d, _)| clear(d)).map(|(d, _)| d.area));
    let typical_diameter = median(measured.iter().filter(|(d, _)| clear(d)).map(|(d, _)| d.diameter));
    let Some((typical_area, typical_diameter)) = typical_area.zip(typical_diameter) else {
        out.others.extend(compound);
        return out;
    };
    // Elongated blobs no longer than a dot's blob are dots seen at a slant (the scalp turning away): measured as
    // dots. Blob against blob: a candidate blob reaches out past the half-depth edge, the more so the blurrier.
    let blob_length = |bi: usize| ctx.blobs.blobs[bi].major_length() as f32;
    let typical_length =
        median(measured.iter().filter(|(d, _)| clear(d)).map(|(_, bi)| blob_length(*bi))).unwrap_or(f32::INFINITY);
    let max_dot_length = FORESHORTENED_LENGTH * typical_length as f64;
    let (slanted, long): (Vec<Hair>, Vec<Hair>) =
        out.hairs.drain(..).partition(|h| ctx.blobs.blobs[h.blob].major_length() <= max_dot_length);
    out.hairs = long;
    let slanted: Vec<(Option<Dot>, usize)> =
        slanted.iter().map(|h| (measure_dot(ctx, &ctx.blobs.blobs[h.blob], &mut scratch), h.blob)).collect();
    let neighbours = NeighbourIndex::new(
        measured
            .iter()
            .filter(|(d, _)| clear(d))
            .map(|(d, _)| Squeeze::of(d))
            .chain(slanted.iter().filter_map(|(d, _)| d.as_ref().filter(|d| clear(d)).map(Squeeze::of))),
        typical_diameter,
    );
    for (dot, bi) in slanted {
        match dot {
            Some(dot)
                if clear(&dot)
                    && dot.diameter <= max_diameter
                    && dot.diameter * dot.elongation.sqrt() <= SLANTED_MAX_LENGTH * typical_diameter
                    && !on_a_line(&dot)
                    && (neighbours.slant_shared(&Squeeze::of(&dot)) || touches_border(ctx.blobs, bi, w, h)) =>
            {
                out.dots.push((dot, bi))
            }
            // A short stroke among round dots: a bit of stubble. Not counted as hair either: too short to tell.
            _ => out.others.push(bi),
        }
    }
    // Hairs too wide to be hairs, and not very elongated, are touching dots; they join the compound blobs. So do
    // strokes whose darkness is a dot at one spot: a dot (often seen at a slant) with a faint pore or crease
    // attached, where a hair would be dark along its length.
    let (thin, wide): (Vec<Hair>, Vec<Hair>) = out.hairs.drain(..).partition(|h| {
        let b = &ctx.blobs.blobs[h.blob];
        stroke_width(b) < HAIR_MAX_WIDTH_RATIO * typical_diameter as f64
            && !dark_at_one_spot(ctx, b, &clear, &mut scratch)
    });
    // A hair is about as dark as a dot; fainter strokes are skin texture (creases, elongated pores).
    let hair_floor = HAIR_DEPTH_SHARE * out.threshold;
    out.hairs = thin.into_iter().filter(|h| stroke_depth(ctx, &ctx.blobs.blobs[h.blob]) >= hair_floor).collect();
    compound.extend(wide.iter().map(|h| h.blob));
    let blob_area = |bi: usize| ctx.blobs.blobs[bi].area as f32;
    let typical_blob = median(measured.iter().filter(|(d, _)| clear(d)).map(|(_, bi)| blob_area(*bi))).unwrap_or(1.0);
    for (dot, bi) in measured {
        let ratio = dot.area / typical_area;
        let too_small = typical_area > 12.0 && ratio < MIN_AREA_RATIO;
        let lone_stroke = dot.elongation as f64 >= HAIR_ELONGATION && !neighbours.slant_shared(&Squeeze::of(&dot));
        if on_a_line(&dot) || lone_stroke {
            continue; // a trough along a hair or a short stroke among round dots: not a dot
        } else if ratio > MAX_AREA_RATIO
            || dot.core_share < MIN_CORE_SHARE
            || blob_area(bi) > CLUSTER_BLOB_RATIO * typical_blob
            || blob_length(bi) > CLUSTER_LENGTH_RATIO * typical_length
        {
            // A mole, or a cluster of touching dots measured as one dot (its darkest, or one faint wide dot when
            // they are faded): split, each piece judged alone.
            compound.push(bi);
        } else if !clear(&dot) || !(dot.blobness >= MIN_BLOBNESS || slanted_bowl(&dot, &neighbours)) {
            continue; // a pore or skin texture
        } else if too_small {
            out.others.push(bi);
        } else {
            out.dots.push((dot, bi));
        }
    }
    let pieces: Vec<(usize, Vec<Dot>)> =
        compound.into_iter().map(|bi| (bi, split_compound(ctx, bi, typical_diameter, &mut scratch))).collect();
    let blur_width = sliver_width(pieces.iter().flat_map(|(_, p)| p), &neighbours);
    for (bi, pieces) in pieces {
        let before = out.dots.len();
        // What the hair strokes of the blob are found around: its dots, and the round pieces left out as dots
        // under a hair (darkness running on along them).
        let mut cut = Vec::new();
        for dot in pieces {
            let ratio = dot.area / typical_area;
            // A piece touching its neighbour in a dense row runs on into it (see `Dot::own_run`). Not so a piece as
            // thin as a hair (stubble touching a dot), nor an oblong one among dots squeezed alike (a row along the
            // silhouette merged beyond telling its dots apart): their darkness running on still makes them no dot.
            let dot_wide = f64::from(minor_axis(&dot)) >= HAIR_MAX_WIDTH_RATIO * f64::from(typical_diameter);
            let squeezed_row = dot.elongation >= LINE_MIN_ELONGATION && neighbours.slant_shared(&Squeeze::of(&dot));
            let in_own_right = dot_wide && !squeezed_row;
            let lined = if in_own_right { runs_on(&dot, dot.own_run) } else { on_a_line(&dot) };
            let round = (dot.elongation as f64) < HAIR_ELONGATION && dot.blobness >= MIN_SPLIT_BLOBNESS && !lined;
            let slanted = !round && squeezed_like_its_neighbours(&dot, &neighbours, typical_diameter, blur_width);
            if clear(&dot) && (round || slanted) && ratio <= MAX_AREA_RATIO && ratio >= MIN_AREA_RATIO.min(0.3) {
                out.dots.push((dot, bi));
                cut.push(dot);
            } else if clear(&dot) && (dot.elongation as f64) < HAIR_ELONGATION {
                cut.push(dot);
            }
        }
        if !ctx.blobs.blobs[bi].truncated {
            // Along the silhouette, rows of squeezed dots leave residue squeezed like the dots around it.
            let squeezed_alike = |b: &Blob| {
                let (x, y, axis) = (b.cx as f32, b.cy as f32, b.axis() as f32);
                neighbours.slant_shared_strict(&Squeeze { x, y, excess: b.elongation() as f32 - 1.0, axis })
            };
            out.hairs_on_dots.extend(super::residual::residual_hairs(
                ctx,
                bi,
                &cut,
                typical_diameter,
                out.threshold,
                &squeezed_alike,
            ));
        }
        // Share of the blob explained by its dots: each counts for a typical single dot's blob (its half-depth
        // region alone would leave out the shallow halo that joins touching dots).
        let covered = (out.dots.len() - before) as f32 * typical_blob;
        out.compound.push((bi, (covered / ctx.blobs.blobs[bi].area as f32).min(1.0)));
        if out.dots.len() == before {
            out.others.push(bi);
        }
    }
    out
}

/// Largest elongation of a piece of a compound blob that is a dot seen at a slant: where the scalp turns away,
/// rows of dots are squeezed together until they touch, and their pieces are as elongated as hair strokes. Past
/// about 2.8 (measured, under blur) a piece is a sliver at the very silhouette or a bit of hair. The fixture
/// accuracy is the same for limits from 2.5 to 3.5; the limit keeps 12 MP whole-head photos from counting slivers
/// beyond what can be resolved; past it, a piece must be `resolvable`.
pub const SPLIT_SLANT_MAX_ELONGATION: f32 = 2.8;

/// Whether a piece cut out of a compound blob that is not round is a dot seen at a slant: squeezed no more than
/// [`SPLIT_SLANT_MAX_ELONGATION`] or still [`resolvable`] given the blur's width (an upper bound on it), a bowl once its squeeze is allowed for (blobness x elongation^2 at least
/// [`MIN_SPLIT_BLOBNESS`]), no longer than a dot, not running on along a line, and with at least
/// [`SLANT_NEIGHBOURS`] single dots around it squeezed alike.
fn squeezed_like_its_neighbours(
    dot: &Dot,
    neighbours: &NeighbourIndex,
    typical_diameter: f32,
    blur_width: Option<f32>,
) -> bool {
    (dot.elongation <= SPLIT_SLANT_MAX_ELONGATION || blur_width.is_some_and(|k| resolvable(dot, k)))
        && dot.blobness * dot.elongation.powi(2) >= MIN_SPLIT_BLOBNESS
        && dot.diameter * dot.elongation.sqrt() <= SLANTED_MAX_LENGTH * typical_diameter
        && !on_a_line(dot)
        && neighbours.slant_shared_strict(&Squeeze::of(dot))
}

/// Least number of pieces squeezed past [`SPLIT_SLANT_MAX_ELONGATION`] among dots squeezed alike from which the
/// blur's width is bounded ([`sliver_width`]).
pub const MIN_SLIVERS: usize = 10;

/// An upper bound on the width at half depth that the blur gives a line of no width, read on the photo itself:
/// the narrowest tenth of the pieces squeezed past [`SPLIT_SLANT_MAX_ELONGATION`] among dots squeezed alike. Where
/// the scalp turns away, rows of dots thin out to slivers, and no sliver measures narrower than the blur's trace
/// (the narrowest found are still 1-2 px wide: thinner ones fade out of the candidates). `None` with fewer than
/// [`MIN_SLIVERS`] of them: no silhouette to read it on.
fn sliver_width<'a>(pieces: impl Iterator<Item = &'a Dot>, neighbours: &NeighbourIndex) -> Option<f32> {
    let mut widths: Vec<f32> = pieces
        .filter(|d| d.elongation > SPLIT_SLANT_MAX_ELONGATION && neighbours.slant_shared_strict(&Squeeze::of(d)))
        .map(minor_axis)
        .collect();
    if widths.len() < MIN_SLIVERS {
        return None;
    }
    let tenth = widths.len() / 10;
    Some(*widths.select_nth_unstable_by(tenth, f32::total_cmp).1)
}

/// Width across a dot's half-depth region (its minor axis), pixels.
fn minor_axis(d: &Dot) -> f32 {
    d.diameter / d.elongation.sqrt()
}

/// Least true width of a dot seen at a slant that can be resolved, pixels.
pub const MIN_RESOLVED_WIDTH: f32 = 1.0;
/// Most a dot seen at a slant may be squeezed (its true length over its true width) to be measured: past about
/// 78 degrees from facing the camera (squeezed 5 times) skin is not measured.
pub const MAX_RESOLVED_SQUEEZE: f32 = 5.0;

/// Whether a piece squeezed past [`SPLIT_SLANT_MAX_ELONGATION`] can still be resolved, given (an upper bound on)
/// the blur's width `k` at half depth: with the blur taken out in quadrature (`sqrt(measured^2 - k^2)` along each
/// axis), it is at least [`MIN_RESOLVED_WIDTH`] wide and at least 1 / [`MAX_RESOLVED_SQUEEZE`] as wide as long.
/// With `k` an upper bound, a piece that passes is resolvable; where dots are 2-3 px, no sliver along the
/// silhouette is much wider than the blur, and none passes.
fn resolvable(d: &Dot, k: f32) -> bool {
    let unblurred = |measured: f32| (measured * measured - k * k).max(0.0).sqrt();
    let (width, length) = (unblurred(minor_axis(d)), unblurred(d.diameter * d.elongation.sqrt()));
    width >= MIN_RESOLVED_WIDTH && width * MAX_RESOLVED_SQUEEZE >= length
}

/// Whether a dot that is not a bowl is one once its squeeze is allowed for: seen at a slant, a flat-bottomed dot's
/// curvature along its long axis is that of a wider dot (blobness x elongation^2 at least [`MIN_BLOBNESS`]), and
/// at least [`SLANT_NEIGHBOURS`] dots around it are squeezed alike.
fn slanted_bowl(dot: &Dot, neighbours: &NeighbourIndex) -> bool {
    dot.blobness * dot.elongation.powi(2) >= MIN_BLOBNESS && neighbours.slant_shared_strict(&Squeeze::of(dot))
}

/// Longest half-depth region of a dot seen at a slant, in typical dot diameters (its length is
/// `diameter x sqrt(elongation)`): foreshortening keeps a dot's length, which varies by a fifth or so from dot to
/// dot, while a short stroke of stubble is longer.
pub const SLANTED_MAX_LENGTH: f32 = 1.5;

/// Number of nearest dots whose shapes tell whether the scalp is seen at a slant around a blob.
pub const SLANT_NEIGHBOURS: usize = 6;
/// Least share of a short elongated blob's squeeze (elongation - 1) its nearest dots must show along the same axis
/// for it to be a dot seen at a slant: perspective squeezes the dots of a neighbourhood alike and along one
/// direction, while a short stubble stroke lies at any angle among round dots.
pub const SLANT_SHARED: f32 = 0.2;

/// A dot's squeeze: where it is, how elongated (elongation - 1) and along which axis (radians).
#[derive(Clone, Copy)]
struct Squeeze {
    x: f32,
    y: f32,
    excess: f32,
    axis: f32,
}

impl Squeeze {
    /// The squeeze of a measured dot (its half-depth region's elongation and axis).
    fn of(d: &Dot) -> Squeeze {
        Squeeze { x: d.x, y: d.y, excess: d.elongation - 1.0, axis: d.axis }
    }
}

/// Dot squeezes on a grid, for the neighbourhood test of dots seen at a slant.
struct NeighbourIndex {
    dots: Vec<Squeeze>,
    grid: PointGrid,
}

impl NeighbourIndex {
    fn new(dots: impl Iterator<Item = Squeeze>, typical_diameter: f32) -> Self {
        let dots: Vec<Squeeze> = dots.collect();
        let points: Vec<[f32; 2]> = dots.iter().map(|d| [d.x, d.y]).collect();
        NeighbourIndex { grid: PointGrid::new(&points, (4.0 * typical_diameter).max(4.0)), dots }
    }

    /// Whether the nearest dots around `dot` are squeezed along its axis too: the median of their squeeze projected
    /// on its axis (`excess x cos 2(angle between the axes)`) is at least [`SLANT_SHARED`] of its own. Then it is a
    /// dot seen at a slant rather than a short stroke of stubble. With too few dots around to judge, it is a dot.
    fn slant_shared(&self, dot: &Squeeze) -> bool {
        self.shared(dot).is_none_or(|shared| shared >= SLANT_SHARED * dot.excess)
    }

    /// As [`Self::slant_shared`], but false with too few dots around to judge.
    fn slant_shared_strict(&self, dot: &Squeeze) -> bool {
        self.shared(dot).is_some_and(|shared| shared >= SLANT_SHARED * dot.excess)
    }

    /// The median squeeze of the nearest dots projected on `dot`'s axis; `None` with fewer than
    /// [`SLANT_NEIGHBOURS`] dots around.
    fn shared(&self, dot: &Squeeze) -> Option<f32> {
        let mut near: Vec<(f32, f32)> = Vec::new();
        for n in self.grid.near(dot.x, dot.y).map(|k| &self.dots[k]) {
            let d2 = (n.x - dot.x).powi(2) + (n.y - dot.y).powi(2);
            if d2 > 0.25 {
                near.push((d2, n.excess * (2.0 * (n.axis - dot.axis)).cos()));
            }
        }
        if near.len() < SLANT_NEIGHBOURS {
            return None;
        }
        near.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        median(near[..SLANT_NEIGHBOURS].iter().map(|n| n.1))
    }
}

/// Longest half-depth region of a stroke's darkest spot, as a share of the stroke's length, for the stroke to be a
/// dot with something faint attached rather than a hair.
pub const ONE_SPOT_SHARE: f64 = 0.75;

/// Whether an elongated blob's darkness sits at one spot: its darkest part measures as a clear, round dot that does
/// not run on along a line, and that dot's half-depth region covers at most [`ONE_SPOT_SHARE`] of the blob's length.
fn dark_at_one_spot(ctx: &DotContext, b: &Blob, clear: &impl Fn(&Dot) -> bool, scratch: &mut Scratch) -> bool {
    measure_dot(ctx, b, scratch).is_some_and(|d| {
        clear(&d)
            && (d.elongation as f64) < HAIR_ELONGATION
            && d.blobness >= MIN_BLOBNESS
            && !on_a_line(&d)
            && (d.diameter * d.elongation.sqrt()) as f64 <= ONE_SPOT_SHARE * b.major_length()
    })
}

/// Whether a blob touches the frame's edge: the frame cuts a dot there, and its shape says nothing of the slant.
fn touches_border(blobs: &Blobs, bi: usize, w: usize, h: usize) -> bool {
    blobs.pixels_of(&blobs.blobs[bi]).iter().any(|&p| {
        let (x, y) = (p as usize % w, p as usize / w);
        x == 0 || y == 0 || x + 1 == w || y + 1 == h
    })
}

/// Whether an oblong region's darkness runs on along its long axis for half a diameter or more past its edge: a
/// piece or the end of a hair (a dot ends at its edge; a round dot touching its neighbour is not oblong).
fn on_a_line(d: &Dot) -> bool {
    runs_on(d, d.line_run)
}

/// [`on_a_line`] with the given runs (shorter first).
fn runs_on(d: &Dot, run: [f32; 2]) -> bool {
    (d.elongation >= LINE_MIN_ELONGATION && run[1] >= LINE_RUN_SHARE * d.diameter)
        || run[1] >= LONG_RUN_SHARE * d.diameter
}

fn is_elongated(b: &Blob) -> bool {
    b.area >= 3 && b.elongation() >= HAIR_ELONGATION && b.major_length() >= 3.0
}

/// Relative depth of a blob's darkest smoothed pixel below the background.
pub(super) fn stroke_depth(ctx: &DotContext, b: &Blob) -> f32 {
    let bg = ctx.background.data[b.darkest];
    (bg - ctx.smooth.data[b.darkest]) / bg.max(1e-3)
}

/// Width of the equivalent uniform stroke across the minor axis, pixels.
pub(super) fn stroke_width(b: &Blob) -> f64 {
    (12.0 * (b.principal_moments().1 + 1.0 / 12.0)).sqrt()
}

/// The dots inside a compound blob (touching dots, a dot under a hair, dots at the edge of a dark mass): its
/// local minima of the lightness (smoothed for dots of 4 px and more, raw for tinier ones) that sit in a dot-wide
/// part of the blob, at least [`MIN_SEED_GAP`] typical diameters apart (foreshortened dots along the silhouette sit
/// closer than a diameter) and across a saddle when closer than 1.5, each measured within its own share of the
/// blob.
fn split_compound(ctx: &DotContext, bi: usize, typical_diameter: f32, scratch: &mut Scratch) -> Vec<Dot> {
    let blobs = ctx.blobs;
    let pixels = blobs.pixels_of(&blobs.blobs[bi]);
    let (w, h) = (ctx.smooth.width, ctx.smooth.height);
    let k = ((0.25 * typical_diameter).round() as usize).max(1);
    let core = (0.3 * typical_diameter).max(0.5);
    // The smoothing that steadies the minima of larger dots fills the gap between touching tiny ones: theirs are
    // looked for on the raw lightness, as their regions are grown on it.
    let fine = if typical_diameter >= 4.0 { ctx.smooth } else { ctx.l };
    // Large dots are looked for at their own scale: the dark plateau of a saturated 20 px dot has noise minima
    // anywhere on it, off its centre (where the dot-wide test fails); averaged over a quarter diameter, its centre
    // is the one minimum.
    let scaled = ScaleView::new(fine, pixels, ((SEED_SCALE * typical_diameter).round() as usize).saturating_sub(1));
    // Every candidate pixel is at least `blobs::CANDIDATE_DEPTH` deep; a faded dot touching others may be little
    // more, so any local minimum may seed a dot.
    let mut seeds: Vec<(usize, f32)> = pixels
        .iter()
        .map(|&p| p as usize)
        .filter(|&p| scaled.is_local_minimum(p, k) && is_wide(blobs, p, core, w, h))
        .map(|p| (p, scaled.at(p)))
        .collect();
    seeds.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    let seeds = seeds.into_iter().map(|(p, _)| p);
    let min_gap2 = (MIN_SEED_GAP * typical_diameter as f64).powi(2);
    let mut kept: Vec<usize> = Vec::new();
    for s in seeds {
        let separate = kept.iter().all(|&k| {
            let (dx, dy) = ((s % w) as f64 - (k % w) as f64, (s / w) as f64 - (k / w) as f64);
            let d2 = dx * dx + dy * dy;
            d2 >= min_gap2 && (d2 >= (1.5 * typical_diameter as f64).powi(2) || has_saddle(ctx, fine, s, k))
        });
        if separate {
            kept.push(s);
        }
    }
    // Only the rivals near enough to take a pixel from a seed's region are passed on (a beard or a hair mass holds
    // thousands of seeds, and every pixel grown is checked against every rival), found through the seeds sorted by
    // row. Whether a pixel is nearer a rival does not depend on their order.
    let reach = 3.0 * seeded_radius(typical_diameter) + 1.0;
    // Row-major indices sort by row.
    let mut by_row: Vec<usize> = kept.clone();
    by_row.sort_unstable();
    let mut dots = Vec::new();
    let mut rivals = Vec::new();
    for &s in &kept {
        let (sx, sy) = ((s % w) as f64, (s / w) as f64);
        let top = (sy - reach).max(0.0).ceil() as usize;
        let first = by_row.partition_point(|&p| p / w < top);
        rivals.clear();
        rivals.extend(
            by_row[first..]
                .iter()
                .take_while(|&&p| ((p / w) as f64) <= sy + reach)
                .filter(|&&p| p != s && ((p % w) as f64 - sx).hypot((p / w) as f64 - sy) < reach),
        );
        if let Some(d) = measure_seeded(ctx, s, typical_diameter, &rivals, scratch) {
            dots.push(d);
        }
    }
    dots
}

/// Closest two dots of a compound blob may sit, in typical diameters: dots seen at a slant along the silhouette are
/// squeezed across, and their neighbours with them.
pub const MIN_SEED_GAP: f64 = 0.35;

/// Least rise of the lightness between two minima, as a share of the shallower one's depth, for them to be two
/// dots rather than one irregular dot with two dark spots.
pub const SADDLE_SHARE: f32 = 0.15;

/// Whether the lightness `plane` (smoothed, or raw for tiny dots) rises between minima `a` and `b` (the lighter one)
/// by at least [`SADDLE_SHARE`] of that minimum's depth below the background: a gap between two dots, not noise
/// within one.
fn has_saddle(ctx: &DotContext, plane: &Plane, a: usize, b: usize) -> bool {
    let w = ctx.smooth.width;
    let ls = &plane.data;
    let (ax, ay, bx, by) = ((a % w) as f32, (a / w) as f32, (b % w) as f32, (b / w) as f32);
    let steps = (2.0 * (bx - ax).abs().max((by - ay).abs())).ceil().max(1.0) as usize;
    let mut peak = f32::MIN;
    for i in 0..=steps {
        let t = i as f32 / steps as f32;
        let (x, y) = ((ax + t * (bx - ax)).round() as usize, (ay + t * (by - ay)).round() as usize);
        peak = peak.max(ls[y * w + x]);
    }
    let (lighter, at) = if ls[a] >= ls[b] { (ls[a], a) } else { (ls[b], b) };
    let depth = ctx.background.data[at] - lighter;
    depth > 0.0 && peak - lighter >= SADDLE_SHARE * depth
}

/// Radius of the window compound blobs are averaged over to find their dots, in typical diameters (less the
/// binomial smoothing's one pixel).
pub const SEED_SCALE: f32 = 0.25;
/// Least averaging radius, pixels (dots of 14 px and more): the dark core of a smaller dot is narrow enough for the
/// binomial smoothing to leave one minimum in it, and wider averaging would fill the gaps between touching scabbed
/// dots of 8-10 px.
pub const MIN_SEED_AVERAGING: usize = 3;

/// A plane as seen over a blob's bounding box, averaged over a square window (`radius` 0: the plane itself).
struct ScaleView<'a> {
    plane: &'a Plane,
    /// The averaged box: origin, size, values (empty without averaging).
    x0: usize,
    y0: usize,
    bw: usize,
    bh: usize,
    mean: Vec<f32>,
}

impl<'a> ScaleView<'a> {
    fn new(plane: &'a Plane, pixels: &[u32], radius: usize) -> Self {
        let w = plane.width;
        if radius < MIN_SEED_AVERAGING || pixels.is_empty() {
            return ScaleView { plane, x0: 0, y0: 0, bw: 0, bh: 0, mean: Vec::new() };
        }
        let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
        for &p in pixels {
            let (x, y) = (p as usize % w, p as usize / w);
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
        }
        // The box's margin holds the windows of its edge pixels.
        let (x0, y0) = (x0.saturating_sub(radius), y0.saturating_sub(radius));
        let (x1, y1) = ((x1 + radius).min(w - 1), (y1 + radius).min(plane.height - 1));
        let (bw, bh) = (x1 - x0 + 1, y1 - y0 + 1);
        let values: Vec<f32> = (y0..=y1).flat_map(|y| plane.data[y * w + x0..=y * w + x1].iter().copied()).collect();
        let mean = box_mean(&values, bw, bh, radius);
        ScaleView { plane, x0, y0, bw, bh, mean }
    }

    /// The (averaged) value at plane index `p`, which must lie in the box.
    fn at(&self, p: usize) -> f32 {
        if self.mean.is_empty() {
            return self.plane.data[p];
        }
        let w = self.plane.width;
        self.mean[(p / w - self.y0) * self.bw + (p % w - self.x0)]
    }

    /// Whether `p` is the lowest point of its `(2k+1)^2` window (ties to the lower index), within the box.
    fn is_local_minimum(&self, p: usize, k: usize) -> bool {
        if self.mean.is_empty() {
            return is_local_minimum(&self.plane.data, p, k, self.plane.width, self.plane.height);
        }
        let w = self.plane.width;
        let (x, y) = (p % w - self.x0, p / w - self.y0);
        is_local_minimum(&self.mean, y * self.bw + x, k, self.bw, self.bh)
    }
}

fn is_local_minimum(ls: &[f32], p: usize, k: usize, w: usize, h: usize) -> bool {
    let (x, y) = (p % w, p / w);
    let v = ls[p];
    for ny in y.saturating_sub(k)..=(y + k).min(h - 1) {
        for nx in x.saturating_sub(k)..=(x + k).min(w - 1) {
            let q = ny * w + nx;
            // Ties broken by index so a flat minimum yields one seed.
            if ls[q] < v || (ls[q] == v && q < p) {
                return false;
            }
        }
    }
    true
}

/// Whether every pixel within `radius` of `p` is a candidate: `p` sits in a dot-wide part, not on a thin hair.
fn is_wide(blobs: &Blobs, p: usize, radius: f32, w: usize, h: usize) -> bool {
    let (x, y) = ((p % w) as i64, (p / w) as i64);
    let r = radius.floor() as i64;
    for dy in -r..=r {
        for dx in -r..=r {
            if (dx * dx + dy * dy) as f32 > radius * radius {
                continue;
            }
            let (nx, ny) = (x + dx, y + dy);
            if nx < 0 || ny < 0 || nx >= w as i64 || ny >= h as i64 || blobs.mask[(ny * w as i64 + nx) as usize] == 0 {
                return false;
            }
        }
    }
    true
}

/// Dots from which a photo's typical dot size is taken, at the least: fewer are a few specks, not a dot pattern.
pub const MIN_SIZING_DOTS: usize = 20;

fn dot_threshold(measured: &[(Dot, usize)]) -> f32 {
    let at_least = |contrast: f32| measured.iter().map(|(d, _)| d).filter(move |d| d.contrast >= contrast);
    let clear = || at_least(0.12);
    // The pore floor follows the typical dot's size. Faded fine dots under blur may hold no clear dot at all (2.5 px
    // dots of pigment contrast 0.12 blurred by 0.7 px measure 0.06-0.09): their size is then read on the blobs above
    // the strict floor, which pores do not reach; with the strict floor for want of a size, a photo of 17 000
    // such dots counted 54.
    let sizing = if clear().count() < MIN_SIZING_DOTS && at_least(MIN_DOT_CONTRAST).count() >= MIN_SIZING_DOTS {
        MIN_DOT_CONTRAST
    } else {
        0.12
    };
    let floor = pore_floor(median(at_least(sizing).map(|d| d.diameter)));
    median(clear().map(|d| d.contrast)).map_or(floor, |m| (0.35 * m).clamp(floor, MAX_DOT_THRESHOLD))
}

/// The contrast under which a blob is a pore: [`MIN_DOT_CONTRAST`] for dots of 4.5 px and more, easing linearly to
/// [`MIN_TINY_DOT_CONTRAST`] for dots of 2.5 px and less (as measured: blur widens a small dot). Camera blur dilutes
/// a small dot's contrast, and a pore's (never larger than a dot) at least as much. (Eased over 2.5-3.5 px, faded
/// 3-3.5 px dots under blur fell under the floor while the pores among them stay well below it.)
pub fn pore_floor(typical_diameter: Option<f32>) -> f32 {
    // Without clear dots to go by, the strict floor.
    let d = typical_diameter.unwrap_or(f32::INFINITY);
    let t = ((d - 2.5) / 2.0).clamp(0.0, 1.0);
    MIN_TINY_DOT_CONTRAST + t * (MIN_DOT_CONTRAST - MIN_TINY_DOT_CONTRAST)
}

/// Median of a sequence (the mean of the two middle values for an even count); `None` when empty.
pub fn median(values: impl Iterator<Item = f32>) -> Option<f32> {
    let mut v: Vec<f32> = values.collect();
    if v.is_empty() {
        return None;
    }
    let (n, mid) = (v.len(), v.len() / 2);
    let (low, m, _) = v.select_nth_unstable_by(mid, f32::total_cmp);
    let upper = *m;
    if n % 2 == 1 {
        return Some(upper);
    }
    let lower = low.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    Some(0.5 * (lower + upper))
}

#[cfg(test)]
mod tests {
    use super::{median, resolvable, Dot};

    /// A dot seen at a slant: half-depth region `length` x `width` px (an ellipse).
    fn piece(length: f32, width: f32) -> Dot {
        Dot {
            area: std::f32::consts::FRAC_PI_4 * length * width,
            elongation: length / width,
            split: true,
            blobness: 0.5,
            ..Dot::round_at(0.0, 0.0, (length * width).sqrt())
        }
    }

    #[test]
    fn a_squeezed_piece_is_resolvable_when_wide_enough_once_the_blur_is_taken_out() {
        // Blur 3 px wide at half depth: a 12 x 4 px piece is 11.6 x 2.6 px, squeezed 4.4 times.
        assert!(resolvable(&piece(12.0, 4.0), 3.0));
        // 12 x 3.3 px: 1.4 px wide, squeezed over 5 times (past 78 degrees from facing the camera).
        assert!(!resolvable(&piece(12.0, 3.3), 3.0));
        // 5 x 3.1 px: 0.8 px wide, under a pixel.
        assert!(!resolvable(&piece(5.0, 3.1), 3.0));
        // Without blur, a 4 x 1.2 px piece is resolved.
        assert!(resolvable(&piece(4.0, 1.2), 0.0));
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median([3.0, 1.0, 2.0].into_iter()), Some(2.0));
        assert_eq!(median([4.0, 1.0, 3.0, 2.0].into_iter()), Some(2.5));
        assert_eq!(median(std::iter::empty()), None);
    }
}
