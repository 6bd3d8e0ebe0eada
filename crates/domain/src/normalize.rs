//! The one normalisation every identifier a member types goes through (DESIGN §1).
//!
//! Members type full-width digits (０６１３…), paste with spaces and use IMEs that emit
//! full-width Latin letters. NFKC folds all of those to their ASCII forms, and trimming drops
//! the spaces a paste brings along. Names and addresses never come through here: NFKC (and NFC)
//! would change how a member's name is printed (U+FA10 → U+585A).

use unicode_normalization::UnicodeNormalization;

/// NFKC, then trim Unicode whitespace at both ends.
///
/// The ideographic space U+3000 becomes U+0020 under NFKC, so it is trimmed too. Whitespace
/// inside the value is kept: the parsers judge it (an insurer number with a space inside gets
/// the 記号・番号 hint rather than being silently joined).
pub fn normalize(raw: &str) -> String {
    // ASCII is its own NFKC form: skip the decomposition (an import checks millions of cells).
    if raw.is_ascii() {
        return raw.trim().to_owned();
    }
    let folded: String = raw.nfkc().collect();
    folded.trim().to_owned()
}

/// A space or a dash that only groups the characters of a code copied or typed in parts
/// (`1696 3023 86189`, `ABCDE-FGHJK`): what a member puts between groups, in any of the forms
/// an IME or a paste brings (the long vowel mark ー among them, typed for a hyphen). Judge it
/// after [`normalize`], which already folds the full-width hyphen-minus.
pub fn is_grouping(c: char) -> bool {
    c.is_whitespace() || "-‐‑‒–—−ー".contains(c)
}

#[cfg(test)]
mod tests {
    use super::{is_grouping, normalize};
    use proptest::prelude::*;

    /// The full-width (全角) form of an ASCII printable character.
    fn full_width(c: char) -> char {
        match c {
            ' ' => '\u{3000}',
            '!'..='~' => char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap_or(c),
            _ => c,
        }
    }

    #[test]
    fn full_width_digits_become_ascii() {
        assert_eq!(normalize("０６１３００９０"), "06130090");
    }

    #[test]
    fn ideographic_and_ascii_spaces_are_trimmed() {
        assert_eq!(normalize("\u{3000} abc123\t\n\u{3000}"), "abc123");
    }

    #[test]
    fn inner_spaces_are_kept() {
        assert_eq!(normalize(" 12 34 "), "12 34");
        assert_eq!(normalize("12\u{3000}34"), "12 34");
    }

    #[test]
    fn full_width_latin_and_symbols_become_ascii() {
        assert_eq!(
            normalize("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ"),
            "taro@example.jp"
        );
        assert_eq!(normalize("１９７９－０８－２２"), "1979-08-22");
    }

    #[test]
    fn spaces_and_dashes_group_letters_and_digits_do_not() {
        for c in [' ', '\u{3000}', '-', '‐', '−', 'ー', '—'] {
            assert!(is_grouping(c), "{c:?}");
        }
        for c in ['0', 'A', 'a', '_', '.'] {
            assert!(!is_grouping(c), "{c:?}");
        }
    }

    #[test]
    fn empty_and_blank_become_empty() {
        assert_eq!(normalize(""), "");
        assert_eq!(normalize(" \u{3000}\t"), "");
    }

    proptest! {
        #[test]
        fn full_width_ascii_normalises_to_ascii(s in "[!-~]([ -~]{0,30}[!-~])?") {
            let wide: String = s.chars().map(full_width).collect();
            prop_assert_eq!(normalize(&wide), s);
        }

        #[test]
        fn the_ascii_shortcut_is_nfkc(s in "[\\x00-\\x7f]{0,40}") {
            let nfkc: String = unicode_normalization::UnicodeNormalization::nfkc(s.as_str()).collect();
            prop_assert_eq!(normalize(&s), nfkc.trim());
        }

        #[test]
        fn normalize_is_idempotent(s in "\\PC{0,40}") {
            let once = normalize(&s);
            prop_assert_eq!(normalize(&once), once.clone());
        }

        #[test]
        fn result_has_no_surrounding_whitespace(s in "[ \u{3000}\t]{0,3}\\PC{0,20}[ \u{3000}\t]{0,3}") {
            let out = normalize(&s);
            prop_assert_eq!(out.trim(), out.as_str());
        }
    }
}
