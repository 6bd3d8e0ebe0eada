//! The kenpo's two-step policy and what a password sign-in asks for (DESIGN §9).
//!
//! [`SecondFactor::at_password_sign_in`] decides, from the kenpo's [`TwoStepPolicy`] and the
//! member's [`Factors`], whether the right password is enough, which methods the member may
//! show next (in the order the screen offers them: `totp`, `email_code`, `recovery_code`), or
//! that the password alone cannot open the account. Sign-ins with a temporary password ask
//! [`SecondFactor::at_temporary_sign_in`] instead: onboarding is never asked for a second
//! factor, the recovery e-mail's password of an app member is (ADR 0018).
//!
//! | member has | `off` / `optional` | `required` |
//! |---|---|---|
//! | an authenticator app | `totp` (+ `recovery_code`) | the same |
//! | passkeys, no app | `email_code` if verified (+ `recovery_code`), else sign in with a passkey | the same |
//! | neither | nothing asked | `email_code` if verified (+ `recovery_code`), else unavailable |
//!
//! `(+ recovery_code)`: while the member has codes left. Why these rows:
//! - An app's member is never offered the e-mailed code: whoever took over the mailbox would
//!   get past the app that way (the reason kenpo portals moved to apps and passkeys).
//! - A passkey signs in alone and counts as both factors; on the password sign-in a member
//!   who has one must still show a second factor, or the password alone would open an account
//!   the member chose to protect. A passkey cannot be the second factor of a password sign-in
//!   (it is its own sign-in, with no password), so such a member is offered the e-mailed code
//!   and the recovery codes; with neither, the answer is to sign in with the passkey.
//! - `off` offers no enrolment, but a factor the member already has is still asked: turning
//!   the policy off must not quietly weaken an account.
//! - Recovery codes are a stand-in for a factor, not a factor: a member who holds some but has
//!   no app or passkey is asked nothing under `optional`, and may use one under `required`.

use serde::Serialize;

use super::email_code;

words! {
    /// The kenpo's `two_step` setting (`madoguchi tenant set --two-step`).
    #[derive(Default)]
    pub enum TwoStepPolicy {
        /// Second factors are not offered for enrolment; those members already have are still
        /// asked.
        Off,
        /// Members may enrol an authenticator app or a passkey.
        #[default]
        Optional,
        /// Every password sign-in needs a second factor: members without an app or a passkey get
        /// an e-mailed code.
        Required,
    }
}

impl TwoStepPolicy {
    /// Whether members may enrol an authenticator app or a passkey from the menu.
    pub fn offers_enrolment(self) -> bool {
        self != TwoStepPolicy::Off
    }
}

words! {
    /// A way of proving it is the member: the three second-factor codes, and a passkey (パスキー),
    /// which signs in on its own and counts as both factors.
    pub enum Method {
        /// A code of the member's authenticator app.
        Totp,
        /// A code mailed to the member's verified address.
        EmailCode,
        /// One of the printed recovery codes.
        RecoveryCode,
        /// A passkey (WebAuthn), on the passkey sign-in.
        Passkey,
    }
}

/// The methods a second-factor step offers: a subset of `totp`, `email_code`, `recovery_code`,
/// always listed in that order. Serialises as that list.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Methods {
    totp: bool,
    email_code: bool,
    recovery_code: bool,
}

impl Methods {
    /// Whether `method` is offered (a passkey never is: it is not a second step).
    pub fn contains(self, method: Method) -> bool {
        match method {
            Method::Totp => self.totp,
            Method::EmailCode => self.email_code,
            Method::RecoveryCode => self.recovery_code,
            Method::Passkey => false,
        }
    }

    pub fn is_empty(self) -> bool {
        !(self.totp || self.email_code || self.recovery_code)
    }

    /// The offered methods in the screen's order.
    pub fn iter(self) -> impl Iterator<Item = Method> {
        [Method::Totp, Method::EmailCode, Method::RecoveryCode]
            .into_iter()
            .filter(move |m| self.contains(*m))
    }
}

impl FromIterator<Method> for Methods {
    /// The set of `methods`; a passkey is left out.
    fn from_iter<I: IntoIterator<Item = Method>>(methods: I) -> Self {
        methods
            .into_iter()
            .fold(Self::default(), |set, method| match method {
                Method::Totp => Self { totp: true, ..set },
                Method::EmailCode => Self {
                    email_code: true,
                    ..set
                },
                Method::RecoveryCode => Self {
                    recovery_code: true,
                    ..set
                },
                Method::Passkey => set,
            })
    }
}

impl std::fmt::Debug for Methods {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for Methods {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// What the member has enrolled, as storage says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Factors {
    /// An authenticator app, confirmed with a correct code.
    pub totp: bool,
    /// How many passkeys are registered.
    pub passkeys: usize,
    /// The account's e-mail address has been verified through its link.
    pub email_verified: bool,
    /// Recovery codes not used yet.
    pub recovery_codes_left: usize,
}

impl Factors {
    /// An authenticator app or a passkey: what makes a sign-in two-step whatever the policy.
    pub fn has_enrolled_factor(&self) -> bool {
        self.totp || self.passkeys > 0
    }
}

/// What follows the right password.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecondFactor {
    /// The password is enough: on to the menu.
    NotNeeded,
    /// The member must show one of these methods (never empty).
    Ask(Methods),
    /// The password alone cannot open the account and there is no method to offer (HTTP 403
    /// `second_factor_unavailable`). `use_passkey`: the member has a passkey and signs in with
    /// it; otherwise the kenpo requires two-step login of a member with no factor and no
    /// verified address, and the kenpo's help desk (an operator's `account reissue`) is the way
    /// back.
    Unavailable { use_passkey: bool },
}

impl SecondFactor {
    /// The decision at a password sign-in (see the module's table).
    pub fn at_password_sign_in(policy: TwoStepPolicy, factors: Factors) -> Self {
        if !factors.has_enrolled_factor() && policy != TwoStepPolicy::Required {
            return SecondFactor::NotNeeded;
        }
        let offered = [
            (Method::Totp, factors.totp),
            (Method::EmailCode, email_code::available(&factors)),
            (Method::RecoveryCode, factors.recovery_codes_left > 0),
        ];
        let methods: Methods = offered
            .into_iter()
            .filter_map(|(method, offered)| offered.then_some(method))
            .collect();
        if methods.is_empty() {
            SecondFactor::Unavailable {
                use_passkey: factors.passkeys > 0,
            }
        } else {
            SecondFactor::Ask(methods)
        }
    }
}

impl SecondFactor {
    /// The decision at a sign-in with a temporary password (ADR 0018). Only the recovery
    /// e-mail's password of an Active account reaches the state machine's second-factor step
    /// (onboarding is never asked: the machine ignores this for a Provisioned account). A
    /// member with an authenticator app is asked for it (or a recovery code), never for an
    /// e-mailed code: the mailbox is what the temporary password just came through, and one
    /// taken over must not get past the app. Everyone else goes on to the password change.
    pub fn at_temporary_sign_in(factors: Factors) -> Self {
        if !factors.totp {
            return SecondFactor::NotNeeded;
        }
        let methods: Methods = [Method::Totp]
            .into_iter()
            .chain((factors.recovery_codes_left > 0).then_some(Method::RecoveryCode))
            .collect();
        SecondFactor::Ask(methods)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::IntoEnumIterator;

    #[test]
    fn policy_words_round_trip_and_optional_is_the_default() {
        assert_eq!(TwoStepPolicy::default(), TwoStepPolicy::Optional);
        let words: Vec<&str> = TwoStepPolicy::iter().map(TwoStepPolicy::as_str).collect();
        assert_eq!(words, ["off", "optional", "required"]);
        for policy in TwoStepPolicy::iter() {
            assert_eq!(TwoStepPolicy::parse(policy.as_str()), Some(policy));
            let json = serde_json::to_value(policy).unwrap();
            assert_eq!(
                json.as_str(),
                Some(policy.as_str()),
                "serde and strum agree"
            );
        }
        for bad in ["", "Required", "on", " optional"] {
            assert_eq!(TwoStepPolicy::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn only_off_stops_enrolment() {
        assert!(!TwoStepPolicy::Off.offers_enrolment());
        assert!(TwoStepPolicy::Optional.offers_enrolment());
        assert!(TwoStepPolicy::Required.offers_enrolment());
    }

    #[test]
    fn method_words_round_trip() {
        let words: Vec<&str> = Method::iter().map(Method::as_str).collect();
        assert_eq!(words, ["totp", "email_code", "recovery_code", "passkey"]);
        for method in Method::iter() {
            assert_eq!(Method::parse(method.as_str()), Some(method));
            let json = serde_json::to_value(method).unwrap();
            assert_eq!(
                json.as_str(),
                Some(method.as_str()),
                "serde and strum agree"
            );
            let back: Method = serde_json::from_value(json).unwrap();
            assert_eq!(back, method);
        }
        assert_eq!(Method::parse("TOTP"), None);
    }

    #[test]
    fn methods_keep_the_screens_order_and_never_hold_a_passkey() {
        let methods: Methods = [Method::RecoveryCode, Method::Passkey, Method::Totp]
            .into_iter()
            .collect();
        assert_eq!(
            methods.iter().collect::<Vec<_>>(),
            [Method::Totp, Method::RecoveryCode]
        );
        assert!(!methods.contains(Method::Passkey) && !methods.contains(Method::EmailCode));
        assert_eq!(
            serde_json::to_value(methods).unwrap(),
            serde_json::json!(["totp", "recovery_code"])
        );
        assert_eq!(format!("{methods:?}"), "[Totp, RecoveryCode]");
        assert!(Methods::default().is_empty() && !methods.is_empty());
    }

    #[test]
    fn a_temporary_sign_in_asks_only_an_app_member_and_never_for_an_e_mailed_code() {
        let app = Factors {
            totp: true,
            passkeys: 1,
            email_verified: true,
            recovery_codes_left: 10,
        };
        let SecondFactor::Ask(methods) = SecondFactor::at_temporary_sign_in(app) else {
            panic!("an app member is asked");
        };
        assert_eq!(
            methods.iter().collect::<Vec<_>>(),
            [Method::Totp, Method::RecoveryCode]
        );
        let no_codes = Factors {
            recovery_codes_left: 0,
            ..app
        };
        assert_eq!(
            SecondFactor::at_temporary_sign_in(no_codes),
            SecondFactor::Ask([Method::Totp].into_iter().collect())
        );
        let without_app = Factors { totp: false, ..app };
        assert_eq!(
            SecondFactor::at_temporary_sign_in(without_app),
            SecondFactor::NotNeeded
        );
    }
}
