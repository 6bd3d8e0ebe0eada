//! What can happen to an account ([`Event`]) and why the state machine may refuse it
//! ([`Refusal`]).

use chrono::{DateTime, Utc};

use super::Step;
use crate::error::RuleError;

/// Something that happened to an account: a member's action or an operator's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// Signed in with the temporary ID and password (the caller verified them).
    TemporaryLogin,
    /// Signed in with the member's own user ID and password (the caller verified them).
    PasswordLogin,
    /// Insurer number and birth date matched the roster and the terms were agreed.
    IdentityChecked,
    /// The commit of user ID, password and e-mail address.
    CredentialsRegistered,
    /// A new password was set (after a temporary login, or from the menu).
    PasswordChanged,
    /// Operator: 資格喪失 or another reason to shut the account.
    Suspend,
    /// Operator: undo a suspension.
    Reinstate,
    /// New temporary credentials (operator reissue or the recovery e-mail), valid until
    /// `expires_at`; they replace any pending ones.
    Reissue { expires_at: DateTime<Utc> },
}

/// Why an event was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// A step called out of order; `expected` is the step to do now (HTTP 409 `wrong_step`).
    #[error("step called out of order; expected {}", expected.as_str())]
    WrongStep { expected: Step },
    /// An onboarding step without a signed-in flow: sign in with the temporary credentials.
    #[error("not signed in")]
    NotSignedIn,
    /// The account is suspended: nothing but reinstatement.
    #[error("account suspended")]
    Suspended,
    /// Reinstate on an account that is not suspended.
    #[error("account is not suspended")]
    NotSuspended,
    /// The temporary credentials expired.
    #[error("temporary credentials expired")]
    TemporaryExpired,
    /// No pending temporary credentials (never issued, or retired by registration).
    #[error("no pending temporary credentials")]
    NoTemporaryCredentials,
    /// A password login to an account that has not registered its own password yet.
    #[error("account not registered yet")]
    NotRegistered,
}

impl Refusal {
    /// A stable snake_case code (the API decides which it reveals: login failures all look
    /// alike to the member so that nobody learns which accounts exist).
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::WrongStep { .. } => "wrong_step",
            Refusal::NotSignedIn => "not_signed_in",
            Refusal::Suspended => "account_suspended",
            Refusal::NotSuspended => "account_not_suspended",
            Refusal::TemporaryExpired => "temporary_credentials_expired",
            Refusal::NoTemporaryCredentials => "no_temporary_credentials",
            Refusal::NotRegistered => "account_not_registered",
        }
    }

    /// The member-facing rule error, for the refusals that have one.
    pub fn rule_error(&self) -> Option<RuleError> {
        match self {
            Refusal::WrongStep { expected } => Some(RuleError::WrongStep {
                expected: *expected,
            }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusal_codes_are_distinct() {
        let all = [
            Refusal::WrongStep {
                expected: Step::Menu,
            },
            Refusal::NotSignedIn,
            Refusal::Suspended,
            Refusal::NotSuspended,
            Refusal::TemporaryExpired,
            Refusal::NoTemporaryCredentials,
            Refusal::NotRegistered,
        ];
        let codes: std::collections::HashSet<_> = all.iter().map(Refusal::code).collect();
        assert_eq!(codes.len(), all.len());
    }

    #[test]
    fn only_wrong_step_is_a_rule_error() {
        let wrong = Refusal::WrongStep {
            expected: Step::VerifyIdentity,
        };
        assert_eq!(
            wrong.rule_error().map(|e| e.code().as_str()),
            Some("wrong_step")
        );
        assert_eq!(Refusal::Suspended.rule_error(), None);
    }
}
