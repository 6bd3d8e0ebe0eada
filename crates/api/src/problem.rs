//! RFC 9457 problem details: every error answer is `application/problem+json` with a stable
//! `code`, never a framework's plain text or HTML.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use madoguchi_domain::Lang;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub title: String,
    pub status: u16,
    pub code: &'static str,
    pub detail: String,
}

impl Problem {
    pub fn response(
        status: StatusCode,
        code: &'static str,
        title: String,
        detail: String,
    ) -> HttpResponse {
        HttpResponse::build(status)
            .content_type("application/problem+json")
            .json(Problem {
                kind: "about:blank",
                title,
                status: status.as_u16(),
                code,
                detail,
            })
    }
}

/// The request's language: English when `Accept-Language` prefers it, else Japanese.
pub fn lang(req: &HttpRequest) -> Lang {
    req.headers()
        .get(actix_web::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map_or(Lang::Ja, Lang::from_accept_language)
}

pub async fn not_found(req: HttpRequest) -> HttpResponse {
    let (title, detail) = match lang(&req) {
        Lang::Ja => (
            "見つかりません",
            "このアドレスにはページも API もありません。",
        ),
        Lang::En => ("Not found", "Nothing is served at this address."),
    };
    Problem::response(
        StatusCode::NOT_FOUND,
        "not_found",
        title.to_owned(),
        detail.to_owned(),
    )
}
