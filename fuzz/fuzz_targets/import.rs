//! Any text through normalization, the plan importer (with its summary and the template's TOML
//! round trip) and the holiday-notice reader: no panic, and a bounded time per input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let normalized = safeduty_plan::normalize::normalize(&text);
    assert_eq!(
        normalized.text.split('\n').count(),
        safeduty_plan::normalize::normalize(&normalized.text)
            .text
            .split('\n')
            .count(),
        "normalization keeps the line count"
    );
    let imported = safeduty_plan::import(&text, Some("fuzz.txt"));
    let _ = imported.summary();
    let toml = safeduty_plan::to_toml(&imported.template);
    let back = safeduty_plan::from_toml(&toml).expect("a template written reads back");
    assert_eq!(back, imported.template, "TOML round trip");
    let _ = safeduty_plan::notice::parse_notice(&text);
});
