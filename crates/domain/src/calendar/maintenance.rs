//! The monthly maintenance windows (DESIGN §2, "maintenance").
//!
//! Every month there is one window, on the 25th from 21:00 to 24:00 JST. When the 25th is a
//! Saturday, a Sunday or a holiday, the window moves to the nearest earlier business day
//! (繰り上げ), so that the kenpo's staff are at work on the day of the window. Ad-hoc windows
//! and the question of which window is in force are in `in_force.rs`.

use chrono::{NaiveDate, NaiveTime};

use super::holidays::is_business_day;
use super::time::Tokyo;
use super::window::MaintenanceWindow;

/// The day of the month the window is planned for, before it moves.
pub const PLANNED_DAY: u32 = 25;
/// The hour (JST) the monthly window starts. It ends at the next midnight.
pub const STARTS_AT_HOUR: u32 = 21;

/// The day of the monthly window of `year`/`month`: the 25th, or the nearest earlier business day.
///
/// # Panics
/// If `month` is not 1–12, or the year is outside chrono's range.
pub fn monthly_window_day(year: i32, month: u32) -> NaiveDate {
    let mut day = NaiveDate::from_ymd_opt(year, month, PLANNED_DAY)
        .unwrap_or_else(|| panic!("no month {year}-{month}"));
    // A run of non-business days is at most about a week long (Golden Week), so this stays
    // well inside the month.
    while !is_business_day(day) {
        day = day.pred_opt().expect("a business day before the 25th");
    }
    day
}

/// The maintenance window of `year`/`month`: 21:00 on [`monthly_window_day`] to the next day's
/// 00:00, JST.
///
/// # Panics
/// If `month` is not 1–12, or the year is outside chrono's range.
pub fn monthly_window(year: i32, month: u32) -> MaintenanceWindow {
    let day = monthly_window_day(year, month);
    let at = |date: NaiveDate, time: NaiveTime| {
        date.and_time(time)
            .and_local_timezone(Tokyo)
            .single()
            .expect("Tokyo has kept one offset since 1951: every local time is one instant")
            .fixed_offset()
    };
    let starts_at = NaiveTime::from_hms_opt(STARTS_AT_HOUR, 0, 0).expect("21:00 is a time");
    let next_day = day.succ_opt().expect("the 25th or earlier has a next day");
    MaintenanceWindow {
        starts_at: at(day, starts_at),
        ends_at: at(next_day, NaiveTime::MIN),
    }
}

/// The twelve monthly windows of `year`, January first, as `maintenance schedule` prints them.
pub fn schedule(year: i32) -> Vec<MaintenanceWindow> {
    (1..=12).map(|month| monthly_window(year, month)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Timelike};
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_saturday_25th_moves_to_friday() {
        // 2026-04-25 is a Saturday.
        assert_eq!(monthly_window_day(2026, 4), date(2026, 4, 24));
        assert_eq!(
            monthly_window(2026, 4).to_interval_string(),
            "2026-04-24T21:00+09:00/2026-04-25T00:00+09:00"
        );
    }

    #[test]
    fn a_monday_25th_after_a_sunday_stays() {
        assert_eq!(monthly_window_day(2026, 5), date(2026, 5, 25));
        assert_eq!(monthly_window_day(2021, 1), date(2021, 1, 25));
    }

    #[test]
    fn the_move_also_skips_holidays_before_the_weekend() {
        // 2018-11-25 Sun, 24 Sat, 23 勤労感謝の日 (Fri).
        assert_eq!(monthly_window_day(2018, 11), date(2018, 11, 22));
        // 2020-07-25 Sat, 24 スポーツの日, 23 海の日 (the Olympic moves).
        assert_eq!(monthly_window_day(2020, 7), date(2020, 7, 22));
        // 2021-07-25 Sun, 24 Sat, 23 スポーツの日, 22 海の日.
        assert_eq!(monthly_window_day(2021, 7), date(2021, 7, 21));
    }

    #[test]
    fn schedule_2026_by_hand() {
        // 25th: Jan Sun, Apr Sat, Jul Sat, Oct Sun; the others are weekdays without a holiday.
        let days = [23, 25, 25, 24, 25, 25, 24, 25, 25, 23, 25, 25];
        let windows = schedule(2026);
        assert_eq!(windows.len(), 12);
        for ((month, day), window) in (1..=12).zip(days).zip(&windows) {
            let start = Tokyo.with_ymd_and_hms(2026, month, day, 21, 0, 0).unwrap();
            assert_eq!(window.starts_at, start, "2026-{month:02}");
            assert_eq!(
                window.ends_at,
                start + chrono::TimeDelta::hours(3),
                "2026-{month:02}"
            );
        }
        assert_eq!(
            windows[9].to_interval_string(),
            "2026-10-23T21:00+09:00/2026-10-24T00:00+09:00"
        );
    }

    #[test]
    fn schedule_2029_by_hand() {
        // 25th: Feb Sun (23 天皇誕生日 is Fri), Mar Sun, Aug Sat, Nov Sun (23 勤労感謝の日 Fri).
        let lines: Vec<String> = schedule(2029)
            .iter()
            .map(|w| w.to_interval_string())
            .collect();
        let starts: Vec<&str> = lines.iter().map(|line| &line[..10]).collect();
        assert_eq!(
            starts,
            [
                "2029-01-25",
                "2029-02-22",
                "2029-03-23",
                "2029-04-25",
                "2029-05-25",
                "2029-06-25",
                "2029-07-25",
                "2029-08-24",
                "2029-09-25",
                "2029-10-25",
                "2029-11-22",
                "2029-12-25",
            ]
        );
        assert_eq!(lines[1], "2029-02-22T21:00+09:00/2029-02-23T00:00+09:00");
        assert_eq!(lines[11], "2029-12-25T21:00+09:00/2029-12-26T00:00+09:00");
    }

    proptest! {
        #[test]
        fn monthly_windows_start_on_the_last_business_day_up_to_the_25th(
            year in 2000..=2099i32,
            month in 1..=12u32,
        ) {
            let window = monthly_window(year, month);
            let start = window.starts_at;
            let day = start.date_naive();
            let planned = date(year, month, PLANNED_DAY);
            prop_assert!(is_business_day(day));
            prop_assert_eq!(start.offset().to_string(), "+09:00");
            prop_assert_eq!((start.hour(), start.minute(), start.second()), (21, 0, 0));
            prop_assert!(day <= planned);
            let mut skipped = day.iter_days().skip(1).take_while(|d| *d <= planned);
            prop_assert!(skipped.all(|d| !is_business_day(d)));
            let midnight = day.succ_opt().unwrap().and_time(NaiveTime::MIN);
            prop_assert_eq!(window.ends_at.naive_local(), midnight);
        }
    }
}
