//! Body extractors whose rejections answer like every other error: JSON with a Chinese message
//! for the API, an HTML page for forms.

use axum::extract::rejection::{FormRejection, JsonRejection};
use axum::extract::{FromRequest, Request};
use axum::{Form, Json};

use crate::error::{ApiError, AppError, PageError};

/// A JSON body for the API; a malformed one is answered with the JSON error body.
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

/// A form body for pages; a malformed one is answered with the error page.
#[derive(Debug, Clone)]
pub struct PageForm<T>(pub T);

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
        JsonRejection::BytesRejection(_) => "请求内容过大或无法读取".into(),
        _ => "请求内容无法读取".into(),
    }
}

fn form_message(e: &FormRejection) -> String {
    match e {
        FormRejection::FailedToDeserializeForm(_)
        | FormRejection::FailedToDeserializeFormBody(_) => match field_of(&e.body_text()) {
            Some(field) => format!("表单内容不完整或格式不正确（字段“{field}”）"),
            None => "表单内容不完整或格式不正确".into(),
        },
        FormRejection::InvalidFormContentType(_) => "请求须为表单提交".into(),
        _ => "表单内容过大或无法读取".into(),
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

impl<S, T> FromRequest<S> for PageForm<T>
where
    S: Send + Sync,
    Form<T>: FromRequest<S, Rejection = FormRejection>,
{
    type Rejection = PageError;

    async fn from_request(req: Request, state: &S) -> Result<Self, PageError> {
        match Form::<T>::from_request(req, state).await {
            Ok(Form(v)) => Ok(PageForm(v)),
            Err(e) => Err(PageError(AppError::Malformed {
                status: e.status(),
                message: form_message(&e),
            })),
        }
    }
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
    use super::field_of;

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
