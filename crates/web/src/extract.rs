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
        JsonRejection::JsonDataError(d) => format!("请求内容的字段不符合要求：{}", d.body_text()),
        JsonRejection::BytesRejection(_) => "请求内容过大或无法读取".into(),
        _ => "请求内容无法读取".into(),
    }
}

fn form_message(e: &FormRejection) -> String {
    match e {
        FormRejection::FailedToDeserializeForm(_)
        | FormRejection::FailedToDeserializeFormBody(_) => {
            format!("表单内容不完整或格式不正确：{}", e.body_text())
        }
        FormRejection::InvalidFormContentType(_) => "请求须为表单提交".into(),
        _ => "表单内容过大或无法读取".into(),
    }
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
