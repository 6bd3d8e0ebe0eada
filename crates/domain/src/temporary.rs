//! Temporary credentials: the 仮ユーザID (temporary login ID) and 仮パスワード (temporary
//! password) printed on the postcard (通知書/ハガキ) a kenpo mails to each member, or e-mailed
//! on password recovery (DESIGN §2).
//!
//! Both are random, never derived from member data: anyone who knows a birth date or a card
//! number must not be able to guess them.

use std::fmt;

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use rand::Rng;

use crate::error::RuleError;
use crate::normalize::{is_grouping, normalize};

use crate::calendar::Tokyo;

/// How long a temporary password sent by e-mail (recovery, reissue) stays valid.
pub const EMAIL_REISSUE_HOURS: i64 = 24;

/// 仮ユーザID: the temporary login ID, exactly 13 ASCII digits, random and unique across the
/// deployment. 13 digits keep it apart from user IDs, which may be at most 12 digits.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct TemporaryLoginId(String);
/// Personal data stays out of `{:?}` (log lines, panics).
impl std::fmt::Debug for TemporaryLoginId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TemporaryLoginId(..)")
    }
}

impl TemporaryLoginId {
    pub const LEN: usize = 13;

    /// Parses what the member typed: full-width digits, surrounding spaces, and the spaces or
    /// hyphens of an ID copied in groups (`1696 3023 86189`, `1696-3023-86189`) are fine.
    pub fn parse(raw: &str) -> Result<Self, RuleError> {
        let typed = normalize(raw);
        if typed.is_empty() {
            return Err(RuleError::Required);
        }
        let id = if typed.chars().all(|c| c.is_ascii_digit() || is_grouping(c)) {
            typed.chars().filter(|c| c.is_ascii_digit()).collect()
        } else {
            typed
        };
        if id.len() != Self::LEN || !id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(RuleError::TemporaryLoginIdFormat);
        }
        Ok(Self(id))
    }

    /// A uniformly random ID whose first digit is 1–9 (9 × 10¹² possibilities).
    ///
    /// Never a leading zero: operators open the postcard export in spreadsheet software, which
    /// reads a digit column as a number and silently drops leading zeros, and a 12-digit ID on
    /// a postcard would be refused at login.
    pub fn generate<R: Rng + ?Sized>(rng: &mut R) -> Self {
        let mut id = String::with_capacity(Self::LEN);
        id.push(char::from(b'0' + rng.random_range(1..=9u8)));
        for _ in 1..Self::LEN {
            id.push(char::from(b'0' + rng.random_range(0..=9u8)));
        }
        Self(id)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// 仮パスワード: the temporary password, 10 characters of [`Self::ALPHABET`] with at least
/// one letter and one digit. Case-sensitive. Its `Debug` never shows the value.
#[derive(Clone, PartialEq, Eq)]
pub struct TemporaryPassword(String);

impl TemporaryPassword {
    /// A–Z, a–z and 2–9 without the look-alikes O, o, l, I (and 0, 1): 56 characters that
    /// cannot be misread on a printed postcard.
    pub const ALPHABET: &'static str = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
    pub const LEN: usize = 10;

    /// Parses what the member typed (full-width characters and surrounding spaces are fine).
    pub fn parse(raw: &str) -> Result<Self, RuleError> {
        let password = normalize(raw);
        if password.is_empty() {
            return Err(RuleError::Required);
        }
        if !Self::is_well_formed(&password) {
            return Err(RuleError::TemporaryPasswordFormat);
        }
        Ok(Self(password))
    }

    /// A uniformly random password, rejection-sampled until it has a letter and a digit
    /// (about 1 draw in 5 is all letters, (48/56)^10; all-digit draws are vanishingly rare).
    pub fn generate<R: Rng + ?Sized>(rng: &mut R) -> Self {
        let alphabet = Self::ALPHABET.as_bytes();
        loop {
            let candidate: String = (0..Self::LEN)
                .map(|_| char::from(alphabet[rng.random_range(0..alphabet.len())]))
                .collect();
            if Self::is_well_formed(&candidate) {
                return Self(candidate);
            }
        }
    }

    /// The password itself, for hashing and for printing on the postcard. Nowhere else.
    pub fn expose(&self) -> &str {
        &self.0
    }

    fn is_well_formed(s: &str) -> bool {
        s.len() == Self::LEN
            && s.bytes().all(|b| Self::ALPHABET.as_bytes().contains(&b))
            && s.bytes().any(|b| b.is_ascii_alphabetic())
            && s.bytes().any(|b| b.is_ascii_digit())
    }
}

impl fmt::Debug for TemporaryPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TemporaryPassword(<redacted>)")
    }
}

/// Postcard expiry: the credentials are valid through 23:59:59 JST of the day `days` days
/// after today (JST). Returns that day (printed on the postcard) and `expires_at`, the first
/// instant they are no longer valid: 00:00 JST of the following day, in UTC.
///
/// An absurd `days` that overflows the calendar gives the latest representable instant
/// (never expires) rather than a panic.
pub fn postcard_expiry(now: DateTime<Utc>, days: u32) -> (NaiveDate, DateTime<Utc>) {
    let today_jst = now.with_timezone(&Tokyo).date_naive();
    let Some(expires_on) = today_jst.checked_add_days(Days::new(u64::from(days))) else {
        return (NaiveDate::MAX, DateTime::<Utc>::MAX_UTC);
    };
    let expires_at = expires_on
        .checked_add_days(Days::new(1))
        .and_then(|next| {
            next.and_time(NaiveTime::MIN)
                .and_local_timezone(Tokyo)
                .single()
        })
        .map_or(DateTime::<Utc>::MAX_UTC, |at| at.with_timezone(&Utc));
    (expires_on, expires_at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;
    use rand::{SeedableRng, rngs::StdRng};

    #[test]
    fn login_id_is_exactly_13_digits() {
        assert_eq!(
            TemporaryLoginId::parse("1234567890123").map(|i| i.0),
            Ok("1234567890123".into())
        );
        assert_eq!(
            TemporaryLoginId::parse("0234567890123").map(|i| i.0),
            Ok("0234567890123".into())
        );
        for bad in [
            "123456789012",
            "12345678901234",
            "123456789012a",
            "1234-5678-9012",
            "1234 5678 9012a",
        ] {
            assert_eq!(
                TemporaryLoginId::parse(bad),
                Err(RuleError::TemporaryLoginIdFormat),
                "{bad}"
            );
        }
    }

    #[test]
    fn an_id_copied_in_groups_is_the_id() {
        for grouped in [
            "1696 3023 86189",
            "1696-3023-86189",
            " １６９６－３０２３－８６１８９ ",
            "1696　3023　86189",
            "1696ー3023ー86189",
        ] {
            assert_eq!(
                TemporaryLoginId::parse(grouped).map(|i| i.0),
                Ok("1696302386189".into()),
                "{grouped:?}"
            );
        }
    }

    #[test]
    fn login_id_accepts_full_width_digits_and_spaces() {
        let id = TemporaryLoginId::parse(" １２３４５６７８９０１２３\u{3000}");
        assert_eq!(
            id.map(|i| i.as_str().to_owned()),
            Ok("1234567890123".into())
        );
    }

    #[test]
    fn empty_login_id_is_required() {
        assert_eq!(
            TemporaryLoginId::parse(" \u{3000}"),
            Err(RuleError::Required)
        );
    }

    #[test]
    fn generated_login_ids_parse_and_never_start_with_zero() {
        let mut rng = StdRng::seed_from_u64(7);
        for _ in 0..1000 {
            let id = TemporaryLoginId::generate(&mut rng);
            assert!(!id.as_str().starts_with('0'));
            assert_eq!(TemporaryLoginId::parse(id.as_str()), Ok(id));
        }
    }

    #[test]
    fn alphabet_has_56_characters_without_look_alikes() {
        let a = TemporaryPassword::ALPHABET;
        assert_eq!(a.len(), 56);
        assert!(!a.contains(['O', 'o', 'l', 'I', '0', '1']));
        let unique: std::collections::HashSet<char> = a.chars().collect();
        assert_eq!(unique.len(), 56);
    }

    #[test]
    fn temporary_password_rules() {
        assert!(TemporaryPassword::parse("Ab3defGh9k").is_ok());
        for bad in [
            "Ab3defGh9",   // 9 characters
            "Ab3defGh9kx", // 11 characters
            "Ab3defGhOk",  // look-alike O, no digit
            "Ab3defGh0k",  // 0 is not in the alphabet
            "Ab3defGhlk",  // look-alike l
            "ABCDEFGHJK",  // no digit
            "2345678923",  // no letter
            "Ab3def h9k",  // space
        ] {
            assert_eq!(
                TemporaryPassword::parse(bad),
                Err(RuleError::TemporaryPasswordFormat),
                "{bad}"
            );
        }
        assert_eq!(TemporaryPassword::parse(""), Err(RuleError::Required));
    }

    #[test]
    fn temporary_password_is_case_sensitive_but_accepts_full_width() {
        let p = TemporaryPassword::parse("Ａｂ３ｄｅｆＧｈ９ｋ");
        assert_eq!(p.map(|p| p.expose().to_owned()), Ok("Ab3defGh9k".into()));
        assert_ne!(
            TemporaryPassword::parse("ab3defgh9k"),
            TemporaryPassword::parse("Ab3defGh9k")
        );
    }

    #[test]
    fn temporary_password_debug_is_redacted() {
        let p = TemporaryPassword::parse("Ab3defGh9k");
        assert!(!format!("{p:?}").contains("Ab3defGh9k"));
    }

    #[test]
    fn postcard_expiry_counts_days_in_jst() {
        // 2026-03-31 16:30 UTC is already 2026-04-01 01:30 in Japan.
        let now = Utc
            .with_ymd_and_hms(2026, 3, 31, 16, 30, 0)
            .single()
            .unwrap_or_default();
        let (on, at) = postcard_expiry(now, 90);
        assert_eq!(on, NaiveDate::from_ymd_opt(2026, 6, 30).unwrap_or_default());
        assert_eq!(
            at,
            Utc.with_ymd_and_hms(2026, 6, 30, 15, 0, 0)
                .single()
                .unwrap_or_default()
        );
    }

    #[test]
    fn postcard_expiry_just_before_jst_midnight() {
        let now = Utc
            .with_ymd_and_hms(2026, 3, 31, 14, 59, 59)
            .single()
            .unwrap_or_default();
        let (on, at) = postcard_expiry(now, 0);
        assert_eq!(on, NaiveDate::from_ymd_opt(2026, 3, 31).unwrap_or_default());
        assert_eq!(
            at,
            Utc.with_ymd_and_hms(2026, 3, 31, 15, 0, 0)
                .single()
                .unwrap_or_default()
        );
    }

    #[test]
    fn postcard_expiry_saturates_instead_of_panicking() {
        let (on, at) = postcard_expiry(Utc::now(), u32::MAX);
        assert_eq!((on, at), (NaiveDate::MAX, DateTime::<Utc>::MAX_UTC));
    }

    proptest! {
        #[test]
        fn generated_passwords_always_parse(seed in any::<u64>()) {
            let p = TemporaryPassword::generate(&mut StdRng::seed_from_u64(seed));
            prop_assert_eq!(TemporaryPassword::parse(p.expose()), Ok(p));
        }

        #[test]
        fn expiry_is_after_now_and_at_jst_midnight(secs in 0i64..4_000_000_000, days in 0u32..400) {
            let now = DateTime::from_timestamp(secs, 0).unwrap_or_default();
            let (on, at) = postcard_expiry(now, days);
            prop_assert!(at > now);
            let local = at.with_timezone(&Tokyo);
            prop_assert_eq!(local.time(), NaiveTime::MIN);
            prop_assert_eq!(local.date_naive().pred_opt(), Some(on));
        }
    }
}
