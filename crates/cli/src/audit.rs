//! `safeduty audit verify` and `safeduty audit anchor`: check the audit trail's hash chain
//! against its head and anchors, and take an anchor for off-site keeping.

use std::path::PathBuf;

use clap::Subcommand;
use safeduty_store::Store;
use safeduty_store::audit::anchor::{self, Anchor, Taken};
use safeduty_store::audit::{Verification, Who, verify_against};
use safeduty_store::backup::rollbacks;

use crate::exit::Exit;
use crate::store_args::StoreArgs;

/// Audit subcommands.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check that no audit record was edited, deleted, reordered or truncated. Exit 0 when
    /// intact, 3 when not (the first broken record's id and time on stdout). Restores that
    /// rolled the trail back (dropped newer records) are listed after the verdict.
    Verify {
        #[command(flatten)]
        store: StoreArgs,
        /// An anchor printed earlier by `safeduty audit anchor` (kept off-site) to check too;
        /// may be given more than once.
        #[arg(long, value_name = "FILE")]
        anchor: Vec<PathBuf>,
    },
    /// Verify the trail, record an anchor of its newest record in the store and print it (keep
    /// the printout off-site). Exit 3, taking no anchor, when the trail does not verify.
    Anchor {
        #[command(flatten)]
        store: StoreArgs,
    },
}

/// Runs an audit subcommand.
pub fn run(cmd: AuditCommand) -> Exit {
    let outcome = crate::exit::block_on(async {
        match cmd {
            AuditCommand::Verify { store, anchor } => {
                let mut printed = Vec::new();
                for path in &anchor {
                    match read_anchor(path) {
                        Ok(a) => printed.push(a),
                        Err(exit) => return exit,
                    }
                }
                let Some(store) = open(&store).await else {
                    return Exit::CouldNotRun;
                };
                let result = match verify_against(&store, &printed).await {
                    Ok(v) => rollbacks(&store).await.map(|r| (v, r)),
                    Err(e) => Err(e),
                };
                store.close().await;
                match result {
                    Ok((v, rolled_back)) => {
                        let exit = report(&v);
                        for r in &rolled_back {
                            println!(
                                "rolled back at record {} ({}): restoring {} dropped {} records \
                                 that followed record {}",
                                r.seq,
                                r.at,
                                r.snapshot,
                                r.dropped_records,
                                r.replaced_head_seq - r.dropped_records
                            );
                        }
                        exit
                    }
                    Err(e) => {
                        eprintln!("error: {e}");
                        Exit::CouldNotRun
                    }
                }
            }
            AuditCommand::Anchor { store } => {
                let Some(store) = open(&store).await else {
                    return Exit::CouldNotRun;
                };
                let result = anchor::take(&store, &Who::system()).await;
                store.close().await;
                match result {
                    Ok(Taken::Anchor(a)) => {
                        print!("{}", a.to_text());
                        Exit::Done
                    }
                    Ok(Taken::Refused(v)) => {
                        eprintln!("no anchor taken: the trail does not verify");
                        report(&v)
                    }
                    Err(e) => {
                        eprintln!("error: {e}");
                        Exit::CouldNotRun
                    }
                }
            }
        }
    });
    outcome.unwrap_or_else(|exit| exit)
}

async fn open(args: &StoreArgs) -> Option<Store> {
    let url = match args.existing_url() {
        Ok(u) => u,
        Err(e) => {
            eprintln!("error: {e}");
            return None;
        }
    };
    match Store::open(&url).await {
        Ok(s) => Some(s),
        Err(e) => {
            eprintln!("error: {e}");
            None
        }
    }
}

/// Reads a printed anchor: an unreadable file could not run (1), a file that is not an anchor
/// is not acceptable (3).
fn read_anchor(path: &std::path::Path) -> Result<Anchor, Exit> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        eprintln!("error: cannot read {}: {e}", path.display());
        Exit::CouldNotRun
    })?;
    Anchor::parse(&text).map_err(|m| {
        eprintln!("error: {}: {m}", path.display());
        Exit::NotAcceptable
    })
}

/// Prints a verification's outcome on stdout and gives its exit code.
pub(crate) fn report(v: &Verification) -> Exit {
    match v {
        Verification::Intact { records } => {
            println!("audit trail intact: {records} records");
            Exit::Done
        }
        Verification::Broken { seq, at, reason } => {
            let when = at.as_ref().map(|t| format!(" ({t})")).unwrap_or_default();
            println!("audit trail broken at record {seq}{when}: {reason}");
            Exit::NotAcceptable
        }
    }
}
