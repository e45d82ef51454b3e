//! The office crate's files read back: the `.docx` parts as XML (page, margins, fonts, blocks,
//! footer), the enforcement documents and their templates, the `.xlsx` through calamine (header,
//! dates, inert text, sheet names).

mod docx;
mod enforcement;
mod report;
mod xlsx;

use std::io::Read;

/// The text of part `name` of the zip package `bytes`.
pub fn part(bytes: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// The `<w:p>` elements of a WordprocessingML part, in order.
pub fn paragraphs(xml: &str) -> Vec<&str> {
    xml.split("<w:p ")
        .skip(1)
        .map(|p| &p[..p.find("</w:p>").unwrap_or(p.len())])
        .collect()
}

/// The text of a paragraph: its `<w:t>` elements joined.
pub fn text(p: &str) -> String {
    p.split("<w:t")
        .skip(1)
        .map(|t| {
            let t = &t[t.find('>').unwrap() + 1..];
            &t[..t.find("</w:t>").unwrap()]
        })
        .collect()
}
