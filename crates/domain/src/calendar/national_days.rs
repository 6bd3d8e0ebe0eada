//! 国民の祝日 (national holidays) proper: the days named in 祝日法 §2, as amended up to now,
//! and the days the 2019–2021 special laws added or moved. Substitute and citizens' holidays
//! (§3 ②③) are derived from these in `holidays.rs`.
//!
//! Each rule has a comment with the law, or the amendment, that sets it. The years covered are
//! 2000–2099. The Happy Monday amendments start in 2000, and the equinox formula holds until
//! 2099.

use chrono::{Datelike, NaiveDate, Weekday};

/// The national holiday on `date`, if any, by its Japanese name.
pub(super) fn national_day(date: NaiveDate) -> Option<&'static str> {
    national_days(date.year())
        .into_iter()
        .find(|&(month, day, _)| month == date.month() && day == date.day())
        .map(|(_, _, name)| name)
}

/// The national holidays of `year` as `(month, day, name)`, in calendar order.
fn national_days(year: i32) -> Vec<(u32, u32, &'static str)> {
    let mut days = vec![
        (1, 1, "元日"),
        // Happy Monday (平成10年法律第141号, from 2000): second Monday of January.
        (1, monday(year, 1, 2), "成人の日"),
        // 建国記念の日となる日を定める政令 (1966).
        (2, 11, "建国記念の日"),
    ];
    // 天皇誕生日 follows the reigning emperor (平成29年法律第63号, 皇室典範特例法): 12/23 until
    // 2018, no 天皇誕生日 in 2019, and 2/23 from 2020.
    if year >= 2020 {
        days.push((2, 23, "天皇誕生日"));
    }
    days.push((3, vernal_equinox_day(year), "春分の日"));
    // 平成17年法律第43号 (from 2007): 4/29 became 昭和の日 and みどりの日 moved to 5/4.
    days.push((
        4,
        29,
        if year >= 2007 {
            "昭和の日"
        } else {
            "みどりの日"
        },
    ));
    if year == 2019 {
        // 天皇の即位の日及び即位礼正殿の儀の行われる日を休日とする法律 (平成30年法律第99号):
        // a 休日 that counts as a 国民の祝日 for 祝日法 §3 ②③. That rule is what made
        // 4/30 and 5/2 citizens' holidays.
        days.push((5, 1, "天皇の即位の日"));
    }
    days.push((5, 3, "憲法記念日"));
    if year >= 2007 {
        days.push((5, 4, "みどりの日"));
    }
    days.push((5, 5, "こどもの日"));
    // 海の日: 7/20 from 1996. Third Monday of July from 2003 (平成13年法律第59号). Moved to
    // 7/23 in 2020 and 7/22 in 2021 for the Tokyo Olympics (平成30年法律第57号, amended by
    // 令和2年法律第68号).
    days.push(match year {
        2020 => (7, 23, "海の日"),
        2021 => (7, 22, "海の日"),
        ..=2002 => (7, 20, "海の日"),
        _ => (7, monday(year, 7, 3), "海の日"),
    });
    // スポーツの日: moved into July by the same Olympic laws.
    match year {
        2020 => days.push((7, 24, "スポーツの日")),
        2021 => days.push((7, 23, "スポーツの日")),
        _ => {}
    }
    // 山の日: 8/11 from 2016 (平成26年法律第43号). Moved to 8/10 in 2020 and 8/8 in 2021.
    match year {
        2020 => days.push((8, 10, "山の日")),
        2021 => days.push((8, 8, "山の日")),
        2016.. => days.push((8, 11, "山の日")),
        _ => {}
    }
    // 敬老の日: 9/15 until 2002, then the third Monday of September (平成13年法律第59号).
    days.push((
        9,
        if year <= 2002 { 15 } else { monday(year, 9, 3) },
        "敬老の日",
    ));
    days.push((9, autumnal_equinox_day(year), "秋分の日"));
    // 体育の日: second Monday of October from 2000. Renamed スポーツの日 from 2020 (平成30年
    // 法律第57号). It was in July in 2020 and 2021 (above).
    match year {
        2020 | 2021 => {}
        ..=2019 => days.push((10, monday(year, 10, 2), "体育の日")),
        _ => days.push((10, monday(year, 10, 2), "スポーツの日")),
    }
    if year == 2019 {
        // 平成30年法律第99号, like 5/1 above.
        days.push((10, 22, "即位礼正殿の儀の行われる日"));
    }
    days.push((11, 3, "文化の日"));
    days.push((11, 23, "勤労感謝の日"));
    if year <= 2018 {
        days.push((12, 23, "天皇誕生日"));
    }
    days
}

/// Day of March of 春分の日. The law says only 「春分日」, and the Cabinet Office announces the
/// exact day each February from the National Astronomical Observatory's ephemeris. This is the
/// standard approximation for 1980–2099: `int(20.8431 + 0.242194 (y − 1980)) − int((y − 1980) / 4)`.
/// We compute it in integers scaled by 10⁶, so no floating-point rounding can move a day.
pub fn vernal_equinox_day(year: i32) -> u32 {
    equinox_day(20_843_100, year)
}

/// Day of September of 秋分の日, by the same formula with 23.2488.
pub fn autumnal_equinox_day(year: i32) -> u32 {
    equinox_day(23_248_800, year)
}

fn equinox_day(base_micro_days: i64, year: i32) -> u32 {
    let n = i64::from(year) - 1980;
    let day = (base_micro_days + 242_194 * n).div_euclid(1_000_000) - n.div_euclid(4);
    // Far outside 1980–2099 the formula drifts off the month. Clamp rather than panic: the
    // answer there is a guess either way.
    u32::try_from(day.clamp(19, 24)).unwrap_or(20)
}

/// Day of the month of the `nth` Monday.
fn monday(year: i32, month: u32, nth: u8) -> u32 {
    NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Mon, nth)
        .expect("every month has a second and a third Monday")
        .day()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn equinox_formula_matches_the_published_days() {
        // Cabinet Office table: 春分の日 2000-03-20, 2002-03-21, 2026-03-20, 2027-03-21;
        // 秋分の日 2012-09-22, 2026-09-23, 2044-09-22, 2050-09-23.
        assert_eq!(vernal_equinox_day(2000), 20);
        assert_eq!(vernal_equinox_day(2002), 21);
        assert_eq!(vernal_equinox_day(2026), 20);
        assert_eq!(vernal_equinox_day(2027), 21);
        assert_eq!(autumnal_equinox_day(2012), 22);
        assert_eq!(autumnal_equinox_day(2026), 23);
        assert_eq!(autumnal_equinox_day(2044), 22);
        assert_eq!(autumnal_equinox_day(2050), 23);
    }

    #[test]
    fn happy_monday_days_move_with_the_weekday() {
        assert_eq!(national_day(date(2026, 1, 12)), Some("成人の日"));
        assert_eq!(national_day(date(2026, 1, 15)), None);
        assert_eq!(national_day(date(2002, 7, 20)), Some("海の日"));
        assert_eq!(national_day(date(2003, 7, 21)), Some("海の日"));
        assert_eq!(national_day(date(2002, 9, 15)), Some("敬老の日"));
        assert_eq!(national_day(date(2003, 9, 15)), Some("敬老の日"));
        assert_eq!(national_day(date(2004, 9, 15)), None);
        assert_eq!(national_day(date(2004, 9, 20)), Some("敬老の日"));
    }

    #[test]
    fn the_2007_amendment_renames_april_29_and_adds_may_4() {
        assert_eq!(national_day(date(2006, 4, 29)), Some("みどりの日"));
        assert_eq!(national_day(date(2006, 5, 4)), None);
        assert_eq!(national_day(date(2007, 4, 29)), Some("昭和の日"));
        assert_eq!(national_day(date(2007, 5, 4)), Some("みどりの日"));
    }

    #[test]
    fn emperors_birthday_follows_the_reign() {
        assert_eq!(national_day(date(2018, 12, 23)), Some("天皇誕生日"));
        assert_eq!(national_day(date(2019, 12, 23)), None);
        assert_eq!(national_day(date(2019, 2, 23)), None);
        assert_eq!(national_day(date(2020, 2, 23)), Some("天皇誕生日"));
    }

    #[test]
    fn olympic_years_move_three_holidays() {
        assert_eq!(national_day(date(2020, 7, 20)), None);
        assert_eq!(national_day(date(2020, 7, 23)), Some("海の日"));
        assert_eq!(national_day(date(2020, 7, 24)), Some("スポーツの日"));
        assert_eq!(national_day(date(2020, 8, 10)), Some("山の日"));
        assert_eq!(national_day(date(2020, 8, 11)), None);
        assert_eq!(national_day(date(2020, 10, 12)), None);
        assert_eq!(national_day(date(2021, 7, 22)), Some("海の日"));
        assert_eq!(national_day(date(2021, 7, 23)), Some("スポーツの日"));
        assert_eq!(national_day(date(2021, 8, 8)), Some("山の日"));
        assert_eq!(national_day(date(2021, 10, 11)), None);
        assert_eq!(national_day(date(2022, 10, 10)), Some("スポーツの日"));
    }

    #[test]
    fn sports_day_was_called_taiiku_no_hi_until_2019() {
        assert_eq!(national_day(date(2019, 10, 14)), Some("体育の日"));
        assert_eq!(national_day(date(2015, 8, 11)), None);
        assert_eq!(national_day(date(2016, 8, 11)), Some("山の日"));
    }
}
