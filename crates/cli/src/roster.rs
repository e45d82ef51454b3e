//! `safeduty roster export --format xlsx|csv -o FILE [--region CODE] [--masked] [--template]`
//! writes the roster in the same columns (or the blank template), recorded in the audit trail.
//!
//! `safeduty roster import FILE [--apply] [--json]`: reads an enterprise roster (`.xlsx` from
//! Excel or WPS, `.csv` in UTF-8 with or without BOM or in GBK/GB18030), shows what importing it
//! would do — new, changed field by field, unchanged, rejected with row, column and reason — and
//! with `--apply` imports every accepted row in one transaction.
//!
//! Exit: 0 when no row is rejected; 3 when some are (with `--apply` the accepted rows are still
//! imported), or the file has no header or lacks a required column; 1 when the file or the store
//! cannot be read. With `--json` stdout carries only the JSON report; messages go to stderr.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use safeduty_core::roster::layout::{locate, locate_at};
use safeduty_roster::Source;
use safeduty_store::Store;
use safeduty_store::audit::Who;
use safeduty_store::roster::{ImportScope, Preview, apply, preview};
use serde::Serialize;

use crate::exit::Exit;
use crate::store_args::StoreArgs;

/// Roster subcommands.
#[derive(Debug, Subcommand)]
pub enum RosterCommand {
    /// Preview (or with --apply, import) an enterprise roster (.xlsx or .csv).
    Import {
        /// The roster file.
        file: PathBuf,
        /// Import the accepted rows (all of them in one transaction).
        #[arg(long)]
        apply: bool,
        /// Print the preview as JSON on stdout.
        #[arg(long)]
        json: bool,
        /// Import into the subtree of the region with this code [default: the whole store].
        #[arg(long)]
        region: Option<String>,
        /// The header is on this row (as the spreadsheet numbers it) [default: found].
        #[arg(long)]
        header_row: Option<u32>,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Export the enterprises (of the whole store, or a region) as .xlsx or .csv, in the columns
    /// the import reads; with --template, the blank import template instead.
    Export {
        /// xlsx or csv (UTF-8 with BOM).
        #[arg(long, default_value = "xlsx", value_parser = ["xlsx", "csv"])]
        format: String,
        /// The file to write.
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        /// Only the subtree of the region with this code [default: the whole store].
        #[arg(long)]
        region: Option<String>,
        /// Mask phone numbers (as the committee office and assessors see them).
        #[arg(long)]
        masked: bool,
        /// Write the blank import template (.xlsx) instead of the enterprises.
        #[arg(long)]
        template: bool,
        #[command(flatten)]
        store: StoreArgs,
    },
}

/// The JSON report.
#[derive(Serialize)]
struct Report<'a> {
    file: String,
    source: &'a Source,
    #[serde(flatten)]
    preview: &'a Preview,
    applied: Option<AppliedView>,
}

#[derive(Serialize)]
struct AppliedView {
    created: usize,
    updated: usize,
    enrolled: Vec<(String, usize)>,
}

/// Runs a roster subcommand.
pub fn run(cmd: RosterCommand) -> Exit {
    let (file, do_apply, json, region, header_row, store) = match cmd {
        RosterCommand::Import {
            file,
            apply,
            json,
            region,
            header_row,
            store,
        } => (file, apply, json, region, header_row, store),
        RosterCommand::Export {
            format,
            output,
            region,
            masked,
            template,
            store,
        } => return export(&format, &output, region, masked, template, store),
    };
    let bytes = match std::fs::read(&file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("safeduty roster import: 无法读取 {}: {e}", file.display());
            return Exit::CouldNotRun;
        }
    };
    let sheet = match safeduty_roster::read(&bytes) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("safeduty roster import: {}: {e}", file.display());
            return Exit::CouldNotRun;
        }
    };
    let located = match header_row {
        Some(n) => locate_at(&sheet.grid, n),
        None => locate(&sheet.grid),
    };
    let layout = match located {
        Ok(l) => l,
        Err(e) => {
            eprintln!(
                "safeduty roster import: {}（{}）: {e}",
                file.display(),
                sheet.source
            );
            return Exit::NotAcceptable;
        }
    };
    let outcome = crate::exit::block_on(async {
        let url = store.existing_url()?;
        let s = Store::open(&url).await?;
        let result = async {
            let scope = match &region {
                Some(code) => ImportScope::of_region_code(&s, code)
                    .await
                    .map_err(|e| match e {
                        safeduty_store::StoreError::NotFound => {
                            safeduty_store::StoreError::Conflict(format!(
                                "没有代码为 {code} 的区域"
                            ))
                        }
                        e => e,
                    })?,
                None => ImportScope::whole_store(),
            };
            if do_apply {
                let a = apply(&s, &Who::system(), &scope, &layout, None).await?;
                let view = AppliedView {
                    created: a.created,
                    updated: a.updated,
                    enrolled: a.enrolled,
                };
                Ok::<_, safeduty_store::StoreError>((a.preview, Some(view)))
            } else {
                Ok((preview(&s, &scope, &layout).await?, None))
            }
        }
        .await;
        s.close().await;
        result
    });
    let (p, applied) = match outcome {
        Err(exit) => return exit,
        Ok(Ok(v)) => v,
        Ok(Err(e)) => {
            eprintln!("safeduty roster import: {e}");
            return Exit::CouldNotRun;
        }
    };
    if json {
        let report = Report {
            file: file.display().to_string(),
            source: &sheet.source,
            preview: &p,
            applied,
        };
        match serde_json::to_string_pretty(&report) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("error: {e}");
                return Exit::CouldNotRun;
            }
        }
        summary_to_stderr(&p, do_apply);
    } else {
        print_human(&file, &sheet.source, &p, applied.as_ref());
    }
    if p.has_rejections() {
        Exit::NotAcceptable
    } else {
        Exit::Done
    }
}

fn summary_to_stderr(p: &Preview, applied: bool) {
    eprintln!(
        "新增 {} 家，变更 {} 家，未变 {} 家，拒绝 {} 行{}",
        p.new.len(),
        p.changed.len(),
        p.unchanged.len(),
        p.rejected.len(),
        if applied {
            "（已导入）"
        } else {
            "（预览，未写入）"
        }
    );
}

fn print_human(file: &Path, source: &Source, p: &Preview, applied: Option<&AppliedView>) {
    println!("{}：{}，表头在第{}行", file.display(), source, p.header_row);
    let columns: Vec<String> = p
        .columns
        .iter()
        .map(|c| match c.field {
            Some(_) => format!("{} {}", c.column, c.header),
            None => format!("{} {}（未导入）", c.column, c.header),
        })
        .collect();
    println!("列：{}", columns.join("，"));
    if !p.missing_columns.is_empty() {
        println!(
            "缺少必需的列：{}；未导入任何企业",
            p.missing_columns.join("、")
        );
    }
    for n in &p.notes {
        println!("说明：{n}");
    }
    if !p.new.is_empty() {
        println!("新增 {} 家：", p.new.len());
        for r in &p.new {
            println!(
                "  第{}行 {} {}（{}，{}，主管部门：{}）",
                r.row,
                r.uscc,
                r.name,
                r.region,
                r.industry,
                if r.department.is_empty() {
                    "无"
                } else {
                    &r.department
                }
            );
        }
    }
    if !p.changed.is_empty() {
        println!("变更 {} 家：", p.changed.len());
        for r in &p.changed {
            println!("  第{}行 {} {}", r.row, r.uscc, r.name);
            for c in &r.changes {
                println!("    {}：{} → {}", c.label, show(&c.before), show(&c.after));
            }
        }
    }
    if !p.unchanged.is_empty() {
        println!("未变 {} 家", p.unchanged.len());
    }
    if !p.rejected.is_empty() {
        println!("拒绝 {} 行：", p.rejected.len());
        for r in &p.rejected {
            for q in &r.problems {
                println!("  第{}行 {}：{}", q.row, q.column, q.message);
            }
        }
    }
    if !p.warnings.is_empty() {
        println!("提示 {} 条：", p.warnings.len());
        for q in &p.warnings {
            println!("  第{}行 {}：{}", q.row, q.column, q.message);
        }
    }
    for s in &p.skipped {
        println!("已忽略：第{}行，{}", s.row, s.reason);
    }
    match applied {
        Some(a) => {
            println!("已导入：新增 {} 家，变更 {} 家", a.created, a.updated);
            for (campaign, n) in &a.enrolled {
                println!("已将 {n} 家新企业纳入“{campaign}”");
            }
        }
        None if p.writes() > 0 => println!("（预览，未写入；加 --apply 导入）"),
        None => {}
    }
}

fn show(s: &str) -> &str {
    if s.is_empty() { "（空）" } else { s }
}

/// `safeduty roster export`: the enterprises of the whole store (or a region's subtree) by the
/// operator, recorded in the audit trail as the system's export.
fn export(
    format: &str,
    output: &Path,
    region: Option<String>,
    masked: bool,
    template: bool,
    store: StoreArgs,
) -> Exit {
    use safeduty_roster::export::{Format, template as template_file, write};
    let Some(format) = Format::from_code(format) else {
        eprintln!("safeduty roster export: 不支持的格式“{format}”，应为 xlsx 或 csv");
        return Exit::CouldNotRun;
    };
    let bytes = if template {
        template_file().map_err(|e| e.to_string())
    } else {
        let outcome = crate::exit::block_on(async {
            let url = store.existing_url().map_err(|e| e.to_string())?;
            let s = Store::open(&url).await.map_err(|e| e.to_string())?;
            let result = async {
                let region_path = match &region {
                    Some(code) => {
                        ImportScope::of_region_code(&s, code)
                            .await
                            .map_err(|_| format!("没有代码为 {code} 的区域"))?
                            .region_path
                    }
                    None => "/".to_string(),
                };
                let scope = safeduty_core::policy::Scope::RegionSubtree { region_path };
                let disclosure = if masked {
                    safeduty_core::personal::Disclosure::Masked
                } else {
                    safeduty_core::personal::Disclosure::Full
                };
                let lines = safeduty_store::roster::export::export(
                    &s,
                    &Who::system(),
                    &scope,
                    disclosure,
                    format.code(),
                )
                .await
                .map_err(|e| e.to_string())?;
                eprintln!("导出 {} 家企业", lines.len());
                write(format, &lines).map_err(|e| e.to_string())
            }
            .await;
            s.close().await;
            result
        });
        match outcome {
            Ok(bytes) => bytes,
            Err(exit) => return exit,
        }
    };
    match bytes.and_then(|b| {
        std::fs::write(output, b).map_err(|e| format!("无法写入 {}: {e}", output.display()))
    }) {
        Ok(()) => Exit::Done,
        Err(e) => {
            eprintln!("safeduty roster export: {e}");
            Exit::CouldNotRun
        }
    }
}
