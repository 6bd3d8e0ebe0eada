//! Authenticator-app codes (TOTP, RFC 6238): HMAC-SHA-1 of a 160-bit secret shared with the
//! member's app, six digits, a new code every 30 seconds (DESIGN §9).
//!
//! Enrolment shows the secret as base32 text and as an `otpauth://` URI (which the QR code
//! carries); the app then shows a code, and the factor is active only once the member has typed
//! one correct code ([`check`] with no used step). Sign-in accepts the code of the current time
//! step or of the step either side of it, for a phone's clock a little off and a code typed as
//! it changed. A code of a step that has already signed in is refused (RFC 6238 §5.2): the
//! caller stores the step [`check`] returns and passes it back next time, so a code read over
//! the member's shoulder, or taken from a phishing page, cannot be used a second time.

use std::fmt;

use chrono::{DateTime, Utc};
use rand::Rng;
use totp_rs::{Builder, Totp};

use super::code::{CodeError, six_digits};
use crate::user_id::UserId;

/// Seconds in one time step.
pub const STEP_SECONDS: u64 = 30;
/// Steps accepted before and after the current one (RFC 6238 §5.2 recommends one).
pub const SKEW_STEPS: u64 = 1;
/// The issuer an authenticator app shows when the kenpo's name is not known.
pub const DEFAULT_ISSUER: &str = "Madoguchi";

/// The secret shared with the member's authenticator app: 160 random bits (RFC 4226 §4).
/// It is the one secret the server must read back, to compute the codes it checks, so it is
/// stored encrypted rather than hashed. Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct TotpSecret([u8; TotpSecret::BYTES]);

impl TotpSecret {
    /// 160 bits.
    pub const BYTES: usize = 20;

    /// A new secret from `rng`, which must be a cryptographically secure generator (the
    /// callers pass `rand::rng()`).
    pub fn generate<R: Rng + ?Sized>(rng: &mut R) -> Self {
        let mut bytes = [0; Self::BYTES];
        rng.fill_bytes(&mut bytes);
        Self(bytes)
    }

    /// The secret as stored.
    pub fn from_bytes(bytes: [u8; Self::BYTES]) -> Self {
        Self(bytes)
    }

    /// The secret from its [`Self::base32`] text (RFC 4648, upper case, no padding); `None` for
    /// anything else, a stored value that is not a secret of ours.
    pub fn from_base32(text: &str) -> Option<Self> {
        let secret = totp_rs::Secret::try_from_base32(text).ok()?;
        let bytes = <[u8; Self::BYTES]>::try_from(secret.as_bytes()).ok()?;
        (Self(bytes).base32() == text).then_some(Self(bytes))
    }

    /// The raw secret, for storing it encrypted. Nowhere else.
    pub fn expose_bytes(&self) -> &[u8; Self::BYTES] {
        &self.0
    }

    /// The secret as the member types it into an app that cannot scan the QR code: 32
    /// characters of base32 (A–Z, 2–7).
    pub fn base32(&self) -> String {
        self.totp().secret().to_base32()
    }

    /// The `otpauth://totp/…` URI an authenticator app reads from the QR code. The app lists the
    /// entry under `kenpo` (the kenpo's name; [`DEFAULT_ISSUER`] when it is not known) and the
    /// member's user ID, so a household sees whose portal a code is for. SHA-1, six digits and
    /// 30 seconds are the defaults every app assumes, so the URI does not spell them out.
    pub fn otpauth_uri(&self, kenpo: Option<&str>, account: &UserId) -> String {
        // The label is `issuer:account`, so neither may hold an ASCII colon; a kenpo name with
        // one reads the same with the full-width colon.
        let issuer = kenpo
            .map(|name| name.trim().replace(':', "："))
            .filter(|name| !name.is_empty())
            .unwrap_or_else(|| DEFAULT_ISSUER.to_owned());
        let totp = Builder::new()
            .with_secret(self.0)
            .with_issuer(Some(issuer))
            .with_account_name(account.as_str())
            .build_noncompliant();
        // A user ID is never empty and has only ASCII letters and digits: the one thing
        // `to_url` refuses (an empty or colon-bearing account name) cannot happen.
        totp.to_url()
            .unwrap_or_else(|e| unreachable!("a user ID is a valid account name: {e:?}"))
    }

    /// The code the member's app shows at `now`. The server never sends it anywhere: it is for
    /// tests and for an operator's diagnosis of a phone's clock.
    pub fn code_at(&self, now: DateTime<Utc>) -> String {
        self.totp().generate(unix_seconds(now)).to_string()
    }

    /// Every parameter but the secret is RFC 6238's default: SHA-1, six digits, 30 seconds.
    /// No skew: [`check`] walks the window itself, to tell a used step from a wrong code.
    fn totp(&self) -> Totp {
        Builder::new()
            .with_secret(self.0)
            .with_skew(0)
            .build_noncompliant()
    }
}

impl fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TotpSecret(<redacted>)")
    }
}

/// The time step `now` falls in (seconds since 1970 divided by 30).
pub fn step_at(now: DateTime<Utc>) -> u64 {
    unix_seconds(now) / STEP_SECONDS
}

/// Checks a code the member typed at `now` against `secret`, and returns the time step it
/// belongs to: the caller stores it as the new `last_used_step`.
///
/// The typed code is NFKC-normalised and trimmed first, so full-width digits and the space an
/// app shows in the middle (`123 456`) are fine. A code of the current step or one step either
/// side is accepted; one of a step at or before `last_used_step` is [`CodeError::Used`]. At
/// enrolment `last_used_step` is `None`.
pub fn check(
    secret: &TotpSecret,
    code: &str,
    now: DateTime<Utc>,
    last_used_step: Option<u64>,
) -> Result<u64, CodeError> {
    let code = six_digits(code)?;
    let totp = secret.totp();
    let current = step_at(now);
    let window = current.saturating_sub(SKEW_STEPS)..=current.saturating_add(SKEW_STEPS);
    let mut used = false;
    for step in window {
        if totp.check(&code, step.saturating_mul(STEP_SECONDS)) != Some(step) {
            continue;
        }
        if last_used_step.is_some_and(|last| step <= last) {
            used = true;
        } else {
            return Ok(step);
        }
    }
    Err(if used {
        CodeError::Used
    } else {
        CodeError::Wrong
    })
}

/// Seconds since 1970; an instant before that (no clock of ours) counts as 1970.
fn unix_seconds(now: DateTime<Utc>) -> u64 {
    u64::try_from(now.timestamp()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{SeedableRng, rngs::StdRng};

    /// RFC 6238 Appendix B's SHA-1 secret: the 20 ASCII bytes "12345678901234567890".
    fn rfc_secret() -> TotpSecret {
        TotpSecret::from_bytes(*b"12345678901234567890")
    }

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(seconds, 0).unwrap_or_default()
    }

    fn alice() -> UserId {
        UserId::parse("alice2026").unwrap()
    }

    #[test]
    fn generated_secrets_are_160_random_bits() {
        let mut rng = StdRng::seed_from_u64(14);
        let (a, b) = (
            TotpSecret::generate(&mut rng),
            TotpSecret::generate(&mut rng),
        );
        assert_ne!(a, b);
        assert_ne!(a.expose_bytes(), &[0; 20]);
        assert_eq!(a.base32().len(), 32);
    }

    #[test]
    fn base32_round_trips_and_nothing_else_reads_back() {
        let secret = rfc_secret();
        assert_eq!(secret.base32(), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(TotpSecret::from_base32(&secret.base32()), Some(secret));
        for bad in [
            "",
            "GEZDGNBVGY3TQOJQ",                   // 80 bits
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGE", // more than 160 bits
            "gezdgnbvgy3tqojqgezdgnbvgy3tqojq",   // not as we wrote it
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJ1",   // 1 is not base32
        ] {
            assert_eq!(TotpSecret::from_base32(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_uri_names_the_kenpo_and_the_user_id() {
        let uri = rfc_secret().otpauth_uri(Some("ＡＢＣ健康保険組合"), &alice());
        let issuer =
            "%EF%BC%A1%EF%BC%A2%EF%BC%A3%E5%81%A5%E5%BA%B7%E4%BF%9D%E9%99%BA%E7%B5%84%E5%90%88";
        assert_eq!(
            uri,
            format!(
                "otpauth://totp/{issuer}:alice2026?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer={issuer}"
            )
        );
        let back = Totp::from_url(&uri).unwrap();
        assert_eq!(back.issuer(), Some("ＡＢＣ健康保険組合"));
        assert_eq!(back.account_name(), "alice2026");
        assert_eq!(back.generate(59).to_string(), rfc_secret().code_at(at(59)));
    }

    #[test]
    fn without_a_kenpo_name_the_issuer_is_madoguchi() {
        for kenpo in [None, Some(""), Some(" \u{3000}")] {
            let uri = rfc_secret().otpauth_uri(kenpo, &alice());
            assert!(
                uri.starts_with("otpauth://totp/Madoguchi:alice2026?"),
                "{uri}"
            );
            assert!(uri.ends_with("&issuer=Madoguchi"), "{uri}");
        }
    }

    #[test]
    fn a_colon_in_the_kenpo_name_cannot_split_the_label() {
        let uri = rfc_secret().otpauth_uri(Some("A:B"), &alice());
        let back = Totp::from_url(&uri).unwrap();
        assert_eq!(back.issuer(), Some("A：B"));
        assert_eq!(back.account_name(), "alice2026");
    }

    #[test]
    fn the_step_either_side_is_accepted_and_two_away_is_not() {
        let secret = rfc_secret();
        let now = at(1_111_111_111);
        let current = step_at(now);
        for offset in [-1i64, 0, 1] {
            let then = now + chrono::Duration::seconds(offset * 30);
            let code = secret.code_at(then);
            assert_eq!(
                check(&secret, &code, now, None),
                Ok(current.wrapping_add_signed(offset)),
                "{offset}"
            );
        }
        for offset in [-2i64, 2] {
            let code = secret.code_at(now + chrono::Duration::seconds(offset * 30));
            assert_eq!(
                check(&secret, &code, now, None),
                Err(CodeError::Wrong),
                "{offset}"
            );
        }
    }

    #[test]
    fn a_used_step_or_an_older_one_is_refused() {
        let secret = rfc_secret();
        let now = at(1_234_567_890);
        let code = secret.code_at(now);
        let step = check(&secret, &code, now, None);
        assert_eq!(step, Ok(step_at(now)));
        let last = step.ok();
        assert_eq!(check(&secret, &code, now, last), Err(CodeError::Used));
        let earlier = secret.code_at(now - chrono::Duration::seconds(30));
        assert_eq!(check(&secret, &earlier, now, last), Err(CodeError::Used));
        let next = secret.code_at(now + chrono::Duration::seconds(30));
        assert_eq!(
            check(&secret, &next, now, last),
            Ok(step_at(now) + 1),
            "the next step's code is still good"
        );
        let wrong = if code == "000000" { "000001" } else { "000000" };
        assert_eq!(check(&secret, wrong, now, last), Err(CodeError::Wrong));
    }

    #[test]
    fn full_width_digits_and_spaces_are_accepted() {
        let secret = rfc_secret();
        let now = at(59);
        // RFC 6238 Appendix B: 94287082 at T = 59, so the six-digit code is 287082.
        assert_eq!(secret.code_at(now), "287082");
        for typed in ["２８７０８２", " 287 082 ", "\u{3000}２８７\u{3000}０８２"] {
            assert_eq!(check(&secret, typed, now, None), Ok(1), "{typed:?}");
        }
        assert_eq!(check(&secret, "28708", now, None), Err(CodeError::Format));
        assert_eq!(check(&secret, "", now, None), Err(CodeError::Required));
    }

    #[test]
    fn the_first_steps_after_1970_do_not_underflow() {
        let secret = rfc_secret();
        let code = secret.code_at(at(0));
        assert_eq!(check(&secret, &code, at(0), None), Ok(0));
        assert_eq!(check(&secret, &code, at(-100), None), Ok(0));
    }

    #[test]
    fn the_secret_stays_out_of_debug() {
        let shown = format!("{:?}", rfc_secret());
        assert!(!shown.contains("GEZDG") && !shown.contains("49"), "{shown}");
    }
}
