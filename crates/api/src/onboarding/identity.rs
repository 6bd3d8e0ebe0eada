//! `POST /api/v1/onboarding/identity`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};
use chrono::NaiveDate;
use madoguchi_app::identity::{self as check, IdentityClaim};
use madoguchi_domain::birth_date::BirthDate;
use madoguchi_domain::calendar;
use madoguchi_domain::insurer_number::InsurerNumber;
use madoguchi_domain::{FieldError, RuleError};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::client::{ClientAddress, Now};
use crate::error::ApiError;
use crate::error::problem::Problem;
use crate::json::{ApiJson, Fields, Parse};
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
        crate::error::problem::answers::Locked,
        crate::error::problem::answers::JsonBody,
        crate::error::problem::answers::Maintenance,
    )
)]
#[post("/onboarding/identity")]
pub async fn identity(
    state: web::Data<AppState>,
    ClientAddress(client): ClientAddress,
    Now(now): Now,
    session: Session,
    body: ApiJson<IdentityRequest>,
) -> Result<HttpResponse, ApiError> {
    let begun = check::begin(session.signed_in, now)?;
    let today = now.with_timezone(&calendar::Tokyo).date_naive();
    let claim = body.parse(&today)?;
    let opened = check::check(&state, begun, claim, client, now).await?;
    crate::auth::opened(&state, StatusCode::OK, &opened, None, now)
}

impl Parse for IdentityRequest {
    type Output = IdentityClaim;
    /// Today in JST (a birth date after it is refused).
    type Context = NaiveDate;
    const FIELDS: &'static [&'static str] = &[
        "insurer_number",
        "birth_date",
        "agree_to_terms",
        "terms_version",
    ];

    fn parse(&self, today: &NaiveDate) -> Result<IdentityClaim, Vec<FieldError>> {
        let mut fields = Fields::default();
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let number = fields.take(
            "insurer_number",
            InsurerNumber::parse(&text(&self.insurer_number)),
        );
        let birth = fields.take(
            "birth_date",
            BirthDate::parse(&text(&self.birth_date), *today),
        );
        if self.agree_to_terms != Some(true) {
            fields.push("agree_to_terms", RuleError::TermsNotAgreed);
        }
        fields.done(
            number
                .zip(birth)
                .map(|(insurer_number, birth_date)| IdentityClaim {
                    insurer_number,
                    birth_date,
                    terms_version: text(&self.terms_version),
                }),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(number: &str, birth: &str, agree: bool) -> IdentityRequest {
        IdentityRequest {
            insurer_number: Some(number.into()),
            birth_date: Some(birth.into()),
            agree_to_terms: Some(agree),
            terms_version: Some("v1".into()),
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let Err(broken) = body("1234-5678", "19790231", false).parse(&today()) else {
            panic!()
        };
        let codes: Vec<(&str, &str)> = broken
            .iter()
            .map(|e| (e.field, e.error.code().as_str()))
            .collect();
        assert_eq!(
            codes,
            [
                ("insurer_number", "insurer_number_is_card_symbol"),
                ("birth_date", "birth_date_invalid"),
                ("agree_to_terms", "terms_not_agreed")
            ]
        );
    }

    #[test]
    fn full_width_input_parses() {
        let claim = body("０６１３００９０", "１９７９０８２２", true).parse(&today());
        assert_eq!(
            claim.map(|c| (
                c.insurer_number.as_str().to_owned(),
                c.birth_date.to_compact()
            )),
            Ok(("06130090".to_owned(), "19790822".to_owned()))
        );
    }
}
