//! What the binary does with the library's results: the progress bar, the summary table, files written and the
//! exit code. Everything printed goes through here.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Mutex;

use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};

use smp_heal::analyze::{analyze_with_thumbs, AnalyzeError, Progress};
use smp_heal::report::outputs::write_outputs;
use smp_heal::report::{Report, Status};
use smp_heal::synth::{render_series, write_series, Scenario, SynthOptions};
use smp_heal::timeline::stage::StageStatus;
use smp_heal::timeline::Severity;

use crate::cli::{parse_size, AnalyzeArgs, SynthArgs};

/// `smp-heal analyze`.
pub fn run_analyze(args: AnalyzeArgs) -> Result<ExitCode> {
    let quiet = args.quiet;
    let mut config = args.to_config()?;
    let outputs = args.outputs()?;
    if same_folder(&config.photo_dir, &config.out_dir) {
        bail!("--out {}: is the photo folder itself; choose another folder", config.out_dir.display());
    }
    if !args.force && is_foreign_folder(&config.out_dir) {
        bail!(
            "--out {}: is a folder with other files and no smp-heal report; choose an empty or new folder, or add \
             --force to write into it anyway",
            config.out_dir.display()
        );
    }
    if outputs.overlays {
        config.overlays_dir = Some(config.out_dir.join("overlays"));
    }
    let bar = Mutex::new(None::<ProgressBar>);
    let show_bar = !quiet && std::io::stderr().is_terminal();
    let progress = |p: Progress| match p {
        Progress::Found(n) if show_bar => {
            let b = ProgressBar::new(n as u64);
            b.set_style(
                ProgressStyle::with_template("{bar:40} {pos}/{len} photos {msg}")
                    .unwrap_or(ProgressStyle::default_bar()),
            );
            *bar.lock().unwrap_or_else(|e| e.into_inner()) = Some(b);
        }
        Progress::Found(_) => {}
        Progress::Measured { file, error } => {
            let guard = bar.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(e) = error {
                let line = format!("{}: {e}", config.photo_dir.join(file).display());
                match guard.as_ref() {
                    Some(b) => b.suspend(|| eprintln!("{line}")),
                    None => eprintln!("{line}"),
                }
            }
            if let Some(b) = guard.as_ref() {
                b.inc(1);
            }
        }
    };
    let (report, thumbs) = match analyze_with_thumbs(&config, &progress, outputs.needs_thumbs()) {
        Ok(r) => r,
        Err(e @ (AnalyzeError::NoPhotos(_) | AnalyzeError::Discover(_))) => bail!(e),
        Err(e) => return Err(e.into()),
    };
    if let Some(b) = bar.lock().unwrap_or_else(|e| e.into_inner()).take() {
        b.finish_and_clear();
    }
    std::fs::create_dir_all(&config.out_dir)
        .with_context(|| format!("cannot create output folder {}", config.out_dir.display()))?;
    let written = write_outputs(&report, &thumbs, &config.out_dir, outputs)?;
    if !quiet {
        print_table(&report);
        print_summary(&report);
        for path in &written {
            println!("wrote {}", path.display());
        }
        if let Some(dir) = config.overlays_dir.as_ref().filter(|d| d.is_dir()) {
            println!("wrote {}/ (annotated photos)", dir.display());
        }
    }
    let failed = report.photos.iter().filter(|p| p.status == Status::Error).count();
    Ok(if args.strict && !report.flags.is_empty() {
        ExitCode::from(3)
    } else if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Names smp-heal writes into an output folder (and its temporary files start with a dot).
const OUR_NAMES: [&str; 8] = [
    "report.json",
    "report.html",
    "metrics.csv",
    "redness.png",
    "contrast.png",
    "overview.png",
    "contact-sheet.png",
    "overlays",
];

/// A folder that exists and holds files smp-heal did not write, and no smp-heal report: someone else's files, which
/// an output folder must not mix with (or overwrite). An interrupted run's leftovers are ours.
fn is_foreign_folder(dir: &std::path::Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    let foreign = entries.filter_map(Result::ok).any(|e| {
        let name = e.file_name().to_string_lossy().into_owned();
        !(OUR_NAMES.contains(&name.as_str()) || (name.starts_with('.') && name.contains(".tmp-")))
    });
    foreign && !smp_heal::discover::is_report_folder(dir)
}

fn same_folder(a: &std::path::Path, b: &std::path::Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn fmt_opt(v: Option<f64>, decimals: usize) -> String {
    v.map_or("-".to_string(), |v| format!("{v:.decimals$}"))
}

/// The compact per-photo table on stdout.
fn print_table(report: &Report) {
    let width = report.photos.iter().map(|p| p.file.chars().count()).max().unwrap_or(4).clamp(4, 48);
    println!(
        "{:<width$}  {:>6}  {:>8}  {:>6}  {:>8}  {:<28}  warnings",
        "file", "day", "redness", "dots", "contrast", "stage"
    );
    for p in &report.photos {
        let name: String = p.file.chars().take(width).collect();
        let day = fmt_opt(p.day, 1);
        let (red, dots, contrast) = match &p.metrics {
            Some(m) => (fmt_opt(m.redness_a, 1), m.dot_count.to_string(), fmt_opt(m.dot_contrast, 3)),
            None => ("-".into(), "-".into(), "-".into()),
        };
        let notes = match (&p.error, p.warnings.is_empty()) {
            (Some(e), _) => format!("error: {e}"),
            (None, true) => String::new(),
            (None, false) => p.warnings.iter().map(|w| w.code.as_str()).collect::<Vec<_>>().join(", "),
        };
        let stage = p.stage.as_ref().map_or(String::new(), |s| {
            let status = match s.status {
                Some(StageStatus::OnTrack) => "on track",
                Some(StageStatus::Behind) => "behind",
                Some(StageStatus::Ahead) => "ahead",
                None => "?",
            };
            format!("{} ({status})", s.expected.label())
        });
        println!("{name:<width$}  {day:>6}  {red:>8}  {dots:>6}  {contrast:>8}  {stage:<28}  {notes}");
    }
}

/// The verdict per session, the flags with their messages, and the next session date.
fn print_summary(report: &Report) {
    println!();
    for f in &report.fits {
        println!("{}", f.summary);
    }
    if report.flags.is_empty() {
        println!("No flags.");
    }
    for f in &report.flags {
        let severity = match f.severity {
            Severity::Alert => "ALERT",
            Severity::Warning => "warning",
        };
        println!("{severity} {}: {}", f.code.name(), f.message);
    }
    if let Some(n) = &report.next_session {
        println!("Next session (session {}): from {} ({}).", n.session, n.earliest, n.reason);
    }
}

/// `smp-heal synth`.
pub fn run_synth(args: SynthArgs) -> Result<ExitCode> {
    let Some(scenario) = Scenario::from_name(&args.scenario) else {
        let names: Vec<&str> = Scenario::ALL.iter().map(|s| s.name()).collect();
        bail!("--scenario {}: unknown; choose one of {}", args.scenario, names.join(", "));
    };
    if args.ita.is_some_and(|v| !(-60.0..=75.0).contains(&v)) {
        bail!("--ita {}: give an ITA angle between -60 and 75 degrees", args.ita.unwrap_or_default());
    }
    if let Some(d) = args.dot_diameter.filter(|d| !(1.0..=60.0).contains(d)) {
        bail!("--dot-diameter {d}: give the dots' diameter in pixels, from 1 to 60");
    }
    let mut opts = SynthOptions {
        seed: args.seed,
        grey_card: args.grey_card,
        harsh_light: args.harsh_light,
        skin_ita: args.ita,
        dot_diameter_px: args.dot_diameter,
        ..SynthOptions::default()
    };
    if let Some(size) = &args.size {
        (opts.width, opts.height) = parse_size(size)?;
    }
    let series = render_series(scenario, &opts);
    write_series(&args.out_dir, &series, opts.jpeg_quality)
        .with_context(|| format!("cannot write the series into {}", args.out_dir.display()))?;
    println!("{} photos of {} written to {}", series.photos.len(), scenario.name(), args.out_dir.display());
    Ok(ExitCode::SUCCESS)
}
