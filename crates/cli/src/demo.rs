//! `safeduty demo --scale N [--today DATE] [--concurrency C] [--data DIR | --database-url URL]`:
//! builds a city-scale store for measuring (issue 19), then `safeduty serve` serves it.

use std::time::Instant;

use chrono::NaiveDate;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use safeduty_store::Store;
use safeduty_store::city::{self, Stage};

use crate::exit::Exit;
use crate::store_args::StoreArgs;

/// Arguments of `safeduty demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Enterprises to create (1 to 153 600), over ⌈N/5000⌉ districts of 10 towns each.
    #[arg(long, default_value_t = 50_000)]
    scale: usize,
    /// The day the activity runs up to (YYYY-MM-DD); serve the store with the same --today.
    #[arg(long, default_value = crate::serve::DEMO_TODAY)]
    today: NaiveDate,
    /// Self-inspections and findings written this many at a time.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=256))]
    concurrency: u16,
    #[command(flatten)]
    store: StoreArgs,
}

/// Builds the city; exit 3 when the store is not empty or the scale is out of range.
pub fn run(args: DemoArgs) -> Exit {
    match crate::exit::block_on(generate(args)) {
        Err(exit) => exit,
        Ok(Ok(())) => Exit::Done,
        Ok(Err(e))
            if e.downcast_ref::<safeduty_store::StoreError>()
                .is_some_and(|e| matches!(e, safeduty_store::StoreError::Conflict(_))) =>
        {
            eprintln!("error: {e:#}");
            Exit::NotAcceptable
        }
        Ok(Err(e)) => {
            eprintln!("error: {e:#}");
            Exit::CouldNotRun
        }
    }
}

async fn generate(args: DemoArgs) -> anyhow::Result<()> {
    use anyhow::Context;
    let url = args.store.url()?;
    let _run_lock = safeduty_store::backup::run_lock(&url)?;
    let store = Store::open(&url)
        .await
        .with_context(|| format!("opening the store {}", url.redacted()))?;
    let calendar = safeduty_store::calendar::effective(&store).await?;
    let (password, hash) = crate::serve::demo_password()?;
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{msg:>16} [{bar:40}] {pos}/{len} {elapsed}")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    let started = Instant::now();
    let progress = |stage: Stage, done: usize, total: usize| {
        if bar.message() != stage.label() {
            bar.set_message(stage.label());
            bar.reset();
        }
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    };
    let c = city::generate(
        &store,
        &safeduty_plan::seed_template(),
        &hash,
        &calendar,
        city::Size {
            enterprises: args.scale,
            today: args.today,
            concurrency: usize::from(args.concurrency),
        },
        &progress,
    )
    .await?;
    bar.finish_and_clear();
    println!(
        "city created in {:.0} s: {} ({} districts, {} enterprises, {} accounts; self-inspections \
         {} submitted, {} drafts; {} findings)",
        started.elapsed().as_secs_f64(),
        c.campaign.name,
        c.districts,
        c.enterprises,
        c.accounts,
        c.submitted,
        c.drafts,
        c.findings
    );
    println!(
        "accounts (password: {password}): city-office, d01-office, d01-t01 (a town), d01-dept1 \
         (a department), and each enterprise by its credit code in lower case"
    );
    println!(
        "serve it with: safeduty serve --today {} and the same store options",
        args.today
    );
    store.close().await;
    Ok(())
}
