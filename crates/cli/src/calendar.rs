//! `safeduty calendar`: working-day arithmetic and loading a year's holiday arrangement.
//!
//! - `calendar after DATE N` prints the N-th working day after DATE (`YYYY-MM-DD`), followed by
//!   ` provisional` when the walk crossed a year whose arrangement is not loaded. It uses the
//!   store's calendar when `--data` or `--database-url` is given, the shipped one otherwise.
//! - `calendar load FILE [--apply]` reads a State Council holiday notice and prints each day off,
//!   then each make-up working day, one `YYYY-MM-DD` a line (labels go to stderr). A notice that
//!   cannot be read completely is refused with every reason (exit 3) and nothing is saved. With
//!   `--apply` the year is saved to the store, replacing a known year only when it differs.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Subcommand;
use safeduty_core::calendar::{ArrangementDiff, Calendar};
use safeduty_store::Store;
use safeduty_store::audit::Who;
use safeduty_store::calendar::{SaveOutcome, effective};

use crate::exit::Exit;
use crate::store_args::StoreArgs;

/// Calendar subcommands.
#[derive(Debug, Subcommand)]
pub enum CalendarCommand {
    /// Print the N-th working day after DATE.
    After {
        /// The date counted from (not itself counted), YYYY-MM-DD.
        #[arg(value_parser = parse_date)]
        date: NaiveDate,
        /// How many working days.
        n: u32,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Read a holiday-arrangement notice (国务院办公厅关于YYYY年部分节假日安排的通知).
    Load {
        /// The notice: text (UTF-8, GBK/GB18030), Word/WPS .docx, or PDF with a text layer.
        file: PathBuf,
        /// Save the year to the store.
        #[arg(long)]
        apply: bool,
        #[command(flatten)]
        store: StoreArgs,
    },
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    s.parse()
        .map_err(|_| format!("{s:?} is not a date (YYYY-MM-DD)"))
}

/// Runs a calendar subcommand.
pub fn run(cmd: CalendarCommand) -> Exit {
    match cmd {
        CalendarCommand::After { date, n, store } => {
            let cal = if store.given() {
                match with_store(&store, |s| async move { effective(&s).await }) {
                    Ok(c) => c,
                    Err(exit) => return exit,
                }
            } else {
                Calendar::shipped()
            };
            let r = cal.add_working_days(date, n);
            println!(
                "{}{}",
                r.date,
                if r.provisional { " provisional" } else { "" }
            );
            Exit::Done
        }
        CalendarCommand::Load { file, apply, store } => load(&file, apply, &store),
    }
}

/// Opens the store, runs `f` on it, closes it; its errors are printed and answered with exit 1.
fn with_store<T, E, F, Fut>(args: &StoreArgs, f: F) -> Result<T, Exit>
where
    E: std::fmt::Display,
    F: FnOnce(Store) -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    crate::exit::block_on(async {
        let url = args.existing_url().map_err(|e| {
            eprintln!("error: {e}");
            Exit::CouldNotRun
        })?;
        let store = Store::open(&url).await.map_err(|e| {
            eprintln!("error: {e}");
            Exit::CouldNotRun
        })?;
        let result = f(store.clone()).await;
        store.close().await;
        result.map_err(|e| {
            eprintln!("error: {e}");
            Exit::CouldNotRun
        })
    })?
}

fn print_diff(diff: &ArrangementDiff) {
    let list = |v: &[NaiveDate]| {
        v.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (label, days) in [
        ("新增放假", &diff.days_off_added),
        ("取消放假", &diff.days_off_removed),
        ("新增调休上班", &diff.make_up_added),
        ("取消调休上班", &diff.make_up_removed),
    ] {
        if !days.is_empty() {
            eprintln!("  {label}: {}", list(days));
        }
    }
}

fn load(file: &std::path::Path, apply: bool, store: &StoreArgs) -> Exit {
    let text = match crate::text_file::read_document("safeduty calendar load", file) {
        Ok(t) => t,
        Err(exit) => return exit,
    };
    let notice = match safeduty_plan::notice::parse_notice(&text) {
        Ok(n) => n,
        Err(e) => {
            eprintln!(
                "safeduty calendar load: {} 未能完整读取，未载入任何日期：",
                file.display()
            );
            for p in e.problems() {
                eprintln!("  {}", p.message);
            }
            return Exit::NotAcceptable;
        }
    };
    let a = &notice.arrangement;
    eprintln!("{}年 放假 {} 天：", notice.year, a.days_off.len());
    for d in &a.days_off {
        println!("{d}");
    }
    eprintln!("{}年 调休上班 {} 天：", notice.year, a.make_up_days.len());
    for d in &a.make_up_days {
        println!("{d}");
    }
    if !apply {
        eprintln!("（未保存；加 --apply 保存）");
        return Exit::Done;
    }
    let source = file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let year = notice.year;
    let outcome = with_store(store, |s| async move {
        safeduty_app::calendar::save_as(&s, &Who::system(), &notice, source).await
    });
    match outcome {
        Ok(SaveOutcome::Added) => eprintln!("已保存 {year} 年安排"),
        Ok(SaveOutcome::Unchanged) => eprintln!("{year} 年安排与已有的相同，未修改"),
        Ok(SaveOutcome::Replaced(diff)) => {
            eprintln!("{year} 年安排与已有的不同，已替换：");
            print_diff(&diff);
        }
        Err(exit) => return exit,
    }
    Exit::Done
}
