//! `POST /api/v1/account/password/change`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};
use madoguchi_app::password;
use madoguchi_app::password::{Begun, NewPassword};
use madoguchi_domain::password::Password;
use madoguchi_domain::{FieldError, RuleError};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::required;
use crate::client::{ClientAddress, Now};
use crate::error::ApiError;
use crate::error::problem::Problem;
use crate::json::{ApiJson, Fields, Parse};
use crate::session::Session;
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
