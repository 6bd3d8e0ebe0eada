//! What can happen to an account ([`Event`]) and why the state machine may refuse it
//! ([`Refusal`]).

use chrono::{DateTime, Utc};

use super::Step;
use crate::two_step::SecondFactor;

/// Something that happened to an account: a member's action or an operator's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// Signed in with a temporary ID or password (the caller verified them), with what
    /// [`SecondFactor::at_temporary_sign_in`] asks for next. Onboarding (a Provisioned
    /// account) is never asked; the recovery e-mail's password of an Active account with an
    /// authenticator app is (ADR 0018): a taken-over mailbox must not get past the app.
    TemporaryLogin { second_factor: SecondFactor },
    /// Signed in with the member's own user ID and password (the caller verified them), with
    /// what the kenpo's two-step policy and the member's factors ask for next
    /// ([`SecondFactor::at_password_sign_in`]).
    PasswordLogin { second_factor: SecondFactor },
    /// Signed in with a passkey (the caller verified the assertion, with user verification):
    /// something the member has and is or knows at once, so it counts as both factors and
    /// asks nothing more (DESIGN §9).
    PasskeyLogin,
    /// The second factor asked after the password was shown: a right code of one of the
    /// offered methods (the caller checked it).
    SecondFactorPassed,
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
    /// A step called out of order; `expected` is the step to do now.
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
    /// The right password of an account the password alone cannot open, with no second factor
    /// to offer: `use_passkey` when the member has a passkey to sign in with instead.
    #[error("no second factor available")]
    SecondFactorUnavailable { use_passkey: bool },
}
