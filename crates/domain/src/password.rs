//! パスワード (password): the member's own password (DESIGN §2).
//!
//! Only the shape rules live here. "Not the temporary password" and "not the current
//! password" need an argon2 verify against stored hashes, so the flow checks them and reports
//! [`RuleError::PasswordEqualsTemporary`] / [`RuleError::PasswordEqualsCurrent`].

use std::{collections::HashSet, fmt, sync::LazyLock};

use crate::{error::RuleError, normalize::normalize, user_id::UserId};

pub const MIN_LEN: usize = 8;
pub const MAX_LEN: usize = 20;

/// The common-password list Django ships (compiled by Royce Williams from public breach
/// corpora; see `data/README.md`), one per line.
const COMMON_PASSWORDS_TXT: &str = include_str!("../data/common-passwords.txt");

static COMMON_PASSWORDS: LazyLock<HashSet<String>> = LazyLock::new(|| {
    COMMON_PASSWORDS_TXT
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_lowercase)
        .collect()
});

/// Whether `candidate` is on the bundled list of common passwords, ignoring case: attackers
/// try these first, and `Password1` is no better than `password1`.
pub fn is_common_password(candidate: &str) -> bool {
    COMMON_PASSWORDS.contains(&candidate.to_lowercase())
}

/// A member's password that passed the shape rules: 8–20 printable ASCII characters without
/// space, at least one letter and one digit (英数混在), not a common password. Holds the
/// NFKC-normalised text, which is what gets hashed and verified, so a password typed in
/// full-width characters logs in. Its `Debug` never shows the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    /// Shape rules only. Returns every rule the input breaks, so the form can show them all.
    pub fn parse(raw: &str) -> Result<Self, Vec<RuleError>> {
        let password = normalize(raw);
        let errors = shape_errors(&password);
        if errors.is_empty() {
            Ok(Self(password))
        } else {
            Err(errors)
        }
    }

    /// A newly chosen password: the shape rules, the confirmation (compared after
    /// normalisation) and "not the user ID" (case-insensitive). Returns every failure at once.
    pub fn parse_new(
        raw: &str,
        confirmation: &str,
        user_id: Option<&UserId>,
    ) -> Result<Self, Vec<RuleError>> {
        let password = normalize(raw);
        let mut errors = shape_errors(&password);
        if user_id.is_some_and(|id| id.as_str().eq_ignore_ascii_case(&password)) {
            errors.push(RuleError::PasswordEqualsUserId);
        }
        if normalize(confirmation) != password {
            errors.push(RuleError::PasswordConfirmationMismatch);
        }
        if errors.is_empty() {
            Ok(Self(password))
        } else {
            Err(errors)
        }
    }

    /// The normalised password, for hashing. Never log or display it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

fn shape_errors(password: &str) -> Vec<RuleError> {
    if password.is_empty() {
        return vec![RuleError::Required];
    }
    let mut errors = Vec::new();
    if !(MIN_LEN..=MAX_LEN).contains(&password.chars().count()) {
        errors.push(RuleError::PasswordLength {
            min: MIN_LEN,
            max: MAX_LEN,
        });
    }
    if !password.chars().all(|c| matches!(c, '\x21'..='\x7e')) {
        errors.push(RuleError::PasswordCharacters);
    }
    let has_letter = password.chars().any(|c| c.is_ascii_alphabetic());
    let has_digit = password.chars().any(|c| c.is_ascii_digit());
    if !(has_letter && has_digit) {
        errors.push(RuleError::PasswordNeedsLetterAndDigit);
    }
    if is_common_password(password) {
        errors.push(RuleError::PasswordCommon);
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn codes(result: Result<Password, Vec<RuleError>>) -> Vec<&'static str> {
        result
            .err()
            .unwrap_or_default()
            .iter()
            .map(|e| e.code().as_str())
            .collect()
    }

    #[test]
    fn length_is_8_to_20() {
        assert!(Password::parse("k7Wq2mZp").is_ok());
        assert!(Password::parse("k7Wq2mZpX9vR4tLs8nYc").is_ok());
        assert_eq!(codes(Password::parse("k7Wq2mZ")), ["password_length"]);
        assert_eq!(
            codes(Password::parse("k7Wq2mZpX9vR4tLs8nYcJ")),
            ["password_length"]
        );
    }

    #[test]
    fn printable_ascii_without_space() {
        assert!(Password::parse("k7!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~").is_err()); // too long
        assert!(Password::parse("k7~!@#$%").is_ok());
        assert_eq!(codes(Password::parse("k7Wq 2mZp")), ["password_characters"]);
        assert_eq!(
            codes(Password::parse("k7Wq2mZpあ")),
            ["password_characters"]
        );
        assert_eq!(
            codes(Password::parse("k7Wq\t2mZp")),
            ["password_characters"]
        );
    }

    #[test]
    fn needs_a_letter_and_a_digit() {
        assert_eq!(
            codes(Password::parse("kWqmZpXv")),
            ["password_needs_letter_and_digit"]
        );
        assert_eq!(
            codes(Password::parse("73920481")),
            ["password_needs_letter_and_digit"]
        );
        assert_eq!(
            codes(Password::parse("!@#$%^&*")),
            ["password_needs_letter_and_digit"]
        );
        assert!(Password::parse("a1!@#$%^").is_ok());
    }

    #[test]
    fn common_passwords_are_refused_in_any_case() {
        for common in [
            "password1",
            "Password1",
            "PASSWORD1",
            "qwerty123",
            "ｐａｓｓｗｏｒｄ１",
        ] {
            assert_eq!(
                codes(Password::parse(common)),
                ["password_common"],
                "{common}"
            );
        }
        assert!(is_common_password("Qwerty123"));
        assert!(!is_common_password("k7Wq2mZpX9"));
        assert!(Password::parse("Tq8vLm3xRz").is_ok());
    }

    #[test]
    fn common_list_is_loaded() {
        assert!(COMMON_PASSWORDS.len() > 19_000);
    }

    #[test]
    fn every_failure_is_reported() {
        assert_eq!(
            codes(Password::parse("パスワード")),
            [
                "password_length",
                "password_characters",
                "password_needs_letter_and_digit"
            ]
        );
        assert_eq!(codes(Password::parse("")), ["required"]);
        assert_eq!(codes(Password::parse("\u{3000}")), ["required"]);
    }

    #[test]
    fn full_width_input_is_normalised_before_judging() {
        let p = Password::parse("\u{3000}ｋ７Ｗｑ２ｍＺｐ ");
        assert_eq!(p.map(|p| p.expose().to_owned()), Ok("k7Wq2mZp".to_owned()));
    }

    #[test]
    fn new_password_needs_a_matching_confirmation() {
        assert!(Password::parse_new("k7Wq2mZp", "ｋ７Ｗｑ２ｍＺｐ", None).is_ok());
        assert_eq!(
            codes(Password::parse_new("k7Wq2mZp", "k7Wq2mZP", None)),
            ["password_confirmation_mismatch"]
        );
        assert_eq!(
            codes(Password::parse_new("k7Wq2mZp", "", None)),
            ["password_confirmation_mismatch"]
        );
    }

    #[test]
    fn new_password_must_not_equal_the_user_id_in_any_case() {
        let user_id = UserId::parse("Taro1234").ok();
        assert_eq!(
            codes(Password::parse_new(
                "taro1234",
                "taro1234",
                user_id.as_ref()
            )),
            ["password_equals_user_id"]
        );
        assert!(Password::parse_new("taro12345", "taro12345", user_id.as_ref()).is_ok());
    }

    #[test]
    fn new_password_reports_everything_at_once() {
        assert_eq!(
            codes(Password::parse_new("short", "shorter", None)),
            [
                "password_length",
                "password_needs_letter_and_digit",
                "password_confirmation_mismatch"
            ]
        );
    }

    #[test]
    fn debug_is_redacted() {
        let p = Password::parse("k7Wq2mZp");
        assert!(!format!("{p:?}").contains("k7Wq2mZp"));
    }

    proptest! {
        #[test]
        fn random_letter_digit_passwords_are_accepted(s in "[a-zA-Z]{4,9}[0-9]{4,9}[!-~]{0,2}") {
            prop_assume!(!is_common_password(&s));
            prop_assert!(Password::parse(&s).is_ok());
        }

        #[test]
        fn parse_never_panics_and_ok_means_every_rule_holds(s in "\\PC{0,30}") {
            if let Ok(p) = Password::parse(&s) {
                let p = p.expose();
                prop_assert!((MIN_LEN..=MAX_LEN).contains(&p.len()));
                prop_assert!(p.bytes().all(|b| (0x21..=0x7e).contains(&b)));
                prop_assert!(!is_common_password(p));
            }
        }
    }
}
