//! RFC 9457 problem details: every error answer is `application/problem+json` with a stable
//! `code`, never a framework's plain text or HTML.

use actix_web::http::StatusCode;
use madoguchi_domain::FieldCode;
use madoguchi_domain::onboarding::Step;
use serde::Serialize;
use utoipa::ToSchema;

use super::codes::{FieldCodes, ProblemCode};

/// An error answer (RFC 9457). `code` is the stable key clients translate; `detail` is for
/// people, in Japanese unless `Accept-Language` asks for English.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "about:blank", "title": "ログインできません", "status": 401, "code": "invalid_credentials",
    "detail": "ユーザIDまたはパスワードが違います。"
}))]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub title: String,
    pub status: u16,
    pub code: ProblemCode,
    pub detail: String,
    /// With `wrong_step`: the step the caller must do.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, example = "verify_identity")]
    pub next_step: Option<Step>,
    /// With `terms_outdated`: the version in force.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// With 422: every failing field at once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldProblem>>,
    /// With `identity_mismatch`, from the third failure in a row: the tries left before the
    /// account locks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remaining_attempts: Option<u32>,
    /// With `account_locked`: when the lock ends (also as seconds in `Retry-After`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = DateTime, example = "2026-11-20T10:30:00+09:00")]
    pub locked_until: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// With `account_locked` where the tenant is known (the identity check, a signed-in
    /// member): the kenpo's contact, when it set one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<crate::contact::ContactView>,
}

/// One failing field.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"field": "insurer_number", "code": "insurer_number_check_digit",
    "message": "保険者番号が正しくありません。保険証に記載の8桁の番号をご確認ください。"}))]
pub struct FieldProblem {
    pub field: String,
    #[schema(value_type = FieldCodes)]
    pub code: FieldCode,
    pub message: String,
}

impl Problem {
    pub fn new(status: StatusCode, code: ProblemCode, title: String, detail: String) -> Self {
        Self {
            kind: "about:blank",
            title,
            status: status.as_u16(),
            code,
            detail,
            next_step: None,
            version: None,
            errors: None,
            remaining_attempts: None,
            locked_until: None,
            contact: None,
        }
    }
}

/// Gives the answers that the HTTP/1 layer makes on its own, before any route or middleware
/// sees the request (431 for a head that is too large or has more than 96 headers, 400 for one
/// that cannot be parsed, 500 for a broken connection state), a problem+json body like every
/// other answer (ADR 0013). In Japanese: the request's language cannot be read.
pub fn install_framework_answers() {
    actix_http::h1::set_error_body(framework_answer);
}

fn framework_answer(status: StatusCode) -> Option<(&'static str, actix_web::web::Bytes)> {
    let error = match status {
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => crate::error::ApiError::HeadersTooLarge,
        StatusCode::BAD_REQUEST => crate::error::ApiError::MalformedRequest,
        StatusCode::INTERNAL_SERVER_ERROR => {
            crate::error::ApiError::Internal(anyhow::anyhow!("HTTP/1 dispatcher"))
        }
        _ => return None,
    };
    let (title, detail) = crate::error::messages::problem_text(&error, madoguchi_domain::Lang::Ja);
    let problem = Problem::new(status, error.code(), title, detail);
    let json = serde_json::to_vec(&problem).ok()?;
    Some(("application/problem+json", json.into()))
}

/// Problem answers that many routes document alike, for the `responses(...)` of their
/// `#[utoipa::path]` beside the answers of their own.
pub mod answers {
    use std::collections::BTreeMap;

    use utoipa::IntoResponses;
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};

    fn problems(rows: &[(&str, &str)]) -> BTreeMap<String, RefOr<Response>> {
        rows.iter()
            .map(|(status, description)| {
                let content = ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Problem")))
                    .build();
                let response = ResponseBuilder::new()
                    .description(*description)
                    .content("application/problem+json", content)
                    .build();
                ((*status).to_owned(), RefOr::T(response))
            })
            .collect()
    }

    /// A route that reads a JSON body: 400 `malformed_body`, 413 `body_too_large`,
    /// 415 `unsupported_media_type`.
    pub struct JsonBody;

    impl IntoResponses for JsonBody {
        fn responses() -> BTreeMap<String, RefOr<Response>> {
            problems(&[
                ("400", "`malformed_body`"),
                ("413", "`body_too_large`"),
                ("415", "`unsupported_media_type`"),
            ])
        }
    }

    /// A route that takes a token: 401 `unauthenticated`, `token_expired` or `session_revoked`.
    pub struct Token;

    impl IntoResponses for Token {
        fn responses() -> BTreeMap<String, RefOr<Response>> {
            problems(&[(
                "401",
                "`unauthenticated`, `token_expired` or `session_revoked`",
            )])
        }
    }

    /// 423 `account_locked`.
    pub struct Locked;

    impl IntoResponses for Locked {
        fn responses() -> BTreeMap<String, RefOr<Response>> {
            problems(&[("423", "`account_locked`")])
        }
    }

    /// 503 `maintenance` (every route but health and maintenance), or `unavailable` while
    /// the database does not answer.
    pub struct Maintenance;

    impl IntoResponses for Maintenance {
        fn responses() -> BTreeMap<String, RefOr<Response>> {
            problems(&[(
                "503",
                "`maintenance`, or `unavailable` while the database does not answer",
            )])
        }
    }
}
