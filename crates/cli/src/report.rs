//! `safeduty report build --kind stage|annual --unit CODE -o FILE.docx`: a unit's (or the
//! committee office's region's) stage or annual report as a GB/T 9704 `.docx`, with its
//! figures as of the period's end and the text of the unit's saved draft, for scripted use
//! (issue #15 point 7).

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use safeduty_app::report_builds::{self, Subject};
use safeduty_core::policy::Scope;
use safeduty_core::reporting::{ReportKind, report_of_kind, reports_due};
use safeduty_store::reports::{self, Named};
use safeduty_store::{Store, StoreError};

use crate::exit::Exit;
use crate::store_args::StoreArgs;

/// Report subcommands.
#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Build a stage or annual report as .docx (GB/T 9704). Exit 0 when written, 3 when the unit
    /// or the report is unknown or the period has not ended, 1 when the store or the file
    /// cannot be used.
    Build(BuildArgs),
}

/// Which report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    /// The stage report (阶段性进展情况), on the self-inspection phase.
    Stage,
    /// The annual report (年度工作情况), on the year.
    Annual,
}

/// Arguments of `safeduty report build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The report.
    #[arg(long, value_enum)]
    kind: Kind,
    /// A region's code (its town's or subdistrict's unit; for a region with a committee office
    /// and no territorial unit, the office's report on the whole region), or the exact name of
    /// an industry department.
    #[arg(long)]
    unit: String,
    /// The file to write (.docx).
    #[arg(short = 'o', long = "output")]
    output: PathBuf,
    /// The document's date (YYYY-MM-DD) [default: today in China Standard Time].
    #[arg(long)]
    date: Option<NaiveDate>,
    /// The document number (发文字号), e.g. 东安办〔2024〕3号.
    #[arg(long, default_value = "")]
    number: String,
    #[command(flatten)]
    store: StoreArgs,
}

/// Runs a report subcommand.
pub fn run(cmd: ReportCommand) -> Exit {
    match cmd {
        ReportCommand::Build(args) => match crate::exit::block_on(build(args)) {
            Err(exit) => exit,
            Ok(Ok(path)) => {
                println!("written: {}", path.display());
                Exit::Done
            }
            Ok(Err((exit, message))) => {
                eprintln!("error: {message}");
                exit
            }
        },
    }
}

type Failure = (Exit, String);

fn could_not_run(e: impl std::fmt::Display) -> Failure {
    (Exit::CouldNotRun, e.to_string())
}

async fn build(args: BuildArgs) -> Result<PathBuf, Failure> {
    let url = args.store.existing_url().map_err(could_not_run)?;
    let store = Store::open(&url).await.map_err(could_not_run)?;
    let out = build_in(&store, &args).await;
    store.close().await;
    let bytes = out?;
    std::fs::write(&args.output, bytes)
        .map_err(|e| could_not_run(format!("{}: {e}", args.output.display())))?;
    Ok(args.output.clone())
}

async fn build_in(store: &Store, args: &BuildArgs) -> Result<Vec<u8>, Failure> {
    let named = match reports::named(store, args.unit.trim()).await {
        Ok(n) => n,
        Err(StoreError::NotFound) => {
            return Err((
                Exit::NotAcceptable,
                format!("no unit or region with the code or name {:?}", args.unit),
            ));
        }
        Err(e) => return Err(could_not_run(e)),
    };
    let (subject, path) = match named {
        Named::Unit(unit) => {
            let office = reports::committee_office(store, &unit.region_path)
                .await
                .map_err(could_not_run)?
                .unwrap_or_default();
            let path = unit.region_path.clone();
            (Subject::Unit { unit, office }, path)
        }
        Named::Region { path, office } => {
            let parent = path
                .trim_end_matches('/')
                .rsplit_once('/')
                .map(|(p, _)| format!("{p}/"));
            let addressee = match parent {
                Some(p) if !p.is_empty() && p != "/" => reports::committee_office(store, &p)
                    .await
                    .map_err(could_not_run)?
                    .unwrap_or_default(),
                _ => String::new(),
            };
            (
                Subject::Region {
                    path: path.clone(),
                    office,
                    addressee,
                },
                path,
            )
        }
    };
    let campaign =
        safeduty_store::campaigns::current_for(store, &Scope::RegionSubtree { region_path: path })
            .await
            .map_err(could_not_run)?
            .ok_or_else(|| {
                (
                    Exit::NotAcceptable,
                    "no campaign runs in that region".to_string(),
                )
            })?;
    let calendar = safeduty_store::calendar::effective(store)
        .await
        .map_err(could_not_run)?;
    let kind = match args.kind {
        Kind::Stage => ReportKind::Stage,
        Kind::Annual => ReportKind::Annual,
    };
    let due = reports_due(&campaign.template, campaign.year, &calendar);
    let report = report_of_kind(&campaign.template, &due, kind).ok_or_else(|| {
        (
            Exit::NotAcceptable,
            format!("the campaign's template has no {} report", kind.label()),
        )
    })?;
    let date = args.date.unwrap_or_else(|| {
        chrono::Utc::now()
            .with_timezone(&chrono_tz::Asia::Shanghai)
            .date_naive()
    });
    if let Err(opens) = report.check_open(date) {
        return Err((
            Exit::NotAcceptable,
            format!(
                "“{}” reports on a period that ends {opens}: it can be built from then on \
                 (document date {date})",
                report.name
            ),
        ));
    }
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{msg:>12} [{bar:40}] {pos}/{len} {elapsed}")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    bar.set_message("units");
    let mut progress = |done: usize, total: usize| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    };
    let figures = report_builds::figures(store, &campaign, &subject, &report, &mut progress)
        .await
        .map_err(|e| could_not_run(format!("{e:?}")))?;
    bar.finish_and_clear();
    let sections = report_builds::saved_sections(store, &campaign, &subject, &report.key)
        .await
        .map_err(|e| could_not_run(format!("{e:?}")))?;
    let doc = report_builds::document(
        &campaign,
        &subject,
        &report,
        figures,
        sections,
        &args.number,
        date,
    )
    .map_err(|e| could_not_run(format!("{e:?}")))?;
    doc.to_docx().map_err(could_not_run)
}
