//! `safeduty backup FILE` and `safeduty restore FILE`: an online snapshot of the SQLite store, and
//! putting one back (with the server stopped). PostgreSQL: `pg_dump` / `pg_restore` (README).

use std::path::PathBuf;

use clap::Args;
use safeduty_store::Store;
use safeduty_store::audit::Who;
use safeduty_store::backup::{RestoreOptions, Restored};

use crate::exit::Exit;
use crate::store_args::StoreArgs;

/// Arguments of `safeduty backup`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the snapshot (must not exist).
    out: PathBuf,
    #[command(flatten)]
    store: StoreArgs,
}

/// Arguments of `safeduty restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The snapshot to restore.
    from: PathBuf,
    /// Restore even when the snapshot's audit trail does not verify (recorded in the trail);
    /// without it such a snapshot is refused with exit 3 and nothing is touched.
    #[arg(long)]
    accept_broken_trail: bool,
    #[command(flatten)]
    store: StoreArgs,
}

/// Takes a backup while the server may run.
pub fn backup(args: BackupArgs) -> Exit {
    let outcome = crate::exit::block_on(async {
        let result = async {
            let store = Store::open(&args.store.existing_url()?).await?;
            let r = safeduty_store::backup::backup(&store, &Who::system(), &args.out).await;
            store.close().await;
            r
        }
        .await;
        match result {
            Ok(()) => {
                println!("backup written to {}", args.out.display());
                Exit::Done
            }
            Err(e) => {
                eprintln!("error: {e}");
                Exit::CouldNotRun
            }
        }
    });
    outcome.unwrap_or_else(|exit| exit)
}

/// Restores a backup into the store named by the options (the server must be stopped).
pub fn restore(args: RestoreArgs) -> Exit {
    let outcome = crate::exit::block_on(async {
        let target = match args.store.url() {
            Ok(u) => u.creating(),
            Err(e) => {
                eprintln!("error: {e}");
                return Exit::CouldNotRun;
            }
        };
        let options = RestoreOptions {
            accept_broken_trail: args.accept_broken_trail,
        };
        match safeduty_store::backup::restore(&args.from, &target, &Who::system(), options).await {
            Ok(Restored::Done {
                snapshot_records,
                dropped_records,
            }) => {
                println!(
                    "restored from {} ({snapshot_records} audit records)",
                    args.from.display()
                );
                if dropped_records > 0 {
                    println!(
                        "{dropped_records} audit records of the replaced store are not in the \
                         snapshot and were dropped; the trail records this rollback"
                    );
                }
                Exit::Done
            }
            Ok(Restored::Refused(v)) => {
                eprintln!(
                    "error: the snapshot's audit trail does not verify; nothing was restored \
                     (--accept-broken-trail restores it anyway, and says so in the trail)"
                );
                crate::audit::report(&v)
            }
            Err(e) => {
                eprintln!("error: {e}");
                Exit::CouldNotRun
            }
        }
    });
    outcome.unwrap_or_else(|exit| exit)
}
