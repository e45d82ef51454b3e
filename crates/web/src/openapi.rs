//! What the OpenAPI document of the JSON API ([`crate::api::ApiDoc`]) says beyond each handler's
//! own annotation, so that it stays true as routes are added:
//!
//! - **Coded values** as string enums of their codes. A field holding a code keeps its Rust type
//!   (mostly a `String` read from the store) and names its schema with `#[schema(value_type =
//!   FindingGrade)]`; each schema here lists the codes of the Rust enum that owns them (its `ALL`
//!   and `code`), so the document cannot drift from the codes the server reads and writes.
//! - **The answers every route can give**, whatever its handler ([`HouseAnswers`]): 401 and 403
//!   from the session guard, 403 and 413 from the CSRF check of state-changing requests, 400,
//!   413, 415 and 422 for a body that cannot be read, 404 outside the scope, 429 from the
//!   throttling of denials and the login limits — each with the house error body.

use std::borrow::Cow;

use safeduty_core::accountability::{MatterKind, MatterStatus};
use safeduty_core::enforcement::acceptance::{
    AcceptanceStatus, Conclusion, Mode as AcceptanceMode,
};
use safeduty_core::enforcement::case::{
    Answer as CaseAnswer, CaseDocument, CaseState, HeavyMeasure,
};
use safeduty_core::enforcement::dishonesty::{ListingStatus, RemovalReason};
use safeduty_core::enforcement::exposure::ExposureStatus;
use safeduty_core::enforcement::inspection::{CapException, Notice};
use safeduty_core::enforcement::measures::{LiftResult, MeasureKind};
use safeduty_core::enforcement::officers::GuestKind;
use safeduty_core::enforcement::order::{ExtensionStatus, OrderStatus};
use safeduty_core::enforcement::penalty::{AtAcceptance, Band, Provision};
use safeduty_core::enforcement::reinspection::ReInspectionResult;
use safeduty_core::enforcement::violations::Party;
use safeduty_core::finding::ledger::{Category, Grade, Source};
use safeduty_core::policy::Role;
use safeduty_core::reporting::ReportStatus;
use safeduty_core::self_inspection::Answer;
use safeduty_core::unit_measures::{EntryStatus, MeasureSource};
use safeduty_store::findings::ledger::Sort;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::{Content, Ref, RefOr, ResponseBuilder};

/// The codes of `all`, in their order.
fn codes_of<T: Copy>(all: &[T], code: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|v| code(*v)).collect()
}

/// Declares a schema per coded value: a unit type whose schema (named `$name` in the document)
/// is a string enum of the codes `$codes` evaluates to, with `$description`.
macro_rules! coded_schemas {
    ($($(#[$doc:meta])* $marker:ident = $name:literal, $description:literal, $codes:expr;)*) => {$(
        $(#[$doc])*
        pub(crate) struct $marker;

        impl $marker {
            /// The codes, in order.
            pub(crate) fn codes() -> Vec<&'static str> {
                $codes
            }
        }

        impl utoipa::PartialSchema for $marker {
            fn schema() -> RefOr<Schema> {
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .description(Some($description))
                    .enum_values(Some(Self::codes()))
                    .into()
            }
        }

        impl utoipa::ToSchema for $marker {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed($name)
            }
        }
    )*};
}

coded_schemas! {
    /// A role ([`Role`]).
    RoleCode = "Role", "Role of an account.", codes_of(&Role::ALL, Role::code);
    /// Where a self-inspection stands.
    SelfInspectionStatusCode = "SelfInspectionStatus",
        "Where a self-inspection stands: not started, draft (saved), submitted.",
        codes_of(&safeduty_core::self_inspection::Status::ALL,
            safeduty_core::self_inspection::Status::code);
    /// An answer to a check item.
    AnswerCode = "Answer", "符合 (`conform`), 不符合 (`non_conform`), 不适用 (`not_applicable`).",
        codes_of(&Answer::ALL, Answer::code);
    /// Where a finding came from.
    FindingSourceCode = "FindingSource", "Where a finding came from.",
        codes_of(Source::ALL, Source::code);
    /// What kind of finding.
    FindingCategoryCode = "FindingCategory",
        "A duty-performance problem (`problem`) or an accident hazard (`hazard`).",
        codes_of(Category::ALL, Category::code);
    /// How grave a finding is.
    FindingGradeCode = "FindingGrade", "General (`general`) or major (`major`).",
        codes_of(Grade::ALL, Grade::code);
    /// Where a finding stands in its loop.
    FindingStatusCode = "FindingStatus", "Where a finding stands in its loop.",
        codes_of(&safeduty_core::finding::lifecycle::Status::ALL,
            safeduty_core::finding::lifecycle::Status::code);
    /// The ledger's status filter.
    FindingStatusFilterCode = "FindingStatusFilter",
        "`unclosed` (every status but closed) or one status.",
        std::iter::once("unclosed").chain(FindingStatusCode::codes()).collect();
    /// The ledger's order.
    LedgerSortCode = "LedgerSort",
        "`due` (by time limit, the default), `opened` (newest first), `grade` (major first).",
        codes_of(&Sort::ALL, Sort::code);
    /// A step in a finding's loop.
    FindingStepCode = "FindingStep", "A step in a finding's loop.",
        crate::input::findings::Step::ACTIONS.to_vec();
    /// A decision on an extension request.
    DecisionCode = "ExtensionDecision", "Approve or refuse a request waiting for a decision: an extension, a downgrade.",
        crate::input::DECISIONS.to_vec();
    /// A yes/no filter.
    YesNoCode = "YesNo", "Yes or no.", crate::input::YES_NO.to_vec();
    /// Whether an inspection was announced.
    NoticeCode = "Notice", "Announced (事先告知) or unannounced (四不两直).",
        codes_of(Notice::ALL, Notice::code);
    /// Why an inspection over the yearly cap may take place.
    CapExceptionCode = "CapException",
        "Why an inspection over the yearly cap may take place: a complaint, an accident, a referral.",
        codes_of(CapException::ALL, CapException::code);
    /// What kind of guest.
    GuestKindCode = "GuestKind", "An expert, a journalist, anyone else.",
        codes_of(GuestKind::ALL, GuestKind::code);
    /// Which on-site measure.
    MeasureKindCode = "MeasureKind", "Which on-site measure.",
        codes_of(MeasureKind::ALL, MeasureKind::code);
    /// What the review of on-site measures decided.
    LiftResultCode = "LiftResult", "The measures lifted, or kept in force.",
        codes_of(LiftResult::ALL, LiftResult::code);
    /// Who a violation's penalty falls on.
    PartyCode = "Party", "Who is penalised: a person (个人) or the unit (单位).",
        codes_of(Party::ALL, Party::code);
    /// Where a correction order stands.
    OrderStatusCode = "OrderStatus", "Where a correction order stands.",
        codes_of(OrderStatus::ALL, OrderStatus::code);
    /// Where an extension request stands.
    ExtensionStatusCode = "ExtensionStatus", "Where an extension request stands.",
        codes_of(ExtensionStatus::ALL, ExtensionStatus::code);
    /// What a re-inspection found.
    ReInspectionResultCode = "ReInspectionResult", "Corrected or not corrected.",
        codes_of(ReInspectionResult::ALL, ReInspectionResult::code);
    /// A penalty provision (issue #13).
    ProvisionCode = "Provision", "A penalty provision: the article, its stage and on whom.",
        codes_of(Provision::ALL, Provision::code);
    /// A discretion band.
    BandCode = "Band", "A discretion band: 轻微, 一般, 较重, 严重.",
        codes_of(Band::ALL, Band::code);
    /// A suspension or revocation proposed in a penalty notice.
    HeavyMeasureCode = "HeavyMeasure", "A suspension (停产停业整顿) or a revocation of licences.",
        codes_of(HeavyMeasure::ALL, HeavyMeasure::code);
    /// How the party answered a penalty notice.
    CaseAnswerCode = "CaseAnswer", "A statement, a waiver, or a hearing held.",
        codes_of(CaseAnswer::ALL, CaseAnswer::code);
    /// A step of a case's procedure.
    CaseStepCode = "CaseStep", "A step of a penalty case after its filing.",
        crate::input::cases::STEPS.to_vec();
    /// Where a case stands.
    CaseStateCode = "CaseState", "`draft`, or where a filed case stands.",
        std::iter::once("draft").chain(codes_of(CaseState::ALL, CaseState::code)).collect();
    /// Where a case comes from.
    CaseSourceCode = "CaseSource", "An inspection, a referral, filed directly, or an acceptance.",
        safeduty_store::enforcement::cases::CaseSource::KINDS.to_vec();
    /// Where an exposure stands.
    ExposureStatusCode = "ExposureStatus", "A draft, published, or withdrawn.",
        codes_of(ExposureStatus::ALL, ExposureStatus::code);
    /// A step of a listing on the dishonesty list.
    ListingStepCode = "ListingStep", "A step of a listing on the dishonesty list after its notice.",
        safeduty_app::enforcement::dishonesty::Step::CODES.to_vec();
    /// Where a listing on the dishonesty list stands.
    ListingStatusCode = "ListingStatus", "Where a listing on the dishonesty list stands.",
        codes_of(ListingStatus::ALL, ListingStatus::code);
    /// Why a listing left the dishonesty list.
    RemovalReasonCode = "RemovalReason", "The period ended, or credit repair granted.",
        codes_of(RemovalReason::ALL, RemovalReason::code);
    /// A record that shows a measure was carried out.
    MeasureSourceCode = "MeasureSource", "Self-inspections, commitments, inspections, exposures.",
        codes_of(MeasureSource::ALL, MeasureSource::code);
    /// Where a unit's entry of a measure stands.
    EntryStatusCode = "MeasureEntryStatus", "Recorded, or returned by the committee office.",
        codes_of(EntryStatus::ALL, EntryStatus::code);
    /// What the committee office does about a unit.
    MatterKindCode = "MatterKind", "A correction order (责令整改) or an interview (约谈).",
        codes_of(MatterKind::ALL, MatterKind::code);
    /// Where a unit's matter stands.
    MatterStatusCode = "MatterStatus", "Issued, reported, or closed.",
        codes_of(MatterStatus::ALL, MatterStatus::code);
    /// A step of a unit's matter.
    MatterStepCode = "MatterStep", "The interview held, the unit's report, the follow-up.",
        safeduty_app::unit_matters::Step::CODES.to_vec();
    /// How an acceptance inspection is carried out.
    AcceptanceModeCode = "AcceptanceMode", "A team of officers with experts and media, or a commissioned third party.",
        codes_of(AcceptanceMode::ALL, AcceptanceMode::code);
    /// Where an acceptance inspection stands.
    AcceptanceStatusCode = "AcceptanceStatus", "Planned, underway, or closed.",
        codes_of(AcceptanceStatus::ALL, AcceptanceStatus::code);
    /// The conclusion of an acceptance inspection.
    ConclusionCode = "AcceptanceConclusion", "Passed (验收合格) or failed (验收不合格).",
        codes_of(Conclusion::ALL, Conclusion::code);
    /// A step of an acceptance inspection.
    AcceptanceStepCode = "AcceptanceStep", "The third party's assessment, its adoption, the closing.",
        safeduty_app::enforcement::acceptance::Step::CODES.to_vec();
    /// The violation of a party still violating at acceptance.
    AtAcceptanceCode = "AtAcceptance", "The article still violated at acceptance (upper limit).",
        codes_of(AtAcceptance::ALL, AtAcceptance::code);
    /// A document of a case.
    CaseDocumentCode = "CaseDocument", "A document of a penalty case.",
        codes_of(CaseDocument::ALL, CaseDocument::code);
    /// Where a unit's report stands.
    ReportStateCode = "ReportState", "Where a unit's report stands on the server's today.",
        ReportStatus::CODES.to_vec();
    /// What kind of unit, in words.
    UnitKindLabel = "UnitKindLabel", "A territorial unit (属地) or an industry department.",
        crate::views::UNIT_KIND_LABELS.to_vec();
    /// The stable code of an error.
    ErrorCodeCode = "ErrorCode", "Stable code of an error; `message` says it in Chinese.",
        crate::error::ERROR_CODES.to_vec();
}

/// The body of a photo upload (`multipart/form-data`): one part `file`, the picture.
pub(crate) struct PhotoUpload;

impl utoipa::PartialSchema for PhotoUpload {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .property(
                "file",
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .content_media_type("application/octet-stream")
                    .description(Some(
                        "The picture: JPG, PNG, GIF or WebP, under the upload limit.",
                    )),
            )
            .required("file")
            .into()
    }
}

impl utoipa::ToSchema for PhotoUpload {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("PhotoUpload")
    }
}

/// The body of a measure's entry (`multipart/form-data`): `held_on`, `description`, `version`
/// (when the entry exists) and a part `file`, an evidence file.
pub(crate) struct MeasureUpload;

impl utoipa::PartialSchema for MeasureUpload {
    fn schema() -> RefOr<Schema> {
        let text = |d: &str| {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .description(Some(d))
        };
        ObjectBuilder::new()
            .property("held_on", text("The day held, YYYY-MM-DD, not after today."))
            .property("description", text("What was done, at most 2 000 characters."))
            .property(
                "version",
                text("The entry's version the client loaded, when it exists (409 if changed)."),
            )
            .property(
                "file",
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .content_media_type("application/octet-stream")
                    .description(Some(
                        "An evidence file (required for a first entry): a document or a picture under the upload limit.",
                    )),
            )
            .required("held_on")
            .required("description")
            .into()
    }
}

impl utoipa::ToSchema for MeasureUpload {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("MeasureUpload")
    }
}

/// One answer the house gives on its own: the status, when an operation gets it, and why.
struct HouseAnswer {
    status: u16,
    applies: fn(&Route<'_>) -> bool,
    description: &'static str,
}

/// What decides which house answers an operation can get.
struct Route<'a> {
    path: &'a str,
    /// GET or HEAD.
    safe: bool,
    /// The content types of its request body, if it takes one.
    body: Vec<&'a str>,
    /// It reads a query string ([`crate::extract::ApiQuery`]).
    query: bool,
}

impl Route<'_> {
    /// Behind the session guard ([`crate::guard::ApiUser`]): everything but logging in (the
    /// document, open to all, does not describe itself).
    fn signed_in(&self) -> bool {
        self.path != "/api/v1/login"
    }
}

/// The house answers, by status.
const HOUSE_ANSWERS: &[HouseAnswer] = &[
    HouseAnswer {
        status: 400,
        applies: |r| !r.body.is_empty() || r.query,
        description: "The body or the query string cannot be read: not JSON, not an upload \
                      form, a parameter given twice (`malformed`, `bad_request`).",
    },
    HouseAnswer {
        status: 401,
        applies: |r| r.signed_in(),
        description: "Not logged in or the session expired (`unauthenticated`), or the second \
                      factor's code is owed (`second_factor_required`).",
    },
    HouseAnswer {
        status: 403,
        applies: |r| r.signed_in() || !r.safe,
        description: "The `X-CSRF-Token` header is missing or wrong (`csrf`); the password must \
                      be changed first (`password_change_required`); an administrator must \
                      enrol a second factor first (`second_factor_enrollment_required`); or \
                      the role may not (`forbidden`, `refused`).",
    },
    HouseAnswer {
        status: 404,
        applies: |r| r.path.contains('{') || (r.signed_in() && r.safe),
        description: "Does not exist, or is outside the caller's scope; a role whose scope \
                      holds none of what is asked gets this too (`not_found`).",
    },
    HouseAnswer {
        status: 413,
        applies: |r| !r.safe,
        description: "The body is larger than the route takes (`malformed`).",
    },
    HouseAnswer {
        status: 415,
        applies: |r| !r.body.is_empty(),
        description: "The body is not of the content type the route reads (`malformed`).",
    },
    HouseAnswer {
        status: 422,
        applies: |r| !r.body.is_empty(),
        description: "A field is missing or of the wrong type (`malformed`), or the rules \
                      refuse the request (`invalid_fields`, `refused`).",
    },
    HouseAnswer {
        status: 429,
        applies: |_| true,
        description: "Too many denied requests from this session and address: wait a minute \
                      (`throttled`); or too many logins (`too_many_requests`).",
    },
];

/// Adds the house answers to every operation that can get them, keeping the operation's own
/// description of a status it lists already.
pub(crate) struct HouseAnswers;

impl utoipa::Modify for HouseAnswers {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        for (path, item) in &mut doc.paths.paths {
            let operations = [
                (true, item.get.as_mut()),
                (true, item.head.as_mut()),
                (false, item.post.as_mut()),
                (false, item.put.as_mut()),
                (false, item.patch.as_mut()),
                (false, item.delete.as_mut()),
            ];
            for (safe, op) in operations {
                if let Some(op) = op {
                    add_house_answers(path, safe, op);
                }
            }
        }
    }
}

fn add_house_answers(path: &str, safe: bool, op: &mut Operation) {
    let route = Route {
        path,
        safe,
        body: op
            .request_body
            .as_ref()
            .map(|b| match b {
                RefOr::T(b) => b.content.keys().map(String::as_str).collect(),
                RefOr::Ref(_) => vec!["application/json"],
            })
            .unwrap_or_default(),
        query: op
            .parameters
            .iter()
            .flatten()
            .any(|p| matches!(p, RefOr::T(p) if p.parameter_in == ParameterIn::Query)),
    };
    let mut added = Vec::new();
    for answer in HOUSE_ANSWERS {
        let status = answer.status.to_string();
        if (answer.applies)(&route) && !op.responses.responses.contains_key(&status) {
            added.push((status, answer.description));
        }
    }
    for (status, description) in added {
        op.responses.responses.insert(
            status,
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    Content::new(Some(Ref::from_schema_name("ErrorBody"))),
                )
                .build()
                .into(),
        );
    }
}
