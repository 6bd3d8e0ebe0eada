//! Japanese era dates (和暦): members over 60 write their birth date as 昭和54年8月22日 or
//! S54.8.22, the way every form of their working life asked for it. An era's first year is
//! 元年 (year 1), and an era ends the day before the next begins, so 昭和64年 has seven days
//! (1989-01-01 to 01-07) and 平成元年 starts on 1989-01-08.

use chrono::{Datelike, NaiveDate};

/// One era: its names and the first and last day it was in force (Gregorian).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Era {
    /// 明治, 大正, 昭和, 平成, 令和.
    pub name: &'static str,
    /// The initial written on forms: M, T, S, H, R.
    pub initial: char,
    pub first_day: NaiveDate,
    /// `None` for the era in force.
    pub last_day: Option<NaiveDate>,
}

const fn day(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(d) => d,
        None => panic!("a real date"),
    }
}

/// The modern eras, oldest first. Meiji counts from the proclamation of 1868-10-23 (its first
/// year reaches back to January, but no birth date we take is that old).
pub const ERAS: [Era; 5] = [
    Era {
        name: "明治",
        initial: 'M',
        first_day: day(1868, 10, 23),
        last_day: Some(day(1912, 7, 29)),
    },
    Era {
        name: "大正",
        initial: 'T',
        first_day: day(1912, 7, 30),
        last_day: Some(day(1926, 12, 24)),
    },
    Era {
        name: "昭和",
        initial: 'S',
        first_day: day(1926, 12, 25),
        last_day: Some(day(1989, 1, 7)),
    },
    Era {
        name: "平成",
        initial: 'H',
        first_day: day(1989, 1, 8),
        last_day: Some(day(2019, 4, 30)),
    },
    Era {
        name: "令和",
        initial: 'R',
        first_day: day(2019, 5, 1),
        last_day: None,
    },
];

/// Why an era date is no date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EraDateError {
    /// No such month or day (2月30日).
    NoSuchDay,
    /// A real day, but the era was not in force then (昭和64年1月8日, 平成元年1月7日).
    OutsideEra,
}

impl Era {
    /// The era named by its kanji name or its initial (either case).
    pub fn named(name: &str) -> Option<Self> {
        ERAS.into_iter().find(|e| {
            e.name == name
                || (name.chars().count() == 1
                    && name
                        .chars()
                        .next()
                        .is_some_and(|c| c.to_ascii_uppercase() == e.initial))
        })
    }

    /// The Gregorian date of `year` (1 = 元年), `month`, `day` of this era.
    pub fn to_gregorian(&self, year: u32, month: u32, day: u32) -> Result<NaiveDate, EraDateError> {
        if year == 0 {
            return Err(EraDateError::NoSuchDay);
        }
        let offset =
            u32::try_from(self.first_day.year() - 1).map_err(|_| EraDateError::NoSuchDay)?;
        let gregorian_year =
            i32::try_from(year.checked_add(offset).ok_or(EraDateError::NoSuchDay)?)
                .map_err(|_| EraDateError::NoSuchDay)?;
        let date =
            NaiveDate::from_ymd_opt(gregorian_year, month, day).ok_or(EraDateError::NoSuchDay)?;
        let in_force = date >= self.first_day && self.last_day.is_none_or(|last| date <= last);
        if in_force {
            Ok(date)
        } else {
            Err(EraDateError::OutsideEra)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn every_era_starts_at_its_first_day_as_year_one() {
        for era in ERAS {
            let first = era.first_day;
            assert_eq!(
                era.to_gregorian(1, first.month(), first.day()),
                Ok(first),
                "{} 元年",
                era.name
            );
            let day_before = first.pred_opt().unwrap();
            assert_eq!(
                era.to_gregorian(1, day_before.month(), day_before.day()),
                Err(EraDateError::OutsideEra),
                "{}: the day before its first",
                era.name
            );
            if let Some(last) = era.last_day {
                let years = u32::try_from(last.year() - first.year() + 1).unwrap();
                assert_eq!(era.to_gregorian(years, last.month(), last.day()), Ok(last));
            }
        }
    }

    #[test]
    fn showa_ends_on_1989_01_07_and_heisei_begins_the_next_day() {
        let showa = Era::named("昭和").unwrap();
        let heisei = Era::named("H").unwrap();
        assert_eq!(showa.to_gregorian(64, 1, 7), Ok(date(1989, 1, 7)));
        assert_eq!(showa.to_gregorian(64, 1, 8), Err(EraDateError::OutsideEra));
        assert_eq!(heisei.to_gregorian(1, 1, 8), Ok(date(1989, 1, 8)));
        assert_eq!(heisei.to_gregorian(1, 1, 7), Err(EraDateError::OutsideEra));
        assert_eq!(showa.to_gregorian(54, 8, 22), Ok(date(1979, 8, 22)));
        assert_eq!(heisei.to_gregorian(31, 4, 30), Ok(date(2019, 4, 30)));
        assert_eq!(heisei.to_gregorian(31, 5, 1), Err(EraDateError::OutsideEra));
        assert_eq!(
            Era::named("r").unwrap().to_gregorian(1, 5, 1),
            Ok(date(2019, 5, 1))
        );
        assert_eq!(
            Era::named("大正").unwrap().to_gregorian(15, 12, 24),
            Ok(date(1926, 12, 24))
        );
        assert_eq!(
            Era::named("S").unwrap().to_gregorian(1, 12, 25),
            Ok(date(1926, 12, 25))
        );
        assert_eq!(showa.to_gregorian(54, 2, 30), Err(EraDateError::NoSuchDay));
        assert_eq!(showa.to_gregorian(0, 1, 1), Err(EraDateError::NoSuchDay));
        assert_eq!(Era::named("X"), None);
    }
}
