//! The words of the member's login history (ログイン履歴, `GET /api/v1/me/logins`, DESIGN §9):
//! how each of the last sign-in attempts ended and what it signed in with, so a member can
//! spot a sign-in that was not theirs.

use super::policy::Method;

words! {
    /// How a sign-in attempt ended.
    pub enum Outcome {
        /// Signed in (after the second factor, where one was asked).
        Success,
        /// The password (or the temporary password) was wrong.
        WrongPassword,
        /// The password was right, the second-factor code was not.
        WrongCode,
        /// Refused because the account was locked: nothing was checked.
        Locked,
    }
}

words! {
    /// What a sign-in attempt used: the last credential or code it showed.
    pub enum SignInMethod {
        /// The postcard's or the recovery e-mail's temporary ID or password.
        Temporary,
        /// The member's own password, where no second factor followed.
        Password,
        /// The password, then an authenticator app's code.
        Totp,
        /// The password, then an e-mailed code.
        EmailCode,
        /// The password, then a recovery code.
        RecoveryCode,
        /// A passkey alone.
        Passkey,
    }
}

impl From<Method> for SignInMethod {
    fn from(method: Method) -> Self {
        match method {
            Method::Totp => SignInMethod::Totp,
            Method::EmailCode => SignInMethod::EmailCode,
            Method::RecoveryCode => SignInMethod::RecoveryCode,
            Method::Passkey => SignInMethod::Passkey,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::IntoEnumIterator;

    #[test]
    fn outcome_words_round_trip() {
        let words: Vec<&str> = Outcome::iter().map(Outcome::as_str).collect();
        assert_eq!(words, ["success", "wrong_password", "wrong_code", "locked"]);
        for outcome in Outcome::iter() {
            assert_eq!(Outcome::parse(outcome.as_str()), Some(outcome));
            let json = serde_json::to_value(outcome).unwrap();
            assert_eq!(
                json.as_str(),
                Some(outcome.as_str()),
                "serde and strum agree"
            );
        }
        assert_eq!(Outcome::parse("failure"), None);
    }

    #[test]
    fn sign_in_method_words_round_trip() {
        let words: Vec<&str> = SignInMethod::iter().map(SignInMethod::as_str).collect();
        assert_eq!(
            words,
            [
                "temporary",
                "password",
                "totp",
                "email_code",
                "recovery_code",
                "passkey"
            ]
        );
        for method in SignInMethod::iter() {
            assert_eq!(SignInMethod::parse(method.as_str()), Some(method));
            let json = serde_json::to_value(method).unwrap();
            assert_eq!(
                json.as_str(),
                Some(method.as_str()),
                "serde and strum agree"
            );
        }
    }

    #[test]
    fn a_method_is_recorded_by_its_own_word() {
        for method in Method::iter() {
            assert_eq!(SignInMethod::from(method).as_str(), method.as_str());
        }
    }
}
