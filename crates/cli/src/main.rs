//! `madoguchi`: the server and the operator commands (DESIGN §4).
//! Exit status: 0 success, 1 bad input / refused / database unreachable, 2 usage error.

use std::process::ExitCode;

use clap::Parser;
use madoguchi_cli::args::Cli;
use madoguchi_cli::commands::{self, Ctx};
use madoguchi_cli::config::Config;
use madoguchi_cli::output::lang_from_env;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = Config::from_env();
    init_tracing(&config);
    let ctx = Ctx {
        lang: lang_from_env(),
        config,
    };
    match commands::run(cli, &ctx) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("madoguchi: {failure}");
            ExitCode::from(1)
        }
    }
}

fn init_tracing(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_new(&config.log)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Colours only for a person at a terminal: a log written to a file or a pipe stays text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .with_writer(std::io::stderr);
    if config.env == madoguchi_cli::config::Environment::Production {
        builder.json().init();
    } else {
        builder.init();
    }
}
