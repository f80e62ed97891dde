//! The `smp-heal` binary: parse flags, build a validated configuration, call the library, print, choose the exit
//! code. Exit codes: 0 every photo measured; 1 report written but a photo failed; 2 nothing to do or bad usage;
//! 3 with `--strict`, everything written but a flag was raised.

mod cli;
#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod huge_pages;
mod output;

use std::process::ExitCode;

use clap::Parser;

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[global_allocator]
static ALLOCATOR: huge_pages::HugePages = huge_pages::HugePages;

fn main() -> ExitCode {
    map_large_buffers();
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    let result = match cli.command {
        cli::Command::Analyze(args) => output::run_analyze(args),
        cli::Command::Synth(args) => output::run_synth(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("smp-heal: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Each photo's planes and masks (12-48 MB at 12 MP) are allocated and freed photo after photo. glibc serves
/// allocations above a threshold with their own mappings, returned to the system when freed, but raises that
/// threshold (up to 32 MB) each time such a block is freed, after which 12-36 MB buffers come from its heaps and
/// stay resident. Fixing the threshold at 16 MiB maps the 36-48 MB planes afresh each time and keeps the 12 MB
/// masks, all of one size, reused from the heap: peak 518 MB instead of 575-606 MB for `--jobs 2` on 24 photos of
/// 12 MP (`scripts/bench.sh`); at 1 MiB it is 481 MB but every mask costs fresh page faults (about 15% slower).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn map_large_buffers() {
    // SAFETY: mallopt only sets an allocator parameter; it is called before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 16 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn map_large_buffers() {}
