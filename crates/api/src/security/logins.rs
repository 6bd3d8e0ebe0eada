//! `GET /api/v1/me/logins`.

use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, FixedOffset};
use madoguchi_app::two_step::manage;
use madoguchi_domain::calendar;
use madoguchi_domain::two_step::{Outcome, SignInMethod};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::error::problem::Problem;
use crate::session::Member;
use crate::state::AppState;

/// One sign-in attempt.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"at": "2026-11-20T10:30:00+09:00", "outcome": "success", "method": "totp",
    "address": "192.0.2.1", "browser": "Safari (iPhone)"}))]
pub struct LoginAttempt {
    #[schema(value_type = String, format = DateTime)]
    pub at: DateTime<FixedOffset>,
    /// `success`, `wrong_password`, `wrong_code` or `locked`.
    #[schema(value_type = String, example = "success")]
    pub outcome: Outcome,
    /// `temporary`, `password`, `totp`, `email_code`, `recovery_code` or `passkey`.
    #[schema(value_type = String, example = "totp")]
    pub method: SignInMethod,
    pub address: String,
    pub browser: String,
}

/// ログイン履歴: the last 20 sign-in attempts, newest first.
#[utoipa::path(
    tag = "member",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The attempts.", body = Vec<LoginAttempt>),
        (status = 403, description = "`wrong_step`: not a member token", body = Problem, content_type = "application/problem+json"),
        crate::error::problem::answers::Token,
        crate::error::problem::answers::Locked,
        crate::error::problem::answers::Maintenance,
    )
)]
#[get("/me/logins")]
pub async fn logins(state: web::Data<AppState>, member: Member) -> Result<HttpResponse, ApiError> {
    let attempts = manage::logins(&state, &member.view).await?;
    let body: Vec<LoginAttempt> = attempts
        .into_iter()
        .map(|a| LoginAttempt {
            at: a.at.with_timezone(&calendar::Tokyo).fixed_offset(),
            outcome: a.outcome,
            method: a.method,
            address: a.address,
            browser: a.browser,
        })
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(body))
}
