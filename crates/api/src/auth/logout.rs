//! `POST /api/v1/auth/logout`: ends every session of the account on every device (the
//! household shares one account) by bumping its session version.

use actix_web::{HttpResponse, post, web};
use madoguchi_app::lockout::audit;
use madoguchi_persistence::accounts;

use crate::client::Now;
use crate::error::ApiError;
use crate::error::problem::Problem;
use crate::session::Member;
use crate::state::AppState;

/// Signs out everywhere: every token of the account stops working, and the cookie is expired.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 204, description = "Signed out on every device."),
        (status = 403, description = "`wrong_step`: not a member token; `cross_site_request`: a cookie-only request from another origin", body = Problem, content_type = "application/problem+json"),
        crate::error::problem::answers::Token,
        crate::error::problem::answers::Locked,
        crate::error::problem::answers::Maintenance,
    )
)]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    Now(now): Now,
    Member(session): Member,
) -> Result<HttpResponse, ApiError> {
    let view = session.signed_in.view;
    state
        .db(move |c| {
            madoguchi_persistence::write_tx(c, |c| {
                accounts::bump_session(c, &view.account.id, now)?;
                audit(c, &view, "logged_out", serde_json::json!({}), now)
            })
        })
        .await?;
    Ok(HttpResponse::NoContent()
        .cookie(state.tokens.removal_cookie())
        .finish())
}
