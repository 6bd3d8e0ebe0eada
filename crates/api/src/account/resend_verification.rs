//! `POST /api/v1/me/email/verification`.

use actix_web::{HttpResponse, post, web};
use madoguchi_app::email;

use crate::client::Now;
use crate::error::ApiError;
use crate::error::problem::Problem;
use crate::session::Member;
use crate::state::AppState;

/// Sends the verification e-mail again, to the pending or the unverified address (nothing
/// when the address is already verified).
#[utoipa::path(
    tag = "member",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 202, description = "Sent, when an address waits for verification."),
        (status = 403, description = "`wrong_step`: not a member token; `cross_site_request`: a cookie-only request from another origin", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`too_many_attempts`: at most 5 an hour", body = Problem, content_type = "application/problem+json"),
        crate::error::problem::answers::Token,
        crate::error::problem::answers::Locked,
        crate::error::problem::answers::Maintenance,
    )
)]
#[post("/me/email/verification")]
pub async fn resend_verification(
    state: web::Data<AppState>,
    Now(now): Now,
    member: Member,
) -> Result<HttpResponse, ApiError> {
    email::resend(&state, &member, now).await?;
    Ok(HttpResponse::Accepted().finish())
}
