//! `POST /api/v1/onboarding/identity`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, post, web};
use madoguchi_domain::onboarding::Step;
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::error::ApiError;
use crate::flows::identity::{self as identity_flow, IdentityInput};
use crate::json::{ApiJson, shape_of};
use crate::problem::Problem;
use crate::session::Session;
use crate::state::AppState;
use crate::tokens::TokenResponse;

/// 本人確認: the insurer number (保険者番号, 8 digits on the lower part of the card — not the
/// card's 記号・番号), the birth date (YYYYMMDD) and the agreement to the terms version shown.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"insurer_number": "06130090", "birth_date": "19790822", "agree_to_terms": true, "terms_version": "20261125.1"}))]
pub struct IdentityRequest {
    #[validate(required, length(max = 64))]
    #[schema(value_type = String, required = true, max_length = 64)]
    pub insurer_number: Option<String>,
    #[validate(required, length(max = 64))]
    #[schema(value_type = String, required = true, max_length = 64)]
    pub birth_date: Option<String>,
    /// 同意する (true) or 同意しない (false).
    #[validate(required)]
    #[schema(value_type = bool, required = true)]
    pub agree_to_terms: Option<bool>,
    #[validate(required, length(max = 64))]
    #[schema(value_type = String, required = true, max_length = 64)]
    pub terms_version: Option<String>,
}

/// Checks the member's identity and the terms; the answer's token opens registration.
#[utoipa::path(
    tag = "onboarding",
    security(("bearer" = []), ("cookie" = [])),
    request_body = IdentityRequest,
    responses(
        (status = 200, description = "Identity confirmed: `next_step` is `register_credentials`.", body = TokenResponse),
        (status = 401, description = "`identity_mismatch` (counts toward the lockout), or `unauthenticated`, `token_expired`, `session_revoked`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`credentials_expired`; `cross_site_request`: a cookie-only request from another origin", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`terms_outdated` (with the current `version`), `wrong_step` (with `next_step`) or `already_registered`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: every bad field at once (never counts toward the lockout)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`too_many_attempts`", body = Problem, content_type = "application/problem+json"),
        crate::problem::answers::Locked,
        crate::problem::answers::JsonBody,
        crate::problem::answers::Maintenance,
    )
)]
#[post("/onboarding/identity")]
pub async fn identity(
    state: web::Data<AppState>,
    req: HttpRequest,
    session: Session,
    body: ApiJson<IdentityRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    session.at_step(Step::VerifyIdentity)?;
    let shape = shape_of(&body);
    let tenant_name = session.view.tenant.name.clone();
    let client = crate::client::address(&req, &state.config.trusted_proxies);
    let input = IdentityInput {
        shape,
        insurer_number: body.insurer_number,
        birth_date: body.birth_date,
        agree_to_terms: body.agree_to_terms,
        terms_version: body.terms_version,
    };
    let issued = identity_flow::check(&state, session, input, client).await?;
    let now = state.clock.now();
    Ok(crate::auth::token_response(
        &state,
        StatusCode::OK,
        &issued,
        Step::RegisterCredentials,
        &tenant_name,
        None,
        now,
    ))
}
