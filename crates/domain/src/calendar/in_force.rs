//! Which maintenance window is in force at a given instant, which comes next, and when the
//! service opens again. The API asks these on every request (DESIGN §3: 503 `maintenance` with
//! `Retry-After`). The ad-hoc windows come from the caller, because this crate does no I/O.

use std::cmp::Reverse;

use chrono::{DateTime, Datelike, FixedOffset, Utc};

use super::maintenance::monthly_window;
use super::time::Tokyo;
use super::window::MaintenanceWindow;

/// The window in force at `now`, among the monthly ones and the ad-hoc ones given. When several
/// overlap, the one that ends last is returned, so a `Retry-After` taken from it is not too
/// early. Ties go to the one that started first. [`reopens_at`] also follows windows that chain.
pub fn active_window(
    now: DateTime<Utc>,
    ad_hoc: &[MaintenanceWindow],
) -> Option<MaintenanceWindow> {
    let local = now.with_timezone(&Tokyo);
    // A monthly window lies within its own month in JST: it starts on the 25th at the latest
    // and ends by the 26th at 00:00. So only this month's window can contain `now`.
    let monthly = monthly_window(local.year(), local.month());
    std::iter::once(monthly)
        .chain(ad_hoc.iter().copied())
        .filter(|window| window.contains(now))
        .max_by_key(|window| (window.ends_at, Reverse(window.starts_at)))
}

/// The next window that starts after `now` (strictly), monthly or ad-hoc, whichever starts
/// first. When two start together, the longer one is returned. There always is one, because
/// the monthly windows never run out.
pub fn next_window(now: DateTime<Utc>, ad_hoc: &[MaintenanceWindow]) -> MaintenanceWindow {
    let local = now.with_timezone(&Tokyo);
    let (year, month) = (local.year(), local.month());
    let this_month = monthly_window(year, month);
    let monthly = if this_month.starts_at > now {
        this_month
    } else if month == 12 {
        monthly_window(year + 1, 1)
    } else {
        monthly_window(year, month + 1)
    };
    ad_hoc
        .iter()
        .copied()
        .filter(|window| window.starts_at > now)
        .chain(std::iter::once(monthly))
        .min_by_key(|window| (window.starts_at, Reverse(window.ends_at)))
        .unwrap_or(monthly)
}

/// When the service opens again if it is in maintenance at `now`: the end of the active window,
/// or of the chain of windows that overlap or touch it (an ad-hoc window from 20:00 to 21:00
/// followed by the monthly one closes until 24:00). `None` when no window is in force.
pub fn reopens_at(
    now: DateTime<Utc>,
    ad_hoc: &[MaintenanceWindow],
) -> Option<DateTime<FixedOffset>> {
    let mut end = active_window(now, ad_hoc)?.ends_at;
    // Each step moves `end` strictly later. Monthly windows are weeks apart, so only the finite
    // ad-hoc list can extend the chain, and the loop ends.
    while let Some(window) = active_window(end.to_utc(), ad_hoc) {
        end = window.ends_at;
    }
    Some(end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use proptest::prelude::*;

    use crate::calendar::parse_time;

    /// An instant given as JST wall-clock time.
    fn at(s: &str) -> DateTime<Utc> {
        parse_time(&format!("{s}+09:00")).unwrap().to_utc()
    }

    fn window(starts: &str, ends: &str) -> MaintenanceWindow {
        MaintenanceWindow::new(at(starts), at(ends)).unwrap()
    }

    #[test]
    fn active_window_boundaries_in_jst() {
        let monthly = monthly_window(2026, 4);
        assert_eq!(active_window(at("2026-04-24T20:59:59"), &[]), None);
        assert_eq!(active_window(at("2026-04-24T21:00"), &[]), Some(monthly));
        assert_eq!(active_window(at("2026-04-24T23:59:59"), &[]), Some(monthly));
        assert_eq!(active_window(at("2026-04-24T24:00"), &[]), None);
        assert_eq!(active_window(at("2026-04-25T21:30"), &[]), None);
    }

    #[test]
    fn ad_hoc_windows_are_active_too() {
        let ad_hoc = window("2026-12-01T01:00", "2026-12-01T03:00");
        assert_eq!(active_window(at("2026-12-01T00:59"), &[ad_hoc]), None);
        assert_eq!(
            active_window(at("2026-12-01T02:00"), &[ad_hoc]),
            Some(ad_hoc)
        );
        assert_eq!(
            reopens_at(at("2026-12-01T02:00"), &[ad_hoc]),
            Some(ad_hoc.ends_at)
        );
        assert_eq!(reopens_at(at("2026-12-01T03:00"), &[ad_hoc]), None);
    }

    #[test]
    fn overlapping_windows_report_the_one_ending_last() {
        let before = window("2026-04-24T20:00", "2026-04-24T21:30");
        let monthly = monthly_window(2026, 4);
        assert_eq!(
            active_window(at("2026-04-24T20:30"), &[before]),
            Some(before)
        );
        assert_eq!(
            active_window(at("2026-04-24T21:15"), &[before]),
            Some(monthly)
        );
        // Closed from 20:00 until midnight, through both windows.
        assert_eq!(
            reopens_at(at("2026-04-24T20:30"), &[before]),
            Some(monthly.ends_at)
        );
    }

    #[test]
    fn next_window_crosses_the_year() {
        let january = monthly_window(2027, 1);
        let monday = NaiveDate::from_ymd_opt(2027, 1, 25).unwrap();
        assert_eq!(january.starts_at.date_naive(), monday);
        assert_eq!(
            next_window(at("2026-12-25T20:59"), &[]),
            monthly_window(2026, 12)
        );
        assert_eq!(next_window(at("2026-12-25T21:00"), &[]), january);
        assert_eq!(next_window(at("2026-12-31T23:59"), &[]), january);
    }

    #[test]
    fn next_window_takes_the_earliest_future_ad_hoc_window() {
        let past = window("2026-12-01T01:00", "2026-12-01T03:00");
        let soon = window("2026-12-30T10:00", "2026-12-30T11:00");
        let later = window("2027-02-01T10:00", "2027-02-01T11:00");
        let now = at("2026-12-26T12:00");
        assert_eq!(next_window(now, &[later, past, soon]), soon);
        assert_eq!(next_window(now, &[past, later]), monthly_window(2027, 1));
    }
    proptest! {
        #[test]
        fn active_and_next_agree_with_the_monthly_windows(secs in 946_684_800i64..2_556_143_999) {
            let now = DateTime::from_timestamp(secs, 0).unwrap();
            if let Some(active) = active_window(now, &[]) {
                prop_assert!(active.contains(now));
            }
            let next = next_window(now, &[]);
            prop_assert!(next.starts_at > now);
            // No monthly window starts between now and the next one.
            let (year, month) = (next.starts_at.year(), next.starts_at.month());
            let previous = if month == 1 {
                monthly_window(year - 1, 12)
            } else {
                monthly_window(year, month - 1)
            };
            prop_assert!(previous.starts_at <= now);
        }
    }
}
