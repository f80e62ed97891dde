/*!
`report.html`: one self-contained page for the client's file.

The page comes from a template embedded in the binary (`html/report.html`, with its stylesheet `html/report.css`),
filled by tinytemplate from a view of the [`Report`]: every value is HTML-escaped (file names may hold `<`, `>`,
`&` and quotes); only the embedded stylesheet is inserted as is. Images are embedded as `data:` URIs (the overview
chart, one annotated thumbnail per photo), so the page needs no network, no external fonts and no scripts, and
reads with JavaScript off. The print stylesheet sets A4 pages and keeps each photo's strip on one page.
*/

use serde::Serialize;
use tinytemplate::TinyTemplate;

use super::Report;
use crate::analyze::Thumbs;
use crate::timeline::{Confidence, Severity, Verdict};

/// The page template. Note for editors: tinytemplate reads `{{ if not... }}` as a negation, so no field used in a
/// condition may start with "not" (hence `remarks` for the notes).
const TEMPLATE: &str = include_str!("html/report.html");
const CSS: &str = include_str!("html/report.css");

#[derive(Serialize)]
struct Page {
    version: String,
    folder: String,
    photo_count: usize,
    date_range: String,
    css: &'static str,
    sessions: String,
    verdicts: Vec<VerdictView>,
    next_session: Option<String>,
    next_reason: String,
    flags: Vec<FlagView>,
    remarks: Vec<String>,
    overview: Option<String>,
    photos: Vec<PhotoView>,
    glossary: Vec<Term>,
}

#[derive(Serialize)]
struct VerdictView {
    class: &'static str,
    title: String,
    summary: String,
}

#[derive(Serialize)]
struct FlagView {
    title: String,
    severity: &'static str,
    lower_confidence: bool,
    message: String,
    evidence: String,
}

#[derive(Serialize)]
struct PhotoView {
    file: String,
    taken: String,
    day: Option<String>,
    stage: Option<String>,
    status: String,
    status_class: String,
    error: Option<String>,
    thumb: Option<String>,
    rows: Vec<Row>,
    warnings: Vec<String>,
}

#[derive(Serialize)]
struct Row {
    name: &'static str,
    value: String,
}

#[derive(Serialize)]
struct Term {
    term: &'static str,
    meaning: &'static str,
}

/// Renders the page. `overview_png` is the overview chart; `thumbs` are the annotated thumbnails, in the order of
/// the report's photos.
pub fn render(report: &Report, overview_png: Option<&[u8]>, thumbs: &[Option<Thumbs>]) -> Result<String, String> {
    let page = page(report, overview_png, thumbs);
    let mut tt = TinyTemplate::new();
    tt.add_template("report", TEMPLATE).map_err(|e| e.to_string())?;
    tt.render("report", &page).map_err(|e| e.to_string())
}

fn page(report: &Report, overview_png: Option<&[u8]>, thumbs: &[Option<Thumbs>]) -> Page {
    let folder = std::path::Path::new(&report.input.folder)
        .file_name()
        .map_or_else(|| report.input.folder.clone(), |n| n.to_string_lossy().into_owned());
    let dates: Vec<&str> = report.photos.iter().map(|p| p.taken.get(..10).unwrap_or(&p.taken)).collect();
    let date_range = match (dates.first(), dates.last()) {
        (Some(a), Some(b)) if a != b => format!("{a} to {b}"),
        (Some(a), _) => a.to_string(),
        _ => "no dates".to_string(),
    };
    let verdicts = report
        .fits
        .iter()
        .map(|f| {
            let (class, words) = match f.verdict {
                Verdict::OnTrack => ("on_track", "on track"),
                Verdict::NeedsAttention => ("needs_attention", "needs attention"),
                Verdict::InsufficientData => ("insufficient_data", "too few photos to tell"),
            };
            VerdictView { class, title: format!("Session {}: {words}", f.session), summary: f.summary.clone() }
        })
        .collect();
    let flags = report
        .flags
        .iter()
        .map(|f| FlagView {
            title: f.code.name().replace('_', " "),
            severity: match f.severity {
                Severity::Warning => "warning",
                Severity::Alert => "alert",
            },
            lower_confidence: f.confidence == Confidence::Lower,
            message: f.message.clone(),
            evidence: f
                .evidence
                .iter()
                .map(|e| {
                    let day = e.day.map_or(String::new(), |d| format!("day {d:.1}, "));
                    let file = e.file.as_deref().map_or(String::new(), |f| format!("{f}: "));
                    format!("{file}{day}{} {}", e.what, e.value)
                })
                .collect::<Vec<_>>()
                .join("; "),
        })
        .collect();
    let photos = report
        .photos
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let stage = p.stage.as_ref();
            let status = stage.and_then(|s| s.status).map_or("", |s| match s {
                crate::timeline::stage::StageStatus::OnTrack => "on track",
                crate::timeline::stage::StageStatus::Behind => "behind",
                crate::timeline::stage::StageStatus::Ahead => "ahead",
            });
            PhotoView {
                file: p.file.clone(),
                taken: p.taken.replace('T', " "),
                day: p.day.zip(p.session).map(|(d, s)| format!("session {s}, day {d:.1}")),
                stage: stage.map(|s| s.expected.label().to_string()),
                status: status.to_string(),
                status_class: status.replace(' ', "_"),
                error: p.error.clone(),
                thumb: thumbs.get(i).and_then(|t| t.as_ref()).map(|t| base64(&t.overlay_jpeg)),
                rows: rows(p),
                warnings: p.warnings.iter().map(|w| w.message.clone()).collect(),
            }
        })
        .collect();
    Page {
        version: report.tool.version.clone(),
        folder,
        photo_count: report.photos.len(),
        date_range,
        css: CSS,
        sessions: report
            .sessions
            .iter()
            .map(|s| format!("session {} on {}", s.index, s.start.get(..10).unwrap_or(&s.start)))
            .collect::<Vec<_>>()
            .join("; "),
        verdicts,
        next_session: report.next_session.as_ref().map(|n| n.earliest.clone()),
        next_reason: report.next_session.as_ref().map_or(String::new(), |n| format!("({})", n.reason)),
        flags,
        remarks: report.notes.iter().map(|n| n.message.clone()).collect(),
        overview: overview_png.map(base64),
        photos,
        glossary: GLOSSARY.iter().map(|&(term, meaning)| Term { term, meaning }).collect(),
    }
}

fn rows(p: &super::PhotoEntry) -> Vec<Row> {
    let Some(m) = p.metrics.as_ref() else {
        return Vec::new();
    };
    let f = |v: Option<f64>, d: usize| v.map_or("not measured".to_string(), |v| format!("{v:.d$}"));
    let mut rows = vec![
        Row { name: "Redness (a*)", value: f(m.redness_a, 1) },
        Row { name: "Redness above untreated skin", value: f(m.redness_delta_a, 1) },
        Row { name: "Dots counted", value: m.dot_count.to_string() },
        Row { name: "Dot size", value: format!("{} px", f(m.dot_diameter_px, 1)) },
        Row { name: "Dot darkness (contrast)", value: f(m.dot_contrast, 2) },
        Row { name: "Patchiness", value: f(m.patchiness.map(|v| 100.0 * v), 0) + " %" },
        Row {
            name: "Skin tone (ITA)",
            value: format!("{} ({})", f(m.ita_deg, 0), m.ita_class.as_deref().unwrap_or("-")),
        },
    ];
    if let Some(s) = p.stage.as_ref().and_then(|s| s.redness_excess) {
        rows.insert(2, Row { name: "Redness left (1 = after session)", value: format!("{s:.2}") });
    }
    if let Some(mm) = m.dot_diameter_mm {
        rows.push(Row { name: "Dot size in mm", value: format!("{mm:.2} mm") });
    }
    rows
}

const GLOSSARY: [(&str, &str); 8] = [
    ("Redness (a*)", "How red the treated skin is, on the CIELAB a* scale (about 5-10 for calm skin, higher when inflamed). It falls in the days after a session."),
    ("Redness above untreated skin", "The treated skin's redness minus that of untreated skin in the same photo, which cancels most differences of light and camera between days."),
    ("Redness left", "The redness above its healed level, as a share of what it was in the session's first photo: 1 right after the session, 0 when healed."),
    ("Dots counted", "Pigment dots found in the treated area; pores and hairs are not counted."),
    ("Dot darkness (contrast)", "How much darker a dot is than the skin around it, from 0 (invisible) to 1 (black). Dots look darker while scabbed, then lighter by day 7 (\"phantom fade\"), then settle."),
    ("Patchiness", "The share of the treated area in compact patches with far fewer or far lighter dots than around them, often where scabs came off early."),
    ("Stages", "Inflammation (days 0-2), scabbing (2-5), flaking and fading (5-10), settling (10-30), settled (from 30). On track means the photo looks like its stage."),
    ("Skin tone (ITA)", "The individual typology angle of the skin: very light above 55, dark below -30. Redness is harder to measure on brown and dark skin."),
];

/// Standard base64 (RFC 4648) with padding.
pub fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::base64;

    #[test]
    fn base64_matches_rfc_4648_test_vectors() {
        for (plain, coded) in
            [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("foobar", "Zm9vYmFy")]
        {
            assert_eq!(base64(plain.as_bytes()), coded);
        }
    }
}
