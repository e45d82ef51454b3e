//! City-scale benchmark (issue 19): prints figures, ceilings and ratios; asserts nothing on time.
//!
//! ```text
//! cargo bench -p safeduty-cli --bench city
//! CITY_SCALE=100000 CITY_DATA=/tmp/city100k cargo bench -p safeduty-cli --bench city
//! CITY_DATABASE_URL=postgres://root@127.0.0.1/safeduty_bench cargo bench -p safeduty-cli --bench city
//! ```
//!
//! - `CITY_SCALE` enterprises (default 50 000), built with `safeduty demo --scale` into `CITY_DATA`
//!   (default a folder under the system's temp dir, kept and reused by the next run) or, with
//!   `CITY_DATABASE_URL`, into that PostgreSQL database (created when missing, reused when full).
//! - `CITY_RUSH` submissions per concurrency level in W1 (default 300).
//!
//! Workloads: **W1** the deadline rush — enterprises logged in (before the clock starts) save
//! and submit their 31 answers through the JSON API at concurrency 1, 8, 32 and 64; submissions/s,
//! latency and the server's CPU per submission, beside the **bare ceiling** measured in the same
//! run on a copy of the same SQLite store: a program writing the same rows (the self-inspection,
//! its 31 items, a finding per 不符合 item, two hash-chained audit records) with plain SQL, one
//! transaction per submission and 100 per transaction. **W2** p50/p99 of the first page, the
//! overview, the enterprise list and the API list for the city office, a district office, a town
//! and a department, and a cheap page's p99 alone and under 42 logins/s. **W5** the server's
//! resident memory after each pass over the lists and its peak. The roster import (W3) is
//! `cargo bench -p safeduty-store --bench roster`.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use reqwest::header::SET_COOKIE;
use sha2::{Digest, Sha256};
use sqlx::{Connection, Row};

const BIN: &str = env!("CARGO_BIN_EXE_safeduty");
const TODAY: &str = "2024-06-20";
const PASSWORD: &str = "Bench-2024-city";
const LEVELS: [usize; 4] = [1, 8, 32, 64];

fn main() {
    let scale: usize = env_or("CITY_SCALE", 50_000);
    let rush: usize = env_or("CITY_RUSH", 300);
    let pg = std::env::var("CITY_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty());
    let data = std::env::var("CITY_DATA").map_or_else(
        |_| std::env::temp_dir().join(format!("safeduty-city-{scale}")),
        PathBuf::from,
    );
    std::fs::create_dir_all(&data).expect("data folder");
    let store_args: Vec<String> = match &pg {
        Some(url) => vec!["--database-url".into(), url.clone()],
        None => vec!["--data".into(), data.display().to_string()],
    };
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let db_url = pg
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}", data.join("safeduty.db").display()));
    if let Some(url) = &pg {
        rt.block_on(create_pg_database(url));
    }
    let built = rt.block_on(enterprise_count(&db_url));
    if built == 0 {
        println!("building the city: {scale} enterprises (safeduty demo --scale) …");
        let started = Instant::now();
        let status = Command::new(BIN)
            .args(["demo", "--scale", &scale.to_string(), "--today", TODAY])
            .args(&store_args)
            .env("SAFEDUTY_DEMO_PASSWORD", PASSWORD)
            .status()
            .expect("safeduty demo runs");
        assert!(status.success(), "safeduty demo failed");
        println!("built in {:.0} s", started.elapsed().as_secs_f64());
    } else {
        println!(
            "reusing the store with {built} enterprises ({})",
            redact(&db_url)
        );
    }
    let ceiling_copy = pg.is_none().then(|| copy_store(&data));

    let port = free_port();
    let mut server = Server::start(port, &store_args);
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(120))
        .pool_max_idle_per_host(128)
        .build()
        .expect("client");
    rt.block_on(wait_up(&http, &base));
    println!(
        "\nserver pid {}, {} MB resident after start\n",
        server.pid(),
        server.rss_mb()
    );

    // W2 and W5: the first pages and lists, three passes (CITY_SKIP_W2=1 skips them).
    let skip_w2 = std::env::var("CITY_SKIP_W2").is_ok_and(|v| v == "1");
    println!(
        "W2 — first pages and lists at {built_or} enterprises (p50 / p99 over 20 requests, body size)",
        built_or = built.max(scale)
    );
    let roles = [
        ("city-office", "市安委办"),
        ("d01-office", "区安委办"),
        ("d01-t01", "镇街"),
        ("d01-dept1", "行业部门"),
    ];
    let pages = ["/", "/overview", "/enterprises", "/api/v1/enterprises"];
    let mut rss_after = Vec::new();
    for pass in 0..if skip_w2 { 0 } else { 3 } {
        for (username, label) in roles {
            let s = rt
                .block_on(login(&http, &base, username, 1))
                .expect("unit login");
            for page in pages {
                // The first pass measures; the next two only walk the lists again (W5: flat memory).
                let n = if pass == 0 { 20 } else { 2 };
                let (p50, p99, bytes, status) = rt.block_on(sample(&http, &base, &s, page, n));
                if pass == 0 {
                    println!(
                        "  {label:<6} {page:<22} p50 {p50:>8.1} ms  p99 {p99:>8.1} ms  {:>9.1} KB  ({status})",
                        bytes as f64 / 1024.0
                    );
                }
            }
        }
        rss_after.push(server.rss_mb());
    }
    println!("W5 — resident memory after each pass over the lists: {rss_after:?} MB\n");

    // The login burst: a cheap page's p99 alone and under 42 logins/s.
    let town = rt
        .block_on(login(&http, &base, "d01-t01", 2))
        .expect("town login");
    let alone = rt.block_on(cheap_p99(&http, &base, &town, Duration::from_secs(5)));
    let burst = rt.block_on(async {
        let http2 = http.clone();
        let base2 = base.clone();
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stop2 = stop.clone();
        let burster = tokio::spawn(async move {
            let mut n = 0u32;
            let mut tick = tokio::time::interval(Duration::from_millis(1000 / 42));
            while !stop2.load(Ordering::Relaxed) {
                tick.tick().await;
                n += 1;
                let (h, b) = (http2.clone(), base2.clone());
                tokio::spawn(async move { login(&h, &b, "d01-office", 1000 + n).await });
            }
        });
        let p = cheap_p99(&http, &base, &town, Duration::from_secs(5)).await;
        stop.store(true, Ordering::Relaxed);
        let _ = burster.await;
        p
    });
    println!(
        "login burst — /inbox p99 {alone:.1} ms alone, {burst:.1} ms under 42 logins/s (target under 50 ms)\n"
    );

    // W1: the deadline rush.
    let fresh = rt.block_on(not_started(&db_url, rush * LEVELS.len()));
    assert!(
        fresh.len() >= rush * LEVELS.len(),
        "only {} enterprises have not started; build a larger city",
        fresh.len()
    );
    let clk_tck = clock_ticks();
    println!(
        "W1 — the deadline rush over HTTP ({rush} submissions a level; each saves then submits 31 answers)"
    );
    let mut best = 0.0f64;
    let mut best_cpu = f64::MAX;
    for (level, chunk) in LEVELS.iter().zip(fresh.chunks(rush)) {
        let sessions = rt.block_on(login_all(&http, &base, chunk));
        let cpu_before = server.cpu_ticks();
        let started = Instant::now();
        let lat = rt.block_on(rush_level(&http, &base, &sessions, *level));
        let secs = started.elapsed().as_secs_f64();
        let cpu_ms = (server.cpu_ticks() - cpu_before) as f64 * 1000.0 / clk_tck / lat.len() as f64;
        let rate = lat.len() as f64 / secs;
        best = best.max(rate);
        best_cpu = best_cpu.min(cpu_ms);
        let (p50, p99) = percentiles(lat);
        println!(
            "  concurrency {level:>2}: {rate:>7.1} submissions/s  p50 {p50:>7.1} ms  p99 {p99:>7.1} ms  server CPU {cpu_ms:.2} ms/submission"
        );
    }
    println!(
        "  peak resident memory of the server (W5): {} MB\n",
        server.peak_rss_mb()
    );
    server.stop();

    if let Some(copy) = ceiling_copy {
        let n = rush * 2;
        let ids = rt.block_on(not_started(&format!("sqlite://{}", copy.display()), n));
        let (one, one_cpu) = rt.block_on(ceiling(&copy, &ids[..ids.len() / 2], 1));
        let (batched, batched_cpu) = rt.block_on(ceiling(&copy, &ids[ids.len() / 2..], 100));
        println!("bare ceiling (same rows, plain SQL, same pragmas, on a copy of the store):");
        println!(
            "  one transaction per submission: {one:>8.1} submissions/s, CPU {one_cpu:.2} ms/submission"
        );
        println!(
            "  100 submissions per transaction: {batched:>7.1} submissions/s, CPU {batched_cpu:.2} ms/submission"
        );
        println!(
            "W1 ratio: best {best:.1}/s is {:.1} % of the batched ceiling (target ≥ 50 %) and {:.1} % of one per transaction; server CPU {best_cpu:.2} ms is {:.1}× the ceiling's {one_cpu:.2} ms (target ≤ 2×)",
            100.0 * best / batched,
            100.0 * best / one,
            best_cpu / one_cpu
        );
    } else {
        println!("(the bare ceiling is measured on SQLite only)");
    }
}

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

fn redact(url: &str) -> String {
    url.split('?').next().unwrap_or(url).to_string()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

fn clock_ticks() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok()?.trim().parse().ok())
        .unwrap_or(100.0)
}

/// The SQLite store copied (with its WAL) for the ceiling to write into.
fn copy_store(data: &Path) -> PathBuf {
    let dir = data.join("ceiling");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("ceiling folder");
    for suffix in ["", "-wal"] {
        let from = data.join(format!("safeduty.db{suffix}"));
        if from.exists() {
            std::fs::copy(&from, dir.join(format!("safeduty.db{suffix}"))).expect("copy");
        }
    }
    dir.join("safeduty.db")
}

struct Server {
    child: Child,
}

impl Server {
    fn start(port: u16, store_args: &[String]) -> Server {
        let child = Command::new(BIN)
            .args([
                "serve",
                "--listen",
                &format!("127.0.0.1:{port}"),
                "--today",
                TODAY,
            ])
            .args([
                "--trusted-proxy",
                "127.0.0.1",
                "--denials-per-minute",
                "1000000",
            ])
            .args(store_args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("safeduty serve starts");
        Server { child }
    }
    fn pid(&self) -> u32 {
        self.child.id()
    }
    fn status_field(&self, field: &str) -> u64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.pid()))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with(field))?
                    .split_whitespace()
                    .nth(1)?
                    .parse()
                    .ok()
            })
            .unwrap_or(0)
    }
    fn rss_mb(&self) -> u64 {
        self.status_field("VmRSS:") / 1024
    }
    fn peak_rss_mb(&self) -> u64 {
        self.status_field("VmHWM:") / 1024
    }
    fn cpu_ticks(&self) -> u64 {
        let stat =
            std::fs::read_to_string(format!("/proc/{}/stat", self.pid())).unwrap_or_default();
        // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
        let rest = stat.rsplit(')').next().unwrap_or("");
        let f: Vec<u64> = rest
            .split_whitespace()
            .map(|x| x.parse().unwrap_or(0))
            .collect();
        f.get(11).copied().unwrap_or(0) + f.get(12).copied().unwrap_or(0)
    }
    fn stop(&mut self) {
        let _ = Command::new("kill").arg(self.pid().to_string()).status();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            self.stop();
        }
    }
}

async fn wait_up(http: &reqwest::Client, base: &str) {
    for _ in 0..600 {
        if http
            .get(format!("{base}/healthz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the server did not come up");
}

#[derive(Clone)]
struct Session {
    cookie: String,
    csrf: String,
}

/// Logs in as `username` from the address 10.(n)…, so that the per-address login limit sees
/// many clients as it would in a real rush.
async fn login(http: &reqwest::Client, base: &str, username: &str, n: u32) -> Option<Session> {
    let res = http
        .post(format!("{base}/api/v1/login"))
        .header(
            "x-forwarded-for",
            format!("10.{}.{}.{}", n >> 16 & 255, n >> 8 & 255, n & 255),
        )
        .json(&serde_json::json!({ "username": username, "password": PASSWORD }))
        .send()
        .await
        .ok()?;
    if !res.status().is_success() {
        return None;
    }
    let cookie = res
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok()?.split(';').next().map(str::to_string))
        .collect::<Vec<_>>()
        .join("; ");
    let body: serde_json::Value = res.json().await.ok()?;
    Some(Session {
        cookie,
        csrf: body["csrf_token"].as_str()?.to_string(),
    })
}

async fn sample(
    http: &reqwest::Client,
    base: &str,
    s: &Session,
    page: &str,
    n: usize,
) -> (f64, f64, usize, u16) {
    let mut lat = Vec::with_capacity(n);
    let (mut bytes, mut status) = (0, 0);
    for i in 0..n + 2 {
        let started = Instant::now();
        let res = http
            .get(format!("{base}{page}"))
            .header("cookie", &s.cookie)
            .send()
            .await
            .expect("request");
        status = res.status().as_u16();
        bytes = res.bytes().await.map_or(0, |b| b.len());
        if i >= 2 {
            lat.push(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    let (p50, p99) = percentiles(lat);
    (p50, p99, bytes, status)
}

async fn cheap_p99(http: &reqwest::Client, base: &str, s: &Session, for_: Duration) -> f64 {
    let started = Instant::now();
    let mut lat = Vec::new();
    while started.elapsed() < for_ {
        let t = Instant::now();
        let res = http
            .get(format!("{base}/inbox"))
            .header("cookie", &s.cookie)
            .send()
            .await
            .expect("request");
        let _ = res.bytes().await;
        lat.push(t.elapsed().as_secs_f64() * 1000.0);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    percentiles(lat).1
}

fn percentiles(mut v: Vec<f64>) -> (f64, f64) {
    if v.is_empty() {
        return (0.0, 0.0);
    }
    v.sort_by(f64::total_cmp);
    let at = |q: f64| v[((v.len() as f64 - 1.0) * q).round() as usize];
    (at(0.5), at(0.99))
}

/// Enterprises that have not started their self-inspection: (id, public id, account).
async fn not_started(url: &str, n: usize) -> Vec<(i64, String, String)> {
    let mut c = sqlx::AnyConnection::connect(url).await.expect("connect");
    sqlx::query(
        "SELECT e.id, e.public_id, u.username FROM enterprises e JOIN users u ON u.enterprise_id = e.id \
         WHERE NOT EXISTS (SELECT 1 FROM self_inspections s WHERE s.enterprise_id = e.id) \
         ORDER BY e.id LIMIT $1",
    )
    .bind(n as i64)
    .fetch_all(&mut c)
    .await
    .expect("enterprises not started")
    .iter()
    .map(|r| (r.get(0), r.get(1), r.get(2)))
    .collect()
}

async fn enterprise_count(url: &str) -> usize {
    sqlx::any::install_default_drivers();
    let Ok(mut c) = sqlx::AnyConnection::connect(url).await else {
        return 0;
    };
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM enterprises")
        .fetch_one(&mut c)
        .await
        .map_or(0, |n| n as usize)
}

async fn create_pg_database(url: &str) {
    sqlx::any::install_default_drivers();
    let (server, name) = url.rsplit_once('/').expect("a database name in the URL");
    let name = name.split('?').next().unwrap_or(name);
    let mut c = sqlx::AnyConnection::connect(&format!("{server}/postgres"))
        .await
        .expect("connect to postgres");
    let exists: Option<i64> =
        sqlx::query_scalar("SELECT 1::BIGINT FROM pg_database WHERE datname = $1")
            .bind(name)
            .fetch_optional(&mut c)
            .await
            .expect("pg_database");
    if exists.is_none() {
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
            .execute(&mut c)
            .await
            .expect("create database");
    }
}

async fn login_all(
    http: &reqwest::Client,
    base: &str,
    who: &[(i64, String, String)],
) -> Vec<(String, Session)> {
    let n = AtomicUsize::new(0);
    let mut out = Vec::with_capacity(who.len());
    for (_, public_id, username) in who {
        let k = n.fetch_add(1, Ordering::Relaxed) as u32 + 100_000;
        let s = login(http, base, username, k)
            .await
            .expect("enterprise login");
        out.push((public_id.clone(), s));
    }
    out
}

/// Item `n`'s answer and note in the rush: 不符合 on items 7 and 19, 符合 elsewhere.
fn item(n: i64) -> (&'static str, &'static str) {
    match n {
        7 | 19 => ("non_conform", "培训记录不全，需补充"),
        _ => ("conform", ""),
    }
}

fn answers() -> serde_json::Value {
    let items: Vec<serde_json::Value> = (1..=31)
        .map(|n| {
            let (answer, note) = item(n);
            serde_json::json!({"item": n, "answer": answer, "note": note})
        })
        .collect();
    serde_json::json!({ "answers": items })
}

/// Each session saves then submits; `level` at a time. Latency of save + submit per enterprise.
async fn rush_level(
    http: &reqwest::Client,
    base: &str,
    sessions: &[(String, Session)],
    level: usize,
) -> Vec<f64> {
    use futures::StreamExt;
    let body = answers();
    futures::stream::iter(sessions.iter().cloned())
        .map(|(id, s)| {
            let (http, body) = (http.clone(), body.clone());
            let base = base.to_string();
            async move {
                let started = Instant::now();
                let url = format!("{base}/api/v1/enterprises/{id}/self-inspection");
                let put = http
                    .put(&url)
                    .header("cookie", &s.cookie)
                    .header("x-csrf-token", &s.csrf)
                    .json(&body)
                    .send()
                    .await
                    .expect("save");
                assert!(put.status().is_success(), "save: {}", put.status());
                let post = http
                    .post(format!("{url}/submit"))
                    .header("cookie", &s.cookie)
                    .header("x-csrf-token", &s.csrf)
                    .json(&body)
                    .send()
                    .await
                    .expect("submit");
                assert!(post.status().is_success(), "submit: {}", post.status());
                started.elapsed().as_secs_f64() * 1000.0
            }
        })
        .buffer_unordered(level)
        .collect()
        .await
}

/// The bare ceiling: the rows of `ids.len()` submissions written with plain SQL on one
/// connection (the store's pragmas), `per_tx` submissions a transaction. Submissions/s and this
/// process's CPU per submission.
async fn ceiling(db: &Path, ids: &[(i64, String, String)], per_tx: usize) -> (f64, f64) {
    use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
    let opts = SqliteConnectOptions::new()
        .filename(db)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true);
    let mut c = sqlx::SqliteConnection::connect_with(&opts)
        .await
        .expect("ceiling db");
    let campaign: i64 = sqlx::query_scalar("SELECT MAX(id) FROM campaigns")
        .fetch_one(&mut c)
        .await
        .expect("campaign");
    let (mut seq, mut prev): (i64, String) =
        sqlx::query_as("SELECT seq, hash FROM audit_records ORDER BY seq DESC LIMIT 1")
            .fetch_one(&mut c)
            .await
            .expect("audit head");
    // As tight as plain SQL gets: the texts made once, each table's rows in one statement.
    let after = answers().to_string();
    let items_sql = format!(
        "INSERT INTO self_inspection_items (self_inspection_id, item_number, answer, note, created_at, \
         updated_at) VALUES {}",
        (1..=31)
            .map(|n| {
                let (answer, note) = item(n);
                format!("($1, {n}, '{answer}', '{note}', $2, $2)")
            })
            .collect::<Vec<_>>()
            .join(", ")
    );
    let cpu0 = own_cpu_ms();
    let started = Instant::now();
    for chunk in ids.chunks(per_tx) {
        let mut tx = c.begin().await.expect("begin");
        let now = chrono::Utc::now().to_rfc3339();
        for (enterprise, public_id, _) in chunk {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO self_inspections (campaign_id, enterprise_id, status, version, submitted_on, \
                 submitted_at, created_at, updated_at) VALUES ($1, $2, 'submitted', 2, $3, $4, $4, $4) RETURNING id",
            )
            .bind(campaign)
            .bind(enterprise)
            .bind(TODAY)
            .bind(&now)
            .fetch_one(&mut *tx)
            .await
            .expect("self-inspection");
            sqlx::query(sqlx::AssertSqlSafe(items_sql.as_str()))
                .bind(id)
                .bind(&now)
                .execute(&mut *tx)
                .await
                .expect("items");
            sqlx::query(
                "INSERT INTO findings (public_id, campaign_id, enterprise_id, source, self_inspection_id, \
                 item_number, category, grade, description, status, opened_on, due_on, created_at, updated_at) \
                 VALUES ($1, $3, $4, 'self_inspection', $5, 7, 'problem', 'general', $6, 'open', $7, $7, $8, $8), \
                 ($2, $3, $4, 'self_inspection', $5, 19, 'problem', 'general', $6, 'open', $7, $7, $8, $8)",
            )
            .bind(format!("{:032x}", rand_id(id, 7)))
            .bind(format!("{:032x}", rand_id(id, 19)))
            .bind(campaign)
            .bind(enterprise)
            .bind(id)
            .bind(item(7).1)
            .bind(TODAY)
            .bind(&now)
            .execute(&mut *tx)
            .await
            .expect("findings");
            let mut hashes = Vec::with_capacity(2);
            for event in ["self_inspection_saved", "self_inspection_submitted"] {
                seq += 1;
                let hash = hex(Sha256::digest(format!(
                    "{prev}|{seq}|{event}|{public_id}|{after}"
                )));
                hashes.push((seq, event, std::mem::replace(&mut prev, hash.clone()), hash));
            }
            let mut q = sqlx::query(
                "INSERT INTO audit_records (seq, at, actor_role, event, target_kind, target_id, \
                 after_state, result, prev_hash, hash, created_at, updated_at) VALUES \
                 ($1, $2, 'enterprise_user', $3, 'self_inspection', $4, $5, 'ok', $6, $7, $2, $2), \
                 ($8, $2, 'enterprise_user', $9, 'self_inspection', $4, $5, 'ok', $10, $11, $2, $2)",
            )
            .bind(hashes[0].0)
            .bind(&now)
            .bind(hashes[0].1)
            .bind(public_id)
            .bind(&after)
            .bind(&hashes[0].2)
            .bind(&hashes[0].3);
            q = q
                .bind(hashes[1].0)
                .bind(hashes[1].1)
                .bind(&hashes[1].2)
                .bind(&hashes[1].3);
            q.execute(&mut *tx).await.expect("audit");
        }
        sqlx::query("UPDATE audit_head SET seq = $1, last_hash = $2, updated_at = $3")
            .bind(seq)
            .bind(&prev)
            .bind(&now)
            .execute(&mut *tx)
            .await
            .expect("audit head");
        tx.commit().await.expect("commit");
    }
    let secs = started.elapsed().as_secs_f64();
    let cpu = own_cpu_ms() - cpu0;
    (ids.len() as f64 / secs, cpu / ids.len() as f64)
}

fn rand_id(id: i64, n: i64) -> u128 {
    (u128::from(id as u64) << 64) | u128::from(n as u64) | 0xbe7c_0000_0000
}

fn hex(bytes: impl AsRef<[u8]>) -> String {
    bytes.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// This process's CPU time (user + system), in milliseconds.
fn own_cpu_ms() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let rest = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<f64> = rest
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0.0))
        .collect();
    (f.get(11).copied().unwrap_or(0.0) + f.get(12).copied().unwrap_or(0.0)) * 1000.0 / clock_ticks()
}
