//! `safeduty serve`.

use clap::Args;

use crate::exit::Exit;
use crate::store_args::StoreArgs;

/// Arguments of `safeduty serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: String,
    #[command(flatten)]
    store: StoreArgs,
}

/// Runs the server until interrupted.
pub fn run(_args: ServeArgs) -> Exit {
    Exit::CouldNotRun
}
