//! The kill -9 drill (issue #16 point 8): the real `safeduty serve --demo` on a fresh store takes
//! writes from several clients at once and is killed with SIGKILL N times while they are in
//! flight, each time restarted on the same store. At the end every acknowledged write must be
//! there, `safeduty audit verify` must exit 0 and, on SQLite, `PRAGMA integrity_check` must answer
//! `ok`; the counts are printed. A write the server never answered may be there or not.
//!
//! The write is an officer opening a finding (`POST /enterprises/{id}/findings`, the form the
//! pages use, answered 303 to the new finding) with a description that names the client and the
//! attempt, so that each acknowledged write can be looked up by its finding's public id and
//! compared.
//!
//! N is `SAFEDUTY_DRILL_KILLS` ([`DEFAULT_KILLS`] when unset, as CI runs it);
//! `scripts/kill-drill 100` runs it with 100. It runs on SQLite, and also on PostgreSQL when
//! `SAFEDUTY_TEST_DATABASE_URL` is set (there the integrity check is SQLite's and is skipped).

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, COOKIE, LOCATION, SET_COOKIE};
use safeduty_store::{Backend, DatabaseUrl, Store};

/// Kills when `SAFEDUTY_DRILL_KILLS` is unset: a few seconds in CI.
const DEFAULT_KILLS: u32 = 3;
/// The demo accounts' password (`safeduty serve --demo`).
const PASSWORD: &str = "Demo-2024";
/// The clients, by the demo account each logs in as: two sessions of each officer role that may
/// open a finding (committee office, territorial unit, industry department).
const CLIENTS: [&str; 6] = [
    "demo-office",
    "demo-office",
    "demo-town",
    "demo-town",
    "demo-dept",
    "demo-dept",
];
/// How the drill's findings start their description.
const MARK: &str = "断电演练";
/// Acknowledged writes each life of the server must see before it is killed (and the last one
/// before it is stopped): the kill comes while writes are flowing.
const ACKS_PER_LIFE: u64 = 3;
/// How long a life may take to reach [`ACKS_PER_LIFE`].
const LIFE_TIMEOUT: Duration = Duration::from_secs(120);

/// Where the server keeps its data: a data directory (attachments, and the SQLite file unless
/// `database_url` names another database).
pub(crate) struct Target {
    pub(crate) data: PathBuf,
    pub(crate) database_url: Option<DatabaseUrl>,
}

impl Target {
    fn url(&self) -> DatabaseUrl {
        self.database_url
            .clone()
            .unwrap_or_else(|| DatabaseUrl::existing_in_data_dir(&self.data))
    }

    /// `--data DIR [--database-url URL]`, for `serve` and `audit verify`.
    fn args(&self, cmd: &mut Command) {
        cmd.arg("--data").arg(&self.data);
        if let Some(url) = &self.database_url {
            cmd.arg("--database-url").arg(url.as_str());
        }
        cmd.env_remove("DATABASE_URL");
    }
}

/// A running `safeduty serve --demo`: killed (SIGKILL) and reaped when dropped, also when the
/// test panics, so that no server outlives the test.
pub(crate) struct Server {
    child: Child,
    /// `http://ADDR` of the application.
    pub(crate) base: String,
    /// `http://ADDR/public/` of the public pages, when `--public-listen` was given.
    pub(crate) public: Option<String>,
}

impl Server {
    /// Starts the server on a free port and waits until it reports its address (after the demo
    /// is seeded on the first start). Its log is appended to `log`.
    fn start(target: &Target, log: &Path) -> Server {
        Server::start_with(target, log, &[])
    }

    /// [`Server::start`] with more arguments of `serve` (e.g. `--public-listen 127.0.0.1:0`).
    pub(crate) fn start_with(target: &Target, log: &Path, extra: &[&str]) -> Server {
        let log_file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .expect("server log");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_safeduty"));
        cmd.args(["serve", "--listen", "127.0.0.1:0", "--demo"]);
        cmd.args(extra);
        target.args(&mut cmd);
        cmd.env("SAFEDUTY_DEMO_PASSWORD", PASSWORD)
            .env_remove("SAFEDUTY_WEBHOOK")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log_file));
        let mut child = cmd.spawn().expect("the safeduty binary starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut server = Server {
            child,
            base: String::new(),
            public: None,
        };
        let (tx, rx) = std::sync::mpsc::channel();
        // Reads stdout to its end, so that the server never blocks on a full pipe. The public
        // pages' address comes before the application's.
        std::thread::spawn(move || {
            let mut public = None;
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(p) = line.strip_prefix("safeduty public pages on ") {
                    public = Some(p.to_string());
                }
                if let Some(base) = line.strip_prefix("safeduty listening on ") {
                    let _ = tx.send((base.to_string(), public.take()));
                }
            }
        });
        match rx.recv_timeout(Duration::from_secs(180)) {
            Ok((base, public)) => {
                server.base = base;
                server.public = public;
            }
            Err(e) => panic!(
                "the server did not report its address ({e}); its log: {}",
                log.display()
            ),
        }
        server
    }

    /// Kills the server with SIGKILL (`Child::kill` on Unix) and reaps it.
    ///
    /// # Panics
    /// When the server had already exited by itself.
    fn kill(mut self) {
        if let Ok(Some(status)) = self.child.try_wait() {
            panic!("the server exited by itself with {status}");
        }
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reap");
    }

    /// Stops the server as an operator does (SIGTERM) and checks that it exits cleanly.
    pub(crate) fn stop(mut self) {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status();
        assert!(sent.is_ok_and(|s| s.success()), "SIGTERM to {pid}");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            match self.child.try_wait().expect("wait") {
                Some(status) => {
                    assert!(status.success(), "the server stopped with {status}");
                    return;
                }
                None if Instant::now() > deadline => {
                    panic!("the server did not stop within 30 s of SIGTERM")
                }
                None => std::thread::sleep(Duration::from_millis(50)),
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

/// What the clients share with the drill: the server's current address and the tallies.
#[derive(Default)]
struct Shared {
    base: RwLock<String>,
    stop: AtomicBool,
    /// Writes attempted.
    sent: AtomicU64,
    /// Writes answered 303 to the new finding: (description, public id).
    acked: Mutex<Vec<(String, String)>>,
    acks: AtomicU64,
    /// Writes sent whose answer never came: cut off by a kill.
    unanswered: AtomicU64,
    /// Writes that found no server to connect to (killed, not yet up again): never sent.
    no_server: AtomicU64,
    /// Writes answered otherwise: status, and who and the start of the body.
    refused: Mutex<Vec<(StatusCode, String)>>,
}

impl Shared {
    fn base(&self) -> String {
        self.base.read().expect("base").clone()
    }
}

/// `application/x-www-form-urlencoded` of `fields`.
fn form(fields: &[(&str, &str)]) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    char::from(b).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A logged-in client: its cookie header and CSRF token.
struct Session {
    cookie: String,
    csrf: String,
}

/// Logs `username` in through the JSON API, retrying while the server is down.
async fn login(http: &reqwest::Client, shared: &Shared, username: &str) -> Option<Session> {
    let started = Instant::now();
    while !shared.stop.load(Ordering::Relaxed) {
        assert!(started.elapsed() < LIFE_TIMEOUT, "{username} cannot log in");
        let res = http
            .post(format!("{}/api/v1/login", shared.base()))
            .json(&serde_json::json!({ "username": username, "password": PASSWORD }))
            .send()
            .await;
        let Ok(res) = res else {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        assert_eq!(res.status(), StatusCode::OK, "{username} logs in");
        let cookie = res
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok()?.split(';').next().map(str::to_string))
            .collect::<Vec<_>>()
            .join("; ");
        let Ok(body) = res.json::<serde_json::Value>().await else {
            continue;
        };
        let csrf = body["csrf_token"].as_str().expect("csrf_token").to_string();
        return Some(Session { cookie, csrf });
    }
    None
}

/// The public ids of the first enterprises in the session's scope.
async fn enterprises(http: &reqwest::Client, shared: &Shared, s: &Session) -> Option<Vec<String>> {
    let res = http
        .get(format!("{}/api/v1/enterprises", shared.base()))
        .header(COOKIE, &s.cookie)
        .send()
        .await
        .ok()?;
    assert_eq!(res.status(), StatusCode::OK, "enterprises");
    // One page of the paged list: `{ total, page, page_size, rows }`.
    let page: serde_json::Value = res.json().await.ok()?;
    let ids: Vec<String> = page["rows"]
        .as_array()?
        .iter()
        .take(8)
        .filter_map(|r| r["id"].as_str().map(str::to_string))
        .collect();
    assert!(!ids.is_empty(), "enterprises in scope");
    Some(ids)
}

/// One client: logs in, then opens findings one after the other until told to stop, recording
/// each answer.
async fn client(n: usize, username: &'static str, shared: Arc<Shared>) {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .expect("HTTP client");
    let Some(mut session) = login(&http, &shared, username).await else {
        return;
    };
    let ids = loop {
        if shared.stop.load(Ordering::Relaxed) {
            return;
        }
        match enterprises(&http, &shared, &session).await {
            Some(ids) => break ids,
            None => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    };
    let mut seq = 0usize;
    while !shared.stop.load(Ordering::Relaxed) {
        seq += 1;
        let description = format!("{MARK} 客户端{n}（{username}）第{seq}次写入");
        let token = format!("drill-{n}-{seq}");
        let body = form(&[
            ("token", &token),
            ("source", "enforcement"),
            ("category", "hazard"),
            ("grade", "general"),
            ("location", "演练现场"),
            ("description", &description),
            ("due_on", "2024-07-10"),
        ]);
        shared.sent.fetch_add(1, Ordering::Relaxed);
        let res = http
            .post(format!(
                "{}/enterprises/{}/findings",
                shared.base(),
                ids[seq % ids.len()]
            ))
            .header(COOKIE, &session.cookie)
            .header("X-CSRF-Token", &session.csrf)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await;
        let res = match res {
            Ok(res) => res,
            Err(e) => {
                if e.is_connect() {
                    shared.no_server.fetch_add(1, Ordering::Relaxed);
                } else {
                    shared.unanswered.fetch_add(1, Ordering::Relaxed);
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let status = res.status();
        let location = res
            .headers()
            .get(LOCATION)
            .and_then(|l| l.to_str().ok())
            .and_then(|l| l.strip_prefix("/findings/"))
            .map(str::to_string);
        match (status, location) {
            (StatusCode::SEE_OTHER, Some(id)) => {
                shared.acked.lock().expect("acked").push((description, id));
                shared.acks.fetch_add(1, Ordering::Relaxed);
            }
            _ => {
                // An answer cut short by the kill is unanswered, not refused.
                let Ok(text) = res.text().await else {
                    shared.unanswered.fetch_add(1, Ordering::Relaxed);
                    continue;
                };
                let excerpt: String = text.chars().take(200).collect();
                shared
                    .refused
                    .lock()
                    .expect("refused")
                    .push((status, format!("{username}: {excerpt}")));
                if status == StatusCode::UNAUTHORIZED {
                    match login(&http, &shared, username).await {
                        Some(s) => session = s,
                        None => return,
                    }
                }
            }
        }
    }
}

/// Waits until `shared` has seen `n` more acknowledged writes than `from`.
///
/// # Panics
/// When a client stopped (its panic is printed above) or the writes do not come in time.
async fn wait_for_acks(
    shared: &Shared,
    clients: &[tokio::task::JoinHandle<()>],
    from: u64,
    n: u64,
    life: u32,
) {
    let started = Instant::now();
    while shared.acks.load(Ordering::Relaxed) < from + n {
        assert!(
            !clients.iter().any(tokio::task::JoinHandle::is_finished),
            "a client stopped before the drill ended (see its panic above)"
        );
        assert!(
            started.elapsed() < LIFE_TIMEOUT,
            "life {life} of the server: fewer than {n} writes acknowledged in {LIFE_TIMEOUT:?}; \
             refused: {:?}",
            shared.refused.lock().expect("refused")
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// A small pseudo-random delay (0–250 ms) before each kill, so that kills land at different
/// points of the writes in flight.
fn jitter(state: &mut u64) -> Duration {
    *state = state
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    Duration::from_millis((*state >> 33) % 250)
}

/// The counts the drill prints.
#[derive(Debug)]
struct Report {
    kills: u32,
    sent: u64,
    no_server: u64,
    acknowledged: usize,
    unanswered: u64,
    refused: usize,
    found: usize,
    lost: Vec<String>,
    present: usize,
    audit_records: u64,
    integrity: String,
}

/// Runs the drill on `target` with `kills` kills and returns its counts.
fn drill(target: &Target, kills: u32, log: &Path) -> Report {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let shared = Arc::new(Shared::default());
    let mut server = Server::start(target, log);
    *shared.base.write().expect("base") = server.base.clone();
    let clients: Vec<_> = CLIENTS
        .iter()
        .enumerate()
        .map(|(n, u)| rt.spawn(client(n + 1, u, shared.clone())))
        .collect();
    let mut seed = u64::from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.subsec_nanos()),
    );
    for life in 1..=kills {
        let before = shared.acks.load(Ordering::Relaxed);
        rt.block_on(wait_for_acks(
            &shared,
            &clients,
            before,
            ACKS_PER_LIFE,
            life,
        ));
        std::thread::sleep(jitter(&mut seed));
        server.kill();
        server = Server::start(target, log);
        *shared.base.write().expect("base") = server.base.clone();
    }
    // After the last restart the server takes writes again; then it is stopped as usual.
    let before = shared.acks.load(Ordering::Relaxed);
    rt.block_on(wait_for_acks(
        &shared,
        &clients,
        before,
        ACKS_PER_LIFE,
        kills + 1,
    ));
    shared.stop.store(true, Ordering::Relaxed);
    for c in clients {
        rt.block_on(c).expect("client");
    }
    server.stop();

    let acked = std::mem::take(&mut *shared.acked.lock().expect("acked"));
    let refused = shared.refused.lock().expect("refused").clone();
    let server_errors: Vec<_> = refused
        .iter()
        .filter(|(status, _)| status.is_server_error())
        .take(5)
        .collect();
    assert!(server_errors.is_empty(), "server errors: {server_errors:?}");
    let (present, integrity) = rt.block_on(read_back(&target.url()));
    let (found, lost) = compare(&acked, &present);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_safeduty"));
    cmd.args(["audit", "verify"]);
    target.args(&mut cmd);
    let verify = cmd.output().expect("audit verify runs");
    let out = String::from_utf8_lossy(&verify.stdout);
    assert_eq!(
        verify.status.code(),
        Some(0),
        "audit verify: {out}{}",
        String::from_utf8_lossy(&verify.stderr)
    );
    let audit_records = out
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("audit trail intact: "))
        .and_then(|l| l.strip_suffix(" records"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("audit verify printed {out:?}"));
    Report {
        kills,
        sent: shared.sent.load(Ordering::Relaxed) - shared.no_server.load(Ordering::Relaxed),
        no_server: shared.no_server.load(Ordering::Relaxed),
        acknowledged: acked.len(),
        unanswered: shared.unanswered.load(Ordering::Relaxed),
        refused: refused.len(),
        found,
        lost,
        present: present.len(),
        audit_records,
        integrity,
    }
}

/// How many of the acknowledged writes (description, public id) are `present` (public id →
/// description) as written, and what is wrong with each of the others.
fn compare(acked: &[(String, String)], present: &HashMap<String, String>) -> (usize, Vec<String>) {
    let mut found = 0;
    let mut lost = Vec::new();
    for (description, id) in acked {
        match present.get(id) {
            Some(d) if d == description => found += 1,
            Some(d) => lost.push(format!("{id}: {description:?} reads {d:?}")),
            None => lost.push(format!("{id}: {description:?} is missing")),
        }
    }
    (found, lost)
}

/// The drill's findings in the store (public id → description), and the answer of
/// `PRAGMA integrity_check` (SQLite) or `n/a` (PostgreSQL).
async fn read_back(url: &DatabaseUrl) -> (HashMap<String, String>, String) {
    let store = Store::open(url)
        .await
        .expect("the store opens after the drill");
    let mut tx = store.write().await.expect("transaction");
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT public_id, description FROM findings WHERE description LIKE '断电演练%'",
    )
    .fetch_all(&mut *tx)
    .await
    .expect("findings");
    let integrity = match store.backend() {
        Backend::Sqlite => {
            let lines: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
                .fetch_all(&mut *tx)
                .await
                .expect("integrity_check");
            lines.join("; ")
        }
        Backend::Postgres => "n/a (PostgreSQL)".to_string(),
    };
    tx.rollback().await.expect("rollback");
    store.close().await;
    (rows.into_iter().collect(), integrity)
}

/// Runs the drill on `target`, prints the counts and fails on a lost acknowledged write, a trail
/// that does not verify or a damaged SQLite file.
fn run(name: &str, target: &Target, log: &Path) {
    let kills = std::env::var("SAFEDUTY_DRILL_KILLS")
        .ok()
        .map_or(DEFAULT_KILLS, |v| {
            v.trim()
                .parse()
                .expect("SAFEDUTY_DRILL_KILLS is a number of kills")
        });
    let started = Instant::now();
    let r = drill(target, kills, log);
    println!(
        "kill -9 drill ({name}): kills {}, writes sent {} (and {} found no server), \
         acknowledged {}, cut off by a kill {}, refused {}, acknowledged found {}, lost {}, \
         drill findings in the store {}, audit records {} (verify: intact), \
         integrity_check {}, {:.1} s",
        r.kills,
        r.sent,
        r.no_server,
        r.acknowledged,
        r.unanswered,
        r.refused,
        r.found,
        r.lost.len(),
        r.present,
        r.audit_records,
        r.integrity,
        started.elapsed().as_secs_f64()
    );
    assert!(
        r.lost.is_empty(),
        "acknowledged writes lost: {:?}",
        &r.lost[..r.lost.len().min(10)]
    );
    assert_eq!(r.found, r.acknowledged);
    assert!(r.acknowledged as u64 >= u64::from(kills + 1) * ACKS_PER_LIFE);
    assert!(r.present >= r.found);
    if name == "sqlite" {
        assert_eq!(r.integrity, "ok");
    }
}

#[test]
fn kill_dash_nine_loses_no_acknowledged_write() {
    let dir = super::tmp("drill-sqlite");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let target = Target {
        data: dir.join("data"),
        database_url: None,
    };
    run("sqlite", &target, &dir.join("server.log"));

    let pg = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let db = safeduty_store::testing::postgres().await?;
        db.store.close().await;
        Some(db)
    });
    if let Some(db) = pg {
        let dir = super::tmp("drill-postgres");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let target = Target {
            data: dir.join("data"),
            database_url: Some(db.url().clone()),
        };
        run("postgres", &target, &dir.join("server.log"));
        // Dropping `db` drops the database.
    }
}

/// The check itself catches a write that is missing or changed.
#[test]
fn drill_check_reports_missing_and_changed_writes() {
    let acked = [
        ("a".to_string(), "1".to_string()),
        ("b".to_string(), "2".to_string()),
        ("c".to_string(), "3".to_string()),
    ];
    let present: HashMap<String, String> = [("1", "a"), ("2", "x"), ("4", "d")]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let (found, lost) = compare(&acked, &present);
    assert_eq!(found, 1);
    assert_eq!(lost, ["2: \"b\" reads \"x\"", "3: \"c\" is missing"]);
}
