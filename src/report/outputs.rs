/*!
Writing a finished report: report.json always, and the exporters chosen (charts and the contact sheet, the HTML
page, metrics.csv). Every file is written to a temporary file in the output folder and renamed into place, so an
interrupted run leaves the previous file whole. Overlays are written earlier, as each photo is measured.
*/

use std::path::{Path, PathBuf};

use super::charts::render_charts;
use super::json::{write_atomic, write_json};
use super::{contact, csv, html, Report};
use crate::analyze::Thumbs;

/// Which outputs to write besides report.json.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outputs {
    /// `report.html`.
    pub html: bool,
    /// `metrics.csv`.
    pub csv: bool,
    /// `redness.png`, `contrast.png`, `overview.png` and `contact-sheet.png`.
    pub charts: bool,
    /// `overlays/<photo>.jpg` (written while measuring).
    pub overlays: bool,
}

impl Default for Outputs {
    fn default() -> Self {
        Outputs { html: true, csv: true, charts: true, overlays: true }
    }
}

impl Outputs {
    /// Parses a comma-separated list of `json`, `html`, `csv`, `charts`, `overlays` (json is always written).
    pub fn parse(list: &str) -> Result<Outputs, String> {
        let mut o = Outputs { html: false, csv: false, charts: false, overlays: false };
        for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            match item {
                "json" => {}
                "html" => o.html = true,
                "csv" => o.csv = true,
                "charts" => o.charts = true,
                "overlays" => o.overlays = true,
                "all" => o = Outputs::default(),
                other => {
                    return Err(format!("unknown output {other:?}: choose from json, html, csv, charts, overlays, all"))
                }
            }
        }
        Ok(o)
    }

    /// Whether small pictures of each photo must be kept while measuring.
    pub fn needs_thumbs(&self) -> bool {
        self.html || self.charts
    }
}

/// Why an output could not be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {path}: {reason}")]
pub struct OutputError {
    /// The file.
    pub path: PathBuf,
    /// Why.
    pub reason: String,
}

/// Writes report.json and the chosen outputs into `out_dir` (which must exist); returns the files written.
pub fn write_outputs(
    report: &Report,
    thumbs: &[Option<Thumbs>],
    out_dir: &Path,
    outputs: Outputs,
) -> Result<Vec<PathBuf>, OutputError> {
    let fail = |path: PathBuf, reason: String| OutputError { path, reason };
    let mut written = vec![write_json(report, out_dir).map_err(|e| fail(out_dir.join("report.json"), e.to_string()))?];
    let charts = if outputs.charts || outputs.html {
        render_charts(report).map_err(|e| fail(out_dir.to_path_buf(), e.to_string()))?
    } else {
        Vec::new()
    };
    let mut put = |name: &str, bytes: &[u8]| -> Result<(), OutputError> {
        let path = out_dir.join(name);
        write_atomic(&path, bytes).map_err(|e| fail(path.clone(), e.to_string()))?;
        written.push(path);
        Ok(())
    };
    if outputs.charts {
        for (name, png) in &charts {
            put(name, png)?;
        }
        let sheet = contact::contact_sheet(report, thumbs).map_err(|e| fail(out_dir.join("contact-sheet.png"), e))?;
        if let Some(png) = sheet {
            put("contact-sheet.png", &png)?;
        }
    }
    if outputs.csv {
        put("metrics.csv", csv::to_csv(report).as_bytes())?;
    }
    if outputs.html {
        let overview = charts.iter().find(|(n, _)| *n == "overview.png").map(|(_, p)| p.as_slice());
        let page = html::render(report, overview, thumbs).map_err(|e| fail(out_dir.join("report.html"), e))?;
        put("report.html", page.as_bytes())?;
    }
    Ok(written)
}
