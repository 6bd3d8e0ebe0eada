//! The stable `code` values, as enums in the OpenAPI document so that clients can switch on
//! them. Tests keep them equal to what the server answers.

use serde::Serialize;
use utoipa::ToSchema;

/// Every problem `code` the API answers.
// Read by the OpenAPI document and the tests, never built: the lib's tests use some variants,
// so `expect` would be unfulfilled there.
#[allow(dead_code)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProblemCode {
    MalformedBody,
    Unauthenticated,
    TokenExpired,
    SessionRevoked,
    InvalidCredentials,
    IdentityMismatch,
    CredentialsExpired,
    AccountSuspended,
    CrossSiteRequest,
    WrongStep,
    AlreadyRegistered,
    UserIdTaken,
    TermsOutdated,
    NotFound,
    MethodNotAllowed,
    VerificationTokenInvalid,
    BodyTooLarge,
    HeadersTooLarge,
    MalformedRequest,
    UnsupportedMediaType,
    ValidationFailed,
    AccountLocked,
    TooManyAttempts,
    Maintenance,
    Unavailable,
    InternalError,
}

/// Every field `code` of a 422 `errors` list.
// Read by the OpenAPI document and the tests, never built: the lib's tests use some variants,
// so `expect` would be unfulfilled there.
#[allow(dead_code)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FieldCode {
    Required,
    UnknownField,
    InvalidType,
    TooLong,
    Invalid,
    UserIdTaken,
    TemporaryLoginIdFormat,
    TemporaryPasswordFormat,
    UserIdCharacters,
    UserIdLength,
    UserIdEqualsTemporary,
    PasswordLength,
    PasswordCharacters,
    PasswordNeedsLetterAndDigit,
    PasswordCommon,
    PasswordEqualsUserId,
    PasswordEqualsTemporary,
    PasswordEqualsCurrent,
    PasswordConfirmationMismatch,
    EmailInvalid,
    EmailTooLong,
    InsurerNumberFormat,
    InsurerNumberIsCardSymbol,
    InsurerNumberCheckDigit,
    BirthDateFormat,
    BirthDateInvalid,
    BirthDateFuture,
    BirthDateTooEarly,
    TermsNotAgreed,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ApiError;
    use actix_web::http::StatusCode;
    use madoguchi_domain::RuleError;
    use madoguchi_domain::onboarding::Step;

    fn name<T: Serialize>(v: T) -> String {
        serde_json::to_value(v)
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned()
    }

    #[test]
    fn every_problem_the_api_answers_is_documented() {
        let documented: Vec<String> = [
            ProblemCode::MalformedBody,
            ProblemCode::Unauthenticated,
            ProblemCode::TokenExpired,
            ProblemCode::SessionRevoked,
            ProblemCode::InvalidCredentials,
            ProblemCode::IdentityMismatch,
            ProblemCode::CredentialsExpired,
            ProblemCode::AccountSuspended,
            ProblemCode::CrossSiteRequest,
            ProblemCode::WrongStep,
            ProblemCode::AlreadyRegistered,
            ProblemCode::UserIdTaken,
            ProblemCode::TermsOutdated,
            ProblemCode::NotFound,
            ProblemCode::MethodNotAllowed,
            ProblemCode::VerificationTokenInvalid,
            ProblemCode::BodyTooLarge,
            ProblemCode::HeadersTooLarge,
            ProblemCode::MalformedRequest,
            ProblemCode::UnsupportedMediaType,
            ProblemCode::ValidationFailed,
            ProblemCode::AccountLocked,
            ProblemCode::TooManyAttempts,
            ProblemCode::Maintenance,
            ProblemCode::Unavailable,
            ProblemCode::InternalError,
        ]
        .into_iter()
        .map(name)
        .collect();
        let answered = [
            ApiError::MalformedBody,
            ApiError::Unauthenticated,
            ApiError::TokenExpired,
            ApiError::SessionRevoked,
            ApiError::InvalidCredentials,
            ApiError::IdentityMismatch {
                remaining_attempts: None,
                lock_minutes: 30,
            },
            ApiError::CurrentPasswordWrong,
            ApiError::CredentialsExpired,
            ApiError::AccountSuspended,
            ApiError::CrossSiteRequest,
            ApiError::WrongStep {
                next_step: Step::Menu,
                status: StatusCode::CONFLICT,
            },
            ApiError::AlreadyRegistered,
            ApiError::UserIdTaken,
            ApiError::TermsOutdated {
                version: String::new(),
            },
            ApiError::NotFound,
            ApiError::MethodNotAllowed { allow: "GET" },
            ApiError::VerificationTokenInvalid,
            ApiError::BodyTooLarge,
            ApiError::HeadersTooLarge,
            ApiError::MalformedRequest,
            ApiError::UnsupportedMediaType,
            ApiError::Validation(vec![]),
            ApiError::AccountLocked {
                until: chrono::Utc::now(),
                retry_after: 1,
                contact: None,
            },
            ApiError::TooManyAttempts { retry_after: 1 },
            ApiError::Maintenance { retry_after: 1 },
            ApiError::Unavailable { retry_after: 1 },
            ApiError::Internal(anyhow::anyhow!("x")),
        ];
        for e in &answered {
            assert!(
                documented.iter().any(|d| d == e.code()),
                "{} is not in ProblemCode",
                e.code()
            );
        }
        // `CurrentPasswordWrong` answers `invalid_credentials`, as a wrong password.
        assert_eq!(documented.len() + 1, answered.len());
    }

    #[test]
    fn every_rule_a_member_can_break_is_documented() {
        let rules = [
            RuleError::Required,
            RuleError::TemporaryLoginIdFormat,
            RuleError::TemporaryPasswordFormat,
            RuleError::UserIdCharacters,
            RuleError::UserIdLength { min: 8, max: 13 },
            RuleError::UserIdEqualsTemporary,
            RuleError::PasswordLength { min: 8, max: 20 },
            RuleError::PasswordCharacters,
            RuleError::PasswordNeedsLetterAndDigit,
            RuleError::PasswordCommon,
            RuleError::PasswordEqualsUserId,
            RuleError::PasswordEqualsTemporary,
            RuleError::PasswordEqualsCurrent,
            RuleError::PasswordConfirmationMismatch,
            RuleError::EmailInvalid,
            RuleError::EmailTooLong { max: 254 },
            RuleError::InsurerNumberFormat,
            RuleError::InsurerNumberIsCardSymbol,
            RuleError::InsurerNumberCheckDigit,
            RuleError::BirthDateFormat,
            RuleError::BirthDateInvalid,
            RuleError::BirthDateFuture,
            RuleError::BirthDateTooEarly { min_year: 1900 },
            RuleError::TermsNotAgreed,
        ];
        let schema =
            serde_json::to_string(&<FieldCode as utoipa::PartialSchema>::schema()).unwrap();
        for rule in rules {
            assert!(
                schema.contains(&format!("\"{}\"", rule.code())),
                "{} is not in FieldCode",
                rule.code()
            );
        }
        for extra in [
            "unknown_field",
            "invalid_type",
            "too_long",
            "invalid",
            "user_id_taken",
        ] {
            assert!(schema.contains(&format!("\"{extra}\"")), "{extra}");
        }
    }
}
