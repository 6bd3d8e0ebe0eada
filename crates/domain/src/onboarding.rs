//! The account life cycle and the onboarding flow (DESIGN §2), as a pure state machine in the
//! style of kanidm's softlock: the current state, an event and `now` go in; the next state or
//! a typed [`Refusal`] comes out.
//!
//! ```text
//!             issue          temp login          identity ok + terms      register (commit)
//! (member) ─────────► Provisioned ──────► [VerifyIdentity] ──────► [RegisterCredentials] ──────► Active
//!                      │   ▲                                                                    │
//!      expire/reissue  │   └─ operator reissue (new temporary ID and password)                  │ forgot password
//!                      ▼                                                                        │ (e-mail) or
//!                  (expired)                                                                    ▼ operator reissue
//!                  Active + pending temporary password ──temp login──► [ChangePassword] ──────► Active
//!
//!  Active ──password login──► [SecondFactor] ──second factor passed──► [Menu]
//!           │  (policy or factors ask one)                                ▲
//!           └─ password alone is enough ───────────────────────────────────┘
//!
//!  Active + pending temporary password + app ──temp login──► [SecondFactor]
//!           ──second factor passed──► [ChangePassword] ──► Active (ADR 0018)
//!
//!  Suspend: any state ──► Suspended (資格喪失) ──Reinstate──► Active if the member had
//!  registered credentials, else Provisioned.  Locked is orthogonal (see `lockout`).
//! ```
//!
//! [`AccountState`] is stored on the account row. The [`Step`] is not: it lives in the
//! short-lived onboarding token, so closing the browser mid-way means signing in with the
//! temporary credentials again. A [`Flow`] joins the two with what the state machine must know
//! about the credentials, and [`Flow::next`] is the only way to move it. Steps called out of
//! order are refused with the step the caller must do ([`Refusal::WrongStep`], HTTP 409).
//!
//! Why the temporary credential's expiry is part of the flow: an expired or retired temporary
//! password must never move anyone forward, not at sign-in and not at a later step whose token
//! is still alive.
//!
//! Two-step login (DESIGN §9) is a step of this machine, so the machine stays the one gate to
//! the menu. [`Event::PasswordLogin`] carries what
//! [`SecondFactor::at_password_sign_in`](crate::two_step::SecondFactor::at_password_sign_in)
//! decided from the kenpo's policy and the member's factors: `NotNeeded` leads to the menu,
//! `Ask` to [`Step::SecondFactor`], and `Unavailable` is refused
//! ([`Refusal::SecondFactorUnavailable`]) without moving. From that step only
//! [`Event::SecondFactorPassed`] leads to the menu; every other step's event there is a wrong
//! step, and a new sign-in or a suspension starts over as anywhere else. The decision rides on
//! the login event rather than following as an event of its own because one sign-in is one
//! event: no caller can record the login and forget the demand, since the field has no
//! default, and the machine never re-derives the policy. A temporary login carries the
//! decision of [`SecondFactor::at_temporary_sign_in`](crate::two_step::SecondFactor::at_temporary_sign_in)
//! the same way: onboarding (a Provisioned account) is never asked, but the recovery e-mail's
//! password of a member with an authenticator app is (ADR 0018), and the passed factor then
//! leads to the password change, since the flow stands on that temporary credential.

mod event;
mod machine;
#[cfg(test)]
mod properties;

pub use event::{Event, Refusal};
pub use machine::Flow;

use serde::Serialize;

use crate::error::Lang;

/// The stored state of a member's account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccountState {
    /// Temporary credentials issued (or about to be); the member has not registered yet.
    Provisioned,
    /// The member registered their own user ID, password and e-mail address.
    Active,
    /// 資格喪失 (loss of membership) or another operator suspension: nothing works.
    Suspended,
}

impl AccountState {
    pub fn as_str(&self) -> &'static str {
        match self {
            AccountState::Provisioned => "provisioned",
            AccountState::Active => "active",
            AccountState::Suspended => "suspended",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "provisioned" => Some(AccountState::Provisioned),
            "active" => Some(AccountState::Active),
            "suspended" => Some(AccountState::Suspended),
            _ => None,
        }
    }
}

/// Where a signed-in member is in the flow (carried by the onboarding or session token).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// 本人確認: insurer number, birth date and the terms (after a temporary login).
    VerifyIdentity,
    /// Choose user ID, password and e-mail address (after the identity check).
    RegisterCredentials,
    /// Choose a new password (after a temporary login to an Active account).
    ChangePassword,
    /// 二段階認証: show a second factor (after the right password of an account that needs
    /// one; see [`crate::two_step`]).
    SecondFactor,
    /// The member menu (signed in with their own password, or done).
    Menu,
}

impl Step {
    pub fn as_str(&self) -> &'static str {
        match self {
            Step::VerifyIdentity => "verify_identity",
            Step::RegisterCredentials => "register_credentials",
            Step::ChangePassword => "change_password",
            Step::SecondFactor => "second_factor",
            Step::Menu => "menu",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "verify_identity" => Some(Step::VerifyIdentity),
            "register_credentials" => Some(Step::RegisterCredentials),
            "change_password" => Some(Step::ChangePassword),
            "second_factor" => Some(Step::SecondFactor),
            "menu" => Some(Step::Menu),
            _ => None,
        }
    }

    /// Whether a token of this step stands on the temporary credential it was signed in with
    /// (onboarding and the password change after a temporary login). A second-factor token
    /// follows the member's own password and stands on nothing but the account.
    pub fn stands_on_temporary_credential(&self) -> bool {
        match self {
            Step::VerifyIdentity | Step::RegisterCredentials | Step::ChangePassword => true,
            Step::SecondFactor | Step::Menu => false,
        }
    }

    /// The screen's name as the member sees it, for "continue from …" messages.
    pub fn label(&self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Step::VerifyIdentity, Lang::Ja) => "本人確認",
            (Step::VerifyIdentity, Lang::En) => "Identity check",
            (Step::RegisterCredentials, Lang::Ja) => "ユーザID・パスワードの登録",
            (Step::RegisterCredentials, Lang::En) => "Register your user ID and password",
            (Step::ChangePassword, Lang::Ja) => "パスワードの変更",
            (Step::ChangePassword, Lang::En) => "Change your password",
            (Step::SecondFactor, Lang::Ja) => "二段階認証",
            (Step::SecondFactor, Lang::En) => "Two-step login",
            (Step::Menu, Lang::Ja) => "メニュー",
            (Step::Menu, Lang::En) => "Menu",
        }
    }
}

/// What `credentials issue` does for one member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueDecision {
    Issue,
    /// Never for Active or Suspended members, even when named: an Active member's password
    /// would be replaced behind their back (operators use reissue for that), and a Suspended
    /// one must not get in at all.
    SkipActiveOrSuspended,
    /// A Provisioned member whose postcard credentials are still valid: a bulk run would
    /// silently invalidate the postcard already mailed. Naming the member reissues.
    SkipUnexpired,
}

/// May `credentials issue` issue temporary credentials for this member? `state` is `None` for
/// a roster member without an account yet; `named` is true when the operator named this member
/// rather than running over the whole roster.
pub fn may_issue(
    state: Option<AccountState>,
    has_unexpired_temporary: bool,
    named: bool,
) -> IssueDecision {
    match state {
        Some(AccountState::Active | AccountState::Suspended) => {
            IssueDecision::SkipActiveOrSuspended
        }
        Some(AccountState::Provisioned) if has_unexpired_temporary && !named => {
            IssueDecision::SkipUnexpired
        }
        None | Some(AccountState::Provisioned) => IssueDecision::Issue,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_state_round_trips() {
        for state in [
            AccountState::Provisioned,
            AccountState::Active,
            AccountState::Suspended,
        ] {
            assert_eq!(AccountState::parse(state.as_str()), Some(state));
        }
        assert_eq!(AccountState::parse("Active"), None);
        assert_eq!(AccountState::parse(""), None);
    }

    #[test]
    fn step_round_trips() {
        for step in [
            Step::VerifyIdentity,
            Step::RegisterCredentials,
            Step::ChangePassword,
            Step::SecondFactor,
            Step::Menu,
        ] {
            assert_eq!(Step::parse(step.as_str()), Some(step));
            let json = serde_json::to_value(step).unwrap();
            assert_eq!(json.as_str(), Some(step.as_str()), "serde and as_str agree");
            assert!(!step.label(Lang::Ja).is_empty() && !step.label(Lang::En).is_empty());
        }
        assert_eq!(Step::parse("identity_check"), None);
        assert_eq!(Step::parse("SecondFactor"), None);
    }

    #[test]
    fn only_onboarding_and_password_change_stand_on_a_temporary_credential() {
        assert!(Step::VerifyIdentity.stands_on_temporary_credential());
        assert!(Step::RegisterCredentials.stands_on_temporary_credential());
        assert!(Step::ChangePassword.stands_on_temporary_credential());
        assert!(!Step::SecondFactor.stands_on_temporary_credential());
        assert!(!Step::Menu.stands_on_temporary_credential());
    }

    #[test]
    fn issue_never_touches_active_or_suspended() {
        for state in [AccountState::Active, AccountState::Suspended] {
            for (unexpired, named) in [(false, false), (true, false), (false, true), (true, true)] {
                assert_eq!(
                    may_issue(Some(state), unexpired, named),
                    IssueDecision::SkipActiveOrSuspended
                );
            }
        }
    }

    #[test]
    fn issue_for_new_and_expired_members() {
        assert_eq!(may_issue(None, false, false), IssueDecision::Issue);
        assert_eq!(may_issue(None, false, true), IssueDecision::Issue);
        assert_eq!(
            may_issue(Some(AccountState::Provisioned), false, false),
            IssueDecision::Issue
        );
    }

    #[test]
    fn unexpired_postcards_are_reissued_only_when_named() {
        let provisioned = Some(AccountState::Provisioned);
        assert_eq!(
            may_issue(provisioned, true, false),
            IssueDecision::SkipUnexpired
        );
        assert_eq!(may_issue(provisioned, true, true), IssueDecision::Issue);
    }
}
