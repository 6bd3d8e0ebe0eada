//! Japanese public holidays (休日 under 祝日法 §3) and business days.
//!
//! A date is a holiday when it is
//! 1. a national holiday (国民の祝日, §3 ①): see `national_days.rs`;
//! 2. a substitute holiday (振替休日, §3 ②). Until 2006 this was the Monday after a national
//!    holiday that falls on a Sunday. From 2007 (平成17年法律第43号) it is the first day after
//!    such a Sunday that is not itself a national holiday; the 2008-05-06 case needs this rule;
//! 3. a citizens' holiday (国民の休日, §3 ③): a day that is not a national holiday but whose day
//!    before and day after are. Until 2006 the clause excluded Sundays and substitute holidays.
//!    That is why 2003-05-04, a Sunday, was no holiday while 2002-05-04, a Saturday, was. The
//!    2019 special law makes 5/1 count as a national holiday here, which made 4/30 and 5/2
//!    holidays.

use chrono::{Datelike, NaiveDate, Weekday};

use super::national_days::national_day;

/// Name of the substitute holiday (振替休日).
pub const SUBSTITUTE_HOLIDAY: &str = "振替休日";
/// Name of the citizens' holiday (国民の休日).
pub const CITIZENS_HOLIDAY: &str = "国民の休日";

/// 平成17年法律第43号 came into force on 2007-01-01. It changed both the substitute rule and the
/// citizens' holiday rule.
fn under_2007_rules(date: NaiveDate) -> bool {
    date.year() >= 2007
}

/// Whether `date` is a Japanese public holiday (祝日, 振替休日 or 国民の休日).
/// Checked against the published table for 2000–2050. The rules hold until 2099.
pub fn is_holiday(date: NaiveDate) -> bool {
    holiday_name(date).is_some()
}

/// The Japanese name of the holiday on `date`: the national holiday's own name (e.g. "春分の日"),
/// or "振替休日", or "国民の休日".
pub fn holiday_name(date: NaiveDate) -> Option<&'static str> {
    if let Some(name) = national_day(date) {
        Some(name)
    } else if is_substitute_holiday(date) {
        Some(SUBSTITUTE_HOLIDAY)
    } else if is_citizens_holiday(date) {
        Some(CITIZENS_HOLIDAY)
    } else {
        None
    }
}

/// A day on which the kenpo's office works: neither Saturday, Sunday nor a holiday.
pub fn is_business_day(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !is_holiday(date)
}

/// §3 ②. The caller has already checked that `date` is not a national holiday.
fn is_substitute_holiday(date: NaiveDate) -> bool {
    let Some(mut day) = date.pred_opt() else {
        return false;
    };
    if !under_2007_rules(date) {
        return date.weekday() == Weekday::Mon && national_day(day).is_some();
    }
    // Walk back through the run of national holidays just before `date`. If the run contains a
    // Sunday, `date` is its substitute.
    while national_day(day).is_some() {
        if day.weekday() == Weekday::Sun {
            return true;
        }
        match day.pred_opt() {
            Some(before) => day = before,
            None => return false,
        }
    }
    false
}

/// §3 ③. The caller has already checked that `date` is not a national holiday.
fn is_citizens_holiday(date: NaiveDate) -> bool {
    let sandwiched = date.pred_opt().and_then(national_day).is_some()
        && date.succ_opt().and_then(national_day).is_some();
    sandwiched
        && (under_2007_rules(date)
            || (date.weekday() != Weekday::Sun && !is_substitute_holiday(date)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn national_holidays_have_their_own_names() {
        assert_eq!(holiday_name(date(2026, 1, 1)), Some("元日"));
        assert_eq!(holiday_name(date(2026, 3, 20)), Some("春分の日"));
        assert_eq!(holiday_name(date(2026, 9, 23)), Some("秋分の日"));
        assert_eq!(holiday_name(date(2026, 11, 24)), None);
    }

    #[test]
    fn sunday_holiday_moves_to_monday_before_2007() {
        // 2001-04-29 (みどりの日) was a Sunday.
        assert_eq!(holiday_name(date(2001, 4, 30)), Some(SUBSTITUTE_HOLIDAY));
        // 2002-05-05 (こどもの日) was a Sunday.
        assert_eq!(holiday_name(date(2002, 5, 6)), Some(SUBSTITUTE_HOLIDAY));
    }

    #[test]
    fn since_2007_the_substitute_skips_following_holidays() {
        // 2008-05-04 (みどりの日) was a Sunday and 5/5 is こどもの日, so 5/6 is the substitute.
        assert_eq!(holiday_name(date(2008, 5, 6)), Some(SUBSTITUTE_HOLIDAY));
        // 2020-05-03 (憲法記念日) was a Sunday: the substitute comes after 5/4 and 5/5.
        assert_eq!(holiday_name(date(2020, 5, 6)), Some(SUBSTITUTE_HOLIDAY));
        // 2021-08-08 (the moved 山の日) was a Sunday.
        assert_eq!(holiday_name(date(2021, 8, 9)), Some(SUBSTITUTE_HOLIDAY));
        // 2020-02-23, the first 天皇誕生日 of Reiwa, was a Sunday.
        assert_eq!(holiday_name(date(2020, 2, 24)), Some(SUBSTITUTE_HOLIDAY));
    }

    #[test]
    fn a_day_between_two_holidays_is_a_citizens_holiday() {
        for (y, m, d) in [
            (2009, 9, 22),
            (2015, 9, 22),
            (2026, 9, 22),
            (2032, 9, 21),
            (2037, 9, 22),
        ] {
            assert_eq!(
                holiday_name(date(y, m, d)),
                Some(CITIZENS_HOLIDAY),
                "{y}-{m}-{d}"
            );
        }
        // Before 2007 it was the sandwich rule that made May 4th a holiday.
        assert_eq!(holiday_name(date(2002, 5, 4)), Some(CITIZENS_HOLIDAY));
    }

    #[test]
    fn a_sandwiched_sunday_was_no_citizens_holiday_before_2007() {
        assert_eq!(date(2003, 5, 4).weekday(), Weekday::Sun);
        assert!(!is_holiday(date(2003, 5, 4)));
        // and 5/5 was not a Sunday, so no substitute either
        assert!(!is_holiday(date(2003, 5, 6)));
    }

    #[test]
    fn the_2019_enthronement_days() {
        assert_eq!(holiday_name(date(2019, 4, 30)), Some(CITIZENS_HOLIDAY));
        assert_eq!(holiday_name(date(2019, 5, 1)), Some("天皇の即位の日"));
        assert_eq!(holiday_name(date(2019, 5, 2)), Some(CITIZENS_HOLIDAY));
        assert_eq!(holiday_name(date(2019, 5, 6)), Some(SUBSTITUTE_HOLIDAY));
        assert_eq!(
            holiday_name(date(2019, 10, 22)),
            Some("即位礼正殿の儀の行われる日")
        );
    }

    #[test]
    fn business_days_exclude_weekends_and_holidays() {
        assert!(is_business_day(date(2026, 4, 24))); // Friday
        assert!(!is_business_day(date(2026, 4, 25))); // Saturday
        assert!(!is_business_day(date(2026, 4, 26))); // Sunday
        assert!(!is_business_day(date(2026, 4, 29))); // 昭和の日, a Wednesday
        assert!(!is_business_day(date(2026, 5, 6))); // 振替休日, a Wednesday
        assert!(is_business_day(date(2026, 5, 7)));
    }

    #[test]
    fn the_edges_of_the_date_range_do_not_panic() {
        for edge in [NaiveDate::MIN, NaiveDate::MAX] {
            let _ = holiday_name(edge);
            let _ = is_business_day(edge);
        }
    }
}
