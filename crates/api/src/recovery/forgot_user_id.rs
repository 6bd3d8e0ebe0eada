//! `POST /api/v1/recovery/user-id`.

use actix_web::{HttpResponse, post, web};
use chrono::NaiveDate;
use madoguchi_domain::FieldError;
use madoguchi_domain::birth_date::BirthDate;
use madoguchi_domain::calendar;
use madoguchi_domain::email::Email;
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
    let request = body.parse(&now.with_timezone(&calendar::Tokyo).date_naive())?;
    record(&state, client, request, now).await
}
