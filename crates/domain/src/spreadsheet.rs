//! Cells of the CSV files that kenpo staff open in a spreadsheet (DESIGN §6). A cell starting
//! with `=`, `+`, `-` or `@` is taken for a formula, and a leading tab or carriage return can
//! smuggle one in (OWASP "CSV injection"): a roster name `=HYPERLINK(…)` would become a live
//! link in the very file that holds temporary passwords. Such a cell is written with a
//! leading `'`, which spreadsheets show as text and do not print.

use std::borrow::Cow;

/// Whether a spreadsheet would read `value` as a formula.
pub fn starts_like_formula(value: &str) -> bool {
    value.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// `value` as a cell that a spreadsheet shows as text.
pub fn safe_cell(value: &str) -> Cow<'_, str> {
    if starts_like_formula(value) {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formula_starts_are_quoted_and_the_rest_kept() {
        assert_eq!(
            safe_cell("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(safe_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(safe_cell("+81"), "'+81");
        assert_eq!(safe_cell("-1"), "'-1");
        assert_eq!(safe_cell("\tx"), "'\tx");
        assert_eq!(safe_cell("\rx"), "'\rx");
        assert_eq!(safe_cell("髙橋"), "髙橋");
        assert_eq!(safe_cell("0012-345-00"), "0012-345-00");
        assert_eq!(safe_cell(""), "");
    }

    proptest! {
        #[test]
        fn a_safe_cell_never_starts_like_a_formula_and_keeps_the_value(value in "\\PC{0,12}") {
            let cell = safe_cell(&value);
            prop_assert!(!starts_like_formula(&cell));
            prop_assert!(cell.ends_with(value.as_str()));
        }
    }
}
