//! The kenpo's help desk (問い合わせ先): what a member needs to reach a person when the
//! portal cannot help (a lock, a lost postcard, an address change). Every part is optional;
//! an operator sets them with `tenant set --contact-*`.

use unicode_normalization::UnicodeNormalization;

use crate::RuleError;

/// The longest text an operator may set for one part (a name or opening hours fit easily).
pub const MAX_CHARS: usize = 100;

/// The tenant's contact as members see it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contact {
    /// 窓口の名称, e.g. 「日本電気健康保険組合 業務課」.
    pub name: Option<String>,
    /// 電話番号, e.g. `03-1234-5678`.
    pub phone: Option<String>,
    /// 受付時間, e.g. 「平日 9:00〜17:00」.
    pub hours: Option<String>,
    /// A page of the kenpo's own site (http or https).
    pub url: Option<String>,
}

impl Contact {
    /// Whether nothing is set.
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.phone.is_none() && self.hours.is_none() && self.url.is_none()
    }
}

/// A name or opening hours: trimmed (text as the kenpo writes it, never normalised), at most
/// [`MAX_CHARS`]; empty clears it.
pub fn parse_text(raw: &str) -> Result<Option<String>, RuleError> {
    let text = raw.trim();
    if text.chars().count() > MAX_CHARS {
        return Err(RuleError::ContactTooLong { max: MAX_CHARS });
    }
    Ok((!text.is_empty()).then(|| text.to_owned()))
}

/// A telephone number: NFKC (full-width digits and hyphens become ASCII), then digits,
/// hyphens, parentheses, spaces and a leading `+` only; empty clears it.
pub fn parse_phone(raw: &str) -> Result<Option<String>, RuleError> {
    let phone: String = raw.nfkc().collect::<String>().trim().to_owned();
    if phone.is_empty() {
        return Ok(None);
    }
    let allowed = phone
        .char_indices()
        .all(|(i, c)| c.is_ascii_digit() || "-() ".contains(c) || (c == '+' && i == 0));
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    if !allowed || !(3..=15).contains(&digits) {
        return Err(RuleError::ContactPhone);
    }
    Ok(Some(phone))
}

/// A web page: NFKC, then `http://` or `https://` with a host and no spaces, at most 200
/// characters; empty clears it.
pub fn parse_url(raw: &str) -> Result<Option<String>, RuleError> {
    let url: String = raw.nfkc().collect::<String>().trim().to_owned();
    if url.is_empty() {
        return Ok(None);
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    let host_ok = rest.is_some_and(|r| {
        r.split(['/', '?', '#'])
            .next()
            .is_some_and(|h| !h.is_empty())
    });
    if !host_ok || url.len() > 200 || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(RuleError::ContactUrl);
    }
    Ok(Some(url))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_cleaned_and_empty_clears() {
        assert_eq!(
            parse_text("  平日 9:00〜17:00 "),
            Ok(Some("平日 9:00〜17:00".into()))
        );
        assert_eq!(parse_text("   "), Ok(None));
        assert_eq!(
            parse_text(&"あ".repeat(101)),
            Err(RuleError::ContactTooLong { max: 100 })
        );
        assert_eq!(
            parse_phone("０３－１２３４－５６７８"),
            Ok(Some("03-1234-5678".into()))
        );
        assert_eq!(
            parse_phone("+81 3 1234 5678"),
            Ok(Some("+81 3 1234 5678".into()))
        );
        assert_eq!(parse_phone("03-1234-abcd"), Err(RuleError::ContactPhone));
        assert_eq!(parse_phone("12"), Err(RuleError::ContactPhone));
        assert_eq!(parse_phone(""), Ok(None));
        assert_eq!(
            parse_url("https://kenpo.example.jp/contact"),
            Ok(Some("https://kenpo.example.jp/contact".into()))
        );
        assert_eq!(parse_url("javascript:alert(1)"), Err(RuleError::ContactUrl));
        assert_eq!(parse_url("https://"), Err(RuleError::ContactUrl));
        assert_eq!(parse_url("https://a b"), Err(RuleError::ContactUrl));
        assert!(Contact::default().is_empty());
    }
}
