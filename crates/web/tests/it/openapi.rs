//! The OpenAPI document (`/api/v1/openapi.json`) tells the truth (issue #16 point 7): every API
//! route is in it and nothing else; every reference resolves; every coded field is an enum of the
//! codes the server reads and writes; every operation lists the answers the house gives on its
//! own (a body that cannot be read, no session, the CSRF check, throttling) with the error body;
//! every request body says its content type. `scripts/schema-run` sends the generated requests.

use std::collections::{BTreeMap, BTreeSet};

use axum::body::Body;
use axum::http::Request;
use safeduty_core::enforcement::case::{
    Answer as CaseAnswer, CaseDocument, CaseState, HeavyMeasure,
};
use safeduty_core::enforcement::inspection::{CapException, Notice};
use safeduty_core::enforcement::measures::{LiftResult, MeasureKind};
use safeduty_core::enforcement::officers::GuestKind;
use safeduty_core::enforcement::order::{ExtensionStatus, OrderStatus};
use safeduty_core::enforcement::penalty::{Band, Provision};
use safeduty_core::enforcement::reinspection::ReInspectionResult;
use safeduty_core::enforcement::violations::Party;
use safeduty_core::finding::ledger::{Category, Grade, Source};
use safeduty_core::finding::lifecycle::Status as FindingStatus;
use safeduty_core::policy::Role;
use safeduty_core::reporting::ReportStatus;
use safeduty_core::self_inspection::{Answer, Status as SelfInspectionStatus};
use safeduty_store::findings::ledger::Sort;
use serde_json::Value;

use crate::app::TestApp;

async fn document() -> Value {
    let app = TestApp::sqlite().await;
    let doc = app
        .send(
            Request::get("/api/v1/openapi.json")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .json();
    app.cleanup().await;
    doc
}

fn codes<T: Copy>(all: &[T], code: fn(T) -> &'static str) -> Vec<String> {
    all.iter().map(|v| code(*v).to_string()).collect()
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// Every `$ref` in `v`.
fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref") {
                out.push(r);
            }
            m.values().for_each(|v| refs(v, out));
        }
        Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

/// The operations of the document: (method, path, operation).
fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            out.push((method.to_uppercase(), path.clone(), op));
        }
    }
    out
}

#[tokio::test]
async fn every_api_route_is_described_and_every_reference_resolves() {
    let doc = document().await;
    let documented: BTreeSet<String> = doc["paths"].as_object().unwrap().keys().cloned().collect();
    let routed: BTreeSet<String> = safeduty_web::route_paths()
        .into_iter()
        // The document, open to all, does not describe itself.
        .filter(|p| p.starts_with("/api/") && p != "/api/v1/openapi.json")
        .collect();
    assert_eq!(documented, routed);
    assert_eq!(operations(&doc).len(), 66);

    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(all.len() > 100, "{}", all.len());
    for r in all {
        let name = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("{r}"));
        assert!(schemas.contains_key(name), "{r} names no schema");
    }
}

#[tokio::test]
async fn every_operation_lists_the_answers_the_house_gives() {
    let doc = document().await;
    for (method, path, op) in operations(&doc) {
        let at = format!("{method} {path}");
        let statuses: BTreeSet<&str> = op["responses"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let has = |s: &str| statuses.contains(s);
        // Throttling answers any request with a session cookie; the login limits, a login.
        assert!(has("429"), "{at}: 429");
        if path != "/api/v1/login" {
            assert!(has("401"), "{at}: 401 without a session");
            assert!(
                has("403"),
                "{at}: 403 before the password change or enrolment"
            );
        }
        if method != "GET" {
            assert!(has("403"), "{at}: 403 from the CSRF check");
            assert!(has("413"), "{at}: 413 for a body declared too large");
        }
        if path.contains('{') {
            assert!(has("404"), "{at}: 404 outside the scope");
        }
        let reads_query = op["parameters"]
            .as_array()
            .is_some_and(|ps| ps.iter().any(|p| p["in"] == "query"));
        if reads_query {
            assert!(
                has("400"),
                "{at}: 400 for a query string that cannot be read"
            );
        }
        match op.get("requestBody") {
            Some(body) => {
                let types: Vec<&String> = body["content"].as_object().unwrap().keys().collect();
                let expected =
                    if path.ends_with("/photos") || path == "/api/v1/unit-measures/{number}" {
                        "multipart/form-data"
                    } else {
                        "application/json"
                    };
                assert_eq!(types, [expected], "{at}: content type of the body");
                for s in ["400", "413", "415", "422"] {
                    assert!(has(s), "{at}: {s} for a body that cannot be read");
                }
            }
            // Actions whose path says it all take no body.
            None => assert!(
                method == "GET"
                    || path == "/api/v1/logout"
                    || path.ends_with("/deactivate")
                    || path.ends_with("/reactivate")
                    || path.ends_with("/signing-code")
                    || path.ends_with("/signing-code/revoke"),
                "{at}: a body undeclared"
            ),
        }
        // Every error answer carries the error body.
        for status in statuses.iter().filter(|s| s.as_bytes()[0] >= b'4') {
            assert_eq!(
                op["responses"][*status]["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/ErrorBody",
                "{at}: {status}"
            );
        }
    }
}

#[tokio::test]
async fn every_coded_field_is_an_enum_of_the_codes() {
    let doc = document().await;
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let expected: BTreeMap<&str, Vec<String>> = [
        ("Role", codes(&Role::ALL, Role::code)),
        (
            "SelfInspectionStatus",
            codes(&SelfInspectionStatus::ALL, SelfInspectionStatus::code),
        ),
        ("Answer", codes(&Answer::ALL, Answer::code)),
        ("FindingSource", codes(Source::ALL, Source::code)),
        ("FindingCategory", codes(Category::ALL, Category::code)),
        ("FindingGrade", codes(Grade::ALL, Grade::code)),
        (
            "FindingStatus",
            codes(&FindingStatus::ALL, FindingStatus::code),
        ),
        (
            "FindingStatusFilter",
            std::iter::once("unclosed".to_string())
                .chain(codes(&FindingStatus::ALL, FindingStatus::code))
                .collect(),
        ),
        ("LedgerSort", codes(&Sort::ALL, Sort::code)),
        (
            "FindingStep",
            strings(&[
                "accept_plan",
                "start_rectifying",
                "temporary_measures",
                "submit",
                "verify",
                "return",
                "start_rework",
                "request_extension",
                "decide_extension",
                "change_due",
                "supervise",
                "request_downgrade",
                "decide_downgrade",
            ]),
        ),
        ("ExtensionDecision", strings(&["approve", "refuse"])),
        ("YesNo", strings(&["yes", "no"])),
        ("Notice", codes(Notice::ALL, Notice::code)),
        ("CapException", codes(CapException::ALL, CapException::code)),
        ("GuestKind", codes(GuestKind::ALL, GuestKind::code)),
        ("MeasureKind", codes(MeasureKind::ALL, MeasureKind::code)),
        ("LiftResult", codes(LiftResult::ALL, LiftResult::code)),
        ("OrderStatus", codes(OrderStatus::ALL, OrderStatus::code)),
        (
            "ExtensionStatus",
            codes(ExtensionStatus::ALL, ExtensionStatus::code),
        ),
        (
            "ReInspectionResult",
            codes(ReInspectionResult::ALL, ReInspectionResult::code),
        ),
        ("ReportState", strings(&ReportStatus::CODES)),
        ("Party", codes(Party::ALL, Party::code)),
        ("Provision", codes(Provision::ALL, Provision::code)),
        ("Band", codes(Band::ALL, Band::code)),
        ("HeavyMeasure", codes(HeavyMeasure::ALL, HeavyMeasure::code)),
        ("CaseAnswer", codes(CaseAnswer::ALL, CaseAnswer::code)),
        (
            "CaseStep",
            strings(&[
                "investigate",
                "notify",
                "offer_hearing",
                "answer",
                "extend",
                "decide",
                "no_penalty",
                "serve",
                "pay",
                "enforce",
                "close",
                "suspend",
                "lift",
            ]),
        ),
        (
            "CaseState",
            strings(&["draft"])
                .into_iter()
                .chain(codes(CaseState::ALL, CaseState::code))
                .collect(),
        ),
        ("CaseDocument", codes(CaseDocument::ALL, CaseDocument::code)),
        (
            "CaseSource",
            strings(&["inspection", "referral", "direct", "acceptance"]),
        ),
        ("AtAcceptance", strings(&["art96", "art97", "art102"])),
        (
            "ExposureStatus",
            strings(&["draft", "published", "withdrawn"]),
        ),
        (
            "ListingStep",
            strings(&[
                "object",
                "answer",
                "decide",
                "publish",
                "apply_repair",
                "decide_repair",
                "expire",
                "revoke",
            ]),
        ),
        (
            "ListingStatus",
            strings(&[
                "notified",
                "objected",
                "answered",
                "dropped",
                "decided",
                "published",
                "repair_applied",
                "removed",
            ]),
        ),
        ("RemovalReason", strings(&["expiry", "repair"])),
        (
            "MeasureSource",
            strings(&["self_inspection", "commitments", "inspections", "exposures"]),
        ),
        ("MeasureEntryStatus", strings(&["recorded", "returned"])),
        ("MatterKind", strings(&["correction", "interview"])),
        ("MatterStatus", strings(&["issued", "reported", "closed"])),
        ("MatterStep", strings(&["hold", "report", "follow_up"])),
        ("AcceptanceMode", strings(&["team", "third_party"])),
        (
            "AcceptanceStatus",
            strings(&["planned", "underway", "closed"]),
        ),
        ("AcceptanceConclusion", strings(&["passed", "failed"])),
        ("AcceptanceStep", strings(&["assess", "adopt", "close"])),
        ("UnitKindLabel", strings(&["属地", "行业部门"])),
    ]
    .into_iter()
    .collect();
    for (name, codes) in &expected {
        let schema = &schemas[*name];
        assert_eq!(schema["type"], "string", "{name}");
        let listed: Vec<String> = schema["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{name} is no enum"))
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        assert_eq!(&listed, codes, "{name}");
    }
    assert_eq!(schemas["Role"]["enum"][0], "committee_office");
    assert_eq!(schemas["Answer"]["enum"][1], "non_conform");
    let errors = schemas["ErrorCode"]["enum"].as_array().unwrap();
    for code in [
        "throttled",
        "invalid_fields",
        "conflict",
        "csrf",
        "malformed",
    ] {
        assert!(errors.contains(&Value::from(code)), "ErrorCode: {code}");
    }

    // A property whose name says it holds a code refers to one of the enums above, alone or
    // with null; a free string there is what the document used to say.
    let coded_names = [
        "action",
        "answer",
        "category",
        "code",
        "decision",
        "exception",
        "grade",
        "kind",
        "notice",
        "order_status",
        "outcome",
        "result",
        "role",
        "source",
        "state",
        "status",
    ];
    // Properties named like a code that hold what a person typed: a violation library row's code
    // (the committee office chooses it) and its source note.
    let free = [
        ("ViolationView", "code"),
        ("ViolationView", "source"),
        ("RecordedViolationView", "code"),
        // A ground of the dishonesty list: data the committee office edits.
        ("GroundView", "code"),
        ("IndustryView", "source"),
        ("ViolationRequest", "code"),
        // A case's penalty notice and decision: objects, not an inspection's notice code or an
        // extension's decision code.
        ("StepsView", "notice"),
        ("StepsView", "decision"),
        // The source of a rule or a statute: a citation.
        ("WindowView", "source"),
        ("ProposalView", "source"),
        ("ViolationRequest", "source"),
        // A signing code issued to a person (issue #18 point 9): a secret, not a code list.
        ("IssuedCodeJson", "code"),
    ];
    let enum_of = |property: &Value| -> Option<String> {
        let r = property["$ref"].as_str().or_else(|| {
            property["oneOf"]
                .as_array()?
                .iter()
                .find_map(|v| v["$ref"].as_str())
        })?;
        Some(r.strip_prefix("#/components/schemas/")?.to_string())
    };
    let mut checked = 0;
    for (schema, body) in schemas {
        let Some(properties) = body["properties"].as_object() else {
            continue;
        };
        for (name, property) in properties {
            if !coded_names.contains(&name.as_str())
                || free.contains(&(schema.as_str(), name.as_str()))
            {
                continue;
            }
            let at = format!("{schema}.{name}");
            let named = enum_of(property).unwrap_or_else(|| panic!("{at} is a free value"));
            assert!(
                expected.contains_key(named.as_str()) || named == "ErrorCode",
                "{at}: {named}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 30, "{checked} coded properties");

    // The ledger's query parameters too.
    let params = doc["paths"]["/api/v1/findings"]["get"]["parameters"]
        .as_array()
        .unwrap();
    let of = |name: &str| {
        params.iter().find(|p| p["name"] == name).unwrap()["schema"]["$ref"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(of("grade"), "#/components/schemas/FindingGrade");
    assert_eq!(of("status"), "#/components/schemas/FindingStatusFilter");
    assert_eq!(of("sort"), "#/components/schemas/LedgerSort");
    assert_eq!(of("overdue"), "#/components/schemas/YesNo");
}
