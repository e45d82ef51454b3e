//! Any bytes as a document (text in any encoding, .docx, PDF, refused formats): no panic that
//! escapes `read_document`, and any text it returns imports.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for name in ["plan.txt", "plan.docx"] {
        if let Ok(text) = safeduty_plan::read_document(data, name) {
            assert!(text.len() <= safeduty_plan::input::MAX_TEXT_BYTES);
            let _ = safeduty_plan::import(&text, Some(name));
        }
    }
});
