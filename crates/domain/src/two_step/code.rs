//! Why a typed second-factor code is refused, and the six digits shared by the authenticator
//! app's codes and the e-mailed ones.

use crate::normalize::{is_grouping, normalize};

/// How many digits an authenticator app's code and an e-mailed code have.
pub const DIGITS: usize = 6;

/// Why a code a member typed at the second-factor step is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum CodeError {
    /// Nothing was typed (empty after NFKC and trimming).
    #[error("no code entered")]
    Required,
    /// Not the shape of the method's code (six digits; ten characters of the recovery-code
    /// alphabet). Answered before any comparison, like a malformed insurer number.
    #[error("not the shape of a code")]
    Format,
    /// Well formed, but not the code.
    #[error("wrong code")]
    Wrong,
    /// The right code, already used once: an authenticator code of a time step that already
    /// signed in (someone may have read it over the member's shoulder), or an e-mailed code
    /// that was used.
    #[error("code already used")]
    Used,
    /// The right e-mailed code, past its 10 minutes.
    #[error("code expired")]
    Expired,
}

impl CodeError {
    /// Whether the refusal counts toward the account's lockout like a wrong password (DESIGN
    /// §9). Every code that was compared does, whatever the reason it failed: a guesser learns
    /// nothing from the difference and gets no more tries. An empty or malformed code was never
    /// compared and does not, as a malformed insurer number does not (DESIGN §2); the caller,
    /// which reserves an attempt before the check, gives it back.
    pub fn counts_toward_lockout(self) -> bool {
        !matches!(self, CodeError::Required | CodeError::Format)
    }
}

/// The six ASCII digits of a typed code. Full-width digits, surrounding spaces and the groups
/// an authenticator app shows (`123 456`) or a member types (`123-456`) are fine.
pub(super) fn six_digits(raw: &str) -> Result<String, CodeError> {
    let typed = normalize(raw);
    if typed.is_empty() {
        return Err(CodeError::Required);
    }
    let digits: String = typed.chars().filter(|c| !is_grouping(*c)).collect();
    if digits.len() != DIGITS || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CodeError::Format);
    }
    Ok(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_digits_spaces_and_groups_are_the_code() {
        for (typed, code) in [
            ("123456", "123456"),
            (" ０１２３４５ ", "012345"),
            ("012 345", "012345"),
            ("０１２\u{3000}３４５", "012345"),
            ("012-345", "012345"),
            ("012－345", "012345"),
        ] {
            assert_eq!(six_digits(typed).as_deref(), Ok(code), "{typed:?}");
        }
    }

    #[test]
    fn anything_but_six_digits_is_a_format_error() {
        assert_eq!(six_digits(" \u{3000}"), Err(CodeError::Required));
        for bad in [
            "12345",
            "1234567",
            "12345a",
            "123.456",
            "１２３４５６７",
            "+12345",
        ] {
            assert_eq!(six_digits(bad), Err(CodeError::Format), "{bad:?}");
        }
    }

    #[test]
    fn only_compared_codes_count_toward_the_lockout() {
        assert!(!CodeError::Required.counts_toward_lockout());
        assert!(!CodeError::Format.counts_toward_lockout());
        for counted in [CodeError::Wrong, CodeError::Used, CodeError::Expired] {
            assert!(counted.counts_toward_lockout(), "{counted:?}");
        }
    }
}
