//! CSV as Excel and WPS open it: UTF-8 with a byte-order mark (so the Chinese reads right),
//! CRLF line ends (RFC 4180), every field inert (`safeduty_core::cell::csv_text`: a formula-like
//! value gets one leading apostrophe, shared case B11).

use safeduty_core::cell::csv_text;

/// The CSV bytes of a `header` row and then `rows`.
pub fn write<H, R, C>(header: &[H], rows: R) -> Vec<u8>
where
    H: AsRef<str>,
    R: IntoIterator,
    R::Item: IntoIterator<Item = C>,
    C: AsRef<str>,
{
    let mut out = "\u{FEFF}".as_bytes().to_vec();
    {
        let mut w = ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::CRLF)
            .flexible(true)
            .from_writer(&mut out);
        // Writing to a Vec cannot fail.
        let _ = w.write_record(header.iter().map(|h| csv_text(h.as_ref()).into_owned()));
        for row in rows {
            let _ = w.write_record(row.into_iter().map(|c| csv_text(c.as_ref()).into_owned()));
        }
        let _ = w.flush();
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn bom_crlf_and_inert_fields() {
        let bytes = super::write(&["名称", "备注"], [["甲", "=1+1"], ["乙", "-3"]]);
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "\u{FEFF}名称,备注\r\n甲,'=1+1\r\n乙,-3\r\n"
        );
    }
}
