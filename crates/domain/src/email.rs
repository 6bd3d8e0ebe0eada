//! メールアドレス (e-mail address): required at registration; where confirmations, lock
//! notices and password-recovery mail go (DESIGN §2).

use crate::{error::RuleError, normalize::normalize};

pub const MAX_LEN: usize = 254;
pub const MAX_LOCAL_LEN: usize = 64;
const MAX_LABEL_LEN: usize = 63;

/// A member's e-mail address, syntactically valid (a pragmatic subset of RFC 5321/5322: dot-atom
/// local part, host name with a letter-only TLD), at most 254 characters, with the domain
/// lower-cased. The local part keeps its case: some mail servers treat it as significant.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Email(String);
/// Personal data stays out of `{:?}` (log lines, panics).
impl std::fmt::Debug for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Email").field(&self.masked()).finish()
    }
}

impl Email {
    pub fn parse(raw: &str) -> Result<Self, RuleError> {
        let address = normalize(raw);
        if address.is_empty() {
            return Err(RuleError::Required);
        }
        if address.chars().count() > MAX_LEN {
            return Err(RuleError::EmailTooLong { max: MAX_LEN });
        }
        let Some((local, domain)) = address.split_once('@') else {
            return Err(RuleError::EmailInvalid);
        };
        if !is_local_part(local) || !is_domain(domain) {
            return Err(RuleError::EmailInvalid);
        }
        Ok(Self(format!("{local}@{}", domain.to_ascii_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// For screens and logs that must show which address without revealing it:
    /// `taro@example.jp` → `t***@example.jp`.
    pub fn masked(&self) -> String {
        let (local, domain) = self.0.split_once('@').unwrap_or((self.0.as_str(), ""));
        let first: String = local.chars().take(1).collect();
        format!("{first}***@{domain}")
    }
}

/// RFC 5322 `atext` (ASCII letters, digits and ``!#$%&'*+-/=?^_`{|}~``).
fn is_atext(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-/=?^_`{|}~".contains(&b)
}

/// A dot-atom of `atext`: no leading, trailing or doubled dot, at most 64 characters.
fn is_local_part(local: &str) -> bool {
    !local.is_empty()
        && local.len() <= MAX_LOCAL_LEN
        && local
            .split('.')
            .all(|atom| !atom.is_empty() && atom.bytes().all(is_atext))
}

/// Two or more labels of letters, digits and hyphens (no leading or trailing hyphen), the
/// last one (TLD) letters only, at least 2 (or an IDN TLD in its `xn--` form).
fn is_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    let [.., tld] = labels.as_slice() else {
        return false;
    };
    let label_ok = |label: &&str| {
        !label.is_empty()
            && label.len() <= MAX_LABEL_LEN
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    let tld_ok = (tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic()))
        || (tld.len() > 4 && tld.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("xn--")));
    labels.len() >= 2 && labels.iter().all(label_ok) && tld_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parsed(raw: &str) -> Result<String, RuleError> {
        Email::parse(raw).map(|e| e.as_str().to_owned())
    }

    #[test]
    fn ordinary_addresses_are_accepted() {
        for ok in [
            "taro@example.jp",
            "taro.yamada@mail.example.co.jp",
            "t+kenpo@example.com",
            "o'brien@example.ie",
            "a@b-c.jp",
            "x@xn--eckwd4c7c.xn--zckzah",
        ] {
            assert_eq!(parsed(ok), Ok(ok.to_owned()), "{ok}");
        }
    }

    #[test]
    fn domain_is_lower_cased_but_local_part_is_kept() {
        assert_eq!(
            parsed("Taro.Yamada@Example.JP"),
            Ok("Taro.Yamada@example.jp".into())
        );
    }

    #[test]
    fn full_width_input_is_normalised() {
        assert_eq!(
            parsed(" ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ\u{3000}"),
            Ok("taro@example.jp".into())
        );
    }

    #[test]
    fn malformed_addresses_are_refused() {
        for bad in [
            "taro",
            "taro@",
            "@example.jp",
            "taro@@example.jp",
            "taro@ex@ample.jp",
            ".taro@example.jp",
            "taro.@example.jp",
            "ta..ro@example.jp",
            "ta ro@example.jp",
            "たろう@example.jp",
            "taro@localhost",
            "taro@example",
            "taro@example.j",
            "taro@example.j1",
            "taro@-example.jp",
            "taro@example-.jp",
            "taro@example..jp",
            "taro@.example.jp",
            "taro@example.jp.",
            "taro@exa_mple.jp",
            "taro(comment)@example.jp",
            "\"taro\"@example.jp",
        ] {
            assert_eq!(parsed(bad), Err(RuleError::EmailInvalid), "{bad}");
        }
    }

    #[test]
    fn local_part_is_at_most_64() {
        let ok = format!("{}@example.jp", "a".repeat(64));
        let bad = format!("{}@example.jp", "a".repeat(65));
        assert!(Email::parse(&ok).is_ok());
        assert_eq!(Email::parse(&bad), Err(RuleError::EmailInvalid));
    }

    #[test]
    fn address_is_at_most_254() {
        let domain = format!(
            "{}.{}.{}.jp",
            "a".repeat(63),
            "b".repeat(63),
            "c".repeat(63)
        );
        let at_254 = format!("{}@{domain}", "x".repeat(254 - 1 - domain.len()));
        let at_255 = format!("x{at_254}");
        assert_eq!(at_254.len(), 254);
        assert!(Email::parse(&at_254).is_ok());
        assert_eq!(
            Email::parse(&at_255),
            Err(RuleError::EmailTooLong { max: 254 })
        );
    }

    #[test]
    fn labels_are_at_most_63() {
        assert!(Email::parse(&format!("a@{}.jp", "b".repeat(63))).is_ok());
        assert!(Email::parse(&format!("a@{}.jp", "b".repeat(64))).is_err());
    }

    #[test]
    fn empty_is_required() {
        assert_eq!(parsed(""), Err(RuleError::Required));
        assert_eq!(parsed("\u{3000}"), Err(RuleError::Required));
    }

    #[test]
    fn masked_keeps_the_first_character_and_domain() {
        let masked = |raw: &str| Email::parse(raw).map(|e| e.masked());
        assert_eq!(masked("taro@example.jp"), Ok("t***@example.jp".into()));
        assert_eq!(masked("t@Example.jp"), Ok("t***@example.jp".into()));
    }

    proptest! {
        #[test]
        fn generated_addresses_round_trip(
            local in "[a-z0-9]{1,10}(\\.[a-z0-9+_-]{1,10}){0,2}",
            host in "[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?",
            tld in "[a-z]{2,6}",
        ) {
            let raw = format!("{local}@{host}.{tld}");
            prop_assert_eq!(parsed(&raw), Ok(raw.clone()));
            prop_assert_eq!(parsed(&raw.to_uppercase()).map(|e| e.to_lowercase()), Ok(raw));
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,80}") {
            let _ = Email::parse(&s);
        }
    }
}
