//! `POST /api/v1/auth/second-factor`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, post, web};
use madoguchi_app::two_step::Client;
use madoguchi_app::two_step::sign_in::{self, CodeInput, DEVICE_DAYS};
use madoguchi_domain::RuleError;
use madoguchi_domain::two_step::Method;
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::client::{ClientAddress, Now};
use crate::error::problem::Problem;
use crate::error::{ApiError, FieldIssue};
use crate::json::{ApiJson, shape_issues};
use crate::session::SecondFactorStep;
use crate::state::AppState;
use crate::tokens::TokenResponse;

/// The second factor: a code of the authenticator app (`totp`), of the e-mail (`email_code`)
/// or a recovery code (`recovery_code`, `XXXXX-XXXXX`). Full-width digits and spaces are fine.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"method": "totp", "code": "123456", "remember_device": true}))]
pub struct SecondFactorRequest {
    #[validate(required, length(max = 32))]
    #[schema(value_type = String, required = true, example = "totp")]
    pub method: Option<String>,
    #[validate(required, length(max = 64))]
    #[schema(value_type = String, required = true, max_length = 64)]
    pub code: Option<String>,
    /// この端末を記憶する: later password sign-ins from this browser skip the second factor
    /// for 30 days (an HttpOnly cookie `madoguchi_device`).
    #[serde(default)]
    pub remember_device: Option<bool>,
}

/// Shows the second factor after the password. `next_step` is `menu`, or `change_password`
/// after the recovery e-mail's temporary password. Every wrong code counts toward the lockout
/// like a wrong password.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = []), ("cookie" = [])),
    request_body = SecondFactorRequest,
    responses(
        (status = 200, description = "Signed in: a token of the next step (`menu` or `change_password`); with `remember_device`, also the `madoguchi_device` cookie.", body = TokenResponse),
        (status = 401, description = "`invalid_code` (wrong, used or expired; counts toward the lockout), `unauthenticated`, `token_expired` or `session_revoked`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`credentials_expired` (the temporary password expired), `cross_site_request`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`wrong_step` (with `next_step`): not a second-factor token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `code` (`required`, `code_format`), `method` (`method_not_offered`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`too_many_attempts` from this address", body = Problem, content_type = "application/problem+json"),
        crate::error::problem::answers::Locked,
        crate::error::problem::answers::JsonBody,
        crate::error::problem::answers::Maintenance,
    )
)]
#[post("/auth/second-factor")]
pub async fn second_factor(
    req: HttpRequest,
    state: web::Data<AppState>,
    ClientAddress(client): ClientAddress,
    Now(now): Now,
    SecondFactorStep(session): SecondFactorStep,
    body: ApiJson<SecondFactorRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    body.validate()
        .map_err(|e| ApiError::Validation(shape_issues(&e)))?;
    let method = body
        .method
        .as_deref()
        .and_then(Method::parse)
        .filter(|m| *m != Method::Passkey)
        .ok_or_else(|| {
            ApiError::field(FieldIssue::from(madoguchi_domain::FieldError {
                field: "method",
                error: RuleError::MethodNotOffered,
            }))
        })?;
    let input = CodeInput {
        method,
        code: body.code.unwrap_or_default(),
        remember_device: body.remember_device.unwrap_or(false),
    };
    let from = Client {
        address: client,
        browser: super::browser(&req),
    };
    let passed = sign_in::verify(&state, session.signed_in, input, from, now).await?;
    let mut response = super::opened(&state, StatusCode::OK, &passed.opened, None, now)?;
    if let Some(token) = passed.device_token {
        response
            .add_cookie(&state.tokens.device_cookie(&token, DEVICE_DAYS))
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("device cookie: {e}")))?;
    }
    Ok(response)
}
