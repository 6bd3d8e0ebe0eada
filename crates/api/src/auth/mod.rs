//! `/auth`: login, the second factor, passkeys and logout.

pub mod login;
pub mod logout;
pub mod passkey;
pub mod second_factor;
pub mod second_factor_email;
pub mod session_info;

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use chrono::{DateTime, Utc};
use madoguchi_domain::two_step::Methods;

use madoguchi_app::Opened;

use crate::error::ApiError;
use crate::state::AppState;
use crate::tokens::TokenResponse;

/// The answer of a use case that opened a step: a token for it, in the body and the cookie.
pub fn opened(
    state: &AppState,
    status: StatusCode,
    opened: &Opened,
    user_id: Option<String>,
    now: DateTime<Utc>,
) -> Result<HttpResponse, ApiError> {
    opened_asking(state, status, opened, user_id, None, now)
}

/// [`opened`], naming the second-factor methods where the step is `second_factor`.
pub fn opened_asking(
    state: &AppState,
    status: StatusCode,
    opened: &Opened,
    user_id: Option<String>,
    second_factor_methods: Option<Methods>,
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
    // The body and the same token as a cookie: the answer of every route that issues one.
    Ok(HttpResponse::build(status)
        .cookie(state.tokens.cookie(&issued, now))
        .insert_header(("Cache-Control", "no-store"))
        .json(TokenResponse {
            access_token: issued.token.clone(),
            token_type: "Bearer",
            expires_in: issued.claims.exp - now.timestamp(),
            next_step: opened.step,
            tenant_name: opened.tenant_name.clone(),
            user_id,
            second_factor_methods,
        }))
}

/// The browser's label for the login history and notices, from its User-Agent.
pub fn browser(req: &actix_web::HttpRequest) -> String {
    let agent = req
        .headers()
        .get(actix_web::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    madoguchi_app::two_step::browser_label(agent)
}
