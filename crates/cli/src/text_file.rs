//! Reading the documents commands take (plan documents, holiday notices): one rule for every
//! command, [`safeduty_plan::read_document`] — UTF-8, GBK/GB18030 or UTF-16 text, Word/WPS
//! `.docx`, or a PDF with a text layer.

use std::path::Path;

use crate::exit::Exit;

/// Reads `file` and turns it into text. Prints the reason to stderr, prefixed with `command`,
/// and answers the exit code when it cannot (DESIGN.md §3): [`Exit::CouldNotRun`] for a file
/// that cannot be read from disk, is in a format this build does not read (`.doc`, RTF,
/// encrypted) or is damaged; [`Exit::NotAcceptable`] for content that is not acceptable as a
/// document: undecodable bytes, no text layer, a file over
/// [`safeduty_plan::input::MAX_DOCUMENT_BYTES`] (checked before reading it) or a text over
/// [`safeduty_plan::input::MAX_TEXT_BYTES`].
pub fn read_document(command: &str, file: &Path) -> Result<String, Exit> {
    let unreadable = |e: std::io::Error| {
        eprintln!("{command}: 无法读取 {}: {e}", file.display());
        Exit::CouldNotRun
    };
    let size = std::fs::metadata(file).map_err(unreadable)?.len();
    let limit = safeduty_plan::input::MAX_DOCUMENT_BYTES;
    if size > limit as u64 {
        eprintln!(
            "{command}: {} {}",
            file.display(),
            safeduty_plan::InputError::TooLarge {
                bytes: usize::try_from(size).unwrap_or(usize::MAX),
                limit,
            }
        );
        return Err(Exit::NotAcceptable);
    }
    let bytes = std::fs::read(file).map_err(unreadable)?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    safeduty_plan::read_document(&bytes, &name).map_err(|e| {
        eprintln!("{command}: {} {e}。", file.display());
        if e.could_not_read() {
            Exit::CouldNotRun
        } else {
            Exit::NotAcceptable
        }
    })
}
