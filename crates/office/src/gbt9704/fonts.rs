//! The typefaces GB/T 9704-2012 names, each with the alternates Word and WPS try when it is not
//! installed, and the font table (`word/fontTable.xml`) that carries those alternates.

use std::io::{Cursor, Read, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use crate::Error;

/// A typeface as a document names it: the name Word and WPS look for, and the alternates they
/// try in turn when it is missing (the font table's `w:altName`, ECMA-376 17.8.3.1) before they
/// substitute by the font's metrics. Every typeface here is a GB2312 (charset 86) face.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Font {
    /// The name written on every run (`w:rFonts`), e.g. `仿宋_GB2312`.
    pub name: &'static str,
    /// Alternate names, comma-separated, tried in order: the same face under its other names,
    /// then the nearest face Windows ships.
    pub alternates: &'static str,
}

/// 小标宋 (Founder's 方正小标宋简体): the title, 7.3.1. Not shipped with Windows; 华文中宋 comes
/// with Office, 宋体 with every Windows.
pub const XIAOBIAOSONG: Font = Font {
    name: "方正小标宋简体",
    alternates: "方正小标宋_GBK,FZXiaoBiaoSong-B05S,华文中宋,STZhongsong,宋体,SimSun",
};

/// 仿宋_GB2312: body text and most elements, 5.2.2. Windows since Vista ships it as 仿宋.
pub const FANGSONG: Font = Font {
    name: "仿宋_GB2312",
    alternates: "FangSong_GB2312,仿宋,FangSong",
};

/// 黑体: first-level headings (一、), 7.3.3.
pub const HEITI: Font = Font {
    name: "黑体",
    alternates: "SimHei",
};

/// 楷体_GB2312: second-level headings (（一）), 7.3.3. Windows since Vista ships it as 楷体.
pub const KAITI: Font = Font {
    name: "楷体_GB2312",
    alternates: "KaiTi_GB2312,楷体,KaiTi",
};

/// 宋体: page numbers (半角宋体阿拉伯数字), 7.5.
pub const SONGTI: Font = Font {
    name: "宋体",
    alternates: "SimSun",
};

/// Every typeface above, in the font table's order.
pub const ALL: [Font; 5] = [XIAOBIAOSONG, FANGSONG, HEITI, KAITI, SONGTI];

/// The font table: the three Latin faces docx-rs declares, then [`ALL`] with their alternates.
fn font_table() -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:fonts xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
         <w:font w:name=\"Times New Roman\"><w:charset w:val=\"00\"/><w:family w:val=\"roman\"/>\
         <w:pitch w:val=\"variable\"/></w:font>\
         <w:font w:name=\"Symbol\"><w:charset w:val=\"02\"/><w:family w:val=\"roman\"/>\
         <w:pitch w:val=\"variable\"/></w:font>\
         <w:font w:name=\"Arial\"><w:charset w:val=\"00\"/><w:family w:val=\"swiss\"/>\
         <w:pitch w:val=\"variable\"/></w:font>",
    );
    for f in ALL {
        xml.push_str(&format!(
            "<w:font w:name=\"{}\"><w:altName w:val=\"{}\"/><w:charset w:val=\"86\"/>\
             <w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/></w:font>",
            f.name, f.alternates
        ));
    }
    xml.push_str("</w:fonts>");
    xml
}

/// The package `docx` with its font table replaced by [`font_table`] (docx-rs writes a fixed
/// one without the Chinese faces); every other part copied as packed.
pub(super) fn with_font_table(docx: &[u8]) -> Result<Vec<u8>, Error> {
    const PART: &str = "word/fontTable.xml";
    let mut archive = ZipArchive::new(Cursor::new(docx))?;
    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    let mut written = false;
    for i in 0..archive.len() {
        let file = archive.by_index_raw(i)?;
        if file.name()? == PART {
            out.start_file(
                PART,
                SimpleFileOptions::default().compression_method(CompressionMethod::Deflated),
            )?;
            out.write_all(font_table().as_bytes())?;
            written = true;
        } else {
            out.raw_copy_file(file)?;
        }
    }
    if !written {
        return Err(Error::Docx(format!("{PART} missing from the package")));
    }
    Ok(out.finish()?.into_inner())
}

/// The text of part `name` of the package `docx` (for tests and checks).
///
/// # Errors
/// [`Error::Docx`] when `docx` is not a zip package or has no such part.
pub fn part(docx: &[u8], name: &str) -> Result<String, Error> {
    let mut archive = ZipArchive::new(Cursor::new(docx))?;
    let mut s = String::new();
    archive.by_name(name)?.read_to_string(&mut s)?;
    Ok(s)
}
