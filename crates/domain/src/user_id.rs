//! ユーザID (user ID): the login name a member chooses during onboarding (DESIGN §2).

use crate::{error::RuleError, normalize::normalize, temporary::TemporaryLoginId};

pub const MIN_LEN: usize = 8;
pub const MAX_LEN: usize = 13;
/// Digits-only IDs stop at 12: 13-digit numbers are reserved for 仮ユーザID, so a login name
/// never tells you which kind of account it belongs to by accident.
pub const MAX_DIGITS_LEN: usize = 12;

/// ユーザID chosen by the member: after NFKC, 8–13 ASCII letters and digits, digits only 8–12.
/// Kept as typed (case preserved for display); unique and matched case-insensitively through
/// [`UserId::canonical`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UserId(String);

impl UserId {
    pub fn parse(raw: &str) -> Result<Self, RuleError> {
        let id = normalize(raw);
        if id.is_empty() {
            return Err(RuleError::Required);
        }
        if !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(RuleError::UserIdCharacters);
        }
        let max = if id.bytes().all(|b| b.is_ascii_digit()) {
            MAX_DIGITS_LEN
        } else {
            MAX_LEN
        };
        if !(MIN_LEN..=max).contains(&id.len()) {
            return Err(RuleError::UserIdLength { min: MIN_LEN, max });
        }
        Ok(Self(id))
    }

    /// The ID a member chooses to replace `temporary`. A member who types the postcard's ID
    /// again (even in groups, `1696 3023 86189`) is told that first, not that 13 digits are
    /// too long; the shape rules follow, and the rule holds should either format change.
    pub fn parse_replacing(
        raw: &str,
        temporary: Option<&TemporaryLoginId>,
    ) -> Result<Self, RuleError> {
        let typed_temporary = TemporaryLoginId::parse(raw).ok();
        let same = |t: &TemporaryLoginId| {
            typed_temporary.as_ref() == Some(t) || normalize(raw).eq_ignore_ascii_case(t.as_str())
        };
        if temporary.is_some_and(same) {
            return Err(RuleError::UserIdEqualsTemporary);
        }
        Self::parse(raw)
    }

    /// As the member typed it (after normalisation), for display.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// ASCII lower case: the key for uniqueness and login, which are case-insensitive.
    pub fn canonical(&self) -> String {
        self.0.to_ascii_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn length_error(max: usize) -> Result<UserId, RuleError> {
        Err(RuleError::UserIdLength { min: MIN_LEN, max })
    }

    #[test]
    fn mixed_ids_are_8_to_13_characters() {
        assert!(UserId::parse("abcd1234").is_ok());
        assert!(UserId::parse("abcd123456789").is_ok());
        assert_eq!(UserId::parse("abc1234"), length_error(13));
        assert_eq!(UserId::parse("abcd1234567890"), length_error(13));
    }

    #[test]
    fn digit_only_ids_are_8_to_12_digits() {
        assert!(UserId::parse("12345678").is_ok());
        assert!(UserId::parse("123456789012").is_ok());
        assert_eq!(UserId::parse("1234567"), length_error(12));
        assert_eq!(UserId::parse("1234567890123"), length_error(12));
    }

    #[test]
    fn letters_only_ids_are_allowed() {
        assert!(UserId::parse("abcdefgh").is_ok());
        assert!(UserId::parse("ABCDEFGHIJKLM").is_ok());
    }

    #[test]
    fn only_ascii_letters_and_digits() {
        for bad in [
            "taro_yamada",
            "taro.yamada",
            "taro yamada",
            "たろう12345",
            "taro-1234",
            "ｔａｒｏ＿１２３４",
        ] {
            assert_eq!(
                UserId::parse(bad),
                Err(RuleError::UserIdCharacters),
                "{bad}"
            );
        }
    }

    #[test]
    fn characters_are_judged_before_length() {
        assert_eq!(UserId::parse("a_b"), Err(RuleError::UserIdCharacters));
    }

    #[test]
    fn full_width_input_is_normalised() {
        let id = UserId::parse("\u{3000}Ｔａｒｏ１２３４ ");
        assert_eq!(id.map(|i| i.as_str().to_owned()), Ok("Taro1234".into()));
    }

    #[test]
    fn empty_is_required() {
        assert_eq!(UserId::parse(""), Err(RuleError::Required));
        assert_eq!(UserId::parse("\u{3000}"), Err(RuleError::Required));
    }

    #[test]
    fn canonical_is_lower_case_and_case_is_kept() {
        let id = UserId::parse("TaroYamada1").map_err(|e| e.code());
        assert_eq!(id.as_ref().map(UserId::as_str), Ok("TaroYamada1"));
        assert_eq!(id.map(|i| i.canonical()), Ok("taroyamada1".into()));
    }

    #[test]
    fn the_temporary_id_typed_again_is_named_before_its_length() {
        let temp = TemporaryLoginId::parse("1234567890123").unwrap();
        for again in [
            "1234567890123",
            "1234 5678 90123",
            "１２３４－５６７８－９０１２３",
        ] {
            assert_eq!(
                UserId::parse_replacing(again, Some(&temp)),
                Err(RuleError::UserIdEqualsTemporary),
                "{again}"
            );
        }
        assert_eq!(
            UserId::parse_replacing("1234567890124", Some(&temp)),
            length_error(MAX_DIGITS_LEN)
        );
        assert!(UserId::parse_replacing("123456789012", Some(&temp)).is_ok());
        assert!(UserId::parse_replacing("Takahashi01", None).is_ok());
    }

    proptest! {
        #[test]
        fn valid_mixed_ids_parse_in_any_width(s in "[a-zA-Z][a-zA-Z0-9]{7,12}") {
            let wide: String = s
                .chars()
                .map(|c| char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap_or(c))
                .collect();
            prop_assert_eq!(UserId::parse(&wide), UserId::parse(&s));
            prop_assert!(UserId::parse(&s).is_ok());
        }

        #[test]
        fn digits_only_ids_parse_up_to_12(s in "[0-9]{1,16}") {
            let ok = (MIN_LEN..=MAX_DIGITS_LEN).contains(&s.len());
            prop_assert_eq!(UserId::parse(&s).is_ok(), ok);
        }
    }
}
