//! Maintenance windows (DESIGN §2, "maintenance") through the public calendar API: which
//! window comes next, as the status page and the 503 answers announce it.

use chrono::{DateTime, Utc};
use madoguchi_domain::calendar::{MaintenanceWindow, monthly_window, next_window, parse_time};

fn at(s: &str) -> DateTime<Utc> {
    parse_time(s).expect("a time").to_utc()
}

#[test]
fn a_window_starting_right_now_is_not_the_next_one() {
    // At 01:00 the ad-hoc window 01:00–03:00 has begun: it is in force, not ahead, so the
    // next one is the monthly window (2026-12-25 is a Friday).
    let now = at("2026-12-01T01:00+09:00");
    let begun = MaintenanceWindow::new(now, at("2026-12-01T03:00+09:00")).expect("a window");
    assert_eq!(next_window(now, &[begun]), monthly_window(2026, 12));
    let a_second_before = now - chrono::Duration::seconds(1);
    assert_eq!(next_window(a_second_before, &[begun]), begun);
}
