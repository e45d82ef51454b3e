//! `safeduty inspect verify-draw FILE`: recompute a recorded random draw (双随机) from its
//! published seed and lists and compare it with the targets and officer pairs recorded, so that
//! anyone holding the published draw can check it (algorithm: `docs/draw.md`).

use std::path::PathBuf;

use clap::Subcommand;
use safeduty_core::enforcement::draw::{Draw, verify};

use crate::exit::Exit;

/// Inspection subcommands.
#[derive(Debug, Subcommand)]
pub enum InspectCommand {
    /// Recompute a draw from the JSON it was published as (seed, sorted candidate, officer and
    /// mandatory lists with their SHA-256, algorithm and version, targets with officer pairs).
    /// Exit 0 when the recomputation gives the recorded targets, 3 when it does not (what
    /// differs on stdout), 1 when the file cannot be read.
    VerifyDraw {
        /// The published draw (JSON).
        file: PathBuf,
    },
}

/// Runs an inspect subcommand.
pub fn run(cmd: InspectCommand) -> Exit {
    match cmd {
        InspectCommand::VerifyDraw { file } => {
            let text = match std::fs::read_to_string(&file) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("error: {}: {e}", file.display());
                    return Exit::CouldNotRun;
                }
            };
            let draw: Draw = match serde_json::from_str(&text) {
                Ok(d) => d,
                Err(e) => {
                    println!("{}: not a published draw: {e}", file.display());
                    return Exit::NotAcceptable;
                }
            };
            match verify(&draw) {
                Ok(()) => {
                    println!(
                        "draw verified: {} v{}, seed {:?}, {} candidates ({}), {} officers ({})",
                        draw.algorithm,
                        draw.version,
                        draw.seed,
                        draw.candidates.len(),
                        draw.candidates_digest,
                        draw.officers.len(),
                        draw.officers_digest
                    );
                    for (k, t) in draw.targets.iter().enumerate() {
                        println!(
                            "{}\t{}\t{}\t{} {}",
                            k + 1,
                            t.id,
                            if t.mandatory { "mandatory" } else { "drawn" },
                            t.officers[0],
                            t.officers[1]
                        );
                    }
                    Exit::Done
                }
                Err(m) => {
                    println!("draw does not verify: {m}");
                    Exit::NotAcceptable
                }
            }
        }
    }
}
