//! `safeduty plan import FILE [--out TEMPLATE.toml] [--json]`.
//!
//! Reads a plan document — text in UTF-8, GBK/GB18030 or UTF-16 (with BOM), a Word/WPS `.docx`,
//! or a PDF with a text layer ([`safeduty_plan::read_document`]) — prints a summary of the campaign template found in it and
//! writes the template as TOML with `--out`. With `--json` stdout carries only the template as
//! JSON and the summary goes to stderr.
//!
//! Exit codes (DESIGN.md §3): 0 done; 1 the file could not be read (missing, unreadable, an old
//! binary `.doc`/`.wps`, RTF, encrypted or damaged) or the template not written; 3 the file was
//! read but is not acceptable — not decodable as text, a PDF without a text layer, too large, or
//! no campaign structure found in it (then `--out` is not written; `--json` still prints the
//! template found).

use std::io::Write as _;
use std::path::{Path, PathBuf};

use clap::Subcommand;

use crate::exit::Exit;

/// Plan subcommands.
#[derive(Debug, Subcommand)]
pub enum PlanCommand {
    /// Import a plan document and write its campaign template.
    Import {
        /// The plan document: text (UTF-8, GBK/GB18030), Word/WPS .docx, or PDF with a text layer.
        file: PathBuf,
        /// Write the campaign template (TOML) here.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Print the template as JSON on stdout (messages go to stderr).
        #[arg(long)]
        json: bool,
    },
}

/// Runs a plan subcommand.
pub fn run(cmd: PlanCommand) -> Exit {
    match cmd {
        PlanCommand::Import { file, out, json } => import(&file, out.as_deref(), json),
    }
}

const WHAT_WE_LOOK_FOR: &str = "治理内容与检查事项(如“(一)……方面。重点治理:”下的“1.是否……”)、\
阶段(如“第一阶段:动员部署(4月30日前)”)、措施(如“八个一”措施,即……)、\
报送期限(如“于2024年3月30日前报送”“……结束后5个工作日内报送”“每季度报送一次”)";

fn import(file: &Path, out: Option<&Path>, json: bool) -> Exit {
    let text = match crate::text_file::read_document("safeduty plan import", file) {
        Ok(t) => t,
        Err(exit) => return exit,
    };
    let source = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.display().to_string());
    let imported = safeduty_plan::import(&text, Some(&source));
    let template = &imported.template;
    let summary = imported.summary();

    if json {
        eprint!("{summary}");
        let mut stdout = std::io::stdout().lock();
        if writeln!(stdout, "{}", safeduty_plan::to_json(template)).is_err() {
            return Exit::CouldNotRun;
        }
    } else {
        print!("{summary}");
    }

    if !template.has_structure() {
        eprintln!(
            "safeduty plan import: {} 中没有找到专项治理的结构。查找的是:{WHAT_WE_LOOK_FOR}。\
             这些都没有找到,因此不是可导入的工作方案{}。",
            file.display(),
            if out.is_some() {
                "，未写出模板"
            } else {
                ""
            }
        );
        return Exit::NotAcceptable;
    }

    if let Some(out) = out {
        if let Err(e) = std::fs::write(out, safeduty_plan::to_toml(template)) {
            eprintln!("safeduty plan import: 无法写入 {}: {e}", out.display());
            return Exit::CouldNotRun;
        }
        let open = template.questions.iter().filter(|q| !q.resolved).count();
        let note = if open > 0 {
            format!("；有 {open} 个待核对问题，请审核后再使用")
        } else {
            String::new()
        };
        eprintln!("模板已写入 {}{note}", out.display());
    }
    Exit::Done
}
