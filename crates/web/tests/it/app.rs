//! `TestApp`: the router over a fresh demo store, with a logged-in client per role.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use safeduty_core::calendar::Calendar;
use safeduty_store::testing::{TestDb, backends};
use safeduty_store::{Store, demo};
use safeduty_web::{AppState, Clock, WebConfig, router};
use tower::ServiceExt;

pub const PASSWORD: &str = "Test-Pass-2024";

/// The second officer of 东湖街道 that [`TestApp::seed_enforcement`] creates.
pub const SECOND_OFFICER: &str = "enf-town2";

/// What [`TestApp::seed_enforcement`] made: public ids.
pub struct Enforcement {
    /// The inspection.
    pub inspection: String,
    /// The finding item 1 opened, which the order covers.
    pub finding: String,
}

pub struct TestApp {
    pub db: TestDb,
    pub state: AppState,
    pub router: axum::Router,
}

/// A logged-in client: its session cookie and CSRF token.
#[derive(Clone)]
pub struct Client {
    pub cookie: String,
    pub csrf: String,
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

impl TestApp {
    pub async fn all() -> Vec<TestApp> {
        let mut out = Vec::new();
        for db in backends().await {
            out.push(TestApp::new(db).await);
        }
        out
    }

    /// SQLite only, for tests about the HTTP layer rather than the data.
    pub async fn sqlite() -> TestApp {
        TestApp::new(safeduty_store::testing::sqlite().await).await
    }

    async fn new(db: TestDb) -> TestApp {
        TestApp::seeded_on(db, "2024-06-20").await
    }

    /// The demo seeded for the day `today` (`YYYY-MM-DD`) on SQLite, the clock fixed there: in
    /// the enforcement phase the demo has inspections and orders in every state.
    pub async fn sqlite_demo_on(today: &str) -> TestApp {
        TestApp::seeded_on(safeduty_store::testing::sqlite().await, today).await
    }

    async fn seeded_on(db: TestDb, today: &str) -> TestApp {
        let cal = Calendar::shipped();
        let today = today.parse().unwrap();
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
        let state = state_on(&db, today);
        TestApp {
            router: router(state.clone()),
            state,
            db,
        }
    }

    /// The same store and sessions, the clock fixed at `today` (`YYYY-MM-DD`).
    pub fn on_day(mut self, today: &str) -> TestApp {
        self.state = state_on(&self.db, today.parse().unwrap());
        self.router = router(self.state.clone());
        self
    }

    pub fn store(&self) -> &Store {
        &self.db.store
    }

    pub fn backend(&self) -> &'static str {
        self.db.backend
    }

    pub async fn send(&self, req: Request<Body>) -> Answer {
        answer(self.router.clone(), req).await
    }

    /// Sends `req` to the public pages' router ([`safeduty_web::public::router`]) over the same
    /// state.
    pub async fn send_public(&self, req: Request<Body>) -> Answer {
        answer(safeduty_web::public::router(self.state.clone()), req).await
    }

    pub async fn login(&self, username: &str) -> Client {
        self.login_with(username, PASSWORD).await
    }

    /// An API session of `username` with `password` (an issued one).
    pub async fn login_with(&self, username: &str, password: &str) -> Client {
        let res = self
            .send(
                Request::post("/api/v1/login")
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(
                        serde_json::json!({"username": username, "password": password}).to_string(),
                    ))
                    .unwrap(),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "login {username}: {}", res.body);
        let cookie = res.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        Client {
            cookie,
            csrf: res.json()["csrf_token"].as_str().unwrap().to_string(),
        }
    }

    pub async fn get(&self, c: &Client, path: &str) -> Answer {
        self.send(
            Request::get(path)
                .header(header::COOKIE, &c.cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    /// The body of a GET as bytes (a download).
    pub async fn get_bytes(&self, c: &Client, path: &str) -> Vec<u8> {
        use http_body_util::BodyExt;
        use tower::ServiceExt;
        let r = self
            .router
            .clone()
            .oneshot(
                Request::get(path)
                    .header(header::COOKIE, &c.cookie)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(r.status(), axum::http::StatusCode::OK, "{path}");
        r.into_body().collect().await.unwrap().to_bytes().to_vec()
    }

    pub async fn json(
        &self,
        c: &Client,
        method: &str,
        path: &str,
        body: serde_json::Value,
    ) -> Answer {
        self.send(self.json_request(c, method, path, body)).await
    }

    pub fn json_request(
        &self,
        c: &Client,
        method: &str,
        path: &str,
        body: serde_json::Value,
    ) -> Request<Body> {
        Request::builder()
            .method(method)
            .uri(path)
            .header(header::COOKIE, &c.cookie)
            .header("x-csrf-token", &c.csrf)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap()
    }

    pub async fn form(&self, c: &Client, path: &str, fields: &[(&str, &str)]) -> Answer {
        let body = serde_urlencoded::to_string(fields).unwrap();
        self.send(
            Request::post(path)
                .header(header::COOKIE, &c.cookie)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    /// Logs in through the login page as a browser does, with `c`'s cookie (if any): reads the
    /// form's pre-session CSRF token and cookie, then posts the credentials with them.
    pub async fn page_login(&self, c: &Client, username: &str, password: &str) -> Answer {
        let mut get = Request::get("/login");
        if !c.cookie.is_empty() {
            get = get.header(header::COOKIE, &c.cookie);
        }
        let page = self.send(get.body(Body::empty()).unwrap()).await;
        let token = page
            .body
            .split("name=\"csrf\" value=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .expect("the login form carries a CSRF token")
            .to_string();
        let pre = page
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok()?.split(';').next())
            .find(|v| v.starts_with("safeduty_login_csrf="))
            .expect("the login page sets the pre-session cookie")
            .to_string();
        let cookie = if c.cookie.is_empty() {
            pre
        } else {
            format!("{}; {pre}", c.cookie)
        };
        let body = serde_urlencoded::to_string([
            ("csrf", token.as_str()),
            ("username", username),
            ("password", password),
        ])
        .unwrap();
        self.send(
            Request::post("/login")
                .header(header::COOKIE, cookie)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    /// Posts a multipart form as a browser sends a form with `enctype="multipart/form-data"`:
    /// the text `fields` (add the CSRF token yourself) and, when given, one file (its name and
    /// bytes) in the field `file`.
    pub async fn multipart(
        &self,
        c: &Client,
        path: &str,
        fields: &[(&str, &str)],
        file: Option<(&str, &[u8])>,
    ) -> Answer {
        const BOUNDARY: &str = "----safedutyFormBoundary5nQ2";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        }
        if let Some((file_name, bytes)) = file {
            body.extend_from_slice(
                format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; \
                     filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        self.send(
            Request::post(path)
                .header(header::COOKIE, &c.cookie)
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={BOUNDARY}"),
                )
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    /// Public id of the enterprise the user `username` works for.
    pub async fn enterprise_of(&self, username: &str) -> String {
        let u = safeduty_store::org::user_by_username(self.store(), username)
            .await
            .unwrap();
        let safeduty_core::policy::Scope::Enterprise { enterprise_id } = u.scope else {
            panic!("{username} is not an enterprise user")
        };
        safeduty_store::org::enterprise_by_id(self.store(), enterprise_id)
            .await
            .unwrap()
            .public_id
    }

    /// Number of audit records of an event.
    pub async fn audit_count(&self, event: &str) -> i64 {
        safeduty_store::audit::count_events(self.store(), event)
            .await
            .unwrap()
    }

    /// The officers of 东湖街道 with enforcement certificates, made through the store as the
    /// committee office makes them: demo-town and a second officer ([`SECOND_OFFICER`]), each
    /// with a certificate valid 2024-01-01 to 2026-12-31 (numbers 45010324001 and
    /// 45010324002). Answers their accounts.
    pub async fn seed_officers(&self) -> (safeduty_store::org::User, safeduty_store::org::User) {
        use safeduty_store::audit::Who;
        use safeduty_store::enforcement::authority::{CertificateRow, set_certificate};
        let town = safeduty_store::org::user_by_username(self.store(), "demo-town")
            .await
            .unwrap();
        let hash = safeduty_web::auth::hash_password(PASSWORD).unwrap();
        let mut tx = self.store().write().await.unwrap();
        safeduty_store::org::create_user(
            &mut tx,
            &Who::system(),
            &safeduty_store::org::NewUser {
                username: SECOND_OFFICER.into(),
                display_name: "东湖街道 王执法（演示）".into(),
                password_hash: hash,
                role: safeduty_core::policy::Role::UnitOfficer,
                region_id: None,
                unit_id: town.unit_id,
                enterprise_id: None,
                is_demo: true,
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let second = safeduty_store::org::user_by_username(self.store(), SECOND_OFFICER)
            .await
            .unwrap();
        for (user, number) in [(&town, "45010324001"), (&second, "45010324002")] {
            set_certificate(
                self.store(),
                &Who::system(),
                user.id,
                &CertificateRow {
                    number: number.into(),
                    valid_from: "2024-01-01".parse().unwrap(),
                    valid_until: "2026-12-31".parse().unwrap(),
                },
            )
            .await
            .unwrap();
        }
        (town, second)
    }

    /// Enforcement data for 东湖街道 and demo-enterprise, made through the store and the use
    /// cases as people make it: the certified officers of [`TestApp::seed_officers`], and an
    /// inspection of demo-enterprise on the clock's day by the two of them, item 1 not
    /// conforming, with its correction order (15 working days) and on-site measures (a
    /// suspension of 30 days), which the committee office let 东湖街道 decide (a town's default
    /// powers do not hold them).
    pub async fn seed_enforcement(&self) -> Enforcement {
        use safeduty_app::enforcement::inspections::{self, InspectionForm};
        use safeduty_app::enforcement::{measures, orders};
        use safeduty_core::enforcement::inspection::{ItemResult, Notice};
        use safeduty_core::enforcement::measures::{MeasureKind, OnSiteMeasure};
        let today = self.state.clock().today();
        let (town, second) = self.seed_officers().await;
        safeduty_store::enforcement::authority::set_unit_powers(
            self.store(),
            &safeduty_store::audit::Who::system(),
            town.unit_id.unwrap(),
            &["inspect", "order_correction", "on_site_measures"],
        )
        .await
        .unwrap();
        let caller = safeduty_app::Caller {
            user: &town,
            client_addr: None,
        };
        let campaign = safeduty_store::campaigns::latest(self.store())
            .await
            .unwrap()
            .unwrap();
        let enterprise = self.enterprise_of("demo-enterprise").await;
        let form = InspectionForm {
            date: today,
            start: "09:00".parse().unwrap(),
            end: "10:30".parse().unwrap(),
            place: "生产车间".into(),
            person_present: "陈志远".into(),
            person_present_role: "安全生产管理人员".into(),
            officer_ids: vec![town.id, second.id],
            guests: Vec::new(),
            notice: Notice::Unannounced,
            summary: "测试数据：现场检查".into(),
            items: campaign
                .item_numbers()
                .into_iter()
                .map(|n| ItemResult {
                    item_number: n,
                    answer: if n == 1 {
                        safeduty_core::self_inspection::Answer::NonConform
                    } else {
                        safeduty_core::self_inspection::Answer::Conform
                    },
                    note: if n == 1 {
                        "安全生产规章制度未经审批发布".into()
                    } else {
                        String::new()
                    },
                    violation_codes: if n == 1 {
                        vec!["wsl-25-1".into()]
                    } else {
                        Vec::new()
                    },
                })
                .collect(),
            cap_exception: None,
            plan_target: None,
            acceptance: None,
        };
        let recorded = inspections::record(self.store(), &caller, &enterprise, &form, None, today)
            .await
            .unwrap();
        let view = inspections::view(self.store(), &caller, &recorded.public_id)
            .await
            .unwrap();
        let finding = view.inspection.items[0].finding_public_id.clone().unwrap();
        orders::issue(
            self.store(),
            &caller,
            &recorded.public_id,
            std::slice::from_ref(&finding),
            orders::TimeLimit::WorkingDays(15),
            today,
        )
        .await
        .unwrap();
        measures::decide(
            self.store(),
            &caller,
            &recorded.public_id,
            &OnSiteMeasure {
                kind: MeasureKind::SuspendWork,
                start: today,
                until: today + chrono::Days::new(30),
                reason: "测试数据：重大事故隐患".into(),
                description: "涂装车间暂时停产".into(),
            },
            today,
        )
        .await
        .unwrap();
        Enforcement {
            inspection: recorded.public_id,
            finding,
        }
    }

    pub async fn cleanup(self) {
        self.db.cleanup().await;
    }
}

/// What `router` answers to `req`.
pub async fn answer(router: axum::Router, req: Request<Body>) -> Answer {
    let res = router.oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// The application state over `db` with the clock fixed at `today`.
fn state_on(db: &TestDb, today: chrono::NaiveDate) -> AppState {
    AppState::new(
        db.store.clone(),
        Calendar::shipped(),
        Clock::Fixed(today),
        WebConfig {
            blobs: Some(db.blobs.clone()),
            // The authorization matrix sweeps every route with one session per role in seconds,
            // hundreds of denials a minute: the throttling of denials has its own test
            // (`access_cases::repeated_denials_are_throttled_and_recorded_once`).
            denial_limits: safeduty_web::denials::DenialLimits {
                per_session: 100_000,
                ..safeduty_web::denials::DenialLimits::default()
            },
            ..WebConfig::default()
        },
    )
}
