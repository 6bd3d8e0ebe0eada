//! Recovery codes (リカバリーコード, DESIGN §9): ten random codes shown once, at the
//! authenticator app's enrolment or on request, for the member to print or copy. Each signs in
//! once in place of the app's code, for a phone lost, broken or replaced.
//!
//! A code is ten characters in two groups of five, `XXXXX-XXXXX`, drawn from the capitals and
//! digits of the temporary password's alphabet ([`ALPHABET`]). The postcard's alphabet leaves
//! out the look-alikes O, o, l, I, 0 and 1 for a member reading from paper; a recovery code is
//! read from paper too, but typed on a phone whose keyboard starts in lower case, so it has one
//! case only and the member may type it in either. 32 characters give 50 random bits a code:
//! plenty for a code that works once, is stored only as a hash and sits behind the lockout.
//!
//! [`RecoveryCode::parse`] gives the canonical form of what the member typed, which the caller
//! hashes and compares with the stored hashes.

use std::collections::HashSet;
use std::fmt;

use rand::Rng;

use super::code::CodeError;
use crate::normalize::{is_grouping, normalize};

/// The temporary password's alphabet without its lower-case letters: A–Z without O and I, and
/// 2–9 (32 characters).
pub const ALPHABET: &str = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/// Characters in one group of a code.
pub const GROUP: usize = 5;
/// Characters in a code, the hyphen aside.
pub const LEN: usize = 2 * GROUP;
/// Codes in a set.
pub const COUNT: usize = 10;

/// One recovery code in its canonical form, `XXXXX-XXXXX`. Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct RecoveryCode(String);

impl RecoveryCode {
    /// A uniformly random code.
    pub fn generate<R: Rng + ?Sized>(rng: &mut R) -> Self {
        let alphabet = ALPHABET.as_bytes();
        let chars: String = (0..LEN)
            .map(|_| char::from(alphabet[rng.random_range(0..alphabet.len())]))
            .collect();
        Self::canonical(&chars)
    }

    /// A new set of [`COUNT`] codes, all different (a repeat is drawn again).
    pub fn generate_set<R: Rng + ?Sized>(rng: &mut R) -> Vec<Self> {
        let mut seen = HashSet::with_capacity(COUNT);
        let mut codes = Vec::with_capacity(COUNT);
        while codes.len() < COUNT {
            let code = Self::generate(rng);
            if seen.insert(code.clone()) {
                codes.push(code);
            }
        }
        codes
    }

    /// The code the member typed: lower case, full-width characters, spaces, and the hyphen
    /// left out or typed as another dash are fine.
    pub fn parse(raw: &str) -> Result<Self, CodeError> {
        let typed = normalize(raw);
        if typed.is_empty() {
            return Err(CodeError::Required);
        }
        let chars: String = typed
            .chars()
            .filter(|c| !is_grouping(*c))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if chars.len() != LEN || !chars.chars().all(|c| ALPHABET.contains(c)) {
            return Err(CodeError::Format);
        }
        Ok(Self::canonical(&chars))
    }

    /// The code, `XXXXX-XXXXX`: to show once, and to hash. Nowhere else.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `chars` is [`LEN`] ASCII characters of the alphabet.
    fn canonical(chars: &str) -> Self {
        let (first, second) = chars.split_at(GROUP);
        Self(format!("{first}-{second}"))
    }
}

impl fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecoveryCode(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::temporary::TemporaryPassword;
    use proptest::prelude::*;
    use rand::{SeedableRng, rngs::StdRng};

    fn parsed(raw: &str) -> Result<String, CodeError> {
        RecoveryCode::parse(raw).map(|c| c.expose().to_owned())
    }

    #[test]
    fn the_alphabet_is_the_postcards_without_lower_case() {
        let capitals: String = TemporaryPassword::ALPHABET
            .chars()
            .filter(|c| !c.is_ascii_lowercase())
            .collect();
        assert_eq!(ALPHABET, capitals);
        assert_eq!(ALPHABET.len(), 32);
    }

    #[test]
    fn a_set_is_ten_different_codes_of_the_format() {
        let codes = RecoveryCode::generate_set(&mut StdRng::seed_from_u64(14));
        assert_eq!(codes.len(), 10);
        let distinct: HashSet<&str> = codes.iter().map(RecoveryCode::expose).collect();
        assert_eq!(distinct.len(), 10);
        for code in &codes {
            let text = code.expose();
            assert_eq!(text.len(), 11);
            assert_eq!(&text[5..6], "-");
            assert!(
                text.chars()
                    .filter(|c| *c != '-')
                    .all(|c| ALPHABET.contains(c))
            );
        }
    }

    #[test]
    fn what_a_member_types_is_the_code() {
        for typed in [
            "ABCDE-FGH23",
            "abcde-fgh23",
            "AbCdEfGh23",
            " ABCDE FGH23 ",
            "ＡＢＣＤＥ－ＦＧＨ２３",
            "ａｂｃｄｅ\u{3000}ｆｇｈ２３",
            "ABCDEーFGH23",
            "ABCDE−FGH23",
            "AB CDE-FG H23",
        ] {
            assert_eq!(parsed(typed), Ok("ABCDE-FGH23".into()), "{typed:?}");
        }
    }

    #[test]
    fn look_alikes_and_wrong_lengths_are_format_errors() {
        assert_eq!(parsed(" \u{3000}"), Err(CodeError::Required));
        for bad in [
            "ABCDE-FGH2",   // 9 characters
            "ABCDE-FGH234", // 11 characters
            "ABCDE-FGH20",  // 0 is not in the alphabet
            "ABCDE-FGH21",  // nor is 1
            "OBCDE-FGH23",  // nor O
            "IBCDE-FGH23",  // nor I
            "ABCDE_FGH23",  // not a dash
            "ABCDE-FGH2あ", // not ASCII
        ] {
            assert_eq!(parsed(bad), Err(CodeError::Format), "{bad:?}");
        }
    }

    #[test]
    fn a_code_stays_out_of_debug() {
        let code = RecoveryCode::parse("ABCDE-FGH23").unwrap();
        assert!(!format!("{code:?}").contains("ABCDE"));
    }

    proptest! {
        #[test]
        fn generated_codes_parse_back_however_typed(seed in any::<u64>(), lower in any::<bool>(), hyphen in any::<bool>()) {
            let code = RecoveryCode::generate(&mut StdRng::seed_from_u64(seed));
            let mut typed = code.expose().to_owned();
            if lower {
                typed = typed.to_ascii_lowercase();
            }
            if !hyphen {
                typed = typed.replace('-', "");
            }
            prop_assert_eq!(RecoveryCode::parse(&typed), Ok(code));
        }
    }
}
