//! `/auth`: login and logout.

pub mod login;
pub mod logout;
pub mod session_info;

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use chrono::{DateTime, Utc};
use madoguchi_domain::onboarding::Step;

use madoguchi_app::Opened;

use crate::error::ApiError;
use crate::state::AppState;
use crate::tokens::{Issued, TokenResponse};

/// The answer of a use case that opened a step: a token for it, in the body and the cookie.
pub fn opened(
    state: &AppState,
    status: StatusCode,
    opened: &Opened,
    user_id: Option<String>,
    now: DateTime<Utc>,
) -> Result<HttpResponse, ApiError> {
    let issued = state.tokens.issue(
        &opened.account_id,
        opened.step,
        opened.session_version,
        opened.credential_id.as_deref(),
        opened.login_time,
        now,
    )?;
    Ok(token_response(
        state,
        status,
        &issued,
        opened.step,
        &opened.tenant_name,
        user_id,
        now,
    ))
}

/// The answer of every route that issues a token: the body and the same token as a cookie.
pub fn token_response(
    state: &AppState,
    status: StatusCode,
    issued: &Issued,
    step: Step,
    tenant_name: &str,
    user_id: Option<String>,
    now: DateTime<Utc>,
) -> HttpResponse {
    HttpResponse::build(status)
        .cookie(state.tokens.cookie(issued, now))
        .insert_header(("Cache-Control", "no-store"))
        .json(TokenResponse {
            access_token: issued.token.clone(),
            token_type: "Bearer",
            expires_in: issued.claims.exp - now.timestamp(),
            next_step: step,
            tenant_name: tenant_name.to_owned(),
            user_id,
        })
}
