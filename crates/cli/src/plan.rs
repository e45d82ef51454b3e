//! `safeduty plan import FILE [--out TEMPLATE.toml] [--json]`.

use std::path::PathBuf;

use clap::Subcommand;

use crate::exit::Exit;

/// Plan subcommands.
#[derive(Debug, Subcommand)]
pub enum PlanCommand {
    /// Import a plan document and write its campaign template.
    Import {
        /// The plan document (UTF-8 text).
        file: PathBuf,
        /// Write the campaign template (TOML) here.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Print the template as JSON on stdout (messages go to stderr).
        #[arg(long)]
        json: bool,
    },
}

/// Runs a plan subcommand.
pub fn run(cmd: PlanCommand) -> Exit {
    match cmd {
        PlanCommand::Import { .. } => Exit::CouldNotRun,
    }
}
