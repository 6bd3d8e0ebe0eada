//! The stable `code` values, as enums in the OpenAPI document so that clients can switch on
//! them. [`ProblemCode`] is what an [`ApiError`](super::ApiError) answers (`ApiError::code` is
//! an exhaustive match); field codes are the domain's [`FieldCode`], of which the document
//! lists those a member can meet in a form.

use std::borrow::Cow;

use madoguchi_domain::FieldCode;
use serde::Serialize;
use strum::IntoEnumIterator;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::{PartialSchema, ToSchema};

/// Every problem `code` the API answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ToSchema, strum::EnumIter)]
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
    InvalidCode,
    SecondFactorUnavailable,
    TwoStepOff,
    TotpAlreadyEnabled,
    TotpNotPending,
    DeviceNotFound,
    PasskeyNotFound,
    PasskeysUnavailable,
    PasskeyRejected,
    NoticeNotFound,
    NoMedicalExpenses,
    Maintenance,
    Unavailable,
    InternalError,
}

/// The OpenAPI schema of the field codes: the domain's [`FieldCode`]s a form can answer.
pub struct FieldCodes;

impl PartialSchema for FieldCodes {
    fn schema() -> RefOr<Schema> {
        let codes = FieldCode::iter()
            .filter(|c| c.in_forms())
            .map(FieldCode::as_str);
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some("Every field `code` of a 422 `errors` list."))
            .enum_values(Some(codes))
            .into()
    }
}

impl ToSchema for FieldCodes {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("FieldCode")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ApiError;
    use actix_web::http::StatusCode;
    use madoguchi_domain::onboarding::Step;

    /// An error answering `code` (exhaustive over the codes, as `ApiError::code` is over the
    /// errors: neither can gain a variant the other lacks).
    fn example(code: ProblemCode) -> ApiError {
        match code {
            ProblemCode::MalformedBody => ApiError::MalformedBody,
            ProblemCode::Unauthenticated => ApiError::Unauthenticated,
            ProblemCode::TokenExpired => ApiError::TokenExpired,
            ProblemCode::SessionRevoked => ApiError::SessionRevoked,
            ProblemCode::InvalidCredentials => ApiError::InvalidCredentials,
            ProblemCode::IdentityMismatch => ApiError::IdentityMismatch {
                remaining_attempts: None,
                lock_minutes: 30,
            },
            ProblemCode::CredentialsExpired => ApiError::CredentialsExpired,
            ProblemCode::AccountSuspended => ApiError::AccountSuspended,
            ProblemCode::CrossSiteRequest => ApiError::CrossSiteRequest,
            ProblemCode::WrongStep => ApiError::WrongStep {
                next_step: Step::Menu,
                status: StatusCode::CONFLICT,
            },
            ProblemCode::AlreadyRegistered => ApiError::AlreadyRegistered,
            ProblemCode::UserIdTaken => ApiError::UserIdTaken,
            ProblemCode::TermsOutdated => ApiError::TermsOutdated {
                version: String::new(),
            },
            ProblemCode::NotFound => ApiError::NotFound,
            ProblemCode::MethodNotAllowed => ApiError::MethodNotAllowed { allow: "GET" },
            ProblemCode::VerificationTokenInvalid => ApiError::VerificationTokenInvalid,
            ProblemCode::BodyTooLarge => ApiError::BodyTooLarge,
            ProblemCode::HeadersTooLarge => ApiError::HeadersTooLarge,
            ProblemCode::MalformedRequest => ApiError::MalformedRequest,
            ProblemCode::UnsupportedMediaType => ApiError::UnsupportedMediaType,
            ProblemCode::ValidationFailed => ApiError::Validation(vec![]),
            ProblemCode::AccountLocked => ApiError::AccountLocked {
                until: chrono::Utc::now(),
                retry_after: 1,
                contact: None,
            },
            ProblemCode::TooManyAttempts => ApiError::TooManyAttempts { retry_after: 1 },
            ProblemCode::InvalidCode => ApiError::InvalidCode,
            ProblemCode::SecondFactorUnavailable => ApiError::SecondFactorUnavailable {
                use_passkey: false,
                contact: None,
            },
            ProblemCode::TwoStepOff => ApiError::TwoStepOff,
            ProblemCode::TotpAlreadyEnabled => ApiError::TotpAlreadyEnabled,
            ProblemCode::TotpNotPending => ApiError::TotpNotPending,
            ProblemCode::DeviceNotFound => ApiError::DeviceNotFound,
            ProblemCode::PasskeyNotFound => ApiError::PasskeyNotFound,
            ProblemCode::PasskeysUnavailable => ApiError::PasskeysUnavailable,
            ProblemCode::PasskeyRejected => ApiError::PasskeyRejected,
            ProblemCode::NoticeNotFound => ApiError::NoticeNotFound,
            ProblemCode::NoMedicalExpenses => ApiError::NoMedicalExpenses,
            ProblemCode::Maintenance => ApiError::Maintenance { retry_after: 1 },
            ProblemCode::Unavailable => ApiError::Unavailable { retry_after: 1 },
            ProblemCode::InternalError => ApiError::Internal(anyhow::anyhow!("x")),
        }
    }

    #[test]
    fn every_documented_problem_is_answered() {
        for code in ProblemCode::iter() {
            assert_eq!(example(code).code(), code);
        }
    }

    #[test]
    fn the_document_lists_exactly_the_form_codes() {
        let schema = serde_json::to_value(FieldCodes::schema()).unwrap();
        let listed: Vec<&str> = schema["enum"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|v| v.as_str())
            .collect();
        let expected: Vec<&str> = FieldCode::iter()
            .filter(|c| c.in_forms())
            .map(FieldCode::as_str)
            .collect();
        assert_eq!(listed, expected);
        for code in ["required", "user_id_taken", "too_long", "terms_not_agreed"] {
            assert!(listed.contains(&code), "{code}");
        }
        for code in ["member_code_invalid", "wrong_step", "contact_url"] {
            assert!(
                !listed.contains(&code),
                "{code} is the roster's or a problem's"
            );
        }
    }
}
