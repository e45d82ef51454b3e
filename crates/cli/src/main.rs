//! The `safeduty` binary: one clap enum, one module per subcommand.
//!
//! Exit codes, the same for every command (DESIGN.md §3): 0 done; 1 could not run; 2 usage error
//! (as clap reports it); 3 the input was read but is not acceptable.

mod audit;
mod backup;
mod calendar;
mod demo;
mod exit;
mod inspect;
mod plan;
mod report;
mod roster;
mod serve;
mod store_args;
mod text_file;

use clap::{Parser, Subcommand};

/// Work-safety duty-performance campaigns: plans, self-inspections, findings, reports.
#[derive(Debug, Parser)]
#[command(name = "safeduty", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the web application.
    Serve(serve::ServeArgs),
    /// Plan documents: import a plan into a campaign template.
    #[command(subcommand)]
    Plan(plan::PlanCommand),
    /// Working days and holiday arrangements.
    #[command(subcommand)]
    Calendar(calendar::CalendarCommand),
    /// Write an online snapshot of the SQLite store.
    Backup(backup::BackupArgs),
    /// Replace the SQLite store with a snapshot (stop the server first).
    Restore(backup::RestoreArgs),
    /// Enterprise rosters: import from .xlsx or .csv.
    #[command(subcommand)]
    Roster(roster::RosterCommand),
    /// The audit trail.
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// Build a city-scale store (N enterprises with accounts and activity) for measuring.
    Demo(demo::DemoArgs),
    /// Generated reports: build a unit's or a region's stage or annual report (.docx).
    #[command(subcommand)]
    Report(report::ReportCommand),
    /// Enforcement inspections: check a published random draw.
    #[command(subcommand)]
    Inspect(inspect::InspectCommand),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    // Logs go to stderr (stdout carries results, JSON with --json); RUST_LOG overrides the level.
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,safeduty=info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let exit = match cli.command {
        Command::Serve(args) => serve::run(args),
        Command::Plan(cmd) => plan::run(cmd),
        Command::Roster(cmd) => roster::run(cmd),
        Command::Audit(cmd) => audit::run(cmd),
        Command::Inspect(cmd) => inspect::run(cmd),
        Command::Report(cmd) => report::run(cmd),
        Command::Backup(args) => backup::backup(args),
        Command::Restore(args) => backup::restore(args),
        Command::Calendar(cmd) => calendar::run(cmd),
        Command::Demo(args) => demo::run(args),
    };
    exit.into()
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
