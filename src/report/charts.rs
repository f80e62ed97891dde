/*!
PNG charts of the healing trends, drawn with plotters from the report alone:
- `redness.png` (1200x700): redness excess over days since the session, the profile's expected band shaded, the
  measured points and the fitted curve of each session in its own colour, the stages named along the top;
- `contrast.png` (1200x1000): dot contrast relative to the session's first photo the same way (with the settling
  fit from day 7), and the relative dot diameter in a second panel;
- `overview.png` (1240x1754, an A4 page at 150 dpi): both stacked under a title with the client folder's name, the
  date range and the verdict, and the flags below.

Text uses DejaVu Sans embedded in the binary (the `dejavu` crate, through plotters' `ab_glyph` backend): no system
fonts or fontconfig. Pixels are drawn into a buffer and encoded with the image crate; [`super::outputs`] writes
the files.
*/

use std::path::Path;
use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

use super::Report;
use crate::timeline::profile::Band;
use crate::timeline::stage::Stage;

/// Size of `redness.png`.
pub const REDNESS_SIZE: (u32, u32) = (1200, 700);
/// Size of `contrast.png`.
pub const CONTRAST_SIZE: (u32, u32) = (1200, 1000);
/// Size of `overview.png`: A4 at 150 dpi.
pub const OVERVIEW_SIZE: (u32, u32) = (1240, 1754);

/// The font family name the embedded font is registered under.
pub const FONT: &str = "sans-serif";
/// One colour per session (Okabe-Ito, readable by colour-blind people), repeating after eight.
const SESSION_COLOURS: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(230, 159, 0),
    RGBColor(0, 0, 0),
    RGBColor(240, 228, 66),
];
const BAND_FILL: RGBColor = RGBColor(200, 230, 201);
const STAGE_SHADE: RGBColor = RGBColor(243, 243, 243);

/// Why a chart could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// Drawing or encoding failed.
    #[error("cannot draw {0}: {1}")]
    Draw(&'static str, String),
}

/// Which series a panel shows.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Measure {
    Redness,
    Contrast,
    Diameter,
}

impl Measure {
    fn title(self) -> &'static str {
        match self {
            Measure::Redness => "Redness above baseline (1 = first photo of the session)",
            Measure::Contrast => "Dot darkness (contrast) relative to the first photo",
            Measure::Diameter => "Dot size (diameter) relative to the first photo",
        }
    }

    fn bands(self, report: &Report) -> &[Band] {
        let b = &report.profile.bands;
        match self {
            Measure::Redness => &b.redness_excess,
            Measure::Contrast => &b.contrast,
            Measure::Diameter => &b.diameter,
        }
    }
}

/// One session's points and fitted curve on a panel.
struct Series {
    session: usize,
    points: Vec<(f64, f64)>,
    curve: Vec<(f64, f64)>,
}

/// Draws one chart onto its drawing area.
type DrawFn = fn(&Report, &DrawingArea<BitMapBackend, Shift>) -> Result<(), String>;

/// Draws the three charts: (file name, PNG bytes).
pub fn render_charts(report: &Report) -> Result<Vec<(&'static str, Vec<u8>)>, ChartError> {
    register_fonts();
    let mut out = Vec::new();
    let charts: [(&str, (u32, u32), DrawFn); 3] = [
        ("redness.png", REDNESS_SIZE, |r, area| panel(r, area, Measure::Redness)),
        ("contrast.png", CONTRAST_SIZE, |r, area| {
            let (top, bottom) = area.split_vertically(area.dim_in_pixel().1 * 55 / 100);
            panel(r, &top, Measure::Contrast)?;
            panel(r, &bottom, Measure::Diameter)
        }),
        ("overview.png", OVERVIEW_SIZE, overview),
    ];
    for (name, (w, h), draw) in charts {
        let png = render(w, h, |area| draw(report, area)).map_err(|e| ChartError::Draw(name, e))?;
        out.push((name, png));
    }
    Ok(out)
}

/// Registers the embedded DejaVu Sans with plotters (once).
pub fn register_fonts() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        // The bytes are a known-good embedded font; a failure would only mean text is not drawn.
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, dejavu::sans::regular());
        let _ = plotters::style::register_font(FONT, FontStyle::Bold, dejavu::sans::bold());
    });
}

/// Draws into an RGB buffer of `w x h` and encodes it as PNG.
fn render(
    w: u32,
    h: u32,
    draw: impl FnOnce(&DrawingArea<BitMapBackend, Shift>) -> Result<(), String>,
) -> Result<Vec<u8>, String> {
    let mut buf = vec![255u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        draw(&root)?;
        root.present().map_err(|e| e.to_string())?;
    }
    let img = image::RgbImage::from_raw(w, h, buf).ok_or("buffer size")?;
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).map_err(|e| e.to_string())?;
    Ok(png)
}

/// The last day shown: at least the first month, and every photo.
fn x_max(report: &Report) -> f64 {
    let last = report.photos.iter().filter(|p| p.stage.is_some()).filter_map(|p| p.day).fold(0.0, f64::max);
    (last + 2.0).max(32.0).ceil()
}

fn series(report: &Report, measure: Measure) -> Vec<Series> {
    report
        .fits
        .iter()
        .map(|fit| {
            let points: Vec<(f64, f64)> = report
                .photos
                .iter()
                .filter(|p| p.session == Some(fit.session))
                .filter_map(|p| {
                    let s = p.stage.as_ref()?;
                    let v = match measure {
                        Measure::Redness => s.redness_excess,
                        Measure::Contrast => s.contrast_ratio.filter(|_| fit.contrast.judged),
                        Measure::Diameter => s.diameter_ratio.filter(|_| fit.contrast.judged),
                    }?;
                    Some((p.day?, v))
                })
                .collect();
            let curve = match measure {
                Measure::Redness => redness_curve(report, fit.session),
                Measure::Contrast => fit.contrast.settling.map_or(Vec::new(), |f| {
                    sample(7.0, x_max(report), |t| f.a * (-(t - 7.0) / f.tau_days).exp() + f.baseline)
                }),
                Measure::Diameter => Vec::new(),
            };
            Series { session: fit.session, points, curve }
        })
        .collect()
}

/// The fitted redness of a session in excess units: `A exp(-t / tau) / (r_first - B)`.
fn redness_curve(report: &Report, session: usize) -> Vec<(f64, f64)> {
    let Some(fit) = report.fits.iter().find(|f| f.session == session) else {
        return Vec::new();
    };
    let (Some(f), Some(b), Some(metric)) = (fit.redness.fit, fit.redness.baseline, fit.redness.metric.as_deref())
    else {
        return Vec::new();
    };
    let first = report.photos.iter().filter(|p| p.session == Some(session) && p.stage.is_some()).find_map(|p| {
        let m = p.metrics.as_ref()?;
        if metric == "redness_delta_a_normalised" {
            m.redness_delta_a
        } else {
            m.redness_a
        }
    });
    let Some(amplitude) = first.map(|v| v - b).filter(|a| *a > 0.0) else {
        return Vec::new();
    };
    sample(0.0, x_max(report), |t| f.a * (-t / f.tau_days).exp() / amplitude)
}

fn sample(from: f64, to: f64, f: impl Fn(f64) -> f64) -> Vec<(f64, f64)> {
    (0..=200).map(|i| from + (to - from) * i as f64 / 200.0).map(|t| (t, f(t))).collect()
}

fn y_range(measure: Measure, series: &[Series]) -> (f64, f64) {
    let (lo, hi): (f64, f64) = match measure {
        Measure::Redness => (-0.2, 1.3),
        Measure::Contrast => (0.3, 1.5),
        Measure::Diameter => (0.6, 1.6),
    };
    let values = series.iter().flat_map(|s| s.points.iter().map(|p| p.1));
    let (vlo, vhi) = values.fold((lo, hi), |(a, b), v| (a.min(v - 0.05), b.max(v + 0.05)));
    (vlo.max(lo - 1.0), vhi.min(hi + 2.0))
}

fn err<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

/// One measure over days: stage regions, expected bands, points and fitted curves, a legend.
fn panel(report: &Report, area: &DrawingArea<BitMapBackend, Shift>, measure: Measure) -> Result<(), String> {
    let series = series(report, measure);
    let (y0, y1) = y_range(measure, &series);
    let x1 = x_max(report);
    let mut chart = ChartBuilder::on(area)
        .caption(measure.title(), (FONT, 24).into_font().style(FontStyle::Bold))
        .margin(16)
        .x_label_area_size(44)
        .y_label_area_size(64)
        .build_cartesian_2d(0.0..x1, y0..y1)
        .map_err(err)?;
    // Stage regions, alternately shaded and named along the top.
    for (i, span) in report.profile.stages.iter().enumerate() {
        let end = span.to_day.unwrap_or(x1).min(x1);
        if span.from_day >= x1 {
            continue;
        }
        if i % 2 == 1 {
            chart
                .draw_series(std::iter::once(Rectangle::new([(span.from_day, y0), (end, y1)], STAGE_SHADE.filled())))
                .map_err(err)?;
        }
        let label = stage_label(span.stage, end - span.from_day);
        chart
            .draw_series(std::iter::once(Text::new(
                label,
                (span.from_day + 0.2, y1 - 0.02 * (y1 - y0)),
                (FONT, 15).into_font().color(&RGBColor(90, 90, 90)),
            )))
            .map_err(err)?;
    }
    for band in measure.bands(report) {
        let (from, to) = (band.from_day, band.to_day.unwrap_or(x1).min(x1));
        if from >= x1 {
            continue;
        }
        let (lo, hi) = (band.min.unwrap_or(y0).max(y0), band.max.unwrap_or(y1).min(y1));
        chart
            .draw_series(std::iter::once(Rectangle::new([(from, lo), (to, hi)], BAND_FILL.mix(0.6).filled())))
            .map_err(err)?;
    }
    chart
        .configure_mesh()
        .x_desc("days since the session")
        .x_label_formatter(&|d| format!("{d:.0}"))
        .y_label_formatter(&|v| format!("{v:.1}"))
        .y_desc(if measure == Measure::Redness { "redness excess" } else { "ratio to first photo" })
        .label_style((FONT, 16))
        .axis_desc_style((FONT, 17))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(err)?;
    chart
        .draw_series(std::iter::once(Rectangle::new([(x1 * 0.8, y0), (x1 * 0.8, y0)], BAND_FILL.filled())))
        .map_err(err)?
        .label("expected")
        .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 18, y + 6)], BAND_FILL.filled()));
    for s in &series {
        let colour = SESSION_COLOURS[(s.session - 1) % SESSION_COLOURS.len()];
        if !s.curve.is_empty() {
            chart
                .draw_series(LineSeries::new(
                    s.curve.iter().copied().filter(|p| p.1 >= y0 && p.1 <= y1),
                    colour.stroke_width(3),
                ))
                .map_err(err)?;
        }
        chart
            .draw_series(s.points.iter().map(|&p| Circle::new(p, 7, colour.filled())))
            .map_err(err)?
            .label(format!("session {}", s.session))
            .legend(move |(x, y)| Circle::new((x + 9, y), 6, colour.filled()));
    }
    if series.iter().all(|s| s.points.is_empty()) {
        let why = match measure {
            Measure::Redness => "no redness to follow in these photos".to_string(),
            _ => format!(
                "not judged: the dots are under {} px across, too small for their darkness and size to be compared",
                crate::timeline::stage::MIN_JUDGED_DIAMETER_PX
            ),
        };
        chart.draw_series(std::iter::once(Text::new(why, (1.0, y0 + 0.5 * (y1 - y0)), (FONT, 20)))).map_err(err)?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .margin(12)
        .label_font((FONT, 16))
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(180, 180, 180))
        .draw()
        .map_err(err)?;
    Ok(())
}

/// A stage's name, shortened where its region is narrow.
fn stage_label(stage: Stage, width_days: f64) -> &'static str {
    match stage {
        Stage::FlakingFading if width_days < 6.0 => "flaking",
        Stage::Inflammation if width_days < 3.0 => "red",
        s => s.label(),
    }
}

/// The A4 overview: title, verdicts, both panels, the flags.
fn overview(report: &Report, area: &DrawingArea<BitMapBackend, Shift>) -> Result<(), String> {
    let (w, h) = area.dim_in_pixel();
    let (head, rest) = area.split_vertically(190);
    let (body, foot) = rest.split_vertically(h - 190 - 260);
    let folder = Path::new(&report.input.folder)
        .file_name()
        .map_or_else(|| report.input.folder.clone(), |n| n.to_string_lossy().into_owned());
    let dates: Vec<&str> = report.photos.iter().map(|p| p.taken.get(..10).unwrap_or(&p.taken)).collect();
    let range = match (dates.first(), dates.last()) {
        (Some(a), Some(b)) if a != b => format!("{a} to {b}"),
        (Some(a), _) => a.to_string(),
        _ => String::new(),
    };
    let title = (FONT, 40).into_font().style(FontStyle::Bold);
    head.draw(&Text::new(format!("Healing of {folder}"), (40, 30), title)).map_err(err)?;
    head.draw(&Text::new(format!("{} photos, {range}", report.photos.len()), (40, 85), (FONT, 24))).map_err(err)?;
    for (i, f) in report.fits.iter().take(2).enumerate() {
        let verdict = match f.verdict {
            crate::timeline::Verdict::OnTrack => "on track",
            crate::timeline::Verdict::NeedsAttention => "needs attention",
            crate::timeline::Verdict::InsufficientData => "too few photos",
        };
        let colour = SESSION_COLOURS[(f.session - 1) % SESSION_COLOURS.len()];
        head.draw(&Text::new(
            format!("Session {}: {verdict}", f.session),
            (40 + 560 * i as i32, 130),
            (FONT, 26).into_font().style(FontStyle::Bold).color(&colour),
        ))
        .map_err(err)?;
    }
    let (top, bottom) = body.split_vertically((h - 190 - 260) / 2);
    panel(report, &top, Measure::Redness)?;
    panel(report, &bottom, Measure::Contrast)?;
    let mut y = 20;
    let lines: Vec<String> = if report.flags.is_empty() {
        vec!["No flags: nothing needs attention.".to_string()]
    } else {
        report.flags.iter().map(|f| format!("{}: {}", f.code.name(), f.message)).collect()
    };
    for line in lines.iter().flat_map(|l| wrap(l, (w as usize - 80) / 10)).take(9) {
        foot.draw(&Text::new(line, (40, y), (FONT, 19))).map_err(err)?;
        y += 26;
    }
    if let Some(n) = &report.next_session {
        foot.draw(&Text::new(
            format!("Next session from {} ({})", n.earliest, n.reason),
            (40, y + 8),
            (FONT, 20).into_font().style(FontStyle::Bold),
        ))
        .map_err(err)?;
    }
    Ok(())
}

/// Splits text into lines of at most `width` characters at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let last = lines.last_mut().map_or(0, |l| l.chars().count());
        if last > 0 && last + 1 + word.chars().count() > width {
            lines.push(String::new());
        }
        if let Some(l) = lines.last_mut() {
            if !l.is_empty() {
                l.push(' ');
            }
            l.push_str(word);
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wraps_at_spaces() {
        assert_eq!(wrap("aa bb cc dd", 5), vec!["aa bb", "cc dd"]);
        assert_eq!(wrap("", 5), vec![""]);
    }
}
