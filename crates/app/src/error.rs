//! `AppError`: why a use case did not happen, in the domain's words. No status codes and no
//! message texts: the API maps each variant to a problem in one place (`madoguchi_api::error`),
//! the CLI to a line for the operator.

use chrono::{DateTime, Utc};
use madoguchi_domain::FieldError;
use madoguchi_domain::contact::Contact;
use madoguchi_domain::onboarding::{Refusal, Step};
use madoguchi_persistence::StoreError;

use crate::availability::RETRY_AFTER_SECONDS;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Unknown ID, wrong password or retired temporary credentials: one answer for all.
    #[error("invalid credentials")]
    InvalidCredentials,
    /// A signed-in member's current password is wrong.
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
    /// An operator's reinstatement of an account that is not suspended.
    #[error("account not suspended")]
    NotSuspended,
    /// The token's session no longer stands (logged out, password changed, credential retired).
    #[error("session revoked")]
    SessionRevoked,
    /// An onboarding step called out of order; `expected` is the step to do now.
    #[error("wrong step; expected {}", expected.as_str())]
    WrongStep { expected: Step },
    #[error("already registered")]
    AlreadyRegistered,
    /// Someone registered the user ID between the member's check and commit.
    #[error("user ID taken")]
    UserIdTaken,
    #[error("terms outdated")]
    TermsOutdated { version: String },
    #[error("verification token invalid")]
    VerificationTokenInvalid,
    /// Every rule the input broke, each with its field.
    #[error("rules broken")]
    Rules(Vec<FieldError>),
    /// Locked until `until`; the kenpo's contact where the member's tenant may be named.
    #[error("account locked")]
    Locked {
        until: DateTime<Utc>,
        retry_after: u64,
        contact: Option<Box<Contact>>,
    },
    #[error("too many attempts")]
    TooManyAttempts { retry_after: u64 },
    /// A second-factor code (or the app's confirmation code) is wrong, used or expired.
    #[error("invalid code")]
    InvalidCode,
    /// The password alone cannot open the account and there is no second factor to offer:
    /// the kenpo's help desk (with its contact) is the way back, or the member's passkey.
    #[error("second factor unavailable")]
    SecondFactorUnavailable {
        use_passkey: bool,
        contact: Option<Box<Contact>>,
    },
    /// The kenpo turned two-step login off: nothing new may be enrolled.
    #[error("two-step login is off")]
    TwoStepOff,
    /// An authenticator app is already active (remove it first).
    #[error("authenticator app already enabled")]
    TotpAlreadyEnabled,
    /// No app waits for its confirmation code.
    #[error("no pending authenticator app")]
    TotpNotPending,
    /// No such remembered browser of the member.
    #[error("device not found")]
    DeviceNotFound,
    /// No such passkey of the member.
    #[error("passkey not found")]
    PasskeyNotFound,
    /// This deployment cannot offer passkeys: its public URL names no domain (an IP address).
    #[error("passkeys unavailable")]
    PasskeysUnavailable,
    /// The browser's new passkey did not verify, or its ceremony is unknown, used or expired.
    #[error("passkey rejected")]
    PasskeyRejected,
    /// No notice the member may see has this ID (another tenant's, scheduled or withdrawn).
    #[error("notice not found")]
    NoticeNotFound,
    /// The household has no medical expenses in the year asked for (an export of nothing).
    #[error("no medical expenses")]
    NoMedicalExpenses,
    /// The database does not answer.
    #[error("database unavailable")]
    Unavailable { retry_after: u64 },
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        if e.is_unavailable() {
            tracing::debug!(error = %e, "database unavailable");
            return Self::Unavailable {
                retry_after: RETRY_AFTER_SECONDS,
            };
        }
        Self::Internal(e.into())
    }
}

impl AppError {
    /// One broken rule of one field.
    pub fn rule(field: &'static str, error: madoguchi_domain::RuleError) -> Self {
        Self::Rules(vec![FieldError { field, error }])
    }

    /// A lock answered where the member's tenant may be named: with the kenpo's contact.
    pub fn with_contact(self, contact: &Contact) -> Self {
        match self {
            Self::Locked {
                until, retry_after, ..
            } => Self::Locked {
                until,
                retry_after,
                contact: Some(Box::new(contact.clone())),
            },
            other => other,
        }
    }

    /// The second-factor refusal with the kenpo's contact.
    pub fn with_kenpo_contact(self, contact: &Contact) -> Self {
        match self {
            Self::SecondFactorUnavailable { use_passkey, .. } => Self::SecondFactorUnavailable {
                use_passkey,
                contact: Some(Box::new(contact.clone())),
            },
            other => other.with_contact(contact),
        }
    }

    /// What a member is told when the state machine refuses a step: the refusals that are
    /// theirs to know; the rest mean the session no longer stands.
    pub fn refused(refusal: Refusal) -> Self {
        match refusal {
            Refusal::WrongStep { expected } => Self::WrongStep { expected },
            Refusal::TemporaryExpired => Self::CredentialsExpired,
            Refusal::Suspended => Self::AccountSuspended,
            Refusal::NotSuspended => Self::NotSuspended,
            Refusal::NotSignedIn | Refusal::NoTemporaryCredentials | Refusal::NotRegistered => {
                Self::SessionRevoked
            }
            Refusal::SecondFactorUnavailable { use_passkey } => Self::SecondFactorUnavailable {
                use_passkey,
                contact: None,
            },
        }
    }
}
