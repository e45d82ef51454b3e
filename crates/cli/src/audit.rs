//! `safeduty audit verify`: recomputes the audit trail's hash chain.

use clap::Subcommand;
use safeduty_store::Store;
use safeduty_store::audit::{Verification, verify};

use crate::exit::Exit;
use crate::store_args::StoreArgs;

/// Audit subcommands.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check that no audit record was edited or deleted. Exit 0 when intact, 3 when not.
    Verify {
        #[command(flatten)]
        store: StoreArgs,
    },
}

/// Runs an audit subcommand.
pub fn run(cmd: AuditCommand) -> Exit {
    let AuditCommand::Verify { store } = cmd;
    let rt = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return Exit::CouldNotRun;
        }
    };
    rt.block_on(async {
        let url = match store.existing_url() {
            Ok(u) => u,
            Err(e) => {
                eprintln!("error: {e}");
                return Exit::CouldNotRun;
            }
        };
        let store = match Store::open(&url).await {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: {e}");
                return Exit::CouldNotRun;
            }
        };
        let result = verify(&store).await;
        store.close().await;
        match result {
            Ok(Verification::Intact { records }) => {
                println!("audit trail intact: {records} records");
                Exit::Done
            }
            Ok(Verification::Broken { seq, at, reason }) => {
                let when = at.map(|t| format!(" ({t})")).unwrap_or_default();
                println!("audit trail broken at record {seq}{when}: {reason}");
                Exit::NotAcceptable
            }
            Err(e) => {
                eprintln!("error: {e}");
                Exit::CouldNotRun
            }
        }
    })
}
