//! Body extractors whose rejections answer like every other error: JSON with a Chinese message
//! for the API, an HTML page for forms.

use axum::Json;
use axum::extract::rejection::{JsonRejection, RawFormRejection};
use axum::extract::{FromRequest, FromRequestParts, Query, RawForm, Request};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};

use crate::error::{ApiError, AppError, PageError};

/// A JSON body for the API; a malformed one is answered with the JSON error body.
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

/// A JSON body for the API read but not yet judged: a handler whose path names something in a
/// scope checks the caller's scope first and only then [`LaterJson::take`]s the body, so that
/// outside the scope even a malformed body is answered 404 and recorded as a denial (issue #16
/// point 4: scope first, then validation).
#[derive(Debug)]
pub struct LaterJson<T>(Result<T, ApiError>);

impl<T> LaterJson<T> {
    /// The body, or the answer to a malformed one.
    ///
    /// # Errors
    /// As [`ApiJson`]'s rejection.
    pub fn take(self) -> Result<T, ApiError> {
        self.0
    }
}

/// A query string for the API; one that cannot be read (e.g. a parameter given twice, or not
/// UTF-8 once decoded) is answered 400 with the JSON error body.
#[derive(Debug, Clone)]
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    S: Send + Sync,
    T: serde::de::DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(v)) => Ok(ApiQuery(v)),
            Err(e) => {
                tracing::debug!(detail = %e.body_text(), "query string refused");
                Err(ApiError(AppError::Malformed {
                    status: StatusCode::BAD_REQUEST,
                    message: "查询参数无法读取（参数重复或格式不正确）".into(),
                }))
            }
        }
    }
}

/// A form body for pages; a malformed one is answered with the error page.
#[derive(Debug, Clone)]
pub struct PageForm<T>(pub T);

/// What a request whose body is over the limit of a route without an upload is told.
pub(crate) fn body_too_large_message() -> String {
    format!(
        "请求内容超过 {} MB 的上限，未处理",
        crate::routes::DEFAULT_BODY_LIMIT / 1024 / 1024
    )
}

fn json_message(e: &JsonRejection) -> String {
    match e {
        JsonRejection::MissingJsonContentType(_) => {
            "请求须为 JSON（Content-Type: application/json）".into()
        }
        JsonRejection::JsonSyntaxError(_) => "请求内容不是有效的 JSON".into(),
        JsonRejection::JsonDataError(d) => match field_of(&d.body_text()) {
            Some(field) => format!("请求内容的字段“{field}”缺少或格式不正确"),
            None => "请求内容的字段不符合要求".into(),
        },
        JsonRejection::BytesRejection(b) if b.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            body_too_large_message()
        }
        JsonRejection::BytesRejection(_) => "请求内容过大或无法读取".into(),
        _ => "请求内容无法读取".into(),
    }
}

/// The field a deserializer's (English) message names: `missing field `x`` or a JSON path
/// before `: `. The message itself goes to the log, not to the user, who reads Chinese.
fn field_of(detail: &str) -> Option<String> {
    tracing::debug!(detail, "request body refused");
    if let Some(rest) = detail.split("missing field `").nth(1) {
        return rest.split('`').next().map(str::to_string);
    }
    let after_prefix = detail.rsplit_once("body: ").map_or(detail, |(_, r)| r);
    let after_prefix = after_prefix
        .rsplit_once("target type: ")
        .map_or(after_prefix, |(_, r)| r);
    let (path, _) = after_prefix.split_once(": ")?;
    let is_path = !path.is_empty()
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '[' | ']'));
    is_path.then(|| path.to_string())
}

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    Json<T>: FromRequest<S, Rejection = JsonRejection>,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(e) => Err(ApiError(AppError::Malformed {
                status: e.status(),
                message: json_message(&e),
            })),
        }
    }
}

impl<S, T> FromRequest<S> for LaterJson<T>
where
    S: Send + Sync,
    Json<T>: FromRequest<S, Rejection = JsonRejection>,
{
    type Rejection = std::convert::Infallible;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        Ok(LaterJson(
            ApiJson::<T>::from_request(req, state)
                .await
                .map(|ApiJson(v)| v),
        ))
    }
}

/// A form body for pages read but not yet judged, as [`LaterJson`] is for the API: the handler
/// checks the caller's scope first, then [`LaterForm::take`]s the form.
#[derive(Debug)]
pub struct LaterForm<T>(Result<T, PageError>);

impl<T> LaterForm<T> {
    /// The form, or the answer to a malformed one.
    ///
    /// # Errors
    /// As [`PageForm`]'s rejection.
    pub fn take(self) -> Result<T, PageError> {
        self.0
    }
}

impl<S, T> FromRequest<S> for LaterForm<T>
where
    S: Send + Sync,
    T: serde::de::DeserializeOwned,
{
    type Rejection = std::convert::Infallible;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        Ok(LaterForm(
            PageForm::<T>::from_request(req, state)
                .await
                .map(|PageForm(v)| v),
        ))
    }
}

impl<S, T> FromRequest<S> for PageForm<T>
where
    S: Send + Sync,
    T: serde::de::DeserializeOwned,
{
    type Rejection = PageError;

    /// Reads the form (the query of a GET, the body otherwise), refuses a field that is not
    /// valid UTF-8 once percent-decoded — instead of saving it with replacement characters, as
    /// the JSON API refuses such text too (issue #16 point 7) — then deserializes it.
    async fn from_request(req: Request, state: &S) -> Result<Self, PageError> {
        let malformed = |status, message| PageError(AppError::Malformed { status, message });
        let is_query = req.method() == Method::GET || req.method() == Method::HEAD;
        let RawForm(bytes) = RawForm::from_request(req, state).await.map_err(|e| {
            let message = match e {
                RawFormRejection::InvalidFormContentType(_) => "请求须为表单提交",
                _ => "表单内容过大或无法读取",
            };
            malformed(e.status(), message.into())
        })?;
        if let Some(field) = non_utf8_field(&bytes) {
            return Err(malformed(
                StatusCode::BAD_REQUEST,
                format!("表单字段“{field}”不是有效的 UTF-8 文本"),
            ));
        }
        serde_urlencoded::from_bytes::<T>(&bytes)
            .map(PageForm)
            .map_err(|e| {
                // As axum's `Form`: 400 for a query, 422 for a body.
                let status = if is_query {
                    StatusCode::BAD_REQUEST
                } else {
                    StatusCode::UNPROCESSABLE_ENTITY
                };
                let message = match field_of(&e.to_string()) {
                    Some(field) => format!("表单内容不完整或格式不正确（字段“{field}”）"),
                    None => "表单内容不完整或格式不正确".into(),
                };
                malformed(status, message)
            })
    }
}

/// The name of the first field of a URL-encoded form whose name or value is not UTF-8 once
/// percent-decoded (the name shown lossily, at most 20 characters).
fn non_utf8_field(form: &[u8]) -> Option<String> {
    let decode = |part: &[u8]| -> Result<String, Vec<u8>> {
        let spaced: Vec<u8> = part
            .iter()
            .map(|b| if *b == b'+' { b' ' } else { *b })
            .collect();
        let bytes: Vec<u8> = percent_encoding::percent_decode(&spaced).collect();
        String::from_utf8(bytes).map_err(|e| e.into_bytes())
    };
    form.split(|b| *b == b'&').find_map(|pair| {
        let mut halves = pair.splitn(2, |b| *b == b'=');
        let key = halves.next().unwrap_or_default();
        let value = halves.next().unwrap_or_default();
        let name = match decode(key) {
            Ok(k) => k,
            Err(raw) => String::from_utf8_lossy(&raw).into_owned(),
        };
        let bad = decode(key).is_err() || decode(value).is_err();
        bad.then(|| name.chars().take(20).collect())
    })
}

/// Unknown paths: JSON under `/api`, the error page elsewhere.
pub(crate) async fn not_found(uri: axum::http::Uri) -> axum::response::Response {
    use axum::response::IntoResponse;
    if uri.path().starts_with("/api/") {
        ApiError(AppError::NotFound).into_response()
    } else {
        PageError(AppError::NotFound).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::{field_of, non_utf8_field};

    #[test]
    fn a_field_that_is_not_utf8_is_named() {
        assert_eq!(
            non_utf8_field(b"csrf=t&name=%E4%B8%AD&note=%FF%FE"),
            Some("note".into())
        );
        assert_eq!(non_utf8_field(b"%C3%28=x"), Some("\u{FFFD}(".into()));
        assert_eq!(non_utf8_field(b"name=%E4%B8%AD+%E6%96%87&x="), None);
        assert_eq!(non_utf8_field(b""), None);
    }

    #[test]
    fn the_field_is_named_and_the_english_detail_is_not_passed_on() {
        assert_eq!(
            field_of("Failed to deserialize form body: missing field `name`").as_deref(),
            Some("name")
        );
        assert_eq!(
            field_of(
                "Failed to deserialize the JSON body into the target type: version: invalid \
                 type: string \"x\", expected i64 at line 1 column 14"
            )
            .as_deref(),
            Some("version")
        );
        assert_eq!(
            field_of("Failed to deserialize form body: invalid digit found in string"),
            None
        );
    }
}
