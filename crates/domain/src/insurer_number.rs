//! 保険者番号 (insurer number): the 8-digit number identifying the health insurance society,
//! printed on the lower part of the insurance card. Members often type the card's
//! 記号・番号 (symbol and number) instead, so that mistake gets its own hint.

use crate::{error::RuleError, normalize::normalize};

pub const LEN: usize = 8;

/// Weights of the first seven digits for the check digit (DESIGN §2).
const WEIGHTS: [u32; 7] = [2, 1, 2, 1, 2, 1, 2];

/// A well-formed 保険者番号: 8 ASCII digits whose last digit is the check digit. Well-formed is
/// not the same as "this member's kenpo": that comparison is the caller's, and a mismatch is
/// an identity failure, not a format error.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct InsurerNumber(String);

impl InsurerNumber {
    pub fn parse(raw: &str) -> Result<Self, RuleError> {
        let number = normalize(raw);
        if number.is_empty() {
            return Err(RuleError::Required);
        }
        if looks_like_card_symbol(&number) {
            return Err(RuleError::InsurerNumberIsCardSymbol);
        }
        if number.len() != LEN || !number.bytes().all(|b| b.is_ascii_digit()) {
            return Err(RuleError::InsurerNumberFormat);
        }
        let (first7, last) = number.split_at(LEN - 1);
        let given = last.bytes().next().map(|b| b - b'0');
        if check_digit(first7) != given {
            return Err(RuleError::InsurerNumberCheckDigit);
        }
        Ok(Self(number))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The check digit for the first seven digits: weights 2,1,2,1,2,1,2, a two-digit product
/// counts as the sum of its digits, check = (10 − sum mod 10) mod 10 (the Luhn scheme).
/// `None` unless `first7` is exactly seven ASCII digits.
pub fn check_digit(first7: &str) -> Option<u8> {
    if first7.len() != WEIGHTS.len() || !first7.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = first7
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, weight)| {
            let product = u32::from(b - b'0') * weight;
            product / 10 + product % 10
        })
        .sum();
    u8::try_from((10 - sum % 10) % 10).ok()
}

/// Letters (Latin, kana or kanji, which covers the words 記号 and 番号), hyphens (any dash a
/// Japanese IME produces) or inner spaces suggest the member typed the card's 記号・番号 (e.g. `記号 12 番号 345`, `AB-1234`).
fn looks_like_card_symbol(s: &str) -> bool {
    const DASHES: [char; 8] = ['-', '‐', '‑', '–', '—', '−', 'ー', '―'];
    s.chars().any(|c| c.is_alphabetic() || c.is_whitespace()) || s.contains(DASHES)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_design_example_is_valid() {
        assert_eq!(
            InsurerNumber::parse("06130090").map(|n| n.0),
            Ok("06130090".into())
        );
        assert_eq!(check_digit("0613009"), Some(0));
    }

    #[test]
    fn full_width_and_surrounding_spaces_are_fine() {
        let n = InsurerNumber::parse("\u{3000}０６１３００９０ ");
        assert_eq!(n.map(|n| n.as_str().to_owned()), Ok("06130090".into()));
    }

    #[test]
    fn two_digit_products_count_as_their_digit_sum() {
        // 9×2 = 18 → 1+8 = 9; 5×2 = 10 → 1; sum = 9+0+1+0+0+0+0 = 10 → check 0
        assert_eq!(check_digit("9050000"), Some(0));
        // 1×2 = 2 → check 8
        assert_eq!(check_digit("1000000"), Some(8));
        assert_eq!(check_digit("0000000"), Some(0));
        // every product or its digit sum is 9: 63 → check 7
        assert_eq!(check_digit("9999999"), Some(7));
    }

    #[test]
    fn check_digit_needs_seven_digits() {
        assert_eq!(check_digit("061300"), None);
        assert_eq!(check_digit("06130090"), None);
        assert_eq!(check_digit("06130a9"), None);
        assert_eq!(check_digit("０６１３００９"), None);
    }

    #[test]
    fn wrong_check_digit_is_refused() {
        assert_eq!(
            InsurerNumber::parse("06130091"),
            Err(RuleError::InsurerNumberCheckDigit)
        );
    }

    #[test]
    fn not_eight_digits_is_a_format_error() {
        for bad in ["0613009", "061300900", "0613009.", "06130090/", "0613_0090"] {
            assert_eq!(
                InsurerNumber::parse(bad),
                Err(RuleError::InsurerNumberFormat),
                "{bad}"
            );
        }
        assert_eq!(
            InsurerNumber::parse("０６１３００９"),
            Err(RuleError::InsurerNumberFormat)
        );
    }

    #[test]
    fn card_symbol_style_input_gets_the_hint() {
        for card in [
            "AB123456",
            "ｱｲ12",
            "1234-5678",
            "1234－5678",
            "1234ー5678",
            "1234 5678",
            "1234\u{3000}5678",
            "記号12番号345",
            "番号12345678",
            "ab",
        ] {
            assert_eq!(
                InsurerNumber::parse(card),
                Err(RuleError::InsurerNumberIsCardSymbol),
                "{card}"
            );
        }
    }

    #[test]
    fn empty_is_required() {
        assert_eq!(InsurerNumber::parse(" "), Err(RuleError::Required));
    }

    proptest! {
        #[test]
        fn appending_the_check_digit_always_parses(first7 in "[0-9]{7}") {
            let check = check_digit(&first7);
            prop_assert!(check.is_some());
            let number = format!("{first7}{}", check.unwrap_or_default());
            prop_assert_eq!(InsurerNumber::parse(&number).map(|n| n.0), Ok(number.clone()));
        }

        #[test]
        fn changing_the_last_digit_fails(first7 in "[0-9]{7}", delta in 1u8..10) {
            let check = check_digit(&first7).unwrap_or_default();
            let wrong = (check + delta) % 10;
            let number = format!("{first7}{wrong}");
            prop_assert_eq!(InsurerNumber::parse(&number), Err(RuleError::InsurerNumberCheckDigit));
        }

        #[test]
        fn changing_any_single_digit_fails(first7 in "[0-9]{7}", pos in 0usize..7, delta in 1u8..10) {
            let check = check_digit(&first7).unwrap_or_default();
            let mut digits: Vec<u8> = first7.bytes().map(|b| b - b'0').collect();
            digits[pos] = (digits[pos] + delta) % 10;
            let changed: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
            let number = format!("{changed}{check}");
            prop_assert_eq!(InsurerNumber::parse(&number), Err(RuleError::InsurerNumberCheckDigit));
        }

        #[test]
        fn full_width_digits_parse_like_ascii(first7 in "[0-9]{7}") {
            let number = format!("{first7}{}", check_digit(&first7).unwrap_or_default());
            let wide: String = number.chars().map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap_or(c)).collect();
            prop_assert_eq!(InsurerNumber::parse(&wide), InsurerNumber::parse(&number));
        }
    }
}
