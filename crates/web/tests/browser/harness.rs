//! The harness: the real server on a fresh demo store, a chromedriver of our own, one headless
//! chromium session, and the checks every visited page must pass.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use chrono::NaiveDate;
use safeduty_core::calendar::Calendar;
use safeduty_store::testing::TestDb;
use safeduty_store::{demo, org};
use safeduty_web::{AppState, Clock, WebConfig};
use serde_json::{Value, json};
use thirtyfour::prelude::*;
use thirtyfour::{ChromiumLikeCapabilities, LoggingPrefsLogLevel};

/// The demo accounts' password in these tests.
pub const PASSWORD: &str = "Browser-Test-2024";
/// The demo's day: inside the self-inspection phase.
const TODAY: &str = "2024-06-20";
/// Longest wait for a page, a process or a dialog.
const PATIENCE: Duration = Duration::from_secs(30);
/// Between two polls of something awaited.
const POLL: Duration = Duration::from_millis(50);

/// Flags for chromium as root in a container, with nothing that calls home.
const CHROMIUM_ARGS: [&str; 12] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--no-proxy-server",
    "--hide-scrollbars",
    "--lang=zh-CN",
];

/// The two screen sizes every flow runs at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewport {
    /// A laptop, 1440×900.
    Desktop,
    /// A phone, 390×844: pages must not scroll sideways.
    Phone,
}

impl Viewport {
    /// The name in screenshot file names.
    pub fn name(self) -> &'static str {
        match self {
            Viewport::Desktop => "1440x900",
            Viewport::Phone => "390x844",
        }
    }

    fn size(self) -> (u32, u32) {
        match self {
            Viewport::Desktop => (1440, 900),
            Viewport::Phone => (390, 844),
        }
    }
}

/// Chromium and chromedriver as found on `PATH`.
#[derive(Debug, Clone)]
pub struct Tools {
    chromium: PathBuf,
    chromedriver: PathBuf,
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// The browser and its driver, or `None` (with a message) when either is missing outside CI.
///
/// # Panics
/// In CI (`CI=true`) when either is missing: the browser tests must run there.
pub fn tools() -> Option<Tools> {
    let chromium = on_path("chromium");
    let chromedriver = on_path("chromedriver");
    if let (Some(chromium), Some(chromedriver)) = (chromium.clone(), chromedriver.clone()) {
        return Some(Tools {
            chromium,
            chromedriver,
        });
    }
    let missing: Vec<&str> = [("chromium", chromium), ("chromedriver", chromedriver)]
        .into_iter()
        .filter(|(_, p)| p.is_none())
        .map(|(n, _)| n)
        .collect();
    let msg = format!(
        "{} not found on PATH (apt-get install chromium chromium-driver fonts-noto-cjk)",
        missing.join(" and ")
    );
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "CI=true: the browser tests must run, but {msg}"
    );
    // Straight to stderr, once: the test harness hides what `eprintln!` says in a passing test.
    static SAID: std::sync::Once = std::sync::Once::new();
    SAID.call_once(|| {
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), "skipping the browser tests: {msg}");
    });
    None
}

/// One browser test at a time: two cores do not run two chromiums and a server well together.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Runs one browser test: skips it when the tools are missing (outside CI), else runs `test`
/// with them on a runtime of its own, one test at a time.
pub fn run<F, Fut>(test: F)
where
    F: FnOnce(Tools) -> Fut,
    Fut: Future<Output = ()>,
{
    let Some(tools) = tools() else { return };
    // A test that panicked poisons the lock; the next one may still run.
    let _turn = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
        .block_on(test(tools));
}

/// Where screenshots go: `target/browser/` (under `CARGO_TARGET_DIR` when set).
pub fn screenshot_dir() -> PathBuf {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => workspace.join(dir),
        _ => workspace.join("target"),
    };
    target.join("browser")
}

/// A plain HTTP client for readiness polls; never through a proxy (all is on loopback).
fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

/// Polls `ok` until it says yes, for at most [`PATIENCE`]; `what` names it in the panic.
async fn wait_for<F, Fut>(what: &str, mut ok: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let start = Instant::now();
    while !ok().await {
        assert!(start.elapsed() < PATIENCE, "timed out waiting for {what}");
        tokio::time::sleep(POLL).await;
    }
}

/// The application on `127.0.0.1:<free port>` over a fresh SQLite demo store, clock fixed at
/// the demo day, attachments in a temporary directory. Stopped on drop.
pub struct Server {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    task: tokio::task::JoinHandle<()>,
    db: TestDb,
}

impl Server {
    async fn start() -> Server {
        let db = safeduty_store::testing::sqlite().await;
        let cal = Calendar::shipped();
        let today: NaiveDate = TODAY.parse().unwrap();
        let hash = safeduty_web::auth::hash_password(PASSWORD).unwrap();
        demo::seed(
            &db.store,
            &safeduty_plan::seed_template(),
            &hash,
            today,
            &cal,
        )
        .await
        .unwrap();
        let blobs: Arc<dyn safeduty_store::attachments::BlobStore> = db.blobs.clone();
        let state = AppState::new(
            db.store.clone(),
            cal,
            Clock::Fixed(today),
            WebConfig {
                blobs: Some(blobs),
                ..WebConfig::default()
            },
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            safeduty_web::serve(listener, state, std::future::pending())
                .await
                .unwrap();
        });
        let client = http();
        let health = format!("{base}/healthz");
        wait_for("the server's /healthz", || async {
            matches!(client.get(&health).send().await, Ok(r) if r.status().is_success())
        })
        .await;
        Server { base, task, db }
    }

    /// The store under the server, for a flow that seeds what people make elsewhere (the
    /// committee office's certificates, for the enforcement flow).
    pub fn store(&self) -> &safeduty_store::Store {
        &self.db.store
    }

    /// The name of the enterprise `username` (an enterprise user) works for.
    pub async fn enterprise_of(&self, username: &str) -> String {
        let user = org::user_by_username(&self.db.store, username)
            .await
            .unwrap();
        let safeduty_core::policy::Scope::Enterprise { enterprise_id } = user.scope else {
            panic!("{username} is not an enterprise user");
        };
        org::enterprise_by_id(&self.db.store, enterprise_id)
            .await
            .unwrap()
            .name
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A chromedriver we started, on a port of its own; killed on drop (also when a test panics).
struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    async fn start(tools: &Tools, log: &Path) -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(&tools.chromedriver)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("starting {}: {e}", tools.chromedriver.display()));
        let mut driver = Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let client = http();
        let status = format!("{}/status", driver.url);
        let start = Instant::now();
        loop {
            if let Ok(r) = client.get(&status).send().await
                && let Ok(v) = r.json::<Value>().await
                && v["value"]["ready"] == json!(true)
            {
                break;
            }
            if let Ok(Some(exit)) = driver.child.try_wait() {
                let said = std::fs::read_to_string(log).unwrap_or_default();
                panic!("chromedriver exited at start-up ({exit}): {said}");
            }
            assert!(
                start.elapsed() < PATIENCE,
                "chromedriver did not get ready on port {port}"
            );
            tokio::time::sleep(POLL).await;
        }
        driver
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The browser's profile directory. On drop, after the session and its driver are gone, ends
/// any chromium process still running on this profile (identified by its pid) and removes it.
struct Profile {
    dir: tempfile::TempDir,
}

impl Drop for Profile {
    fn drop(&mut self) {
        let needle = format!("--user-data-dir={}", self.dir.path().display());
        let Ok(procs) = std::fs::read_dir("/proc") else {
            return;
        };
        for p in procs.flatten() {
            let name = p.file_name();
            let Some(pid) = name
                .to_str()
                .filter(|n| n.bytes().all(|b| b.is_ascii_digit()))
            else {
                continue;
            };
            let Ok(cmdline) = std::fs::read(p.path().join("cmdline")) else {
                continue;
            };
            if cmdline
                .split(|b| *b == 0)
                .any(|arg| arg == needle.as_bytes())
            {
                let _ = Command::new("kill")
                    .args(["-KILL", pid])
                    .stderr(Stdio::null())
                    .status();
            }
        }
    }
}

/// One flow at one viewport: the server, chromedriver, the browser session, and where the
/// screenshots go. Fields drop in order: the session (thirtyfour ends it), then chromedriver,
/// then stray browser processes, then the server.
pub struct Session {
    driver: Option<WebDriver>,
    _chromedriver: Driver,
    _profile: Profile,
    /// The application under test.
    pub server: Server,
    flow: &'static str,
    /// The viewport of this run.
    pub viewport: Viewport,
    shots: PathBuf,
    /// chromedriver's log.
    _scratch: tempfile::TempDir,
}

impl Session {
    /// Starts the server, chromedriver and a browser of `viewport`'s size for `flow`.
    pub async fn start(tools: &Tools, flow: &'static str, viewport: Viewport) -> Session {
        let server = Server::start().await;
        let scratch = tempfile::tempdir().unwrap();
        let profile = Profile {
            dir: tempfile::tempdir().unwrap(),
        };
        let chromedriver = Driver::start(tools, &scratch.path().join("chromedriver.log")).await;

        let mut caps = DesiredCapabilities::chrome();
        caps.set_binary(&tools.chromium.to_string_lossy()).unwrap();
        for arg in CHROMIUM_ARGS {
            caps.add_arg(arg).unwrap();
        }
        caps.add_arg(&format!("--user-data-dir={}", profile.dir.path().display()))
            .unwrap();
        let (w, h) = viewport.size();
        caps.add_arg(&format!("--window-size={w},{h}")).unwrap();
        // Console messages (the browser log) and every request the page makes (the network
        // events of the performance log).
        caps.set_logging_prefs("browser", LoggingPrefsLogLevel::All)
            .unwrap();
        caps.set_logging_prefs("performance", LoggingPrefsLogLevel::All)
            .unwrap();
        caps.add_experimental_option(
            "perfLoggingPrefs",
            json!({"enableNetwork": true, "enablePage": false}),
        )
        .unwrap();
        let client = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(120))
            .build()
            .unwrap();
        let driver = WebDriver::builder(chromedriver.url.clone(), caps)
            .client(client)
            .connect()
            .await
            .expect("a chromium session");

        let shots = screenshot_dir();
        std::fs::create_dir_all(&shots).unwrap();
        let mut s = Session {
            driver: Some(driver),
            _chromedriver: chromedriver,
            _profile: profile,
            server,
            flow,
            viewport,
            shots,
            _scratch: scratch,
        };
        s.fit_viewport().await;
        // The browser opens on its own new-tab page (chrome:// requests); start from a blank
        // page and forget what came before the first page of the server.
        s.driver().goto("about:blank").await.unwrap();
        s.wait_loaded().await;
        let _ = s.problems().await;
        s
    }

    /// The WebDriver session.
    pub fn driver(&self) -> &WebDriver {
        self.driver.as_ref().unwrap()
    }

    /// Makes the page's viewport exactly the wanted size (the window may add a frame).
    async fn fit_viewport(&mut self) {
        let (w, h) = self.viewport.size();
        let d = self.driver();
        d.set_window_rect(0, 0, w, h).await.unwrap();
        let inner = self
            .js_value("return [window.innerWidth, window.innerHeight]")
            .await;
        let (iw, ih) = (inner[0].as_i64().unwrap(), inner[1].as_i64().unwrap());
        if (iw, ih) != (i64::from(w), i64::from(h)) {
            let fw = u32::try_from(i64::from(w) * 2 - iw).unwrap();
            let fh = u32::try_from(i64::from(h) * 2 - ih).unwrap();
            self.driver().set_window_rect(0, 0, fw, fh).await.unwrap();
        }
        let inner = self
            .js_value("return [window.innerWidth, window.innerHeight]")
            .await;
        assert_eq!(
            inner,
            json!([w, h]),
            "the browser's viewport is not {}",
            self.viewport.name()
        );
    }

    /// Ends the session and everything it started.
    pub async fn finish(mut self) {
        if let Some(d) = self.driver.take() {
            d.quit().await.unwrap();
        }
    }

    /// The absolute URL of `path` on the server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.base)
    }

    /// Runs `script` and returns its value.
    pub async fn js_value(&self, script: &str) -> Value {
        self.driver()
            .execute(script, Vec::new())
            .await
            .unwrap_or_else(|e| panic!("script {script:?}: {e}"))
            .json()
            .clone()
    }

    /// Opens `path`, waits for it and checks it ([`Session::verify`]).
    pub async fn goto(&self, path: &str) {
        self.driver().goto(self.url(path)).await.unwrap();
        self.wait_loaded().await;
        self.verify().await;
    }

    /// The element at `css`, which must be there.
    pub async fn find(&self, css: &str) -> WebElement {
        match self.driver().find(By::Css(css)).await {
            Ok(el) => el,
            Err(e) => panic!(
                "{} {}: no {css:?} on {}: {e}",
                self.flow,
                self.viewport.name(),
                self.path().await
            ),
        }
    }

    /// The current path (and query) on the server.
    pub async fn path(&self) -> String {
        let url = self.driver().current_url().await.unwrap();
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        }
    }

    /// The visible text of the element at `css`.
    pub async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.unwrap()
    }

    /// Asserts that the element at `css` shows `want`.
    pub async fn assert_text(&self, css: &str, want: &str) {
        let got = self.text(css).await;
        assert!(
            got.contains(want),
            "{} {}: {css} on {} shows {got:?}, not {want:?}",
            self.flow,
            self.viewport.name(),
            self.path().await
        );
    }

    /// Types `text` into the empty field at `css`.
    pub async fn fill(&self, css: &str, text: &str) {
        let el = self.find(css).await;
        el.clear().await.unwrap();
        el.send_keys(text).await.unwrap();
    }

    /// Chooses `value` in the select at `css` by clicking its option, as a person does.
    pub async fn choose(&self, css: &str, value: &str) {
        self.click(&format!("{css} option[value=\"{value}\"]"))
            .await;
    }

    /// Clicks the element at `css`.
    pub async fn click(&self, css: &str) {
        let el = self.find(css).await;
        self.click_element(&el, css).await;
    }

    /// Clicks `el` (`what` names it in a panic), scrolled to the middle of the screen first so
    /// that the sticky action bar does not cover it.
    async fn click_element(&self, el: &WebElement, what: &str) {
        self.driver()
            .execute(
                "arguments[0].scrollIntoView({block: 'center', inline: 'nearest'})",
                vec![el.to_json().unwrap()],
            )
            .await
            .unwrap();
        el.click()
            .await
            .unwrap_or_else(|e| panic!("clicking {what}: {e}"));
    }

    /// Clicks the element at `css` and waits for the page it leads to.
    pub async fn click_and_wait(&self, css: &str) {
        self.mark_page().await;
        self.click(css).await;
        self.wait_new_page().await;
    }

    /// Follows the link inside `css` whose text is `text`.
    pub async fn follow(&self, css: &str, text: &str) {
        let links = self
            .driver()
            .find_all(By::Css(format!("{css} a")))
            .await
            .unwrap();
        let mut found = None;
        for a in links {
            if a.text().await.unwrap().trim() == text {
                found = Some(a);
                break;
            }
        }
        let a = found.unwrap_or_else(|| panic!("no link {text:?} in {css}"));
        self.mark_page().await;
        self.click_element(&a, text).await;
        self.wait_new_page().await;
    }

    /// Clicks the element at `css`, accepts the confirmation it asks for (which must contain
    /// `question`), and waits for the page it leads to.
    pub async fn click_confirm_and_wait(&self, css: &str, question: &str) {
        self.mark_page().await;
        self.click(css).await;
        let d = self.driver();
        let start = Instant::now();
        let text = loop {
            if let Ok(t) = d.get_alert_text().await {
                break t;
            }
            assert!(start.elapsed() < PATIENCE, "no confirmation after {css}");
            tokio::time::sleep(POLL).await;
        };
        assert!(text.contains(question), "the confirmation says {text:?}");
        d.accept_alert().await.unwrap();
        self.wait_new_page().await;
    }

    /// As [`Session::click_confirm_and_wait`] for a form the server is expected to refuse with
    /// `status` (a 422 shown again with its messages): the browser logs that status as a failed
    /// load of the page itself, which is the one console error allowed here; anything else
    /// fails as on every page.
    pub async fn click_confirm_expecting(&self, css: &str, question: &str, status: u16) {
        self.mark_page().await;
        self.click(css).await;
        let d = self.driver();
        let start = Instant::now();
        let text = loop {
            if let Ok(t) = d.get_alert_text().await {
                break t;
            }
            assert!(start.elapsed() < PATIENCE, "no confirmation after {css}");
            tokio::time::sleep(POLL).await;
        };
        assert!(text.contains(question), "the confirmation says {text:?}");
        d.accept_alert().await.unwrap();
        self.refused_with(status).await;
    }

    /// As [`Session::click_and_wait`] for a form the server is expected to refuse with
    /// `status`, without a confirmation (see [`Session::click_confirm_expecting`]).
    pub async fn click_expecting(&self, css: &str, status: u16) {
        self.mark_page().await;
        self.click(css).await;
        self.refused_with(status).await;
    }

    /// Waits for the page that answers a refused form with `status`: the browser's one console
    /// error for it is allowed, anything else fails as on every page.
    async fn refused_with(&self, status: u16) {
        self.wait_replaced().await;
        let url = self.driver().current_url().await.unwrap().to_string();
        let expected = format!(
            "{url} - Failed to load resource: the server responded with a status of {status}"
        );
        let mut problems = self.problems().await;
        let before = problems.len();
        problems.retain(|p| !p.contains(&expected));
        assert_eq!(
            before - problems.len(),
            1,
            "the page was not answered {status}: {problems:?}"
        );
        self.assert_clean(&problems, "").await;
    }

    /// Reloads the page and waits for it.
    pub async fn reload(&self) {
        self.mark_page().await;
        self.driver().refresh().await.unwrap();
        self.wait_new_page().await;
    }

    /// Marks the current document, so that [`Session::wait_new_page`] knows when it is gone.
    async fn mark_page(&self) {
        self.js_value("window.__safedutyOld = true").await;
    }

    /// Waits until the marked document is replaced and the new one has loaded, and checks the
    /// new one ([`Session::verify`]): every page a flow reaches is checked.
    async fn wait_new_page(&self) {
        self.wait_replaced().await;
        self.verify().await;
    }

    /// Waits until the marked document is replaced and the new one has loaded.
    async fn wait_replaced(&self) {
        let d = self.driver();
        wait_for("the next page", || async {
            // Errors while the page changes (no document yet) mean: not yet.
            matches!(
                d.execute("return window.__safedutyOld === true ? 'old' : document.readyState", Vec::new()).await,
                Ok(r) if r.json() == "complete"
            )
        })
        .await;
    }

    async fn wait_loaded(&self) {
        let d = self.driver();
        wait_for("the page to load", || async {
            matches!(
                d.execute("return document.readyState", Vec::new()).await,
                Ok(r) if r.json() == "complete"
            )
        })
        .await;
    }

    /// Console errors since the last call: every `SEVERE` entry of the browser log (uncaught
    /// exceptions, `console.error`, CSP violations, failed loads).
    pub async fn console_errors(&self) -> Vec<String> {
        self.driver()
            .browser_log()
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.level == "SEVERE")
            .map(|e| format!("console error: {}", e.message))
            .collect()
    }

    /// Requests since the last call to anything but the server (data: and blob: URLs are the
    /// page's own), from the network events of the performance log.
    pub async fn foreign_requests(&self) -> Vec<String> {
        let origin = format!("{}/", self.server.base);
        let mut out = Vec::new();
        for entry in self.driver().get_log("performance").await.unwrap() {
            let Ok(v) = serde_json::from_str::<Value>(&entry.message) else {
                continue;
            };
            let m = &v["message"];
            if m["method"] != "Network.requestWillBeSent" {
                continue;
            }
            let url = m["params"]["request"]["url"].as_str().unwrap_or_default();
            let own = url.starts_with(&origin)
                || ["data:", "blob:", "about:"]
                    .iter()
                    .any(|s| url.starts_with(s));
            if !own {
                out.push(format!("request to another host: {url}"));
            }
        }
        out
    }

    /// On a phone: the page must not scroll sideways; names the widest elements when it does.
    pub async fn sideways(&self) -> Option<String> {
        let v = self
            .js_value(
                "const W = window.innerWidth, S = document.documentElement.scrollWidth;
                 if (S <= W) return null;
                 const wide = [];
                 for (const el of document.body.querySelectorAll('*')) {
                   const r = el.getBoundingClientRect();
                   if (r.right > W + 1 && !(el.parentElement && el.parentElement.getBoundingClientRect().right > W + 1)) {
                     wide.push(el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).trim().replace(/\\s+/g, '.') : '') + ' (' + Math.round(r.right) + 'px)');
                   }
                 }
                 return 'scrolls sideways: scrollWidth ' + S + ' > innerWidth ' + W + '; too wide: ' + wide.slice(0, 6).join(', ');",
            )
            .await;
        v.as_str().map(str::to_string)
    }

    /// Everything wrong with the page now: console errors and foreign requests since the last
    /// check and, on a phone, sideways scrolling.
    pub async fn problems(&self) -> Vec<String> {
        let mut out = self.console_errors().await;
        out.extend(self.foreign_requests().await);
        if self.viewport == Viewport::Phone {
            if let Some(p) = self.sideways().await {
                out.push(p);
            }
            if let Some(p) = self.tall_header().await {
                out.push(p);
            }
        }
        out
    }

    /// On a phone: the header must take less than 15 % of the screen's height (issue #18
    /// point 3), the menu folded.
    pub async fn tall_header(&self) -> Option<String> {
        let v = self
            .js_value(
                "const h = document.querySelector('header.top');
                 if (!h || document.getElementById('menu-toggle')?.checked) return null;
                 const r = h.getBoundingClientRect().height, H = window.innerHeight;
                 return r < 0.15 * H ? null : 'header ' + Math.round(r) + 'px of ' + H + 'px';",
            )
            .await;
        v.as_str().map(str::to_string)
    }

    /// Checks the page ([`Session::problems`] must be empty) without a screenshot.
    pub async fn verify(&self) {
        let problems = self.problems().await;
        self.assert_clean(&problems, "").await;
    }

    /// Takes a screenshot named `step`, then checks the page as [`Session::verify`] does.
    pub async fn check(&self, step: &str) {
        self.wait_loaded().await;
        let problems = self.problems().await;
        self.screenshot(step).await;
        self.assert_clean(&problems, step).await;
    }

    async fn assert_clean(&self, problems: &[String], step: &str) {
        assert!(
            problems.is_empty(),
            "{} {} {step} on {}:\n  {}",
            self.flow,
            self.viewport.name(),
            self.path().await,
            problems.join("\n  ")
        );
    }

    /// Saves the whole page as `target/browser/<flow>-<viewport>-<step>.png`.
    pub async fn screenshot(&self, step: &str) {
        let cdp = self.driver().cdp();
        let metrics = cdp
            .send_raw("Page.getLayoutMetrics", json!({}))
            .await
            .unwrap();
        let size = &metrics["cssContentSize"];
        let (w, _) = self.viewport.size();
        let width = size["width"]
            .as_f64()
            .unwrap_or(f64::from(w))
            .max(f64::from(w));
        // Chromium cannot paint taller than 16384 px in one picture.
        let height = size["height"].as_f64().unwrap_or(900.0).clamp(1.0, 16000.0);
        let shot = cdp
            .send_raw(
                "Page.captureScreenshot",
                json!({
                    "format": "png",
                    "captureBeyondViewport": true,
                    "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
                }),
            )
            .await
            .unwrap();
        let png = base64::engine::general_purpose::STANDARD
            .decode(shot["data"].as_str().unwrap())
            .unwrap();
        let file = self
            .shots
            .join(format!("{}-{}-{step}.png", self.flow, self.viewport.name()));
        std::fs::write(&file, png).unwrap();
    }

    /// Logs in through the login form as `username` and checks where it lands.
    pub async fn login(&self, username: &str) {
        self.goto("/login").await;
        self.assert_text("h1", "登录").await;
        self.fill("input[name=username]", username).await;
        self.fill("input[name=password]", PASSWORD).await;
        self.click_and_wait("form[action=\"/login\"] button[type=submit]")
            .await;
        let path = self.path().await;
        assert!(
            !path.starts_with("/login"),
            "{username} did not get past the login form: {}",
            self.text("main").await
        );
    }

    /// Logs out with the header's button (on a phone, in the menu opened first).
    pub async fn logout(&self) {
        if self.viewport == Viewport::Phone {
            self.click("label.menu-button").await;
        }
        self.click_and_wait("form[action=\"/logout\"] button").await;
        assert_eq!(self.path().await, "/login");
    }
}
