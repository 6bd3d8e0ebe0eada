//! `POST /api/v1/me/totp/disable`.

use actix_web::{HttpResponse, post, web};
use madoguchi_app::two_step::manage;

use super::CurrentPasswordRequest;
use crate::client::{ClientAddress, Now};
use crate::error::ApiError;
use crate::error::problem::Problem;
use crate::json::ApiJson;
use crate::session::Member;
use crate::state::AppState;

/// Removes the authenticator app and its recovery codes (the member is mailed a notice).
#[utoipa::path(
    tag = "member",
    security(("bearer" = []), ("cookie" = [])),
    request_body = CurrentPasswordRequest,
    responses(
        (status = 204, description = "Removed (or there was none)."),
        (status = 401, description = "`invalid_credentials` (wrong current password; counts toward the lockout), `unauthenticated`, `token_expired` or `session_revoked`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`wrong_step`, `cross_site_request`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`too_many_attempts`", body = Problem, content_type = "application/problem+json"),
        crate::error::problem::answers::Locked,
        crate::error::problem::answers::JsonBody,
        crate::error::problem::answers::Maintenance,
    )
)]
#[post("/me/totp/disable")]
pub async fn disable_totp(
    state: web::Data<AppState>,
    ClientAddress(client): ClientAddress,
    Now(now): Now,
    member: Member,
    body: ApiJson<CurrentPasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    let password = body.0.password()?;
    manage::disable_totp(&state, &member.view, password, client, now).await?;
    Ok(HttpResponse::NoContent().finish())
}
