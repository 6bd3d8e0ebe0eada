//! A maintenance window: a half-open span of time `[starts_at, ends_at)` in JST.

use std::fmt;

use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use serde::Serialize;

use super::error::WindowError;
use super::time::{Tokyo, format_time};

/// A span of time during which the member API answers 503 `maintenance` (DESIGN §3). It is
/// half-open: the first instant is inside and the last is not. So the monthly window 21:00–24:00
/// ends at the next day's `T00:00`, and the member pages open again at that instant. Serialises as
/// `{"starts_at": RFC 3339, "ends_at": RFC 3339}`, both with `+09:00`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct MaintenanceWindow {
    pub starts_at: DateTime<FixedOffset>,
    pub ends_at: DateTime<FixedOffset>,
}

impl MaintenanceWindow {
    /// A window from `starts_at` to `ends_at`, both converted to +09:00. Refused unless it ends
    /// after it starts.
    pub fn new<A: TimeZone, B: TimeZone>(
        starts_at: DateTime<A>,
        ends_at: DateTime<B>,
    ) -> Result<Self, WindowError> {
        let starts_at = starts_at.with_timezone(&Tokyo).fixed_offset();
        let ends_at = ends_at.with_timezone(&Tokyo).fixed_offset();
        if ends_at <= starts_at {
            return Err(WindowError::EndNotAfterStart { starts_at, ends_at });
        }
        Ok(Self { starts_at, ends_at })
    }

    /// Whether `now` is inside the window: `starts_at <= now < ends_at`.
    pub fn contains(&self, now: DateTime<Utc>) -> bool {
        self.starts_at <= now && now < self.ends_at
    }

    /// `YYYY-MM-DDTHH:MM+09:00/YYYY-MM-DDTHH:MM+09:00` (an ISO 8601 interval), as
    /// `madoguchi maintenance schedule` prints it. Seconds appear only when they are not zero.
    /// Each end can be read back with `parse_time`.
    pub fn to_interval_string(&self) -> String {
        format!(
            "{}/{}",
            format_time(self.starts_at),
            format_time(self.ends_at)
        )
    }
}

impl fmt::Display for MaintenanceWindow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_interval_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::parse_time;

    #[test]
    fn new_converts_both_ends_to_jst() {
        let starts = Utc.with_ymd_and_hms(2026, 11, 30, 16, 0, 0).unwrap();
        let ends = parse_time("2026-12-01T03:00+09:00").unwrap();
        let window = MaintenanceWindow::new(starts, ends).unwrap();
        assert_eq!(window.starts_at.offset().to_string(), "+09:00");
        assert_eq!(window.ends_at.offset().to_string(), "+09:00");
        assert_eq!(
            window.to_interval_string(),
            "2026-12-01T01:00+09:00/2026-12-01T03:00+09:00"
        );
        assert_eq!(window.to_string(), window.to_interval_string());
    }

    #[test]
    fn new_refuses_empty_and_backward_windows() {
        let at = parse_time("2026-12-01T01:00+09:00").unwrap();
        assert_eq!(
            MaintenanceWindow::new(at, at),
            Err(WindowError::EndNotAfterStart {
                starts_at: at,
                ends_at: at
            })
        );
        let earlier = parse_time("2026-12-01T00:59:59+09:00").unwrap();
        assert!(MaintenanceWindow::new(at, earlier).is_err());
    }

    #[test]
    fn contains_is_half_open() {
        let window = MaintenanceWindow::new(
            parse_time("2026-12-01T01:00+09:00").unwrap(),
            parse_time("2026-12-01T03:00+09:00").unwrap(),
        )
        .unwrap();
        let utc = |h, m, s| Utc.with_ymd_and_hms(2026, 11, 30, h, m, s).unwrap();
        assert!(!window.contains(utc(15, 59, 59)));
        assert!(window.contains(utc(16, 0, 0)));
        assert!(window.contains(utc(17, 59, 59)));
        assert!(!window.contains(utc(18, 0, 0)));
    }
}
