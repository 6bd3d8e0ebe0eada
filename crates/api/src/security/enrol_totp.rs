//! `POST /api/v1/me/totp` and `POST /api/v1/me/totp/confirm`.

use actix_web::{HttpResponse, post, web};
use madoguchi_app::two_step::manage;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::{CurrentPasswordRequest, RecoveryCodesResponse};
use crate::client::{ClientAddress, Now};
use crate::error::ApiError;
use crate::error::problem::Problem;
use crate::json::{ApiJson, shape_issues};
use crate::session::Member;
use crate::state::AppState;

/// A pending authenticator app: scan `qr_svg` (or type `secret`), then confirm a code.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"secret": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
    "otpauth_uri": "otpauth://totp/Madoguchi:alice2026?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Madoguchi",
    "qr_svg": "<svg …>"}))]
pub struct TotpEnrolment {
    /// Base32, for an app that cannot scan.
    pub secret: String,
    pub otpauth_uri: String,
    /// The URI as a QR code (SVG made on the server).
    pub qr_svg: String,
}

/// Starts setting up an authenticator app (pending until a code confirms it). Refused when
/// the kenpo turned two-step login off, or an app is already set up.
#[utoipa::path(
    tag = "member",
    security(("bearer" = []), ("cookie" = [])),
    request_body = CurrentPasswordRequest,
    responses(
        (status = 200, description = "The secret, its URI and QR code.", body = TotpEnrolment),
        (status = 401, description = "`invalid_credentials` (wrong current password; counts toward the lockout), `unauthenticated`, `token_expired` or `session_revoked`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`two_step_off`, `wrong_step`, `cross_site_request`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`totp_already_enabled`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`too_many_attempts`", body = Problem, content_type = "application/problem+json"),
        crate::error::problem::answers::Locked,
        crate::error::problem::answers::JsonBody,
        crate::error::problem::answers::Maintenance,
    )
)]
#[post("/me/totp")]
pub async fn enrol_totp(
    state: web::Data<AppState>,
    ClientAddress(client): ClientAddress,
    Now(now): Now,
    member: Member,
    body: ApiJson<CurrentPasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    let password = body.0.password()?;
    let e = manage::begin_totp(&state, &member.view, password, client, now).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(TotpEnrolment {
            secret: e.secret,
            otpauth_uri: e.otpauth_uri,
            qr_svg: e.qr_svg,
        }))
}

/// The app's current code.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"code": "123456"}))]
pub struct TotpConfirmRequest {
    #[validate(required, length(max = 64))]
    #[schema(value_type = String, required = true, max_length = 64)]
    pub code: Option<String>,
}

/// Confirms the pending app with its current code: two-step login is on, and ten recovery
/// codes are shown (once).
#[utoipa::path(
    tag = "member",
    security(("bearer" = []), ("cookie" = [])),
    request_body = TotpConfirmRequest,
    responses(
        (status = 200, description = "The app is active; the recovery codes, shown once.", body = RecoveryCodesResponse),
        (status = 401, description = "`invalid_code`, `unauthenticated`, `token_expired` or `session_revoked`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`wrong_step`, `cross_site_request`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`totp_not_pending`: start with `POST /me/totp`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` (`code`: `required`, `code_format`)", body = Problem, content_type = "application/problem+json"),
        crate::error::problem::answers::Locked,
        crate::error::problem::answers::JsonBody,
        crate::error::problem::answers::Maintenance,
    )
)]
#[post("/me/totp/confirm")]
pub async fn confirm_totp(
    state: web::Data<AppState>,
    Now(now): Now,
    member: Member,
    body: ApiJson<TotpConfirmRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    body.validate()
        .map_err(|e| ApiError::Validation(shape_issues(&e)))?;
    let code = body.code.unwrap_or_default();
    let codes = manage::confirm_totp(&state, &member.view, &code, now).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(RecoveryCodesResponse {
            recovery_codes: codes,
        }))
}
