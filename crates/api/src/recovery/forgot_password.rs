//! `POST /api/v1/recovery/password`.

use actix_web::{HttpResponse, post, web};
use madoguchi_domain::FieldError;
use madoguchi_domain::email::Email;
use madoguchi_domain::user_id::UserId;
use madoguchi_persistence::recovery::Request;
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::{Accepted, record};
use crate::client::{ClientAddress, Now};
use crate::error::ApiError;
use crate::error::problem::Problem;
use crate::json::{ApiJson, Fields, Parse};
use crate::state::AppState;

/// 「パスワードを忘れた方」: the user ID and the registered e-mail address.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"user_id": "takahashi01", "email": "ichiro@example.jp"}))]
pub struct PasswordRecoveryRequest {
    #[validate(required, length(max = 256))]
    #[schema(value_type = String, required = true, max_length = 256)]
    pub user_id: Option<String>,
    #[validate(required, length(max = 512))]
    #[schema(value_type = String, required = true, max_length = 512)]
    pub email: Option<String>,
}

impl Parse for PasswordRecoveryRequest {
    type Output = Request;
    type Context = ();
    const FIELDS: &'static [&'static str] = &["user_id", "email"];

    fn parse(&self, _: &()) -> Result<Request, Vec<FieldError>> {
        let mut fields = Fields::default();
        let user_id = fields.take(
            "user_id",
            UserId::parse(self.user_id.as_deref().unwrap_or("")),
        );
        let email = fields.take("email", Email::parse(self.email.as_deref().unwrap_or("")));
        fields.done(
            user_id
                .zip(email)
                .map(|(user_id, email)| Request::Password {
                    user_id: user_id.canonical(),
                    email: email.as_str().to_owned(),
                }),
        )
    }
}

/// Mails a temporary password (valid 24 hours) when the user ID and the verified address
/// belong to one active account; the current password keeps working until it is used.
/// Always 202 with the same body, in the same time.
#[utoipa::path(
    tag = "recovery",
    request_body = PasswordRecoveryRequest,
    responses(
        (status = 202, description = "Accepted. If they match an account, a temporary password is on its way by e-mail.", body = Accepted),
        (status = 422, description = "`validation_failed`: the user ID or the address is not well-formed", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`too_many_attempts` from this address", body = Problem, content_type = "application/problem+json"),
        crate::error::problem::answers::JsonBody,
        crate::error::problem::answers::Maintenance,
    )
)]
#[post("/recovery/password")]
pub async fn forgot_password(
    state: web::Data<AppState>,
    ClientAddress(client): ClientAddress,
    Now(now): Now,
    body: ApiJson<PasswordRecoveryRequest>,
) -> Result<HttpResponse, ApiError> {
    let request = body.parse(&())?;
    record(&state, client, request, now).await
}
