//! CSV: the encoding (BOM honoured; UTF-8 first, then GB18030, a superset of GBK), the delimiter
//! (comma, or tab as Excel's "Unicode text"), then the records.

use safeduty_core::roster::{Grid, GridRow};

use crate::{
    MAX_CELLS, MAX_COLUMNS, MAX_ROWS, ReadError, Sheet, Source, too_many_cells, too_many_rows,
};

/// Decodes the text: a byte-order mark wins; otherwise UTF-8 if it is valid, else GB18030.
pub(crate) fn decode(bytes: &[u8]) -> Result<(String, &'static str), ReadError> {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            return Err(ReadError::Encoding);
        }
        let name = match enc.name() {
            "UTF-8" => "UTF-8 BOM",
            "UTF-16LE" => "UTF-16LE",
            _ => "UTF-16BE",
        };
        return Ok((text.into_owned(), name));
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_string(), "UTF-8"));
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(ReadError::Encoding);
    }
    Ok((text.into_owned(), "GB18030"))
}

/// Tab when the first lines hold more tabs than commas, else comma.
fn delimiter(text: &str) -> u8 {
    let head: String = text.lines().take(10).collect();
    let tabs = head.matches('\t').count();
    let commas = head.matches(',').count();
    if tabs > commas { b'\t' } else { b',' }
}

pub(crate) fn read(bytes: &[u8]) -> Result<Sheet, ReadError> {
    let (text, encoding) = decode(bytes)?;
    if text.contains('\0') {
        // Binary content that happens to decode: no roster has NUL characters.
        return Err(ReadError::Encoding);
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(&text))
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut cells = 0usize;
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| ReadError::BadCsv {
            line: e.position().map_or(i as u64 + 1, |p| p.line()),
            reason: e.to_string(),
        })?;
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if rows.len() >= MAX_ROWS {
            return Err(too_many_rows());
        }
        // The row number people see in Excel is the record's number (quoted line breaks
        // inside a cell do not start a row there).
        let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
        cells += record.len().min(MAX_COLUMNS);
        if cells > MAX_CELLS {
            return Err(too_many_cells());
        }
        rows.push(GridRow {
            number,
            cells: record
                .iter()
                .take(MAX_COLUMNS)
                .map(str::to_string)
                .collect(),
        });
    }
    Ok(Sheet {
        grid: Grid { rows },
        source: Source::Csv { encoding },
    })
}
