//! Reading the text files commands take (plan documents, holiday notices).

use std::path::Path;

use crate::exit::Exit;

/// Reads `file` as UTF-8 text (a leading byte-order mark is dropped by the readers). Prints the
/// reason to stderr, prefixed with `command`, and answers the exit code when it cannot:
/// [`Exit::CouldNotRun`] for an unreadable file, [`Exit::NotAcceptable`] for text that is not
/// UTF-8 (with the byte offset and the conversion command to use).
pub fn read_utf8(command: &str, file: &Path) -> Result<String, Exit> {
    let bytes = std::fs::read(file).map_err(|e| {
        eprintln!("{command}: 无法读取 {}: {e}", file.display());
        Exit::CouldNotRun
    })?;
    String::from_utf8(bytes).map_err(|e| {
        eprintln!(
            "{command}: {} 不是 UTF-8 文本(第 {} 字节起无法按 UTF-8 解码)。\
             目前只接受 UTF-8 纯文本;GBK 等编码的文件请先转换,例如:\n  \
             iconv -f GBK -t UTF-8 {} > utf8.txt",
            file.display(),
            e.utf8_error().valid_up_to(),
            file.display()
        );
        Exit::NotAcceptable
    })
}
