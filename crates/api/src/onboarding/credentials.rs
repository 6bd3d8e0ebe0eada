//! `POST /api/v1/onboarding/credentials/check` and `POST /api/v1/onboarding/credentials`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};
use madoguchi_app::register::{self, Begun, Choice};
use madoguchi_domain::email::Email;
use madoguchi_domain::password::Password;
use madoguchi_domain::temporary::TemporaryLoginId;
use madoguchi_domain::user_id::UserId;
use madoguchi_domain::{FieldError, RuleError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::client::{ClientAddress, Now};
use crate::error::ApiError;
use crate::error::problem::Problem;
use crate::json::{ApiJson, Fields, Parse};
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

/// What of the choice parsed, each field by its rule.
struct Draft {
    user_id: Option<UserId>,
    password: Option<Password>,
    email: Option<Email>,
    notify_on_update: bool,
}

impl Draft {
    fn choice(self) -> Option<Choice> {
        let (user_id, password, email) = (self.user_id?, self.password?, self.email?);
        Some(Choice {
            user_id,
            password,
            email,
            notify_on_update: self.notify_on_update,
        })
    }
}

impl CredentialsRequest {
    fn draft(&self, temporary: Option<&TemporaryLoginId>, fields: &mut Fields) -> Draft {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let user_id = fields.take(
            "user_id",
            UserId::parse_replacing(&text(&self.user_id), temporary),
        );
        let password = match Password::parse_new(
            &text(&self.password),
            &text(&self.password_confirmation),
            user_id.as_ref(),
        ) {
            Ok(p) => Some(p),
            Err(errors) => {
                for e in errors {
                    let field = if e == RuleError::PasswordConfirmationMismatch {
                        "password_confirmation"
                    } else {
                        "password"
                    };
                    fields.push(field, e);
                }
                None
            }
        };
        let email = fields.take("email", Email::parse(&text(&self.email)));
        Draft {
            user_id,
            password,
            email,
            notify_on_update: self.notify_on_update.unwrap_or(false),
        }
    }
}

impl Parse for CredentialsRequest {
    type Output = Choice;
    /// The postcard's ID, which the user ID must not repeat.
    type Context = Option<TemporaryLoginId>;
    const FIELDS: &'static [&'static str] =
        &["user_id", "password", "password_confirmation", "email"];

    fn parse(&self, temporary: &Option<TemporaryLoginId>) -> Result<Choice, Vec<FieldError>> {
        let mut fields = Fields::default();
        let draft = self.draft(temporary.as_ref(), &mut fields);
        fields.done(draft.choice())
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
        crate::error::problem::answers::Token,
        crate::error::problem::answers::Locked,
        crate::error::problem::answers::JsonBody,
        crate::error::problem::answers::Maintenance,
    )
)]
#[post("/onboarding/credentials/check")]
pub async fn check(
    state: web::Data<AppState>,
    ClientAddress(client): ClientAddress,
    Now(now): Now,
    session: Session,
    body: ApiJson<CredentialsRequest>,
) -> Result<HttpResponse, ApiError> {
    let begun = register::begin(session.signed_in, now)?;
    let mut fields = Fields::default();
    let draft = body
        .0
        .draft(begun.temporary_login_id().as_ref(), &mut fields);
    // The rules only storage and the hashes decide (user ID free, not the temporary password)
    // join the body's, for one list.
    let (user_id, password) = (draft.user_id.as_ref(), draft.password.as_ref());
    fields.extend(register::check(&state, &begun, user_id, password, client, now).await?);
    let choice = body.finish(fields, draft.choice())?;
    Ok(HttpResponse::Ok().json(CredentialsView {
        user_id: choice.user_id.as_str().to_owned(),
        email: choice.email.as_str().to_owned(),
        notify_on_update: choice.notify_on_update,
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
        crate::error::problem::answers::Token,
        crate::error::problem::answers::Locked,
        crate::error::problem::answers::JsonBody,
        crate::error::problem::answers::Maintenance,
    )
)]
#[post("/onboarding/credentials")]
pub async fn commit(
    state: web::Data<AppState>,
    ClientAddress(client): ClientAddress,
    Now(now): Now,
    session: Session,
    body: ApiJson<CredentialsRequest>,
) -> Result<HttpResponse, ApiError> {
    let begun = register::begin(session.signed_in, now)?;
    let choice = parsed(&body, &begun)?;
    let user_id = choice.user_id.as_str().to_owned();
    let opened = register::commit(&state, begun, choice, client, now).await?;
    crate::auth::opened(&state, StatusCode::CREATED, &opened, Some(user_id), now)
}

fn parsed(body: &ApiJson<CredentialsRequest>, begun: &Begun) -> Result<Choice, ApiError> {
    body.parse(&begun.temporary_login_id())
}
