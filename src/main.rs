//! The `smp-heal` binary: parse flags, build a validated configuration, call the library, print, choose the exit
//! code. Exit codes: 0 every photo measured; 1 report written but a photo failed; 2 nothing to do or bad usage;
//! 3 with `--strict`, everything written but a flag was raised.

mod cli;
mod output;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
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
