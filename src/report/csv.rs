/*!
`metrics.csv`: one row per photo with every metric, for spreadsheets.

UTF-8 with a header row, comma separated, CRLF line ends, and fields quoted by RFC 4180 (a field holding a comma,
a double quote, a line break or leading/trailing spaces is enclosed in double quotes, its quotes doubled). Numbers
are written as in report.json; a missing value is an empty field. A field that a spreadsheet would read as a
formula (starting with `=`, `+`, `-` or `@` and not a number) is prefixed with a single quote.
*/

use super::Report;

/// The columns, in order.
pub const COLUMNS: [&str; 41] = [
    "file",
    "taken",
    "date_source",
    "session",
    "day",
    "status",
    "error",
    "width",
    "height",
    "redness_a",
    "redness_delta_a",
    "erythema_index",
    "ita_deg",
    "ita_class",
    "dot_count",
    "dot_density_per_mpx",
    "dot_diameter_px",
    "dot_contrast",
    "dot_coverage",
    "dot_spacing_px",
    "hair_count",
    "patchiness",
    "treated_fraction",
    "untreated_fraction",
    "sharpness",
    "clipped_fraction",
    "mm_per_px",
    "dot_diameter_mm",
    "dot_density_per_cm2",
    "treated_l",
    "treated_b",
    "untreated_a",
    "calibration",
    "calibration_gains",
    "camera",
    "expected_stage",
    "observed_stage",
    "stage_status",
    "redness_excess",
    "contrast_ratio",
    "warnings",
];

/// The CSV text of a report.
pub fn to_csv(report: &Report) -> String {
    let mut out = String::new();
    push_row(&mut out, COLUMNS.iter().map(|c| c.to_string()).collect());
    for p in &report.photos {
        let m = p.metrics.as_ref();
        let num = |v: Option<f64>| v.map_or(String::new(), |v| v.to_string());
        let mf = |f: fn(&crate::measure::Metrics) -> Option<f64>| num(m.and_then(f));
        let st = p.stage.as_ref();
        let text = |v: Option<String>| v.unwrap_or_default();
        let row = vec![
            p.file.clone(),
            p.taken.clone(),
            serde_name(&p.date_source),
            p.session.map_or(String::new(), |s| s.to_string()),
            num(p.day),
            serde_name(&p.status),
            text(p.error.clone()),
            p.width.map_or(String::new(), |v| v.to_string()),
            p.height.map_or(String::new(), |v| v.to_string()),
            mf(|m| m.redness_a),
            mf(|m| m.redness_delta_a),
            mf(|m| m.erythema_index),
            mf(|m| m.ita_deg),
            text(m.and_then(|m| m.ita_class.clone())),
            m.map_or(String::new(), |m| m.dot_count.to_string()),
            mf(|m| m.dot_density_per_mpx),
            mf(|m| m.dot_diameter_px),
            mf(|m| m.dot_contrast),
            mf(|m| m.dot_coverage),
            mf(|m| m.dot_spacing_px),
            m.map_or(String::new(), |m| m.hair_count.to_string()),
            mf(|m| m.patchiness),
            mf(|m| Some(m.treated_fraction)),
            mf(|m| Some(m.untreated_fraction)),
            mf(|m| m.sharpness),
            mf(|m| Some(m.clipped_fraction)),
            mf(|m| m.mm_per_px),
            mf(|m| m.dot_diameter_mm),
            mf(|m| m.dot_density_per_cm2),
            mf(|m| m.treated_lab.map(|v| v[0])),
            mf(|m| m.treated_lab.map(|v| v[2])),
            mf(|m| m.untreated_lab.map(|v| v[1])),
            p.calibration.map_or(String::new(), |c| serde_name(&c.method)),
            p.calibration.map_or(String::new(), |c| c.gains.map(|g| g.to_string()).join(" ")),
            p.camera.as_ref().map_or(String::new(), |c| {
                [c.make.as_deref(), c.model.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ")
            }),
            st.map_or(String::new(), |s| s.expected.name().to_string()),
            st.and_then(|s| s.observed).map_or(String::new(), |s| s.name().to_string()),
            st.and_then(|s| s.status).map_or(String::new(), |s| serde_name(&s)),
            num(st.and_then(|s| s.redness_excess)),
            num(st.and_then(|s| s.contrast_ratio)),
            p.warnings.iter().map(|w| w.code.as_str()).collect::<Vec<_>>().join(";"),
        ];
        push_row(&mut out, row);
    }
    out
}

/// The serde name of a unit enum value (`"exif"`, `"ok"`, ...).
fn serde_name<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn push_row(out: &mut String, fields: Vec<String>) {
    let cells: Vec<String> = fields.iter().map(|f| field(f)).collect();
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
}

/// One field, made formula-safe and quoted when RFC 4180 needs it.
fn field(text: &str) -> String {
    let formula = text.starts_with(['=', '+', '-', '@']) && text.parse::<f64>().is_err();
    let text = if formula { format!("'{text}") } else { text.to_string() };
    let needs_quotes = text.contains([',', '"', '\n', '\r']) || text.starts_with(' ') || text.ends_with(' ');
    if needs_quotes {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn quotes_by_rfc_4180_and_defuses_formulas() {
        assert_eq!(field("plain.jpg"), "plain.jpg");
        assert_eq!(field("a,b \"c\".jpg"), "\"a,b \"\"c\"\".jpg\"");
        assert_eq!(field("line\nbreak"), "\"line\nbreak\"");
        assert_eq!(field("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        assert_eq!(field("-0.25"), "-0.25");
        assert_eq!(field(" padded"), "\" padded\"");
    }
}
