//! `safeduty serve [--listen ADDR] [--public-listen ADDR] [--data DIR] [--database-url URL]
//! [--demo] [--today DATE]`.

use std::net::SocketAddr;

use chrono::NaiveDate;
use clap::Args;
use safeduty_core::calendar::Calendar;
use safeduty_store::{Store, demo, org};
use safeduty_web::{AppState, Clock, WebConfig};

use crate::exit::Exit;
use crate::store_args::StoreArgs;

/// The demo runs on this date: inside the 2024 campaign's self-inspection phase.
pub(crate) const DEMO_TODAY: &str = "2024-06-20";
/// The demo password when `SAFEDUTY_DEMO_PASSWORD` is not set.
const DEFAULT_DEMO_PASSWORD: &str = "Demo-2024";

/// Arguments of `safeduty serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Also serve the public pages (一公开: published draws and inspection outcomes) on this
    /// address, without login, for a reverse proxy to publish; nothing else is routed there.
    #[arg(long)]
    public_listen: Option<SocketAddr>,
    /// Requests per minute one client address may make to the public pages (then 429).
    #[arg(long, default_value_t = 120, requires = "public_listen", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    public_per_minute: u32,
    /// Days a typical case's exposure stays on the public pages after its publication.
    #[arg(long, default_value_t = safeduty_app::enforcement::exposures::DEFAULT_EXPOSURE_DAYS, value_parser = clap::value_parser!(u32).range(1..=3650))]
    exposure_days: u32,
    #[command(flatten)]
    store: StoreArgs,
    /// On an empty store, create the demo: the 2024 campaign from the embedded template, about
    /// 300 fictional enterprises, one account per role, and activity. The clock is set to
    /// 2024-06-20 unless --today says otherwise.
    #[arg(long)]
    demo: bool,
    /// Run with this date as today (YYYY-MM-DD), shown with a banner.
    #[arg(long, value_parser = parse_date)]
    today: Option<NaiveDate>,
    /// Mark cookies Secure and send HSTS (when served behind TLS).
    #[arg(long)]
    secure_cookies: bool,
    /// Whom users call about their account, shown on the login page (e.g. "区安委办 0771-1234567").
    #[arg(long, env = "SAFEDUTY_CONTACT")]
    contact: Option<String>,
    /// Largest file an upload accepts, in MiB (attachments are kept under DATA/attachments).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u16).range(1..=1024))]
    max_upload_mib: u16,
    /// Also send reminders to this group robot's webhook (http:// URL; it usually carries an
    /// access token, so prefer the environment variable).
    #[arg(long, env = "SAFEDUTY_WEBHOOK", hide_env_values = true)]
    webhook: Option<String>,
    /// The robot's message format: dingtalk, wecom or feishu.
    #[arg(long, default_value = "dingtalk", requires = "webhook")]
    webhook_format: safeduty_web::outbound::RobotFormat,
    /// Proxies (IP or CIDR, comma-separated or repeated) whose X-Forwarded-For is believed for
    /// the client address; from any other peer the header is ignored.
    #[arg(long, value_delimiter = ',', value_parser = safeduty_web::client_addr::parse_trusted_proxy)]
    trusted_proxy: Vec<ipnet::IpNet>,
    /// Denied requests (answers 403 and 404) one session may get from one address in a minute;
    /// then it is answered 429 until the minute ends, and the throttling is recorded once.
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u32).range(1..))]
    denials_per_minute: u32,
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    s.parse()
        .map_err(|_| format!("{s:?} is not a date (YYYY-MM-DD)"))
}

/// Runs the server until interrupted (Ctrl-C or SIGTERM).
pub fn run(args: ServeArgs) -> Exit {
    match crate::exit::block_on(serve(args)) {
        Err(exit) => exit,
        Ok(Ok(())) => Exit::Done,
        Ok(Err(e)) => {
            eprintln!("error: {e:#}");
            Exit::CouldNotRun
        }
    }
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    use anyhow::Context;
    // Bind first: a port in use is reported before anything is created on disk.
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("binding {}", args.listen))?;
    let public_listener = match args.public_listen {
        Some(addr) => Some(
            tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("binding {addr} (public pages)"))?,
        ),
        None => None,
    };
    let url = args.store.url()?;
    // Held until the server stops: `safeduty restore` and a second server refuse meanwhile.
    let _run_lock = safeduty_store::backup::run_lock(&url)?;
    let store = Store::open(&url)
        .await
        .with_context(|| format!("opening the store {}", url.redacted()))?;
    tracing::info!(database = %url.redacted(), "store open");
    let calendar = safeduty_store::calendar::effective(&store).await?;
    let mut today = args.today;
    if args.demo {
        let demo_today: NaiveDate = DEMO_TODAY.parse()?;
        today = today.or(Some(demo_today));
        seed_demo(&store, today.unwrap_or(demo_today), &calendar).await?;
    }
    let clock = today.map_or(Clock::System, Clock::Fixed);
    let outbound = match &args.webhook {
        Some(url) => Some(safeduty_web::outbound::Outbound::Webhook(
            safeduty_web::outbound::Webhook::new(url, args.webhook_format)
                .map_err(anyhow::Error::msg)?,
        )),
        None => None,
    };
    let state = AppState::new(
        store.clone(),
        calendar,
        clock,
        WebConfig {
            secure_cookies: args.secure_cookies,
            contact: args.contact.clone(),
            outbound,
            max_upload_bytes: usize::from(args.max_upload_mib) * 1024 * 1024,
            blobs: Some(std::sync::Arc::new(
                safeduty_store::attachments::LocalDisk::in_data_dir(
                    args.store
                        .data
                        .as_deref()
                        .unwrap_or(std::path::Path::new("./data")),
                ),
            )),
            trusted_proxies: args.trusted_proxy,
            denial_limits: safeduty_web::denials::DenialLimits {
                per_session: args.denials_per_minute,
                ..safeduty_web::denials::DenialLimits::default()
            },
            public_limits: safeduty_web::rate_limit::PublicLimits {
                per_address: args.public_per_minute,
                window: std::time::Duration::from_secs(60),
            },
            exposure_days: args.exposure_days,
            ..WebConfig::default()
        },
    );
    let jobs = safeduty_web::jobs::spawn_reminders(state.clone());
    let addr = listener.local_addr()?;
    // Both listeners stop on the same signal, and the public one also when the main one fails.
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let stop = std::sync::Arc::new(stop);
    let on_signal = {
        let stop = stop.clone();
        tokio::spawn(async move {
            shutdown_signal().await;
            let _ = stop.send(true);
        })
    };
    let until_stopped = |mut stopped: tokio::sync::watch::Receiver<bool>| async move {
        let _ = stopped.wait_for(|s| *s).await;
    };
    let public = match public_listener {
        Some(public_listener) => {
            let public_addr = public_listener.local_addr()?;
            println!("safeduty public pages on http://{public_addr}/public/");
            Some(tokio::spawn(safeduty_web::public::serve(
                public_listener,
                state.clone(),
                until_stopped(stopped.clone()),
            )))
        }
        None => None,
    };
    println!("safeduty listening on http://{addr}");
    if let Some(d) = clock.fixed() {
        println!("today is fixed at {d} (demo clock)");
    }
    let main = safeduty_web::serve(listener, state, until_stopped(stopped)).await;
    let _ = stop.send(true);
    on_signal.abort();
    if let Some(public) = public {
        public.await?.context("serving the public pages")?;
    }
    main?;
    jobs.abort();
    store.close().await;
    Ok(())
}

/// The demo accounts' password (`SAFEDUTY_DEMO_PASSWORD`, else [`DEFAULT_DEMO_PASSWORD`]) and
/// its hash.
///
/// # Errors
/// A password under 8 characters; hashing failures.
pub(crate) fn demo_password() -> anyhow::Result<(String, String)> {
    let password =
        std::env::var("SAFEDUTY_DEMO_PASSWORD").unwrap_or_else(|_| DEFAULT_DEMO_PASSWORD.into());
    if password.chars().count() < 8 {
        anyhow::bail!("SAFEDUTY_DEMO_PASSWORD must have at least 8 characters");
    }
    let hash = safeduty_web::auth::hash_password(&password)?;
    Ok((password, hash))
}

async fn seed_demo(store: &Store, today: NaiveDate, calendar: &Calendar) -> anyhow::Result<()> {
    let created = if org::is_empty(store).await? {
        let (password, hash) = demo_password()?;
        let d = demo::seed(
            store,
            &safeduty_plan::seed_template(),
            &hash,
            today,
            calendar,
        )
        .await?;
        println!(
            "demo created: {} ({} enterprises)",
            d.campaign.name, d.enterprises
        );
        Some(password)
    } else {
        None
    };
    match &created {
        Some(password) => println!("demo accounts (password: {password}):"),
        None => println!(
            "store is not empty: demo data not created again; the demo accounts keep the \
             password they were created with:"
        ),
    }
    // The user name first and the Chinese last, so that the columns line up in any terminal.
    for (username, display, _) in demo::ACCOUNTS {
        println!("  {username:<18} {display}");
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
