//! 生年月日 (birth date): typed during the identity check (本人確認) and compared with the
//! roster; also a roster column.

use chrono::{Datelike, NaiveDate};

use crate::calendar::{ERAS, Era};
use crate::{error::RuleError, normalize::normalize};

/// The earliest year accepted (DESIGN §2).
pub const MIN_YEAR: i32 = 1900;

/// A 生年月日: a real Gregorian date, not after today, in or after 1900. Typed as 8 digits
/// YYYYMMDD (the 西暦 form the screen asks for); also written with separators and without
/// leading zeros (`1979-8-22`, `1979/8/22`, `1979.8.22`, `1979年8月22日`), or as a Japanese
/// era date (`昭和54年8月22日`, `S54.8.22`, `平成元年1月8日`), the way members over 60 write it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BirthDate(NaiveDate);
/// Personal data stays out of `{:?}` (log lines, panics).
impl std::fmt::Debug for BirthDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BirthDate(..)")
    }
}

impl BirthDate {
    /// `today` is the current date in Japan (the caller's clock), so "not in the future" is
    /// judged the way the member sees the calendar.
    pub fn parse(raw: &str, today: NaiveDate) -> Result<Self, RuleError> {
        let text = normalize(raw);
        if text.is_empty() {
            return Err(RuleError::Required);
        }
        let without_separators: String = text.chars().filter(|c| !matches!(c, '-' | '/')).collect();
        // YYYYMMDD with separators only between its year, month and day.
        let lengths: Vec<usize> = text.split(['-', '/']).map(str::len).collect();
        let date = if is_eight_digits(&without_separators)
            && matches!(lengths[..], [8] | [4, 4] | [6, 2] | [4, 2, 2])
        {
            let text = without_separators;
            let number =
                |range: std::ops::Range<usize>| text.get(range).and_then(|s| s.parse::<u32>().ok());
            let (Some(year), Some(month), Some(day)) = (number(0..4), number(4..6), number(6..8))
            else {
                return Err(RuleError::BirthDateFormat);
            };
            let year = i32::try_from(year).map_err(|_| RuleError::BirthDateFormat)?;
            NaiveDate::from_ymd_opt(year, month, day).ok_or(RuleError::BirthDateInvalid)?
        } else {
            written_date(&text)?
        };
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

/// A date written in parts: `[era]year{sep}month{sep}day[日]`, separators `年 月 / - .` or
/// spaces. Without an era the year has four digits; with one, one or two, or 元 (year 1).
fn written_date(text: &str) -> Result<NaiveDate, RuleError> {
    let (era, rest) = split_era(text);
    let unified: String = rest
        .trim_end_matches('日')
        .chars()
        .map(|c| match c {
            '年' | '月' | '.' | '-' | ' ' => '/',
            other => other,
        })
        .collect();
    let parts: Vec<&str> = unified.split('/').filter(|p| !p.is_empty()).collect();
    let [year, month, day] = parts[..] else {
        return Err(RuleError::BirthDateFormat);
    };
    let digits = |s: &str, max: usize| {
        (!s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let (Some(month), Some(day)) = (digits(month, 2), digits(day, 2)) else {
        return Err(RuleError::BirthDateFormat);
    };
    match era {
        Some(era) => {
            let year = if year == "元" {
                Some(1)
            } else {
                digits(year, 2)
            };
            let year = year.ok_or(RuleError::BirthDateFormat)?;
            era.to_gregorian(year, month, day)
                .map_err(|_| RuleError::BirthDateInvalid)
        }
        None => {
            let year = (year.len() == 4)
                .then(|| digits(year, 4))
                .flatten()
                .and_then(|y| i32::try_from(y).ok())
                .ok_or(RuleError::BirthDateFormat)?;
            NaiveDate::from_ymd_opt(year, month, day).ok_or(RuleError::BirthDateInvalid)
        }
    }
}

/// The era a written date starts with (its kanji name, or its initial followed by a digit or
/// 元), and the rest.
fn split_era(text: &str) -> (Option<Era>, &str) {
    for era in ERAS {
        if let Some(rest) = text.strip_prefix(era.name) {
            return (Some(era), rest.trim_start());
        }
    }
    let mut chars = text.chars();
    if let (Some(initial), Some(next)) = (chars.next(), chars.next())
        && initial.is_ascii_alphabetic()
        && (next.is_ascii_digit() || next == '元')
        && let Some(era) = Era::named(&initial.to_string())
    {
        return (Some(era), &text[1..]);
    }
    (None, text)
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
            "79/8/22",
            "1979/8",
            "1979/8/22/1",
            "X54.8.22",
            "昭和1954年8月22日",
            "昭和五十四年八月二十二日",
            "1979/123/1",
            "19790822x",
            "+1979082",
        ] {
            assert_eq!(parsed(bad), Err(RuleError::BirthDateFormat), "{bad}");
        }
    }

    #[test]
    fn dates_written_in_parts_need_no_leading_zeros() {
        for raw in [
            "1979-8-22",
            "1979/8/22",
            "1979.8.22",
            "1979.08.22",
            "1979年8月22日",
            "１９７９年８月２２日",
            "1979 8 22",
        ] {
            assert_eq!(parsed(raw), Ok("19790822".into()), "{raw}");
        }
        assert_eq!(parsed("2001/7/4"), Ok("20010704".into()));
        assert_eq!(parsed("1979/2/30"), Err(RuleError::BirthDateInvalid));
    }

    #[test]
    fn japanese_era_dates_are_converted() {
        for raw in [
            "昭和54年8月22日",
            "昭和 54年 8月 22日",
            "S54.8.22",
            "s54/8/22",
            "Ｓ５４．８．２２",
            "㍼54年8月22日",
        ] {
            assert_eq!(parsed(raw), Ok("19790822".into()), "{raw}");
        }
        assert_eq!(parsed("平成元年1月8日"), Ok("19890108".into()));
        assert_eq!(parsed("H1.1.8"), Ok("19890108".into()));
        assert_eq!(parsed("平成3年4月1日"), Ok("19910401".into()));
        assert_eq!(parsed("昭和64年1月7日"), Ok("19890107".into()));
        assert_eq!(parsed("令和元年5月1日"), Ok("20190501".into()));
        assert_eq!(parsed("大正15年12月24日"), Ok("19261224".into()));
        assert_eq!(parsed("明治45年7月29日"), Ok("19120729".into()));
        // Days the era did not reach, and days that do not exist.
        assert_eq!(parsed("昭和64年1月8日"), Err(RuleError::BirthDateInvalid));
        assert_eq!(parsed("平成元年1月7日"), Err(RuleError::BirthDateInvalid));
        assert_eq!(parsed("昭和54年2月30日"), Err(RuleError::BirthDateInvalid));
        assert_eq!(parsed("令和9年1月1日"), Err(RuleError::BirthDateFuture));
        assert_eq!(
            parsed("明治32年1月1日"),
            Err(RuleError::BirthDateTooEarly { min_year: 1900 })
        );
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
