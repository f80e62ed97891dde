//! Command-line flags (clap derive) and their validation into the library's configuration. Raw flags stay raw
//! here; `to_config` checks them and builds what the library needs.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};

use smp_heal::analyze::AnalyzeConfig;
use smp_heal::measure::{Limits, MeasureOptions, Roi};
use smp_heal::report::outputs::Outputs;
use smp_heal::time::CivilTime;
use smp_heal::timeline::profile::Profile;

/// Measures how a scalp micropigmentation (SMP) treatment heals, from a folder of dated scalp photos.
#[derive(Debug, Parser)]
#[command(name = "smp-heal", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Measure every dated scalp photo in a folder and write report.json.
    Analyze(AnalyzeArgs),
    /// Render a synthetic healing photo series with its ground truth (truth.json).
    Synth(SynthArgs),
}

/// `smp-heal analyze` flags.
#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// Folder of scalp photos (searched recursively; jpg, jpeg, png, tif, tiff, webp).
    pub photo_dir: PathBuf,
    /// Output folder. Default: PHOTO_DIR/smp-heal-report.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Start of a treatment session, YYYY-MM-DD or YYYY-MM-DDTHH:MM; repeat for each session.
    /// Default: one session starting at the earliest photo.
    #[arg(long = "session", value_name = "DATE")]
    pub sessions: Vec<String>,
    /// Measure only this part of each photo: X,Y,W,H as fractions of width and height (e.g. 0.30,0.12,0.40,0.13).
    #[arg(long, value_name = "X,Y,W,H")]
    pub roi: Option<String>,
    /// Photos measured at once. Default: every core.
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Print errors only.
    #[arg(long)]
    pub quiet: bool,
    /// Expected healing course (JSON, see README "Healing profile"). Default: the built-in profile.
    #[arg(long, value_name = "FILE")]
    pub profile: Option<PathBuf>,
    /// Exit with code 3 when any flag is raised (after writing everything), e.g. for CI on fixture photos.
    #[arg(long)]
    pub strict: bool,
    /// Calibrate colours against a grey card or white patch found in the photo (auto) or not (off).
    #[arg(long, value_name = "auto|off", default_value = "auto")]
    pub reference_card: String,
    /// The reference card's longer side in millimetres: reports mm per pixel, dot diameter in mm, dots per cm2.
    #[arg(long, value_name = "MM")]
    pub card_size_mm: Option<f64>,
    /// Untreated reference skin set by hand: X,Y,W,H as fractions of width and height. Default: found.
    #[arg(long, value_name = "X,Y,W,H")]
    pub reference_roi: Option<String>,
    /// Outputs to write, comma separated: json (always), html, csv, charts, overlays, or all.
    #[arg(long, value_name = "LIST", default_value = "all")]
    pub format: String,
    /// Do not write the annotated overlays (overlays/).
    #[arg(long)]
    pub no_overlays: bool,
    /// Write into --out even when it is a non-empty folder that holds no smp-heal report.
    #[arg(long)]
    pub force: bool,
    /// Largest photo accepted, in megapixels (width x height); larger ones are reported as errors.
    #[arg(long, value_name = "MP", default_value_t = 100.0)]
    pub max_megapixels: f64,
    /// Largest photo file accepted, in megabytes.
    #[arg(long, value_name = "MB", default_value_t = 200.0)]
    pub max_file_mb: f64,
}

/// `smp-heal synth` flags.
#[derive(Debug, Args)]
pub struct SynthArgs {
    /// Folder to write the photos and truth.json into (created if missing).
    pub out_dir: PathBuf,
    /// Scenario: typical-healing, slow-redness, patchy, stubble-regrowth, dark-skin, dense-fine-dots, whole-head,
    /// medium-skin.
    #[arg(long)]
    pub scenario: String,
    /// Photo size, WIDTHxHEIGHT. Default: 1000x750.
    #[arg(long, value_name = "WxH")]
    pub size: Option<String>,
    /// Random seed. Default: 1.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Put a neutral 18% grey card in every photo (bottom-left corner).
    #[arg(long)]
    pub grey_card: bool,
    /// Harsh lighting changes between photos: casts up to +-8% per channel, exposure 0.75-1.25.
    #[arg(long)]
    pub harsh_light: bool,
    /// Skin tone as an ITA angle in degrees (-60 to 75), instead of the scenario's.
    #[arg(long, value_name = "DEG", allow_hyphen_values = true)]
    pub ita: Option<f64>,
    /// Dot diameter in pixels facing the camera (1-60), instead of the scenario's, which scales with --size.
    #[arg(long, value_name = "PX")]
    pub dot_diameter: Option<f64>,
}

impl AnalyzeArgs {
    /// The outputs chosen with --format and --no-overlays.
    pub fn outputs(&self) -> Result<Outputs> {
        let mut o = Outputs::parse(&self.format).map_err(|e| anyhow::anyhow!("--format {}: {e}", self.format))?;
        if self.no_overlays {
            o.overlays = false;
        }
        Ok(o)
    }

    /// Checks the flags and builds the analysis configuration.
    pub fn to_config(&self) -> Result<AnalyzeConfig> {
        let mut config = AnalyzeConfig::new(&self.photo_dir);
        if let Some(out) = &self.out {
            config.out_dir = out.clone();
        }
        for s in &self.sessions {
            let t = CivilTime::parse_iso(s)
                .with_context(|| format!("--session {s}: not a date; use YYYY-MM-DD or YYYY-MM-DDTHH:MM"))?;
            config.sessions.push(t);
        }
        let reference_card = match self.reference_card.as_str() {
            "auto" => true,
            "off" => false,
            other => bail!("--reference-card {other}: use auto or off"),
        };
        if let Some(mm) = self.card_size_mm {
            if !(mm.is_finite() && mm > 0.0 && mm <= 1000.0) {
                bail!("--card-size-mm {mm}: give the card's longer side in millimetres, e.g. 85.6");
            }
        }
        if !(self.max_megapixels.is_finite() && self.max_megapixels >= 0.01) {
            bail!("--max-megapixels {}: give a positive number, e.g. 100", self.max_megapixels);
        }
        if !(self.max_file_mb.is_finite() && self.max_file_mb >= 0.001) {
            bail!("--max-file-mb {}: give a positive number, e.g. 200", self.max_file_mb);
        }
        let limits =
            Limits { max_pixels: (self.max_megapixels * 1e6) as u64, max_file_bytes: (self.max_file_mb * 1e6) as u64 };
        config.measure = MeasureOptions {
            limits,
            roi: self.roi.as_deref().map(|t| parse_roi(t, "--roi")).transpose()?,
            reference_roi: self.reference_roi.as_deref().map(|t| parse_roi(t, "--reference-roi")).transpose()?,
            reference_card,
            card_size_mm: self.card_size_mm,
        };
        if self.jobs == Some(0) {
            bail!("--jobs 0: give at least 1");
        }
        config.jobs = self.jobs;
        if let Some(path) = &self.profile {
            config.profile = Profile::load(path)?;
        }
        Ok(config)
    }
}

/// Parses `X,Y,W,H` fractions.
pub fn parse_roi(text: &str, flag: &str) -> Result<Roi> {
    let bad = || format!("{flag} {text}: expected X,Y,W,H as fractions between 0 and 1, e.g. 0.30,0.12,0.40,0.13");
    let v: Vec<f64> = text.split(',').map(|p| p.trim().parse::<f64>()).collect::<Result<_, _>>().with_context(bad)?;
    let [x, y, w, h] = v[..] else { bail!(bad()) };
    let ok = [x, y, w, h].iter().all(|f| f.is_finite() && (0.0..=1.0).contains(f))
        && w > 0.0
        && h > 0.0
        && x + w <= 1.0 + 1e-9
        && y + h <= 1.0 + 1e-9;
    if !ok {
        bail!(bad());
    }
    Ok(Roi { x, y, w, h })
}

/// Parses `WIDTHxHEIGHT`.
pub fn parse_size(text: &str) -> Result<(u32, u32)> {
    let bad = || format!("--size {text}: expected WIDTHxHEIGHT, e.g. 1000x750 (each 64 to 12000)");
    let (w, h) = text.split_once(['x', 'X']).with_context(bad)?;
    let (w, h): (u32, u32) = (w.trim().parse().with_context(bad)?, h.trim().parse().with_context(bad)?);
    if !(64..=12000).contains(&w) || !(64..=12000).contains(&h) {
        bail!(bad());
    }
    Ok((w, h))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_valid() {
        Cli::command().debug_assert();
    }

    #[test]
    fn parses_a_roi_and_rejects_bad_ones() {
        assert_eq!(parse_roi("0.30,0.12,0.40,0.13", "--roi").unwrap(), Roi { x: 0.30, y: 0.12, w: 0.40, h: 0.13 });
        for bad in ["0.3,0.1,0.4", "a,b,c,d", "0.8,0,0.4,0.5", "0,0,0,1", "-0.1,0,0.5,0.5", "NaN,0,1,1"] {
            assert!(parse_roi(bad, "--roi").is_err(), "{bad}");
        }
    }

    #[test]
    fn parses_sizes() {
        assert_eq!(parse_size("1000x750").unwrap(), (1000, 750));
        assert!(parse_size("10x10").is_err() && parse_size("big").is_err());
    }
}
