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

#[cfg(test)]
mod atomic_tests {
    use super::write_atomic;

    #[test]
    fn a_write_replaces_the_file_whole_and_a_failed_one_leaves_the_old_file_and_no_litter() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("report.json");
        write_atomic(&path, b"old").expect("first write");
        write_atomic(&path, b"new report").expect("second write");
        assert_eq!(std::fs::read(&path).unwrap(), b"new report");
        // A write that cannot land (the target is a non-empty folder) fails and leaves what was there.
        let blocked = dir.path().join("blocked");
        std::fs::create_dir(&blocked).unwrap();
        std::fs::write(blocked.join("keep"), b"keep").unwrap();
        assert!(write_atomic(&blocked, b"x").is_err());
        assert_eq!(std::fs::read(blocked.join("keep")).unwrap(), b"keep");
        let names: Vec<String> =
            std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
        assert_eq!(names.len(), 2, "no temporary file left behind: {names:?}");
    }
}
