//! `ApiError`: the single place that chooses a status and a problem `code` (RFC 9457), and
//! where a use case's [`AppError`] becomes one. The cause of an internal error goes to the
//! log, never to the client. `codes` are the stable codes, `messages` the texts, `problem` the
//! body.

pub mod codes;
pub(crate) mod messages;
pub mod problem;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use chrono::{DateTime, Utc};
use madoguchi_app::AppError;
use madoguchi_domain::calendar;
use madoguchi_domain::onboarding::Step;
use madoguchi_domain::{FieldCode, FieldError, Lang};

use crate::contact::ContactView;
use crate::context::current_lang;
use codes::ProblemCode;
use problem::{FieldProblem, Problem};

/// One failing field of a request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldIssue {
    pub field: String,
    pub code: FieldCode,
    /// Japanese and English texts.
    pub message_ja: String,
    pub message_en: String,
}

impl FieldIssue {
    pub fn new(
        field: impl Into<String>,
        code: FieldCode,
        ja: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        Self {
            field: field.into(),
            code,
            message_ja: ja.into(),
            message_en: en.into(),
        }
    }

    fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ja => &self.message_ja,
            Lang::En => &self.message_en,
        }
    }
}

impl From<FieldError> for FieldIssue {
    fn from(e: FieldError) -> Self {
        Self {
            field: e.field.to_owned(),
            code: e.error.code(),
            message_ja: e.message(Lang::Ja),
            message_en: e.message(Lang::En),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("malformed body")]
    MalformedBody,
    #[error("unauthenticated")]
    Unauthenticated,
    #[error("token expired")]
    TokenExpired,
    #[error("session revoked")]
    SessionRevoked,
    #[error("invalid credentials")]
    InvalidCredentials,
    /// A signed-in member's current password is wrong (code `invalid_credentials`, as a wrong
    /// password; the text names the current password instead of the login's ID and password).
    #[error("current password wrong")]
    CurrentPasswordWrong,
    /// The identity data do not match; from the third failure in a row, the tries left.
    #[error("identity mismatch")]
    IdentityMismatch {
        remaining_attempts: Option<u32>,
        lock_minutes: u32,
    },
    #[error("temporary credentials expired")]
    CredentialsExpired,
    #[error("account suspended")]
    AccountSuspended,
    /// A state-changing request authenticated by the cookie alone, from another origin.
    #[error("cross-site request")]
    CrossSiteRequest,
    /// A valid token of another step on a member route (403) or an onboarding route (409).
    #[error("wrong step")]
    WrongStep { next_step: Step, status: StatusCode },
    #[error("already registered")]
    AlreadyRegistered,
    #[error("user ID taken")]
    UserIdTaken,
    #[error("terms outdated")]
    TermsOutdated { version: String },
    #[error("not found")]
    NotFound,
    /// A documented path with a method it does not serve; `allow` lists the ones it does.
    #[error("method not allowed")]
    MethodNotAllowed { allow: &'static str },
    #[error("verification token invalid")]
    VerificationTokenInvalid,
    #[error("body too large")]
    BodyTooLarge,
    /// The request head is too large or has too many headers (answered by the HTTP layer).
    #[error("request headers too large")]
    HeadersTooLarge,
    /// The request line or headers cannot be parsed (answered by the HTTP layer).
    #[error("malformed request")]
    MalformedRequest,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("validation failed")]
    Validation(Vec<FieldIssue>),
    /// Locked until `until`; the kenpo's contact where the tenant may be named (the identity
    /// check, a signed-in member), never on the login screen.
    #[error("account locked")]
    AccountLocked {
        until: DateTime<Utc>,
        retry_after: u64,
        contact: Option<Box<ContactView>>,
    },
    #[error("too many attempts")]
    TooManyAttempts { retry_after: u64 },
    /// A wrong, used or expired second-factor code.
    #[error("invalid code")]
    InvalidCode,
    /// The password alone cannot open the account and no second factor can be offered.
    #[error("second factor unavailable")]
    SecondFactorUnavailable {
        use_passkey: bool,
        contact: Option<Box<ContactView>>,
    },
    /// The kenpo turned two-step login off: nothing new may be enrolled.
    #[error("two-step login off")]
    TwoStepOff,
    #[error("authenticator app already enabled")]
    TotpAlreadyEnabled,
    #[error("no pending authenticator app")]
    TotpNotPending,
    #[error("device not found")]
    DeviceNotFound,
    #[error("passkey not found")]
    PasskeyNotFound,
    /// The public URL names no domain: browsers refuse passkeys for it.
    #[error("passkeys unavailable")]
    PasskeysUnavailable,
    #[error("passkey rejected")]
    PasskeyRejected,
    #[error("notice not found")]
    NoticeNotFound,
    #[error("no medical expenses")]
    NoMedicalExpenses,
    #[error("maintenance")]
    Maintenance { retry_after: u64 },
    /// The database does not answer.
    #[error("database unavailable")]
    Unavailable { retry_after: u64 },
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

impl From<madoguchi_persistence::StoreError> for ApiError {
    fn from(e: madoguchi_persistence::StoreError) -> Self {
        AppError::from(e).into()
    }
}

/// The one place where a use case's refusal becomes an answer.
impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::InvalidCredentials => Self::InvalidCredentials,
            AppError::CurrentPasswordWrong => Self::CurrentPasswordWrong,
            AppError::IdentityMismatch {
                remaining_attempts,
                lock_minutes,
            } => Self::IdentityMismatch {
                remaining_attempts,
                lock_minutes,
            },
            AppError::CredentialsExpired => Self::CredentialsExpired,
            AppError::AccountSuspended => Self::AccountSuspended,
            // Operator actions only; a member never meets it.
            AppError::NotSuspended => Self::Internal(anyhow::anyhow!("account not suspended")),
            AppError::SessionRevoked => Self::SessionRevoked,
            // A member's token on an onboarding route: the onboarding is done.
            AppError::WrongStep {
                expected: Step::Menu,
            }
            | AppError::AlreadyRegistered => Self::AlreadyRegistered,
            AppError::WrongStep { expected } => Self::WrongStep {
                next_step: expected,
                status: StatusCode::CONFLICT,
            },
            AppError::UserIdTaken => Self::UserIdTaken,
            AppError::TermsOutdated { version } => Self::TermsOutdated { version },
            AppError::VerificationTokenInvalid => Self::VerificationTokenInvalid,
            AppError::Rules(broken) => {
                Self::Validation(broken.into_iter().map(FieldIssue::from).collect())
            }
            AppError::Locked {
                until,
                retry_after,
                contact,
            } => Self::AccountLocked {
                until,
                retry_after,
                contact: contact.and_then(|c| ContactView::of(&c)).map(Box::new),
            },
            AppError::TooManyAttempts { retry_after } => Self::TooManyAttempts { retry_after },
            AppError::InvalidCode => Self::InvalidCode,
            AppError::SecondFactorUnavailable {
                use_passkey,
                contact,
            } => Self::SecondFactorUnavailable {
                use_passkey,
                contact: contact.and_then(|c| ContactView::of(&c)).map(Box::new),
            },
            AppError::TwoStepOff => Self::TwoStepOff,
            AppError::TotpAlreadyEnabled => Self::TotpAlreadyEnabled,
            AppError::TotpNotPending => Self::TotpNotPending,
            AppError::DeviceNotFound => Self::DeviceNotFound,
            AppError::PasskeyNotFound => Self::PasskeyNotFound,
            AppError::PasskeysUnavailable => Self::PasskeysUnavailable,
            AppError::PasskeyRejected => Self::PasskeyRejected,
            AppError::NoticeNotFound => Self::NoticeNotFound,
            AppError::NoMedicalExpenses => Self::NoMedicalExpenses,
            AppError::Unavailable { retry_after } => Self::Unavailable { retry_after },
            AppError::Internal(cause) => Self::Internal(cause),
        }
    }
}

impl ApiError {
    pub fn code(&self) -> ProblemCode {
        match self {
            Self::MalformedBody => ProblemCode::MalformedBody,
            Self::Unauthenticated => ProblemCode::Unauthenticated,
            Self::TokenExpired => ProblemCode::TokenExpired,
            Self::SessionRevoked => ProblemCode::SessionRevoked,
            Self::InvalidCredentials | Self::CurrentPasswordWrong => {
                ProblemCode::InvalidCredentials
            }
            Self::IdentityMismatch { .. } => ProblemCode::IdentityMismatch,
            Self::CredentialsExpired => ProblemCode::CredentialsExpired,
            Self::AccountSuspended => ProblemCode::AccountSuspended,
            Self::CrossSiteRequest => ProblemCode::CrossSiteRequest,
            Self::WrongStep { .. } => ProblemCode::WrongStep,
            Self::AlreadyRegistered => ProblemCode::AlreadyRegistered,
            Self::UserIdTaken => ProblemCode::UserIdTaken,
            Self::TermsOutdated { .. } => ProblemCode::TermsOutdated,
            Self::NotFound => ProblemCode::NotFound,
            Self::MethodNotAllowed { .. } => ProblemCode::MethodNotAllowed,
            Self::VerificationTokenInvalid => ProblemCode::VerificationTokenInvalid,
            Self::BodyTooLarge => ProblemCode::BodyTooLarge,
            Self::HeadersTooLarge => ProblemCode::HeadersTooLarge,
            Self::MalformedRequest => ProblemCode::MalformedRequest,
            Self::UnsupportedMediaType => ProblemCode::UnsupportedMediaType,
            Self::Validation(_) => ProblemCode::ValidationFailed,
            Self::AccountLocked { .. } => ProblemCode::AccountLocked,
            Self::TooManyAttempts { .. } => ProblemCode::TooManyAttempts,
            Self::InvalidCode => ProblemCode::InvalidCode,
            Self::SecondFactorUnavailable { .. } => ProblemCode::SecondFactorUnavailable,
            Self::TwoStepOff => ProblemCode::TwoStepOff,
            Self::TotpAlreadyEnabled => ProblemCode::TotpAlreadyEnabled,
            Self::TotpNotPending => ProblemCode::TotpNotPending,
            Self::DeviceNotFound => ProblemCode::DeviceNotFound,
            Self::PasskeyNotFound => ProblemCode::PasskeyNotFound,
            Self::PasskeysUnavailable => ProblemCode::PasskeysUnavailable,
            Self::PasskeyRejected => ProblemCode::PasskeyRejected,
            Self::NoticeNotFound => ProblemCode::NoticeNotFound,
            Self::NoMedicalExpenses => ProblemCode::NoMedicalExpenses,
            Self::Maintenance { .. } => ProblemCode::Maintenance,
            Self::Unavailable { .. } => ProblemCode::Unavailable,
            Self::Internal(_) => ProblemCode::InternalError,
        }
    }

    fn retry_after(&self) -> Option<u64> {
        match self {
            Self::AccountLocked { retry_after, .. }
            | Self::TooManyAttempts { retry_after }
            | Self::Maintenance { retry_after }
            | Self::Unavailable { retry_after } => Some(*retry_after),
            _ => None,
        }
    }

    /// A 422 with one field.
    pub fn field(issue: FieldIssue) -> Self {
        Self::Validation(vec![issue])
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::MalformedBody | Self::MalformedRequest => StatusCode::BAD_REQUEST,
            Self::Unauthenticated
            | Self::TokenExpired
            | Self::SessionRevoked
            | Self::InvalidCredentials
            | Self::CurrentPasswordWrong
            | Self::IdentityMismatch { .. }
            | Self::InvalidCode => StatusCode::UNAUTHORIZED,
            Self::CredentialsExpired
            | Self::AccountSuspended
            | Self::CrossSiteRequest
            | Self::SecondFactorUnavailable { .. }
            | Self::TwoStepOff => StatusCode::FORBIDDEN,
            Self::TotpAlreadyEnabled | Self::TotpNotPending => StatusCode::CONFLICT,
            Self::DeviceNotFound
            | Self::PasskeyNotFound
            | Self::PasskeysUnavailable
            | Self::NoticeNotFound
            | Self::NoMedicalExpenses => StatusCode::NOT_FOUND,
            Self::PasskeyRejected => StatusCode::BAD_REQUEST,
            Self::WrongStep { status, .. } => *status,
            Self::AlreadyRegistered | Self::UserIdTaken | Self::TermsOutdated { .. } => {
                StatusCode::CONFLICT
            }
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            Self::VerificationTokenInvalid => StatusCode::GONE,
            Self::BodyTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::HeadersTooLarge => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::AccountLocked { .. } => StatusCode::LOCKED,
            Self::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Maintenance { .. } | Self::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let Self::Internal(cause) = self {
            tracing::error!(error = format!("{cause:#}"), "internal error");
        }
        let lang = current_lang();
        let (title, detail) = crate::error::messages::problem_text(self, lang);
        let mut problem = Problem::new(self.status_code(), self.code(), title, detail);
        match self {
            Self::WrongStep { next_step, .. } => problem.next_step = Some(*next_step),
            Self::TermsOutdated { version } => problem.version = Some(version.clone()),
            Self::IdentityMismatch {
                remaining_attempts, ..
            } => {
                problem.remaining_attempts = *remaining_attempts;
            }
            Self::AccountLocked { until, contact, .. } => {
                problem.locked_until = Some(until.with_timezone(&calendar::Tokyo).fixed_offset());
                problem.contact = contact.as_deref().cloned();
            }
            Self::SecondFactorUnavailable { contact, .. } => {
                problem.contact = contact.as_deref().cloned();
            }
            Self::Validation(issues) => {
                problem.errors = Some(
                    issues
                        .iter()
                        .map(|i| FieldProblem {
                            field: i.field.clone(),
                            code: i.code,
                            message: i.message(lang).to_owned(),
                        })
                        .collect(),
                );
            }
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        response.content_type("application/problem+json");
        if let Some(seconds) = self.retry_after() {
            response.insert_header((header::RETRY_AFTER, seconds.max(1).to_string()));
        }
        if let Self::MethodNotAllowed { allow } = self {
            response.insert_header((header::ALLOW, *allow));
        }
        response.json(problem)
    }
}
