/*!
report.json, written atomically: to a temporary file in the output folder, flushed, then renamed over the old one,
so an interrupted run leaves the previous report whole.
*/

use std::io::Write;
use std::path::{Path, PathBuf};

use super::Report;

/// File name of the JSON report.
pub const REPORT_JSON: &str = "report.json";

/// Writes `bytes` to `path` atomically (temporary sibling, fsync, rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The report as pretty JSON with a final newline.
pub fn to_json(report: &Report) -> serde_json::Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(report)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Writes report.json into `out_dir`; returns its path.
pub fn write_json(report: &Report, out_dir: &Path) -> std::io::Result<PathBuf> {
    let path = out_dir.join(REPORT_JSON);
    write_atomic(&path, &to_json(report)?)?;
    Ok(path)
}
