//! `POST /api/v1/onboarding/credentials/check` and `POST /api/v1/onboarding/credentials`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, post, web};
use madoguchi_domain::onboarding::Step;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::error::ApiError;
use crate::flows::register::{self, CredentialsInput};
use crate::json::{ApiJson, shape_of};
use crate::problem::Problem;
use crate::session::Session;
use crate::state::AppState;
use crate::tokens::TokenResponse;

/// 個人情報入力: the member's own user ID (8–13 letters and digits; digits only: 8–12), password
/// (8–20 printable ASCII with a letter and a digit), e-mail and the notification flag.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"user_id": "takahashi01", "password": "Sakura2026x", "password_confirmation": "Sakura2026x",
    "email": "ichiro@example.jp", "notify_on_update": true}))]
pub struct CredentialsRequest {
    #[validate(required, length(max = 256))]
    #[schema(value_type = String, required = true, max_length = 256)]
    pub user_id: Option<String>,
    #[validate(required, length(max = 256))]
    #[schema(value_type = String, required = true, max_length = 256)]
    pub password: Option<String>,
    #[validate(required, length(max = 256))]
    #[schema(value_type = String, required = true, max_length = 256)]
    pub password_confirmation: Option<String>,
    #[validate(required, length(max = 512))]
    #[schema(value_type = String, required = true, max_length = 512)]
    pub email: Option<String>,
    /// 通知情報更新時のメール通知.
    pub notify_on_update: Option<bool>,
}

impl CredentialsRequest {
    fn into_input(self) -> CredentialsInput {
        CredentialsInput {
            shape: shape_of(&self),
            user_id: self.user_id,
            password: self.password,
            password_confirmation: self.password_confirmation,
            email: self.email,
            notify_on_update: self.notify_on_update,
        }
    }
}

/// The values as they will be stored (normalised), for the confirmation screen.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"user_id": "takahashi01", "email": "ichiro@example.jp", "notify_on_update": true}))]
pub struct CredentialsView {
    pub user_id: String,
    pub email: String,
    pub notify_on_update: bool,
}

/// Checks the chosen credentials without storing anything (入力内容確認). It compares the
/// password with the temporary one (an argon2 verify), so call it on the button, not per key.
#[utoipa::path(
    tag = "onboarding",
    security(("bearer" = []), ("cookie" = [])),
    request_body = CredentialsRequest,
    responses(
        (status = 200, description = "Every rule holds.", body = CredentialsView),
        (status = 403, description = "`credentials_expired`; `cross_site_request`: a cookie-only request from another origin", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`wrong_step` (with `next_step`) or `already_registered`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: every bad field at once, `user_id_taken` included", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`too_many_attempts`", body = Problem, content_type = "application/problem+json"),
        crate::problem::answers::Token,
        crate::problem::answers::Locked,
        crate::problem::answers::JsonBody,
        crate::problem::answers::Maintenance,
    )
)]
#[post("/onboarding/credentials/check")]
pub async fn check(
    state: web::Data<AppState>,
    req: HttpRequest,
    session: Session,
    body: ApiJson<CredentialsRequest>,
) -> Result<HttpResponse, ApiError> {
    session.at_step(Step::RegisterCredentials)?;
    let input = body.0.into_input();
    let client = crate::client::address(&req, &state.config.trusted_proxies);
    let checked = register::check(&state, &session, input, client).await?;
    Ok(HttpResponse::Ok().json(CredentialsView {
        user_id: checked.user_id.as_str().to_owned(),
        email: checked.email.as_str().to_owned(),
        notify_on_update: checked.notify_on_update,
    }))
}

/// Registers the credentials (実行): the temporary ID and password stop working for good, and
/// a confirmation e-mail with a verification link is sent.
#[utoipa::path(
    tag = "onboarding",
    security(("bearer" = []), ("cookie" = [])),
    request_body = CredentialsRequest,
    responses(
        (status = 201, description = "Registered: `next_step` is `menu`, with `user_id`.", body = TokenResponse),
        (status = 403, description = "`credentials_expired`; `cross_site_request`: a cookie-only request from another origin", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`user_id_taken` (another member took it first), `already_registered` or `wrong_step`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`too_many_attempts`", body = Problem, content_type = "application/problem+json"),
        crate::problem::answers::Token,
        crate::problem::answers::Locked,
        crate::problem::answers::JsonBody,
        crate::problem::answers::Maintenance,
    )
)]
#[post("/onboarding/credentials")]
pub async fn commit(
    state: web::Data<AppState>,
    req: HttpRequest,
    session: Session,
    body: ApiJson<CredentialsRequest>,
) -> Result<HttpResponse, ApiError> {
    session.at_step(Step::RegisterCredentials)?;
    let input = body.0.into_input();
    let tenant_name = session.view.tenant.name.clone();
    let client = crate::client::address(&req, &state.config.trusted_proxies);
    let registered = match register::commit(&state, session, input, client).await {
        // At commit a taken user ID is a conflict: someone registered it since the check.
        Err(ApiError::Validation(issues))
            if issues.iter().any(|i| i.code == "user_id_taken") && issues.len() == 1 =>
        {
            return Err(ApiError::UserIdTaken);
        }
        other => other?,
    };
    let now = state.clock.now();
    Ok(crate::auth::token_response(
        &state,
        StatusCode::CREATED,
        &registered.issued,
        Step::Menu,
        &tenant_name,
        Some(registered.user_id),
        now,
    ))
}
