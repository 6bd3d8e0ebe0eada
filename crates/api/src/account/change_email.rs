//! `PUT /api/v1/me/email`.

use actix_web::{HttpRequest, HttpResponse, put, web};
use madoguchi_app::email;
use madoguchi_domain::FieldError;
use madoguchi_domain::email::Email;
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::{me_after_change, required};
use crate::client::{ClientAddress, Now};
use crate::error::ApiError;
use crate::error::problem::Problem;
use crate::json::{ApiJson, Fields, Parse};
use crate::me::Me;
use crate::session::Member;
use crate::state::AppState;

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
    req: HttpRequest,
    state: web::Data<AppState>,
    ClientAddress(client): ClientAddress,
    Now(now): Now,
    member: Member,
    body: ApiJson<EmailChangeRequest>,
) -> Result<HttpResponse, ApiError> {
    let (email, current) = body.parse(&())?;
    email::change(&state, &member, email, current, client, now).await?;
    me_after_change(&state, &req, &member, now).await
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
