//! Rule errors: one variant per rule of DESIGN §2 that can fail, each with a stable snake_case
//! `code` (the key the SPA and third-party clients translate) and a plain message in Japanese
//! and English that names the field and says how to fix it.
//!
//! Every parser answers [`RuleError::Required`] for input that is empty after normalisation, so a
//! blank field reads "please enter …" rather than a length rule.

mod lang;
mod messages;

pub use lang::Lang;

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
    /// 確認コード: not the shape of the method's code (six digits; `XXXXX-XXXXX`).
    CodeFormat,
    /// The second-factor method is not one this sign-in offers.
    MethodNotOffered,
    /// A passkey's name: more than `max` characters, or control characters.
    PasskeyName { max: usize },
}

impl RuleError {
    /// The stable code clients translate (never changes once shipped).
    pub fn code(&self) -> FieldCode {
        match self {
            RuleError::Required => FieldCode::Required,
            RuleError::TemporaryLoginIdFormat => FieldCode::TemporaryLoginIdFormat,
            RuleError::TemporaryPasswordFormat => FieldCode::TemporaryPasswordFormat,
            RuleError::UserIdCharacters => FieldCode::UserIdCharacters,
            RuleError::UserIdLength { .. } => FieldCode::UserIdLength,
            RuleError::UserIdEqualsTemporary => FieldCode::UserIdEqualsTemporary,
            RuleError::UserIdTaken => FieldCode::UserIdTaken,
            RuleError::PasswordLength { .. } => FieldCode::PasswordLength,
            RuleError::PasswordCharacters => FieldCode::PasswordCharacters,
            RuleError::PasswordNeedsLetterAndDigit => FieldCode::PasswordNeedsLetterAndDigit,
            RuleError::PasswordCommon => FieldCode::PasswordCommon,
            RuleError::PasswordEqualsUserId => FieldCode::PasswordEqualsUserId,
            RuleError::PasswordEqualsTemporary => FieldCode::PasswordEqualsTemporary,
            RuleError::PasswordEqualsCurrent => FieldCode::PasswordEqualsCurrent,
            RuleError::PasswordConfirmationMismatch => FieldCode::PasswordConfirmationMismatch,
            RuleError::EmailInvalid => FieldCode::EmailInvalid,
            RuleError::EmailTooLong { .. } => FieldCode::EmailTooLong,
            RuleError::InsurerNumberFormat => FieldCode::InsurerNumberFormat,
            RuleError::InsurerNumberIsCardSymbol => FieldCode::InsurerNumberIsCardSymbol,
            RuleError::InsurerNumberCheckDigit => FieldCode::InsurerNumberCheckDigit,
            RuleError::BirthDateFormat => FieldCode::BirthDateFormat,
            RuleError::BirthDateInvalid => FieldCode::BirthDateInvalid,
            RuleError::BirthDateFuture => FieldCode::BirthDateFuture,
            RuleError::BirthDateTooEarly { .. } => FieldCode::BirthDateTooEarly,
            RuleError::TermsNotAgreed => FieldCode::TermsNotAgreed,
            RuleError::TermsOutdated { .. } => FieldCode::TermsOutdated,
            RuleError::MemberCodeInvalid => FieldCode::MemberCodeInvalid,
            RuleError::NameRequired => FieldCode::NameRequired,
            RuleError::PostalCodeInvalid => FieldCode::PostalCodeInvalid,
            RuleError::ContactTooLong { .. } => FieldCode::ContactTooLong,
            RuleError::ContactPhone => FieldCode::ContactPhone,
            RuleError::ContactUrl => FieldCode::ContactUrl,
            RuleError::CodeFormat => FieldCode::CodeFormat,
            RuleError::MethodNotOffered => FieldCode::MethodNotOffered,
            RuleError::PasskeyName { .. } => FieldCode::PasskeyName,
        }
    }

    /// The message shown to the member, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        messages::message(self, lang)
    }
}

/// The stable snake_case code of a field's problem: one per [`RuleError`], and the codes of a
/// request body's shape (`unknown_field`, `invalid_type`, `too_long`, `invalid`). The one
/// source of the codes clients switch on (the API's OpenAPI enum is built from it).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, strum::EnumIter, strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum FieldCode {
    Required,
    /// A body field the route does not take.
    UnknownField,
    /// A body field of the wrong JSON type.
    InvalidType,
    /// A body field longer than the route takes.
    TooLong,
    /// Any other shape problem of a body field.
    Invalid,
    UserIdTaken,
    TemporaryLoginIdFormat,
    TemporaryPasswordFormat,
    UserIdCharacters,
    UserIdLength,
    UserIdEqualsTemporary,
    PasswordLength,
    PasswordCharacters,
    PasswordNeedsLetterAndDigit,
    PasswordCommon,
    PasswordEqualsUserId,
    PasswordEqualsTemporary,
    PasswordEqualsCurrent,
    PasswordConfirmationMismatch,
    EmailInvalid,
    EmailTooLong,
    InsurerNumberFormat,
    InsurerNumberIsCardSymbol,
    InsurerNumberCheckDigit,
    BirthDateFormat,
    BirthDateInvalid,
    BirthDateFuture,
    BirthDateTooEarly,
    TermsNotAgreed,
    TermsOutdated,
    MemberCodeInvalid,
    NameRequired,
    PostalCodeInvalid,
    ContactTooLong,
    ContactPhone,
    ContactUrl,
    CodeFormat,
    MethodNotOffered,
    PasskeyName,
}

impl FieldCode {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Whether a member can meet the code in an API answer's `errors`: the roster's and the
    /// operator's codes, and the refusals answered as problems of their own, are not.
    pub fn in_forms(self) -> bool {
        match self {
            FieldCode::TermsOutdated
            | FieldCode::MemberCodeInvalid
            | FieldCode::NameRequired
            | FieldCode::PostalCodeInvalid
            | FieldCode::ContactTooLong
            | FieldCode::ContactPhone
            | FieldCode::ContactUrl => false,
            FieldCode::Required
            | FieldCode::TemporaryLoginIdFormat
            | FieldCode::TemporaryPasswordFormat
            | FieldCode::UserIdCharacters
            | FieldCode::UserIdLength
            | FieldCode::UserIdEqualsTemporary
            | FieldCode::UserIdTaken
            | FieldCode::PasswordLength
            | FieldCode::PasswordCharacters
            | FieldCode::PasswordNeedsLetterAndDigit
            | FieldCode::PasswordCommon
            | FieldCode::PasswordEqualsUserId
            | FieldCode::PasswordEqualsTemporary
            | FieldCode::PasswordEqualsCurrent
            | FieldCode::PasswordConfirmationMismatch
            | FieldCode::EmailInvalid
            | FieldCode::EmailTooLong
            | FieldCode::InsurerNumberFormat
            | FieldCode::InsurerNumberIsCardSymbol
            | FieldCode::InsurerNumberCheckDigit
            | FieldCode::BirthDateFormat
            | FieldCode::BirthDateInvalid
            | FieldCode::BirthDateFuture
            | FieldCode::BirthDateTooEarly
            | FieldCode::TermsNotAgreed
            | FieldCode::CodeFormat
            | FieldCode::MethodNotOffered
            | FieldCode::PasskeyName
            | FieldCode::UnknownField
            | FieldCode::InvalidType
            | FieldCode::TooLong
            | FieldCode::Invalid => true,
        }
    }
}

impl std::fmt::Display for FieldCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
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
    use strum::IntoEnumIterator;

    /// A rule error of each code; `None` for the codes of a body's shape.
    fn example(code: FieldCode) -> Option<RuleError> {
        Some(match code {
            FieldCode::Required => RuleError::Required,
            FieldCode::TemporaryLoginIdFormat => RuleError::TemporaryLoginIdFormat,
            FieldCode::TemporaryPasswordFormat => RuleError::TemporaryPasswordFormat,
            FieldCode::UserIdCharacters => RuleError::UserIdCharacters,
            FieldCode::UserIdLength => RuleError::UserIdLength { min: 8, max: 13 },
            FieldCode::UserIdEqualsTemporary => RuleError::UserIdEqualsTemporary,
            FieldCode::UserIdTaken => RuleError::UserIdTaken,
            FieldCode::PasswordLength => RuleError::PasswordLength { min: 8, max: 20 },
            FieldCode::PasswordCharacters => RuleError::PasswordCharacters,
            FieldCode::PasswordNeedsLetterAndDigit => RuleError::PasswordNeedsLetterAndDigit,
            FieldCode::PasswordCommon => RuleError::PasswordCommon,
            FieldCode::PasswordEqualsUserId => RuleError::PasswordEqualsUserId,
            FieldCode::PasswordEqualsTemporary => RuleError::PasswordEqualsTemporary,
            FieldCode::PasswordEqualsCurrent => RuleError::PasswordEqualsCurrent,
            FieldCode::PasswordConfirmationMismatch => RuleError::PasswordConfirmationMismatch,
            FieldCode::EmailInvalid => RuleError::EmailInvalid,
            FieldCode::EmailTooLong => RuleError::EmailTooLong { max: 254 },
            FieldCode::InsurerNumberFormat => RuleError::InsurerNumberFormat,
            FieldCode::InsurerNumberIsCardSymbol => RuleError::InsurerNumberIsCardSymbol,
            FieldCode::InsurerNumberCheckDigit => RuleError::InsurerNumberCheckDigit,
            FieldCode::BirthDateFormat => RuleError::BirthDateFormat,
            FieldCode::BirthDateInvalid => RuleError::BirthDateInvalid,
            FieldCode::BirthDateFuture => RuleError::BirthDateFuture,
            FieldCode::BirthDateTooEarly => RuleError::BirthDateTooEarly { min_year: 1900 },
            FieldCode::TermsNotAgreed => RuleError::TermsNotAgreed,
            FieldCode::TermsOutdated => RuleError::TermsOutdated {
                current: "2026-04".into(),
            },
            FieldCode::MemberCodeInvalid => RuleError::MemberCodeInvalid,
            FieldCode::NameRequired => RuleError::NameRequired,
            FieldCode::PostalCodeInvalid => RuleError::PostalCodeInvalid,
            FieldCode::ContactTooLong => RuleError::ContactTooLong { max: 100 },
            FieldCode::ContactPhone => RuleError::ContactPhone,
            FieldCode::ContactUrl => RuleError::ContactUrl,
            FieldCode::CodeFormat => RuleError::CodeFormat,
            FieldCode::MethodNotOffered => RuleError::MethodNotOffered,
            FieldCode::PasskeyName => RuleError::PasskeyName { max: 40 },
            FieldCode::UnknownField
            | FieldCode::InvalidType
            | FieldCode::TooLong
            | FieldCode::Invalid => return None,
        })
    }

    /// Every rule error, one per code (the match above is exhaustive over the codes, and
    /// `code()` over the errors, so none can be left out).
    fn every_variant() -> Vec<RuleError> {
        FieldCode::iter().filter_map(example).collect()
    }

    #[test]
    fn forms_answer_the_members_codes_and_not_the_rosters() {
        for code in [
            FieldCode::Required,
            FieldCode::UnknownField,
            FieldCode::UserIdTaken,
            FieldCode::PasswordCommon,
            FieldCode::TermsNotAgreed,
        ] {
            assert!(code.in_forms(), "{code}");
        }
        for code in [
            FieldCode::TermsOutdated,
            FieldCode::MemberCodeInvalid,
            FieldCode::ContactUrl,
        ] {
            assert!(!code.in_forms(), "{code}");
        }
        assert_eq!(FieldCode::UserIdTaken.to_string(), "user_id_taken");
    }

    #[test]
    fn each_rule_error_has_its_own_snake_case_code() {
        for code in FieldCode::iter() {
            if let Some(e) = example(code) {
                assert_eq!(e.code(), code);
            }
            let s = code.as_str();
            assert!(
                s.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{s}"
            );
            let json = serde_json::to_value(code).unwrap();
            assert_eq!(json.as_str(), Some(s), "serde and strum agree");
        }
        let codes: HashSet<&str> = FieldCode::iter().map(FieldCode::as_str).collect();
        assert_eq!(codes.len(), FieldCode::iter().count());
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
