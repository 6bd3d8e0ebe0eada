//! `POST /api/v1/me/recovery-codes`.

use actix_web::{HttpResponse, post, web};
use madoguchi_app::two_step::manage;

use super::{CurrentPasswordRequest, RecoveryCodesResponse};
use crate::client::{ClientAddress, Now};
use crate::error::ApiError;
use crate::error::problem::Problem;
use crate::json::ApiJson;
use crate::session::Member;
use crate::state::AppState;

/// Ten new recovery codes, shown once; the old ones stop working.
#[utoipa::path(
    tag = "member",
    security(("bearer" = []), ("cookie" = [])),
    request_body = CurrentPasswordRequest,
    responses(
        (status = 200, description = "The new codes.", body = RecoveryCodesResponse),
        (status = 401, description = "`invalid_credentials` (wrong current password; counts toward the lockout), `unauthenticated`, `token_expired` or `session_revoked`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`wrong_step`, `cross_site_request`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`too_many_attempts`", body = Problem, content_type = "application/problem+json"),
        crate::error::problem::answers::Locked,
        crate::error::problem::answers::JsonBody,
        crate::error::problem::answers::Maintenance,
    )
)]
#[post("/me/recovery-codes")]
pub async fn renew_recovery_codes(
    state: web::Data<AppState>,
    ClientAddress(client): ClientAddress,
    Now(now): Now,
    member: Member,
    body: ApiJson<CurrentPasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    let password = body.0.password()?;
    let codes = manage::renew_recovery_codes(&state, &member.view, password, client, now).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(RecoveryCodesResponse {
            recovery_codes: codes,
        }))
}
