//! Two-step login (二段階認証, DESIGN §9): after the right password, a member shows a second
//! factor, so a password stolen from another site (credential stuffing) opens nothing alone.
//!
//! - [`totp`]: the six-digit codes of an authenticator app (RFC 6238), the secret and the
//!   `otpauth://` URI shown at enrolment, and the refusal of a code already used.
//! - [`email_code`]: a six-digit code mailed to the member's verified address, for members who
//!   enrolled no authenticator app.
//! - [`recovery`]: ten single-use codes `XXXXX-XXXXX` to print or copy, for a lost phone.
//! - [`policy`]: the kenpo's `two_step` setting and what a password sign-in asks for.
//! - [`history`]: the words of the member's login history.
//! - [`passkey`]: what a member names a passkey (the ceremonies are WebAuthn's).
//!
//! The flow itself is the onboarding state machine's `second_factor` step
//! ([`crate::onboarding::Step::SecondFactor`]): a password sign-in that needs a second factor
//! stops there, and only a passed second factor leads on to the menu. Sign-ins with the
//! postcard's temporary credentials are never asked for one; the recovery e-mail's temporary
//! password of a member with an authenticator app is (ADR 0018).
//!
//! Every code a member gets wrong counts toward the account's lockout like a wrong password
//! ([`crate::lockout`]; see [`CodeError::counts_toward_lockout`]). Secrets never appear in
//! `{:?}`: the TOTP secret is the one the server must read back (stored encrypted, never
//! logged); e-mailed and recovery codes are stored only as hashes, made by the caller from
//! the canonical form these parsers give.

/// An enum of stored and answered words (`snake_case`, the same for serde and for the
/// database through strum): the derives every such enum needs, `as_str` and `parse`.
macro_rules! words {
    ($(#[$meta:meta])* pub enum $name:ident { $($body:tt)* }) => {
        #[derive(
            Debug,
            Clone,
            Copy,
            PartialEq,
            Eq,
            Hash,
            serde::Serialize,
            serde::Deserialize,
            strum::EnumIter,
            strum::IntoStaticStr,
            strum::EnumString,
        )]
        #[serde(rename_all = "snake_case")]
        #[strum(serialize_all = "snake_case")]
        $(#[$meta])*
        pub enum $name { $($body)* }

        impl $name {
            /// The word stored and answered.
            pub fn as_str(self) -> &'static str {
                self.into()
            }

            /// The variant of a word; `None` for any other text.
            pub fn parse(s: &str) -> Option<Self> {
                s.parse().ok()
            }
        }
    };
}

mod code;
pub mod email_code;
pub mod history;
pub mod passkey;
pub mod policy;
pub mod recovery;
pub mod totp;

pub use code::CodeError;
pub use history::{Outcome, SignInMethod};
pub use policy::{Factors, Method, Methods, SecondFactor, TwoStepPolicy};
pub use recovery::RecoveryCode;
pub use totp::TotpSecret;
