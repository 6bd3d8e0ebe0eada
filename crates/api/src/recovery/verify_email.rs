//! `POST /api/v1/email/verify`.

use actix_web::{HttpResponse, post, web};
use madoguchi_app::email;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::client::Now;
use crate::error::ApiError;
use crate::error::problem::Problem;
use crate::json::{ApiJson, shape_issues};
use crate::state::AppState;

/// The token of an e-mailed verification link (`…/verify-email?token=<token>`).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"token": "01a226cd-2b7d-7293-baab-0af8a017ea82.q3Jx…"}))]
pub struct VerifyEmailRequest {
    #[validate(required, length(max = 256))]
    #[schema(value_type = String, required = true, max_length = 256)]
    pub token: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"email_verified": true, "already_verified": false}))]
pub struct Verified {
    /// Always true.
    pub email_verified: bool,
    /// True when this link had been used before and its address is still the member's
    /// confirmed address (the e-mail opened again): nothing changed.
    pub already_verified: bool,
}

/// Confirms an e-mail address with the token of its link. A token works once, for 24 hours,
/// and a newer link for another address supersedes it.
#[utoipa::path(
    tag = "member",
    request_body = VerifyEmailRequest,
    responses(
        (status = 200, description = "The address is verified (`already_verified` when this link had confirmed it before).", body = Verified),
        (status = 410, description = "`verification_token_invalid`: unknown, expired, superseded, or used for an address that is no longer the member's", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: no token", body = Problem, content_type = "application/problem+json"),
        crate::error::problem::answers::JsonBody,
        crate::error::problem::answers::Maintenance,
    )
)]
#[post("/email/verify")]
pub async fn verify_email(
    state: web::Data<AppState>,
    Now(now): Now,
    body: ApiJson<VerifyEmailRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    body.validate()
        .map_err(|e| ApiError::Validation(shape_issues(&e)))?;
    let verified = email::verify(&state, body.token.as_deref().unwrap_or(""), now).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(Verified {
            email_verified: true,
            already_verified: verified == email::Verified::Already,
        }))
}
