//! `POST /api/v1/recovery/user-id`, `POST /api/v1/recovery/password` and
//! `POST /api/v1/email/verify`: the routes a member uses without signing in.

use actix_web::{HttpResponse, post, web};
use chrono::NaiveDate;
use madoguchi_app::{email, recovery};
use madoguchi_domain::FieldError;
use madoguchi_domain::birth_date::BirthDate;
use madoguchi_domain::calendar;
use madoguchi_domain::email::Email;
use madoguchi_domain::user_id::UserId;
use madoguchi_persistence::recovery::Request;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::client::{ClientAddress, Now};
use crate::error::ApiError;
use crate::error::problem::Problem;
use crate::json::{ApiJson, Fields, Parse, shape_issues};
use crate::state::AppState;

/// 「IDを忘れた方」: the registered e-mail address and the birth date (YYYYMMDD).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "ichiro@example.jp", "birth_date": "19790822"}))]
pub struct UserIdRecoveryRequest {
    #[validate(required, length(max = 512))]
    #[schema(value_type = String, required = true, max_length = 512)]
    pub email: Option<String>,
    #[validate(required, length(max = 64))]
    #[schema(value_type = String, required = true, max_length = 64)]
    pub birth_date: Option<String>,
}

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

/// The one answer of both recovery routes, whether or not an account matched.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"status": "accepted"}))]
pub struct Accepted {
    /// Always `accepted`.
    pub status: &'static str,
}

/// Records a well-formed request (throttled, audited) and gives the one answer of both routes.
impl Parse for UserIdRecoveryRequest {
    type Output = Request;
    /// Today in JST.
    type Context = NaiveDate;
    const FIELDS: &'static [&'static str] = &["email", "birth_date"];

    fn parse(&self, today: &NaiveDate) -> Result<Request, Vec<FieldError>> {
        let mut fields = Fields::default();
        let email = fields.take("email", Email::parse(self.email.as_deref().unwrap_or("")));
        let birth = fields.take(
            "birth_date",
            BirthDate::parse(self.birth_date.as_deref().unwrap_or(""), *today),
        );
        fields.done(email.zip(birth).map(|(email, birth)| Request::UserId {
            email: email.as_str().to_owned(),
            birth_date: birth.to_compact(),
        }))
    }
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

async fn record(
    state: &AppState,
    client: String,
    request: Request,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<HttpResponse, ApiError> {
    state
        .db(move |c| recovery::record(c, &request, &client, now))
        .await?;
    Ok(HttpResponse::Accepted()
        .insert_header(("Cache-Control", "no-store"))
        .json(Accepted { status: "accepted" }))
}

/// Mails the user ID of every active account with this verified address and birth date.
/// Always 202 with the same body, in the same time: the answer tells nobody whether an
/// account exists. Members without a registered, verified address ask their kenpo.
#[utoipa::path(
    tag = "recovery",
    request_body = UserIdRecoveryRequest,
    responses(
        (status = 202, description = "Accepted. If an account matches, its user ID is on its way by e-mail.", body = Accepted),
        (status = 422, description = "`validation_failed`: the address or the date is not well-formed", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`too_many_attempts` from this address", body = Problem, content_type = "application/problem+json"),
        crate::error::problem::answers::JsonBody,
        crate::error::problem::answers::Maintenance,
    )
)]
#[post("/recovery/user-id")]
pub async fn forgot_user_id(
    state: web::Data<AppState>,
    ClientAddress(client): ClientAddress,
    Now(now): Now,
    body: ApiJson<UserIdRecoveryRequest>,
) -> Result<HttpResponse, ApiError> {
    let request = body.parse(&now.with_timezone(&calendar::jst()).date_naive())?;
    record(&state, client, request, now).await
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
