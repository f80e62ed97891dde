/*!
Finding the photos: every image file under the photo folder, with its capture time, in a deterministic order.

The walk must never hang or abort on a real folder: FIFOs, sockets and devices are recognised from their metadata
and never opened, symlink loops are cut by remembering each directory's canonical path, smp-heal's own output
folders are skipped, and an unreadable subfolder is recorded and passed over. Capture dates are read here, from the
EXIF header only, so the order of photos is known before any pixels are decoded.
*/

use crate::camera::CameraInfo;
use crate::dates::{capture_time_with, read_exif, CaptureTime};
use std::collections::HashSet;
use std::fs::{self, Metadata};
use std::io;
use std::path::{Path, PathBuf};

/// A photo found under the photo folder.
#[derive(Debug, Clone)]
pub struct Discovered {
    /// Path as reached by the walk (root joined with `rel`).
    pub path: PathBuf,
    /// Path relative to the photo folder, with `/` separators.
    pub rel: String,
    /// When the photo was taken, and where that came from.
    pub capture: CaptureTime,
    /// Warning about the capture time (e.g. taken from the modification time), for the report.
    pub date_warning: Option<String>,
    /// File size in bytes.
    pub file_size: u64,
    /// Capture settings from EXIF, when there are any.
    pub camera: Option<CameraInfo>,
}

/// The photos found and the entries that could not be looked at.
#[derive(Debug, Clone, Default)]
pub struct Discovery {
    /// Photos sorted by (capture time, `rel`).
    pub photos: Vec<Discovered>,
    /// Subfolders or entries that could not be read, each with the reason, in walk order.
    pub skipped: Vec<(PathBuf, String)>,
}

/// Why the photo folder itself could not be searched.
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    /// The photo folder does not exist.
    #[error("photo folder {} does not exist", .0.display())]
    NotFound(PathBuf),
    /// The photo folder is a file or something else that is not a directory.
    #[error("{} is not a folder; give the folder that holds the photos", .0.display())]
    NotADirectory(PathBuf),
    /// The photo folder exists but cannot be read.
    #[error("cannot read photo folder {}: {source}", path.display())]
    Unreadable {
        /// The photo folder.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
}

/// Whether a folder holds an smp-heal report (a `report.json` naming smp-heal as its tool): an earlier run's
/// output, whose charts and overlays are not photos of the client.
pub fn is_report_folder(dir: &Path) -> bool {
    let Ok(mut file) = fs::File::open(dir.join("report.json")) else {
        return false;
    };
    let mut head = [0u8; 256];
    let n = io::Read::read(&mut file, &mut head).unwrap_or(0);
    let text: String = String::from_utf8_lossy(&head[..n]).chars().filter(|c| !c.is_whitespace()).collect();
    text.contains("\"schema_version\"") && text.contains("\"name\":\"smp-heal\"")
}

/// File extensions of the photos smp-heal reads (compared case-insensitively).
pub const PHOTO_EXTENSIONS: [&str; 6] = ["jpg", "jpeg", "png", "tif", "tiff", "webp"];

/// Regular files with extension jpg/jpeg/png/tif/tiff/webp (any case) under `root`, recursively, sorted by
/// (capture time, `rel`).
///
/// Skips hidden entries (name starting with `.`), anything inside `exclude` (absolute or root-relative paths of
/// smp-heal's own output folders, compared canonicalised; an entry that is `root` itself or one of its ancestors is
/// ignored), folders holding an smp-heal report.json (earlier runs' output), directories already visited through another path (which cuts symlink loops), files reached twice
/// through symlinks, and non-regular files such as FIFOs, sockets and devices, which are never opened. Unreadable
/// subfolders are listed in [`Discovery::skipped`]; only an unusable `root` is an error.
pub fn discover(root: &Path, exclude: &[PathBuf]) -> Result<Discovery, DiscoverError> {
    let canonical_root = check_root(root)?;
    let mut walk = Walk {
        exclude: canonical_excludes(root, &canonical_root, exclude),
        visited: HashSet::from([canonical_root]),
        seen_files: HashSet::new(),
        found: Discovery::default(),
    };
    let entries = sorted_entries(root).map_err(|source| unreadable(root, source))?;
    walk.entries("", entries);
    let mut found = walk.found;
    found.photos.sort_by(|a, b| (a.capture.time, &a.rel).cmp(&(b.capture.time, &b.rel)));
    Ok(found)
}

/// The canonical path of `root`, or why it cannot be searched.
fn check_root(root: &Path) -> Result<PathBuf, DiscoverError> {
    let meta = fs::metadata(root).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => DiscoverError::NotFound(root.to_path_buf()),
        _ => unreadable(root, e),
    })?;
    if !meta.is_dir() {
        return Err(DiscoverError::NotADirectory(root.to_path_buf()));
    }
    fs::canonicalize(root).map_err(|e| unreadable(root, e))
}

fn unreadable(root: &Path, source: io::Error) -> DiscoverError {
    DiscoverError::Unreadable { path: root.to_path_buf(), source }
}

/// Canonical exclusions; those that do not exist, or that contain the root itself, are dropped.
fn canonical_excludes(root: &Path, canonical_root: &Path, exclude: &[PathBuf]) -> Vec<PathBuf> {
    exclude
        .iter()
        .filter_map(|e| fs::canonicalize(if e.is_absolute() { e.clone() } else { root.join(e) }).ok())
        .filter(|e| !canonical_root.starts_with(e))
        .collect()
}

/// Directory entries as (name, path), sorted by name so the walk is deterministic.
fn sorted_entries(dir: &Path) -> io::Result<Vec<(String, PathBuf)>> {
    let mut entries = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        entries.push((entry.file_name().to_string_lossy().into_owned(), entry.path()));
    }
    entries.sort();
    Ok(entries)
}

/// Whether a file name has one of the [`PHOTO_EXTENSIONS`].
pub fn is_photo_name(name: &str) -> bool {
    Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| PHOTO_EXTENSIONS.iter().any(|p| e.eq_ignore_ascii_case(p)))
}

/// State of one depth-first walk.
struct Walk {
    exclude: Vec<PathBuf>,
    visited: HashSet<PathBuf>,
    seen_files: HashSet<PathBuf>,
    found: Discovery,
}

impl Walk {
    /// Visits the entries of a directory whose path relative to the root is `rel_dir` (`""` for the root).
    fn entries(&mut self, rel_dir: &str, entries: Vec<(String, PathBuf)>) {
        for (name, path) in entries {
            if name.starts_with('.') {
                continue;
            }
            let rel = if rel_dir.is_empty() { name.clone() } else { format!("{rel_dir}/{name}") };
            // `fs::metadata` follows symlinks and only stats: a FIFO is recognised here without being opened.
            match fs::metadata(&path) {
                Ok(meta) if meta.is_dir() => self.directory(&path, &rel),
                Ok(meta) if meta.is_file() && is_photo_name(&name) => self.photo(path, rel, &meta),
                Ok(_) => {}
                Err(e) if is_photo_name(&name) => self.skip(path, format!("cannot read: {e}")),
                Err(_) => {}
            }
        }
    }

    /// Descends into a subfolder unless it is excluded or was already visited.
    fn directory(&mut self, path: &Path, rel: &str) {
        let canonical = match fs::canonicalize(path) {
            Ok(c) => c,
            Err(e) => return self.skip(path.to_path_buf(), format!("cannot resolve folder: {e}")),
        };
        if self.is_excluded(&canonical) || is_report_folder(path) || !self.visited.insert(canonical) {
            return;
        }
        match sorted_entries(path) {
            Ok(entries) => self.entries(rel, entries),
            Err(e) => self.skip(path.to_path_buf(), format!("cannot read folder: {e}")),
        }
    }

    /// Records a photo file with its capture time (EXIF header, file name or modification time).
    fn photo(&mut self, path: PathBuf, rel: String, meta: &Metadata) {
        if let Ok(canonical) = fs::canonicalize(&path) {
            if self.is_excluded(&canonical) || !self.seen_files.insert(canonical) {
                return;
            }
        }
        let exif = read_exif(&path);
        let (capture, date_warning) = capture_time_with(exif.as_ref(), &rel, meta.modified().ok());
        let camera = exif.as_ref().map(CameraInfo::from_exif).filter(|c| !c.is_empty());
        self.found.photos.push(Discovered { path, rel, capture, date_warning, file_size: meta.len(), camera });
    }

    fn is_excluded(&self, canonical: &Path) -> bool {
        self.exclude.iter().any(|e| canonical.starts_with(e))
    }

    fn skip(&mut self, path: PathBuf, reason: String) {
        self.found.skipped.push((path, reason));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exif_write::{jpeg_with_exif, ExifFields};
    use std::io::Cursor;

    fn jpeg(date: Option<&str>) -> Vec<u8> {
        let img = image::RgbImage::from_pixel(8, 8, image::Rgb([200, 150, 120]));
        let mut plain = Cursor::new(Vec::new());
        image::DynamicImage::ImageRgb8(img).write_to(&mut plain, image::ImageFormat::Jpeg).unwrap();
        let fields = ExifFields { date_time_original: date.map(Into::into), ..Default::default() };
        jpeg_with_exif(plain.get_ref(), &fields).unwrap()
    }

    fn write(root: &Path, rel: &str, bytes: &[u8]) {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }

    /// A photo folder with every kind of entry the walk must handle.
    fn messy_folder() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "week1/IMG_20261104_093012.JPG", &jpeg(None));
        write(root, "week1/late/crown.Jpeg", &jpeg(Some("2026:11:20 08:00:00")));
        write(root, "day0.jpg", &jpeg(Some("2026:11:01 10:00:00")));
        write(root, "b_same_time.png", &jpeg(Some("2026:11:01 10:00:00")));
        write(root, "a_same_time.TIFF", &jpeg(Some("2026:11:01 10:00:00")));
        write(root, ".hidden.jpg", &jpeg(None));
        write(root, ".thumbs/t.jpg", &jpeg(None));
        write(root, "smp-heal-report/annotated/day0.jpg", &jpeg(None));
        write(root, "notes.txt", b"not a photo");
        fs::create_dir(root.join("x.jpg")).unwrap();
        dir
    }

    fn rels(found: &Discovery) -> Vec<&str> {
        found.photos.iter().map(|p| p.rel.as_str()).collect()
    }

    #[test]
    fn finds_photos_in_nested_folders_sorted_by_capture_time_then_path() {
        let dir = messy_folder();
        let found = discover(dir.path(), &[PathBuf::from("smp-heal-report")]).unwrap();
        let want = ["a_same_time.TIFF", "b_same_time.png", "day0.jpg", "week1/IMG_20261104_093012.JPG"];
        assert_eq!(rels(&found), [&want[..], &["week1/late/crown.Jpeg"]].concat());
        assert_eq!(found.photos[3].capture.source, crate::dates::DateSource::Filename);
        assert_eq!(found.photos[3].path, dir.path().join("week1/IMG_20261104_093012.JPG"));
        assert!(found.photos.iter().all(|p| p.file_size > 0));
        assert!(found.skipped.is_empty(), "{:?}", found.skipped);
    }

    #[test]
    fn an_absolute_exclude_path_works_too_and_a_missing_one_is_ignored() {
        let dir = messy_folder();
        let exclude = [dir.path().join("smp-heal-report"), dir.path().join("never-created")];
        let found = discover(dir.path(), &exclude).unwrap();
        assert!(!rels(&found).iter().any(|r| r.starts_with("smp-heal-report")));
        let unexcluded = discover(dir.path(), &[]).unwrap();
        assert!(rels(&unexcluded).contains(&"smp-heal-report/annotated/day0.jpg"));
    }

    #[test]
    fn an_earlier_report_folder_is_skipped_but_a_foreign_report_json_is_not() {
        let dir = messy_folder();
        let root = dir.path();
        write(
            root,
            "old-report/report.json",
            b"{\n  \"schema_version\": 1,\n  \"tool\": {\n    \"name\": \"smp-heal\"",
        );
        write(root, "old-report/overview.png", b"png");
        write(root, "notes/report.json", b"{\"owner\": \"someone else\"}");
        write(root, "notes/IMG_20261104_093012.jpg", &jpeg(None));
        let found = discover(root, &[]).unwrap();
        assert!(!rels(&found).iter().any(|r| r.starts_with("old-report/")), "{:?}", rels(&found));
        assert!(rels(&found).contains(&"notes/IMG_20261104_093012.jpg"));
    }

    #[test]
    fn an_exclude_that_contains_the_root_is_ignored() {
        let dir = messy_folder();
        let found = discover(&dir.path().join("week1"), &[dir.path().to_path_buf()]).unwrap();
        assert_eq!(rels(&found), ["IMG_20261104_093012.JPG", "late/crown.Jpeg"]);
    }

    #[test]
    fn the_order_is_the_same_on_every_run() {
        let dir = messy_folder();
        let first = discover(dir.path(), &[]).unwrap();
        let second = discover(dir.path(), &[]).unwrap();
        assert_eq!(rels(&first), rels(&second));
    }

    #[test]
    fn a_missing_root_or_a_file_as_root_is_an_error_naming_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope");
        let err = discover(&missing, &[]).unwrap_err();
        assert!(matches!(err, DiscoverError::NotFound(_)));
        assert!(err.to_string().contains("nope"));
        write(dir.path(), "photo.jpg", &jpeg(None));
        let err = discover(&dir.path().join("photo.jpg"), &[]).unwrap_err();
        assert!(matches!(err, DiscoverError::NotADirectory(_)));
        assert!(err.to_string().contains("photo.jpg"));
    }

    #[test]
    fn recognises_photo_extensions_in_any_case() {
        for name in ["a.jpg", "a.JPEG", "a.Png", "a.tif", "a.TIFF", "a.webp"] {
            assert!(is_photo_name(name), "{name}");
        }
        for name in ["a.txt", "jpg", "a.jpg.bak", "a.heic", ""] {
            assert!(!is_photo_name(name), "{name}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_named_like_a_photo_is_skipped_without_being_opened() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "real.jpg", &jpeg(Some("2026:11:01 10:00:00")));
        let fifo = dir.path().join("y.jpg");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            return; // no mkfifo on this system: nothing to check
        }
        let found = discover(dir.path(), &[]).unwrap();
        assert_eq!(rels(&found), ["real.jpg"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_loop_is_followed_once_and_linked_photos_counted_once() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "sub/a.jpg", &jpeg(Some("2026:11:01 10:00:00")));
        std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/loop")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("sub/a.jpg"), dir.path().join("z-link.jpg")).unwrap();
        let found = discover(dir.path(), &[]).unwrap();
        assert_eq!(rels(&found), ["sub/a.jpg"]);
    }

    #[cfg(unix)]
    #[test]
    fn an_unreadable_subfolder_is_recorded_and_the_walk_goes_on() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "ok/a.jpg", &jpeg(Some("2026:11:01 10:00:00")));
        write(dir.path(), "locked/b.jpg", &jpeg(None));
        let locked = dir.path().join("locked");
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
        let readable_anyway = fs::read_dir(&locked).is_ok(); // running as root
        let found = discover(dir.path(), &[]);
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
        let found = found.unwrap();
        if !readable_anyway {
            assert_eq!(rels(&found), ["ok/a.jpg"]);
            assert_eq!(found.skipped.len(), 1);
            assert_eq!(found.skipped[0].0, locked);
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_broken_symlink_named_like_a_photo_is_reported_as_skipped() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(dir.path().join("gone.jpg"), dir.path().join("dangling.jpg")).unwrap();
        let found = discover(dir.path(), &[]).unwrap();
        assert!(found.photos.is_empty());
        assert_eq!(found.skipped.len(), 1);
        assert!(found.skipped[0].1.starts_with("cannot read"));
    }
}
