//! The language a member or an operator reads: Japanese first (DESIGN §1), English on request.

/// The language of a message: Japanese first (DESIGN §1), English for members who ask for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Ja,
    En,
}

impl Lang {
    /// The language of an HTTP `Accept-Language` header: English when the most preferred
    /// language (highest `q`, the first among equals) is `en` or `en-…`, Japanese otherwise
    /// (also for `*`, an empty header or one that cannot be read).
    pub fn from_accept_language(header: &str) -> Lang {
        let mut best: Option<(&str, u32)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or_default().trim();
            if tag.is_empty() {
                continue;
            }
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q=").or(p.trim().strip_prefix("Q=")))
                .map(quality_per_mille)
                .next()
                .unwrap_or(1000);
            if q == 0 {
                continue; // q=0 means "not acceptable"
            }
            if best.is_none_or(|(_, best_q)| q > best_q) {
                best = Some((tag, q));
            }
        }
        match best {
            Some((tag, _)) if primary_subtag_is_en(tag) => Lang::En,
            _ => Lang::Ja,
        }
    }

    /// The language of a POSIX locale such as `LANG=en_US.UTF-8` (for the operator CLI):
    /// English for `en…`, Japanese for `ja_JP.UTF-8`, `C`, `POSIX`, empty and anything else.
    pub fn from_locale(lang_env: &str) -> Lang {
        if primary_subtag_is_en(lang_env.trim()) {
            Lang::En
        } else {
            Lang::Ja
        }
    }

    /// The BCP 47 tag (`ja` or `en`), e.g. for `Content-Language`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }
}

/// `q=0.8` → 800; an unreadable value counts as 0 (ignored) rather than as a preference.
fn quality_per_mille(value: &str) -> u32 {
    let value = value.trim();
    let (whole, fraction) = value.split_once('.').unwrap_or((value, ""));
    let whole: u32 = match whole {
        "0" => 0,
        "1" => 1000,
        _ => return 0,
    };
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return 0;
    }
    let digits = format!("{fraction:0<3}");
    let fraction: u32 = digits.parse().unwrap_or(0);
    (whole + fraction).min(1000)
}

/// `en`, `en-GB`, `en_US.UTF-8`, `EN` → true; `eng`, `ja`, `*` → false.
fn primary_subtag_is_en(tag: &str) -> bool {
    let primary = tag.split(['-', '_', '.', '@']).next().unwrap_or_default();
    primary.eq_ignore_ascii_case("en")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_first_preference() {
        assert_eq!(
            Lang::from_accept_language("en-US,en;q=0.9,ja;q=0.8"),
            Lang::En
        );
        assert_eq!(
            Lang::from_accept_language("ja,en-US;q=0.9,en;q=0.8"),
            Lang::Ja
        );
        assert_eq!(Lang::from_accept_language("EN"), Lang::En);
        assert_eq!(
            Lang::from_accept_language("fr-CH, fr;q=0.9, en;q=0.8"),
            Lang::Ja
        );
    }

    #[test]
    fn accept_language_respects_quality_values() {
        assert_eq!(Lang::from_accept_language("ja;q=0.5, en;q=0.8"), Lang::En);
        assert_eq!(Lang::from_accept_language("en;q=0.8, ja;q=0.8"), Lang::En);
        assert_eq!(Lang::from_accept_language("en;q=0, ja;q=0.1"), Lang::Ja);
        assert_eq!(Lang::from_accept_language("en;q=0.001"), Lang::En);
        assert_eq!(Lang::from_accept_language("en;q=abc, ja;q=0.1"), Lang::Ja);
    }

    #[test]
    fn accept_language_defaults_to_japanese() {
        for header in ["", " ", "*", ",,", "eng", "english", "ja-JP", "en;q=2"] {
            assert_eq!(Lang::from_accept_language(header), Lang::Ja, "{header:?}");
        }
    }

    #[test]
    fn locale_picks_english_only_for_en() {
        assert_eq!(Lang::from_locale("en_US.UTF-8"), Lang::En);
        assert_eq!(Lang::from_locale("en"), Lang::En);
        assert_eq!(Lang::from_locale("en_GB"), Lang::En);
        for lang in ["ja_JP.UTF-8", "", "C", "C.UTF-8", "POSIX", "eo", "de_DE"] {
            assert_eq!(Lang::from_locale(lang), Lang::Ja, "{lang:?}");
        }
    }
}
