//! Enterprise roster import: the committee office for its region, a unit officer for its own
//! enterprises. Upload (`.xlsx` or `.csv`), preview — new, changed field by field, unchanged,
//! rejected with row, column and reason — then confirm; the confirmation imports every accepted
//! row in one transaction, and is refused if the data changed since the preview. When the header
//! was not found as meant, the person names the header row and the field of each column (the
//! first rows of the sheet are shown to choose from) and previews again. The committee office
//! also keeps the industry table here. The steps are [`safeduty_app::roster`]'s.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use std::collections::HashMap;

use safeduty_app::roster::{Staged, industry_table};
use safeduty_core::policy::Action;
use safeduty_core::refusal::RefusalKind;
use safeduty_core::roster::check::{KEY_INDUSTRIES, OTHER_INDUSTRY};
use safeduty_core::roster::layout::{Choices, Layout, LayoutError};
use safeduty_core::roster::{Field, Grid, column_letter};
use safeduty_store::roster::Preview;

use super::{Chrome, empty_file_message, render};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::document_form::DocumentForm;
use crate::error::{AppError, PageError};
use crate::extract::{LaterForm, PageForm};
use crate::guard::PageUser;

/// Largest upload accepted, in bytes.
pub(crate) const MAX_UPLOAD: usize = 10 * 1024 * 1024;

#[derive(Template)]
#[template(path = "roster.html")]
struct RosterPage {
    chrome: Option<Chrome>,
    csrf: String,
    scope_label: String,
    error: Option<String>,
    file_name: String,
    source: String,
    preview: Option<Preview>,
    upload: String,
    result: Option<String>,
    header_row: String,
    columns: Vec<ColumnChoice>,
    head: Vec<(u32, Vec<String>)>,
    head_letters: Vec<String>,
    fields: Vec<(&'static str, &'static str)>,
    industries: Vec<(String, String)>,
    manage_industries: bool,
    key_industries: Vec<&'static str>,
}

/// A column of the header and the field it fills, as the choice form shows it.
struct ColumnChoice {
    index: usize,
    letter: String,
    header: String,
    /// The field's code, empty for "not imported".
    field: &'static str,
}

/// The rows shown to choose the header from, and the widest of them.
const HEAD_ROWS: usize = 12;
const HEAD_COLUMNS: usize = 20;
const HEAD_CELL_CHARS: usize = 16;

struct Shown {
    error: Option<String>,
    file_name: String,
    source: String,
    preview: Option<Preview>,
    upload: String,
    result: Option<String>,
    header_row: Option<u32>,
    columns: Vec<ColumnChoice>,
    head: Vec<(u32, Vec<String>)>,
}

impl Shown {
    fn empty() -> Shown {
        Shown {
            error: None,
            file_name: String::new(),
            source: String::new(),
            preview: None,
            upload: String::new(),
            result: None,
            header_row: None,
            columns: Vec::new(),
            head: Vec::new(),
        }
    }
    fn error(message: String) -> Shown {
        Shown {
            error: Some(message),
            ..Shown::empty()
        }
    }
}

async fn page(state: &AppState, user: &CurrentUser, shown: Shown) -> Result<Response, AppError> {
    let industries = industry_table(state.store(), &user.caller()).await?;
    let mut key_industries: Vec<&'static str> = KEY_INDUSTRIES.to_vec();
    key_industries.push(OTHER_INDUSTRY);
    Ok(render(&RosterPage {
        chrome: Some(Chrome::new(state, user).await),
        csrf: user.csrf.clone(),
        scope_label: user.user.affiliation.clone(),
        error: shown.error,
        file_name: shown.file_name,
        source: shown.source,
        preview: shown.preview,
        upload: shown.upload,
        result: shown.result,
        header_row: shown.header_row.map(|n| n.to_string()).unwrap_or_default(),
        head_letters: (0..shown.head.iter().map(|(_, c)| c.len()).max().unwrap_or(0))
            .map(column_letter)
            .collect(),
        columns: shown.columns,
        head: shown.head,
        fields: Field::ALL.iter().map(|f| (f.code(), f.label())).collect(),
        industries: industries.entries,
        manage_industries: industries.editable,
        key_industries,
    }))
}

fn unprocessable(mut r: Response) -> Response {
    *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    r
}

/// `GET /roster`.
pub(super) async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
) -> Result<Response, PageError> {
    Ok(page(&state, &user, Shown::empty()).await?)
}

/// `POST /roster`: the upload (multipart: `csrf`, `file`), answered with the preview.
pub(super) async fn upload(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let DocumentForm { file } = DocumentForm::read(multipart, "名单", MAX_UPLOAD).await?;
    let (file_name, bytes) = match file {
        Some((name, bytes)) if !bytes.is_empty() => (name, bytes),
        missing => {
            let message =
                empty_file_message(missing.map(|(name, _)| name), "请选择要导入的名单文件");
            let r = page(&state, &user, Shown::error(message)).await?;
            return Ok(unprocessable(r));
        }
    };
    match safeduty_app::roster::stage(state.store(), &user.caller(), &file_name, &bytes).await {
        Ok(staged) => respond(&state, &user, shown(staged, &Choices::default())).await,
        Err(e) => refused(&state, &user, e).await,
    }
}

/// Answers a refusal of the import: a request naming no readable upload (a staged file that no
/// longer reads, choices that locate no header: only a forged form) is a bad request, as before
/// the use cases; anything else the domain refused is the page with the message, 422.
async fn refused(
    state: &AppState,
    user: &CurrentUser,
    e: safeduty_app::Error,
) -> Result<Response, PageError> {
    match e {
        safeduty_app::Error::Refused(r) if r.field() == Some("upload") => {
            Err(AppError::BadRequest(r.to_string()).into())
        }
        safeduty_app::Error::Refused(r) => {
            let r = page(state, user, Shown::error(r.to_string())).await?;
            Ok(unprocessable(r))
        }
        e => Err(AppError::from(e).into()),
    }
}

/// What the page shows for a staged file read with `choices`: the preview, or why there is none
/// with the sheet's first rows and the header's columns to choose from.
fn shown(staged: Staged, choices: &Choices) -> Shown {
    let Staged {
        upload,
        file_name,
        sheet,
        located,
    } = staged;
    let head = head_rows(&sheet.grid);
    let source = sheet.source.to_string();
    match located {
        Ok((layout, preview)) => Shown {
            error: None,
            file_name,
            source,
            header_row: Some(layout.header_row),
            columns: column_choices(&layout),
            head: if preview.missing_columns.is_empty() {
                Vec::new()
            } else {
                head
            },
            preview: Some(preview),
            upload,
            result: None,
        },
        Err(e) => {
            let header_row = match e {
                LayoutError::NotAHeader(n) => Some(n),
                LayoutError::NoHeader => None,
            };
            let columns = header_row
                .and_then(|n| sheet.grid.rows.iter().find(|r| r.number == n))
                .map(|r| {
                    r.cells
                        .iter()
                        .enumerate()
                        .filter(|(_, c)| !c.trim().is_empty())
                        .map(|(index, c)| ColumnChoice {
                            index,
                            letter: column_letter(index),
                            header: c.trim().to_string(),
                            field: choices
                                .fields
                                .get(&index)
                                .copied()
                                .flatten()
                                .map_or("", Field::code),
                        })
                        .collect()
                })
                .unwrap_or_default();
            Shown {
                error: Some(format!(
                    "{file_name}：{e}。请在下方指定表头所在的行，并为各列选择对应的项目。"
                )),
                file_name,
                source,
                preview: None,
                upload,
                result: None,
                header_row,
                columns,
                head,
            }
        }
    }
}

fn column_choices(layout: &Layout) -> Vec<ColumnChoice> {
    layout
        .columns
        .iter()
        .map(|c| ColumnChoice {
            index: c.index,
            letter: c.letter.clone(),
            header: c.header.clone(),
            field: c.field.map_or("", Field::code),
        })
        .collect()
}

/// The sheet's first rows, cells shortened, to choose the header row from.
fn head_rows(grid: &Grid) -> Vec<(u32, Vec<String>)> {
    grid.rows
        .iter()
        .take(HEAD_ROWS)
        .map(|r| {
            let cells = r
                .cells
                .iter()
                .take(HEAD_COLUMNS)
                .map(|c| {
                    let c = c.trim();
                    if c.chars().count() > HEAD_CELL_CHARS {
                        let short: String = c.chars().take(HEAD_CELL_CHARS).collect();
                        format!("{short}…")
                    } else {
                        c.to_string()
                    }
                })
                .collect();
            (r.number, cells)
        })
        .collect()
}

/// The page for `shown`: 422 when it carries an error.
async fn respond(
    state: &AppState,
    user: &CurrentUser,
    shown: Shown,
) -> Result<Response, PageError> {
    let failed = shown.error.is_some();
    let r = page(state, user, shown).await?;
    Ok(if failed { unprocessable(r) } else { r })
}

/// The header row and column fields a form carries (`header_row`, `col_N` = a field code or
/// empty for "not imported"). Column choices made under another header row (`shown_header_row`)
/// do not apply to a newly named one.
///
/// # Errors
/// [`AppError::BadRequest`] for a row number or a field code that is not one.
fn choices_from(form: &HashMap<String, String>) -> Result<Choices, AppError> {
    let bad = |what: &str| AppError::BadRequest(format!("表单中的{what}无效"));
    let header_row = match form.get("header_row").map(|s| s.trim()) {
        None | Some("") => None,
        Some(n) => Some(
            safeduty_core::text::fold_width(n)
                .parse::<u32>()
                .map_err(|_| bad("表头行号"))?,
        ),
    };
    let mut choices = Choices {
        header_row,
        ..Choices::default()
    };
    let shown = form.get("shown_header_row").map(|s| s.trim()).unwrap_or("");
    if header_row.map(|n| n.to_string()).as_deref().unwrap_or("") != shown {
        return Ok(choices);
    }
    for (k, v) in form {
        let Some(index) = k.strip_prefix("col_") else {
            continue;
        };
        let index: usize = index.parse().map_err(|_| bad("列"))?;
        let field = match v.as_str() {
            "" => None,
            code => Some(Field::from_code(code).ok_or_else(|| bad("项目"))?),
        };
        choices.fields.insert(index, field);
    }
    Ok(choices)
}

/// `POST /roster/preview`: the staged upload previewed again with the header row and column
/// fields a person chose.
pub(super) async fn repreview(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageForm(form): PageForm<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let upload = form.get("upload").cloned().unwrap_or_default();
    let choices = choices_from(&form)?;
    match safeduty_app::roster::preview(state.store(), &user.caller(), &upload, &choices).await {
        Ok(staged) => respond(&state, &user, shown(staged, &choices)).await,
        Err(e) => refused(&state, &user, e).await,
    }
}

/// `POST /roster/apply`: imports the previewed upload, if it would still do what was shown. The
/// form carries `csrf`, `upload`, `fingerprint` and the choices the preview was made with.
pub(super) async fn apply(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageForm(form): PageForm<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let upload = form.get("upload").cloned().unwrap_or_default();
    let fingerprint = form.get("fingerprint").cloned().unwrap_or_default();
    let choices = choices_from(&form)?;
    let caller = user.caller();
    match safeduty_app::roster::apply(state.store(), &caller, &upload, &fingerprint, &choices).await
    {
        Ok(imported) => {
            let a = imported.applied;
            let mut message = format!(
                "{}：已导入，新增{}家，变更{}家；{}行未导入。",
                imported.file_name,
                a.created,
                a.updated,
                a.preview.rejected.len()
            );
            for (campaign, n) in &a.enrolled {
                message.push_str(&format!("{n}家新企业已纳入“{campaign}”。"));
            }
            Ok(page(
                &state,
                &user,
                Shown {
                    result: Some(message),
                    ..Shown::empty()
                },
            )
            .await?)
        }
        Err(safeduty_app::Error::Refused(r)) if r.kind() == RefusalKind::Conflict => {
            // Show what the import would do now, with a fresh confirmation.
            let staged =
                safeduty_app::roster::preview(state.store(), &caller, &upload, &choices).await?;
            let mut shown = shown(staged, &choices);
            shown.error = Some(r.to_string());
            let mut r = page(&state, &user, shown).await?;
            *r.status_mut() = StatusCode::CONFLICT;
            Ok(r)
        }
        Err(e) => refused(&state, &user, e).await,
    }
}

#[derive(Debug, serde::Deserialize)]
pub(super) struct IndustryForm {
    alias: String,
    industry: String,
}

/// `POST /roster/industries`: the committee office adds or changes an industry table entry.
pub(super) async fn industries(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    f: LaterForm<IndustryForm>,
) -> Result<Response, PageError> {
    // Authorization first, then validation (issue #16 point 4).
    safeduty_app::guard::require(
        state.store(),
        &user.caller(),
        Action::ManageIndustryTable,
        None,
    )
    .await?;
    let f = f.take()?;
    match safeduty_app::roster::set_industry(state.store(), &user.caller(), &f.alias, &f.industry)
        .await
    {
        Ok(()) => {
            let shown = Shown {
                result: Some(format!("已保存：{} → {}", f.alias.trim(), f.industry)),
                ..Shown::empty()
            };
            Ok(page(&state, &user, shown).await?)
        }
        Err(e) => refused(&state, &user, e).await,
    }
}
