//! 名簿 (roster): the member list a kenpo imports from its core system, one row per insured
//! person (被保険者). Identity checks compare what a member types with this.
//!
//! Names, kana and addresses are stored exactly as decoded, only trimmed, never NFKC- or
//! NFC-normalised (DESIGN §1): CP932 decodes 塚 (0xED80) to U+FA10, and NFC would turn it into
//! U+585A, changing how the member's name is printed on letters and screens.

use chrono::NaiveDate;

use crate::{
    birth_date::BirthDate,
    error::{FieldError, RuleError},
    normalize::normalize,
};

pub const MEMBER_CODE_MAX_LEN: usize = 32;

/// The member code: the key of a roster row, usually the card's 記号-番号-枝番 (symbol,
/// number, branch number) joined with hyphens. After NFKC, 1–32 ASCII letters, digits and `-`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct MemberCode(String);
/// Personal data stays out of `{:?}` (log lines, panics).
impl std::fmt::Debug for MemberCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MemberCode(..)")
    }
}

impl MemberCode {
    pub fn parse(raw: &str) -> Result<Self, RuleError> {
        let code = normalize(raw);
        if code.is_empty() {
            return Err(RuleError::Required);
        }
        let allowed = code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !allowed || code.len() > MEMBER_CODE_MAX_LEN {
            return Err(RuleError::MemberCodeInvalid);
        }
        Ok(Self(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One roster row as read from the file, before any rule is applied.
#[derive(Clone, Copy)]
pub struct RosterInput<'a> {
    pub member_code: &'a str,
    pub family_name: &'a str,
    pub given_name: &'a str,
    pub family_name_kana: &'a str,
    pub given_name_kana: &'a str,
    pub birth_date: &'a str,
    pub postal_code: &'a str,
    pub address: &'a str,
}

/// Personal data stays out of `{:?}` (log lines, panics).
impl std::fmt::Debug for RosterInput<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RosterInput { .. }")
    }
}

/// A roster row that passed the rules. Empty optional fields are empty strings.
#[derive(Clone, PartialEq, Eq)]
pub struct RosterEntry {
    pub member_code: MemberCode,
    /// 氏 (family name), required, as decoded.
    pub family_name: String,
    /// 名 (given name), as decoded; may be empty (some members have a single name).
    pub given_name: String,
    /// フリガナ of the family name, optional, as decoded.
    pub family_name_kana: String,
    /// フリガナ of the given name, optional, as decoded.
    pub given_name_kana: String,
    pub birth_date: BirthDate,
    /// 郵便番号, optional, stored as `NNN-NNNN`.
    pub postal_code: String,
    /// 住所, optional, as decoded.
    pub address: String,
}

/// Personal data stays out of `{:?}` (log lines, panics).
impl std::fmt::Debug for RosterEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RosterEntry { .. }")
    }
}

impl RosterEntry {
    /// Applies the rules to one row and reports every failing field at once, so an operator
    /// can fix a rejected file in one pass. `today` bounds the birth date.
    pub fn parse(input: RosterInput<'_>, today: NaiveDate) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let member_code = MemberCode::parse(input.member_code)
            .map_err(|e| errors.push(FieldError::new("member_code", e)))
            .ok();
        let family_name = input.family_name.trim();
        if family_name.is_empty() {
            errors.push(FieldError::new("family_name", RuleError::NameRequired));
        }
        let birth_date = BirthDate::parse(input.birth_date, today)
            .map_err(|e| errors.push(FieldError::new("birth_date", e)))
            .ok();
        let postal_code = parse_postal_code(input.postal_code)
            .map_err(|e| errors.push(FieldError::new("postal_code", e)))
            .ok();
        match (member_code, birth_date, postal_code) {
            (Some(member_code), Some(birth_date), Some(postal_code)) if errors.is_empty() => {
                Ok(Self {
                    member_code,
                    family_name: family_name.to_owned(),
                    given_name: input.given_name.trim().to_owned(),
                    family_name_kana: input.family_name_kana.trim().to_owned(),
                    given_name_kana: input.given_name_kana.trim().to_owned(),
                    birth_date,
                    postal_code,
                    address: input.address.trim().to_owned(),
                })
            }
            _ => Err(errors),
        }
    }
}

/// An optional 郵便番号: empty stays empty; otherwise 7 digits, written `NNN-NNNN` or
/// `NNNNNNN` (full-width, with a leading 〒, or with a dash other than `-` is fine too).
fn parse_postal_code(raw: &str) -> Result<String, RuleError> {
    let text = normalize(raw);
    let text = text.strip_prefix('〒').unwrap_or(&text).trim();
    if text.is_empty() {
        return Ok(String::new());
    }
    let unified: String = text
        .chars()
        .map(|c| {
            if matches!(c, '‐' | '‑' | '−' | 'ー' | '–' | '—') {
                '-'
            } else {
                c
            }
        })
        .collect();
    let digits = match unified.split_once('-') {
        Some((head, tail)) if head.len() == 3 && tail.len() == 4 => format!("{head}{tail}"),
        Some(_) => return Err(RuleError::PostalCodeInvalid),
        None => unified,
    };
    if digits.len() != 7 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(RuleError::PostalCodeInvalid);
    }
    let (head, tail) = digits.split_at(3);
    Ok(format!("{head}-{tail}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 15).unwrap_or_default()
    }

    fn input() -> RosterInput<'static> {
        RosterInput {
            member_code: "12-345-01",
            family_name: "山田",
            given_name: "太郎",
            family_name_kana: "ヤマダ",
            given_name_kana: "タロウ",
            birth_date: "19790822",
            postal_code: "123-4567",
            address: "東京都千代田区千代田1-1",
        }
    }

    fn fields(result: Result<RosterEntry, Vec<FieldError>>) -> Vec<(&'static str, &'static str)> {
        result
            .err()
            .unwrap_or_default()
            .iter()
            .map(|e| (e.field, e.error.code().as_str()))
            .collect()
    }

    #[test]
    fn a_good_row_parses() {
        let entry = RosterEntry::parse(input(), today()).map_err(|e| format!("{e:?}"));
        let entry = entry.as_ref().map(|e| {
            (
                e.member_code.as_str(),
                e.family_name.as_str(),
                e.postal_code.as_str(),
            )
        });
        assert_eq!(entry, Ok(("12-345-01", "山田", "123-4567")));
    }

    #[test]
    fn names_keep_compatibility_ideographs() {
        // 塚 U+FA10 as CP932 decodes it, and 髙 U+9AD9: NFKC would change the first.
        let family_name = "\u{FA10}\u{9AD9}";
        let row = RosterInput {
            family_name,
            address: "\u{3000}\u{FA10}本町1丁目 ",
            ..input()
        };
        let entry = RosterEntry::parse(row, today());
        let kept = entry
            .as_ref()
            .map(|e| (e.family_name.as_str(), e.address.as_str()));
        assert_eq!(
            kept.map_err(|e| e.len()),
            Ok(("\u{FA10}\u{9AD9}", "\u{FA10}本町1丁目"))
        );
    }

    #[test]
    fn names_and_kana_are_only_trimmed() {
        let row = RosterInput {
            given_name: " ｶﾅ ",
            family_name_kana: "\u{3000}ﾔﾏﾀﾞ",
            ..input()
        };
        let entry = RosterEntry::parse(row, today());
        let kept = entry
            .as_ref()
            .map(|e| (e.given_name.as_str(), e.family_name_kana.as_str()));
        assert_eq!(kept.map_err(|e| e.len()), Ok(("ｶﾅ", "ﾔﾏﾀﾞ")));
    }

    #[test]
    fn optional_fields_may_be_empty() {
        let row = RosterInput {
            given_name: "",
            family_name_kana: "",
            given_name_kana: "",
            postal_code: " ",
            address: "",
            ..input()
        };
        let entry = RosterEntry::parse(row, today());
        assert_eq!(entry.map(|e| e.postal_code), Ok(String::new()));
    }

    #[test]
    fn every_bad_field_is_reported() {
        let row = RosterInput {
            member_code: "12/345",
            family_name: "\u{3000}",
            birth_date: "19790230",
            postal_code: "12-34567",
            ..input()
        };
        assert_eq!(
            fields(RosterEntry::parse(row, today())),
            [
                ("member_code", "member_code_invalid"),
                ("family_name", "name_required"),
                ("birth_date", "birth_date_invalid"),
                ("postal_code", "postal_code_invalid"),
            ]
        );
        let row = RosterInput {
            member_code: "",
            birth_date: "",
            ..input()
        };
        assert_eq!(
            fields(RosterEntry::parse(row, today())),
            [("member_code", "required"), ("birth_date", "required")]
        );
    }

    #[test]
    fn member_code_is_1_to_32_letters_digits_and_hyphens() {
        assert_eq!(
            MemberCode::parse("ＡＢ－１２").map(|c| c.0),
            Ok("AB-12".into())
        );
        assert!(MemberCode::parse("1").is_ok());
        assert!(MemberCode::parse(&"9".repeat(32)).is_ok());
        assert_eq!(
            MemberCode::parse(&"9".repeat(33)),
            Err(RuleError::MemberCodeInvalid)
        );
        for bad in ["12 345", "12_345", "記号12", "12.3"] {
            assert_eq!(
                MemberCode::parse(bad),
                Err(RuleError::MemberCodeInvalid),
                "{bad}"
            );
        }
        assert_eq!(MemberCode::parse("\u{3000}"), Err(RuleError::Required));
    }

    #[test]
    fn postal_codes_are_stored_with_a_hyphen() {
        for ok in [
            "1234567",
            "123-4567",
            "１２３－４５６７",
            "〒123-4567",
            "〒 1234567",
            "123ー4567",
            "123−4567",
        ] {
            assert_eq!(parse_postal_code(ok), Ok("123-4567".into()), "{ok}");
        }
        for empty in ["", " ", "〒"] {
            assert_eq!(parse_postal_code(empty), Ok(String::new()), "{empty:?}");
        }
        for bad in [
            "123456",
            "12345678",
            "1234-567",
            "123-45678",
            "123-45-67",
            "abc-defg",
            "123 4567",
        ] {
            assert_eq!(
                parse_postal_code(bad),
                Err(RuleError::PostalCodeInvalid),
                "{bad}"
            );
        }
    }
}
