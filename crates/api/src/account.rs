//! The signed-in member's own account: password change, e-mail address, notification flag,
//! and the verification e-mail again.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, put, web};
use madoguchi_app::lockout::audit;
use madoguchi_app::password::{Begun, NewPassword};
use madoguchi_app::{AppError, email, password};
use madoguchi_domain::email::Email;
use madoguchi_domain::normalize::normalize;
use madoguchi_domain::password::Password;
use madoguchi_domain::{FieldError, RuleError};
use madoguchi_persistence::{accounts, write_tx};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::client::{ClientAddress, Now};
use crate::error::ApiError;
use crate::error::problem::Problem;
use crate::json::{ApiJson, Fields, Parse, shape_issues};
use crate::me::{Me, document};
use crate::session::{Member, Session};
use crate::state::AppState;
use crate::tokens::TokenResponse;

/// パスワード変更: `current_password` is required of a signed-in member and not asked after
/// signing in with a temporary password (`next_step: change_password`).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"current_password": "Sakura2026x", "new_password": "Momiji2027y", "new_password_confirmation": "Momiji2027y"}))]
pub struct PasswordChangeRequest {
    #[validate(length(max = 256))]
    #[schema(value_type = Option<String>, max_length = 256)]
    pub current_password: Option<String>,
    #[validate(required, length(max = 256))]
    #[schema(value_type = String, required = true, max_length = 256)]
    pub new_password: Option<String>,
    #[validate(required, length(max = 256))]
    #[schema(value_type = String, required = true, max_length = 256)]
    pub new_password_confirmation: Option<String>,
}

/// Sets a new password (8–20 printable ASCII with a letter and a digit, not the current, the
/// temporary password or the user ID). Every older token of the account stops working; the
/// answer carries a fresh member token, and a notice goes to the registered address.
#[utoipa::path(
    tag = "member",
    security(("bearer" = []), ("cookie" = [])),
    request_body = PasswordChangeRequest,
    responses(
        (status = 200, description = "Changed: a fresh member token (`next_step: menu`).", body = TokenResponse),
        (status = 401, description = "`invalid_credentials` (wrong current password; counts toward the lockout), `unauthenticated`, `token_expired` or `session_revoked`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`credentials_expired`: the temporary password expired; `cross_site_request`: a cookie-only request from another origin", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`wrong_step` (with `next_step`): finish the onboarding first", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: every bad field at once", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`too_many_attempts`", body = Problem, content_type = "application/problem+json"),
        crate::error::problem::answers::Locked,
        crate::error::problem::answers::JsonBody,
        crate::error::problem::answers::Maintenance,
    )
)]
#[post("/account/password/change")]
pub async fn change_password(
    state: web::Data<AppState>,
    ClientAddress(client): ClientAddress,
    Now(now): Now,
    session: Session,
    body: ApiJson<PasswordChangeRequest>,
) -> Result<HttpResponse, ApiError> {
    let begun = password::begin(session.signed_in, now)?;
    let input = body.parse(&begun)?;
    let opened = password::change(&state, begun, input, client, now).await?;
    crate::auth::opened(&state, StatusCode::OK, &opened, None, now)
}

/// A text field that must not be empty once normalised.
fn required(fields: &mut Fields, field: &'static str, value: &Option<String>) -> Option<String> {
    let value = value.clone().filter(|v| !normalize(v).is_empty());
    if value.is_none() {
        fields.push(field, RuleError::Required);
    }
    value
}

impl Parse for PasswordChangeRequest {
    type Output = NewPassword;
    /// The member's user ID, and whether the current password is asked.
    type Context = Begun;
    const FIELDS: &'static [&'static str] = &[
        "current_password",
        "new_password",
        "new_password_confirmation",
    ];

    fn parse(&self, begun: &Begun) -> Result<NewPassword, Vec<FieldError>> {
        let mut fields = Fields::default();
        let current = if begun.needs_current() {
            required(&mut fields, "current_password", &self.current_password)
        } else {
            None
        };
        let new = match Password::parse_new(
            self.new_password.as_deref().unwrap_or(""),
            self.new_password_confirmation.as_deref().unwrap_or(""),
            begun.user_id().as_ref(),
        ) {
            Ok(p) => Some(p),
            Err(errors) => {
                for e in errors {
                    let field = if e == RuleError::PasswordConfirmationMismatch {
                        "new_password_confirmation"
                    } else {
                        "new_password"
                    };
                    fields.push(field, e);
                }
                None
            }
        };
        fields.done(new.map(|new| NewPassword { current, new }))
    }
}

/// メールアドレス変更: the new address and the current password.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "ichiro.new@example.jp", "current_password": "Sakura2026x"}))]
pub struct EmailChangeRequest {
    #[validate(required, length(max = 512))]
    #[schema(value_type = String, required = true, max_length = 512)]
    pub email: Option<String>,
    #[validate(required, length(max = 256))]
    #[schema(value_type = String, required = true, max_length = 256)]
    pub current_password: Option<String>,
}

/// Sets a new e-mail address and sends it a verification link; the old address gets a
/// notice. A verified old address stays in use (and the recovery address) until the link is
/// used: until then the new one is `pending_email`.
#[utoipa::path(
    tag = "member",
    security(("bearer" = []), ("cookie" = [])),
    request_body = EmailChangeRequest,
    responses(
        (status = 200, description = "The account after the change.", body = Me),
        (status = 401, description = "`invalid_credentials` (wrong current password; counts toward the lockout), `unauthenticated`, `token_expired` or `session_revoked`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`wrong_step`: not a member token; `cross_site_request`: a cookie-only request from another origin", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`too_many_attempts`", body = Problem, content_type = "application/problem+json"),
        crate::error::problem::answers::Locked,
        crate::error::problem::answers::JsonBody,
        crate::error::problem::answers::Maintenance,
    )
)]
#[put("/me/email")]
pub async fn change_email(
    state: web::Data<AppState>,
    ClientAddress(client): ClientAddress,
    Now(now): Now,
    member: Member,
    body: ApiJson<EmailChangeRequest>,
) -> Result<HttpResponse, ApiError> {
    let (email, current) = body.parse(&())?;
    email::change(&state, &member, email, current, client, now).await?;
    me_after_change(&state, &member, now).await
}

impl Parse for EmailChangeRequest {
    /// The new address and the current password.
    type Output = (Email, String);
    type Context = ();
    const FIELDS: &'static [&'static str] = &["email", "current_password"];

    fn parse(&self, _: &()) -> Result<(Email, String), Vec<FieldError>> {
        let mut fields = Fields::default();
        let email = fields.take("email", Email::parse(self.email.as_deref().unwrap_or("")));
        let current = required(&mut fields, "current_password", &self.current_password);
        fields.done(email.zip(current))
    }
}

/// 通知情報更新時のメール通知.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"notify_on_update": false}))]
pub struct NotificationsRequest {
    #[validate(required)]
    #[schema(value_type = bool, required = true)]
    pub notify_on_update: Option<bool>,
}

/// Sets 「通知情報更新時のメール通知」.
#[utoipa::path(
    tag = "member",
    security(("bearer" = []), ("cookie" = [])),
    request_body = NotificationsRequest,
    responses(
        (status = 200, description = "The account after the change.", body = Me),
        (status = 403, description = "`wrong_step`: not a member token; `cross_site_request`: a cookie-only request from another origin", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`", body = Problem, content_type = "application/problem+json"),
        crate::error::problem::answers::Token,
        crate::error::problem::answers::Locked,
        crate::error::problem::answers::JsonBody,
        crate::error::problem::answers::Maintenance,
    )
)]
#[put("/me/notifications")]
pub async fn notifications(
    state: web::Data<AppState>,
    Now(now): Now,
    member: Member,
    body: ApiJson<NotificationsRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    body.validate()
        .map_err(|e| ApiError::Validation(shape_issues(&e)))?;
    let notify = body.notify_on_update.unwrap_or_default();
    let view = member.view.clone();
    state
        .db(move |c| {
            write_tx(c, |c| {
                accounts::set_notify(c, &view.account.id, notify, now)?;
                audit(
                    c,
                    &view,
                    "notifications_changed",
                    serde_json::json!({ "notify_on_update": notify }),
                    now,
                )
            })
        })
        .await?;
    me_after_change(&state, &member, now).await
}

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

async fn me_after_change(
    state: &AppState,
    member: &Member,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<HttpResponse, ApiError> {
    let id = member.view.account.id.clone();
    let view = state
        .db(move |c| accounts::view(c, &id)?.ok_or(AppError::SessionRevoked))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(document(state, view, now).await?))
}
