//! 生年月日 (birth date): typed during the identity check (本人確認) and compared with the
//! roster; also a roster column.

use chrono::{Datelike, NaiveDate};

use crate::{error::RuleError, normalize::normalize};

/// The earliest year accepted (DESIGN §2).
pub const MIN_YEAR: i32 = 1900;

/// A 生年月日: a real Gregorian date, not after today, in or after 1900. Typed as 8 digits
/// YYYYMMDD (the 西暦 form the screen asks for); `1979-08-22` and `1979/08/22` are accepted too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BirthDate(NaiveDate);

impl BirthDate {
    /// `today` is the current date in Japan (the caller's clock), so "not in the future" is
    /// judged the way the member sees the calendar.
    pub fn parse(raw: &str, today: NaiveDate) -> Result<Self, RuleError> {
        let text = normalize(raw);
        if text.is_empty() {
            return Err(RuleError::Required);
        }
        let without_separators: String = text.chars().filter(|c| !matches!(c, '-' | '/')).collect();
        let digits = if is_eight_digits(&without_separators) {
            without_separators
        } else {
            text
        };
        if !is_eight_digits(&digits) {
            return Err(RuleError::BirthDateFormat);
        }
        let number = |range: std::ops::Range<usize>| digits.get(range).and_then(|s| s.parse().ok());
        let (Some(year), Some(month), Some(day)) = (number(0..4), number(4..6), number(6..8))
        else {
            return Err(RuleError::BirthDateFormat);
        };
        let year = i32::try_from(year).map_err(|_| RuleError::BirthDateFormat)?;
        let date = NaiveDate::from_ymd_opt(year, month, day).ok_or(RuleError::BirthDateInvalid)?;
        if date.year() < MIN_YEAR {
            return Err(RuleError::BirthDateTooEarly { min_year: MIN_YEAR });
        }
        if date > today {
            return Err(RuleError::BirthDateFuture);
        }
        Ok(Self(date))
    }

    pub fn date(&self) -> NaiveDate {
        self.0
    }

    /// YYYYMMDD, the form the roster and the identity check compare: `19790822`.
    pub fn to_compact(&self) -> String {
        self.0.format("%Y%m%d").to_string()
    }
}

fn is_eight_digits(s: &str) -> bool {
    s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 15).unwrap_or_default()
    }

    fn parsed(raw: &str) -> Result<String, RuleError> {
        BirthDate::parse(raw, today()).map(|d| d.to_compact())
    }

    #[test]
    fn eight_digits_are_a_date() {
        assert_eq!(parsed("19790822"), Ok("19790822".into()));
        let date = BirthDate::parse("19790822", today()).map(|d| d.date());
        assert_eq!(
            date,
            Ok(NaiveDate::from_ymd_opt(1979, 8, 22).unwrap_or_default())
        );
    }

    #[test]
    fn full_width_and_separated_forms_are_accepted() {
        for raw in [
            "１９７９０８２２",
            " 1979-08-22 ",
            "1979/08/22",
            "１９７９／０８／２２",
            "1979-0822",
        ] {
            assert_eq!(parsed(raw), Ok("19790822".into()), "{raw}");
        }
    }

    #[test]
    fn other_shapes_are_format_errors() {
        for bad in [
            "1979822",
            "197908221",
            "1979-8-22",
            "1979.08.22",
            "S54.8.22",
            "昭和54年8月22日",
            "19790822x",
            "+1979082",
        ] {
            assert_eq!(parsed(bad), Err(RuleError::BirthDateFormat), "{bad}");
        }
    }

    #[test]
    fn impossible_dates_are_invalid() {
        for bad in [
            "19790230", "19791301", "19790000", "19790431", "19000229", "20230229",
        ] {
            assert_eq!(parsed(bad), Err(RuleError::BirthDateInvalid), "{bad}");
        }
        assert_eq!(parsed("20000229"), Ok("20000229".into()));
        assert_eq!(parsed("20240229"), Ok("20240229".into()));
    }

    #[test]
    fn today_is_allowed_and_tomorrow_is_future() {
        assert_eq!(parsed("20261115"), Ok("20261115".into()));
        assert_eq!(parsed("20261116"), Err(RuleError::BirthDateFuture));
        assert_eq!(parsed("99991231"), Err(RuleError::BirthDateFuture));
    }

    #[test]
    fn year_1900_is_the_earliest() {
        assert_eq!(parsed("19000101"), Ok("19000101".into()));
        let too_early = Err(RuleError::BirthDateTooEarly { min_year: 1900 });
        assert_eq!(parsed("18991231"), too_early);
        assert_eq!(parsed("00010101"), too_early);
    }

    #[test]
    fn empty_is_required() {
        assert_eq!(parsed(""), Err(RuleError::Required));
        assert_eq!(parsed("\u{3000}"), Err(RuleError::Required));
    }

    proptest! {
        #[test]
        fn every_past_date_round_trips(days in 0i64..46_000) {
            let date = today() - chrono::Duration::days(days);
            prop_assume!(date.year() >= MIN_YEAR);
            let compact = date.format("%Y%m%d").to_string();
            let dashed = date.format("%Y-%m-%d").to_string();
            prop_assert_eq!(BirthDate::parse(&compact, today()).map(|d| d.date()), Ok(date));
            prop_assert_eq!(BirthDate::parse(&dashed, today()).map(|d| d.date()), Ok(date));
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,12}") {
            let _ = BirthDate::parse(&s, today());
        }
    }
}
