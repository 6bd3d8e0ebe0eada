//! Rule errors: one variant per rule of DESIGN §2 that can fail, each with a stable snake_case
//! `code` (the key the SPA and third-party clients translate) and a plain message in Japanese
//! and English that names the field and says how to fix it.
//!
//! Every parser answers [`RuleError::Required`] for input that is empty after normalisation, so a
//! blank field reads "please enter …" rather than a length rule.

mod lang;
mod messages;

pub use lang::Lang;

use crate::onboarding::Step;

/// A rule of DESIGN §2 that an input broke. `Display` is the Japanese message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::Ja))]
pub enum RuleError {
    /// Nothing was entered (empty after NFKC and trimming).
    Required,
    /// 仮ユーザID: not 13 digits.
    TemporaryLoginIdFormat,
    /// 仮パスワード: not 10 characters of the postcard alphabet with a letter and a digit.
    TemporaryPasswordFormat,
    /// ユーザID: a character other than an ASCII letter or digit.
    UserIdCharacters,
    /// ユーザID: outside `min..=max` characters (`max` is 12 for digits-only IDs).
    UserIdLength { min: usize, max: usize },
    /// ユーザID equals the 仮ユーザID.
    UserIdEqualsTemporary,
    /// ユーザID is another member's (checked by the caller against storage).
    UserIdTaken,
    /// Password outside `min..=max` characters.
    PasswordLength { min: usize, max: usize },
    /// Password has a space or a character outside printable ASCII.
    PasswordCharacters,
    /// Password lacks a letter or a digit (英数混在).
    PasswordNeedsLetterAndDigit,
    /// Password is on the bundled list of common passwords.
    PasswordCommon,
    /// Password equals the user ID (case-insensitively).
    PasswordEqualsUserId,
    /// Password equals the temporary password (checked by the caller with an argon2 verify).
    PasswordEqualsTemporary,
    /// Password equals the current one (checked by the caller with an argon2 verify).
    PasswordEqualsCurrent,
    /// The confirmation differs from the password.
    PasswordConfirmationMismatch,
    /// E-mail address is not syntactically valid.
    EmailInvalid,
    /// E-mail address longer than `max` characters.
    EmailTooLong { max: usize },
    /// 保険者番号: not 8 digits.
    InsurerNumberFormat,
    /// 保険者番号: looks like the card's 記号・番号 (letters, hyphens, spaces, 「記号」).
    InsurerNumberIsCardSymbol,
    /// 保険者番号: the check digit (the last digit) does not match.
    InsurerNumberCheckDigit,
    /// 生年月日: not 8 digits YYYYMMDD.
    BirthDateFormat,
    /// 生年月日: 8 digits that are not a real date (e.g. 19790230).
    BirthDateInvalid,
    /// 生年月日: after today.
    BirthDateFuture,
    /// 生年月日: before `min_year`.
    BirthDateTooEarly { min_year: i32 },
    /// 利用規約: 同意する was not chosen.
    TermsNotAgreed,
    /// 利用規約: the member agreed to an older version; `current` is the one to show.
    TermsOutdated { current: String },
    /// Roster member code (記号-番号-枝番) has characters or a length we do not accept.
    MemberCodeInvalid,
    /// Roster: the family name (氏) is empty.
    NameRequired,
    /// Roster: the postal code (郵便番号) is not 7 digits.
    PostalCodeInvalid,
    /// Tenant contact: a name or opening hours longer than `max` characters.
    ContactTooLong { max: usize },
    /// Tenant contact: not a telephone number.
    ContactPhone,
    /// Tenant contact: not an http(s) address.
    ContactUrl,
    /// An onboarding step was called out of order; `expected` is the step to do now.
    WrongStep { expected: Step },
}

impl RuleError {
    /// The stable snake_case code clients translate (never changes once shipped).
    pub fn code(&self) -> &'static str {
        match self {
            RuleError::Required => "required",
            RuleError::TemporaryLoginIdFormat => "temporary_login_id_format",
            RuleError::TemporaryPasswordFormat => "temporary_password_format",
            RuleError::UserIdCharacters => "user_id_characters",
            RuleError::UserIdLength { .. } => "user_id_length",
            RuleError::UserIdEqualsTemporary => "user_id_equals_temporary",
            RuleError::UserIdTaken => "user_id_taken",
            RuleError::PasswordLength { .. } => "password_length",
            RuleError::PasswordCharacters => "password_characters",
            RuleError::PasswordNeedsLetterAndDigit => "password_needs_letter_and_digit",
            RuleError::PasswordCommon => "password_common",
            RuleError::PasswordEqualsUserId => "password_equals_user_id",
            RuleError::PasswordEqualsTemporary => "password_equals_temporary",
            RuleError::PasswordEqualsCurrent => "password_equals_current",
            RuleError::PasswordConfirmationMismatch => "password_confirmation_mismatch",
            RuleError::EmailInvalid => "email_invalid",
            RuleError::EmailTooLong { .. } => "email_too_long",
            RuleError::InsurerNumberFormat => "insurer_number_format",
            RuleError::InsurerNumberIsCardSymbol => "insurer_number_is_card_symbol",
            RuleError::InsurerNumberCheckDigit => "insurer_number_check_digit",
            RuleError::BirthDateFormat => "birth_date_format",
            RuleError::BirthDateInvalid => "birth_date_invalid",
            RuleError::BirthDateFuture => "birth_date_future",
            RuleError::BirthDateTooEarly { .. } => "birth_date_too_early",
            RuleError::TermsNotAgreed => "terms_not_agreed",
            RuleError::TermsOutdated { .. } => "terms_outdated",
            RuleError::MemberCodeInvalid => "member_code_invalid",
            RuleError::NameRequired => "name_required",
            RuleError::PostalCodeInvalid => "postal_code_invalid",
            RuleError::ContactTooLong { .. } => "contact_too_long",
            RuleError::ContactPhone => "contact_phone",
            RuleError::ContactUrl => "contact_url",
            RuleError::WrongStep { .. } => "wrong_step",
        }
    }

    /// The message shown to the member, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        messages::message(self, lang)
    }
}

/// A [`RuleError`] tied to the input field it concerns (`"user_id"`, `"birth_date"`, …), for
/// forms and roster rows that report every failure at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub error: RuleError,
}

impl FieldError {
    pub fn new(field: &'static str, error: RuleError) -> Self {
        Self { field, error }
    }

    /// Like [`RuleError::message`], but [`RuleError::Required`] names the field when it is one
    /// we know.
    pub fn message(&self, lang: Lang) -> String {
        match &self.error {
            RuleError::Required => messages::required_field(self.field, lang),
            other => other.message(lang),
        }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message(Lang::Ja))
    }
}

impl std::error::Error for FieldError {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn every_variant() -> Vec<RuleError> {
        vec![
            RuleError::Required,
            RuleError::TemporaryLoginIdFormat,
            RuleError::TemporaryPasswordFormat,
            RuleError::UserIdCharacters,
            RuleError::UserIdLength { min: 8, max: 13 },
            RuleError::UserIdEqualsTemporary,
            RuleError::PasswordLength { min: 8, max: 20 },
            RuleError::PasswordCharacters,
            RuleError::PasswordNeedsLetterAndDigit,
            RuleError::PasswordCommon,
            RuleError::PasswordEqualsUserId,
            RuleError::PasswordEqualsTemporary,
            RuleError::PasswordEqualsCurrent,
            RuleError::PasswordConfirmationMismatch,
            RuleError::EmailInvalid,
            RuleError::EmailTooLong { max: 254 },
            RuleError::InsurerNumberFormat,
            RuleError::InsurerNumberIsCardSymbol,
            RuleError::InsurerNumberCheckDigit,
            RuleError::BirthDateFormat,
            RuleError::BirthDateInvalid,
            RuleError::BirthDateFuture,
            RuleError::BirthDateTooEarly { min_year: 1900 },
            RuleError::TermsNotAgreed,
            RuleError::TermsOutdated {
                current: "2026-04".into(),
            },
            RuleError::MemberCodeInvalid,
            RuleError::NameRequired,
            RuleError::PostalCodeInvalid,
            RuleError::ContactTooLong { max: 100 },
            RuleError::ContactPhone,
            RuleError::ContactUrl,
            RuleError::WrongStep {
                expected: Step::VerifyIdentity,
            },
        ]
    }

    #[test]
    fn codes_are_unique_snake_case() {
        let all = every_variant();
        let codes: HashSet<&str> = all.iter().map(RuleError::code).collect();
        assert_eq!(codes.len(), all.len());
        for code in codes {
            assert!(
                code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{code}"
            );
        }
    }

    #[test]
    fn every_message_is_filled_in_both_languages() {
        for e in every_variant() {
            let (ja, en) = (e.message(Lang::Ja), e.message(Lang::En));
            assert!(ja.ends_with('。'), "{}: {ja}", e.code());
            assert!(en.ends_with('.'), "{}: {en}", e.code());
            assert!(!ja.contains('{') && !en.contains('{'), "{}", e.code());
        }
    }

    #[test]
    fn display_is_the_japanese_message() {
        let e = RuleError::InsurerNumberIsCardSymbol;
        assert_eq!(e.to_string(), e.message(Lang::Ja));
        assert!(e.to_string().contains("記号・番号ではありません"));
        assert!(
            e.message(Lang::En)
                .contains("8-digit number on the lower part")
        );
    }

    #[test]
    fn user_id_length_message_matches_the_rule() {
        let e = RuleError::UserIdLength { min: 8, max: 12 };
        assert_eq!(
            e.message(Lang::Ja),
            "ユーザIDは8〜13文字の半角英数字で入力してください（数字のみの場合は8〜12桁）。"
        );
    }

    #[test]
    fn wrong_step_names_the_step_to_do() {
        let e = RuleError::WrongStep {
            expected: Step::VerifyIdentity,
        };
        assert!(e.message(Lang::Ja).contains("本人確認"));
    }

    #[test]
    fn field_error_names_the_field_when_required() {
        let e = FieldError::new("insurer_number", RuleError::Required);
        assert_eq!(e.message(Lang::Ja), "保険者番号を入力してください。");
        assert_eq!(
            e.to_string(),
            "insurer_number: 保険者番号を入力してください。"
        );
        let other = FieldError::new("insurer_number", RuleError::InsurerNumberFormat);
        assert_eq!(
            other.message(Lang::En),
            RuleError::InsurerNumberFormat.message(Lang::En)
        );
    }
}
