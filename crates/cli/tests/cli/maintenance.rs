//! `madoguchi maintenance schedule|add|list|remove`.

use madoguchi_domain::calendar;
use madoguchi_persistence::maintenance;

use crate::helpers::{Setup, each_backend};

each_backend!(schedule_prints_the_calendars_twelve_windows);
fn schedule_prints_the_calendars_twelve_windows(s: Setup) {
    let run = s
        .run(&["maintenance", "schedule", "--year", "2026"])
        .success();
    let expected: Vec<String> = calendar::schedule(2026)
        .iter()
        .map(|w| w.to_interval_string())
        .collect();
    assert_eq!(run.lines(), expected, "{run}");
    assert_eq!(run.lines().len(), 12, "{run}");
    // The 25th is a Sunday in January and October 2026 and a Saturday in April: the window
    // moves to the Friday before.
    assert_eq!(
        run.lines()[0],
        "2026-01-23T21:00+09:00/2026-01-24T00:00+09:00",
        "{run}"
    );
    assert_eq!(
        run.lines()[9],
        "2026-10-23T21:00+09:00/2026-10-24T00:00+09:00",
        "{run}"
    );
    assert_eq!(
        run.lines()[1],
        "2026-02-25T21:00+09:00/2026-02-26T00:00+09:00",
        "{run}"
    );
    assert_eq!(
        run.lines()[3],
        "2026-04-24T21:00+09:00/2026-04-25T00:00+09:00",
        "{run}"
    );
    assert_eq!(
        run.lines()[11],
        "2026-12-25T21:00+09:00/2026-12-26T00:00+09:00",
        "{run}"
    );
    s.run(&["maintenance", "schedule", "--year", "1999"])
        .failure(1)
        .stderr_has("--year");
}

each_backend!(an_added_window_is_listed_and_can_be_removed);
fn an_added_window_is_listed_and_can_be_removed(s: Setup) {
    let run = s
        .run(&[
            "maintenance",
            "add",
            "--starts-at",
            "2026-12-01T01:00+09:00",
            "--ends-at",
            "2026-12-01T03:00:00+09:00",
            "--reason",
            " 臨時メンテナンス ",
        ])
        .success();
    let (id, interval) = run
        .stdout
        .trim()
        .split_once('\t')
        .unwrap_or_else(|| panic!("ID and window\n{run}"));
    assert_eq!(
        interval, "2026-12-01T01:00+09:00/2026-12-01T03:00+09:00",
        "{run}"
    );
    let stored = maintenance::list(&mut s.conn(), None).expect("windows");
    assert_eq!(stored.len(), 1, "{}", s.backend());
    assert_eq!(
        (stored[0].id.as_str(), stored[0].reason.as_str()),
        (id, "臨時メンテナンス"),
        "{}",
        s.backend()
    );

    let list = s
        .run(&["maintenance", "list", "--from", "2026-11-01"])
        .success();
    assert_eq!(
        list.lines(),
        [format!("{id}\t{interval}\t臨時メンテナンス")],
        "{list}"
    );
    let after = s
        .run(&["maintenance", "list", "--from", "2026-12-02"])
        .success();
    assert!(
        after.stdout.is_empty(),
        "[{}] a window that has ended is not listed\n{after}",
        s.backend()
    );

    s.run(&["maintenance", "remove", id])
        .success()
        .stdout_has(id);
    let list = s
        .run(&["maintenance", "list", "--from", "2026-11-01"])
        .success();
    assert!(list.stdout.is_empty(), "[{}] removed\n{list}", s.backend());
    assert!(
        maintenance::list(&mut s.conn(), None)
            .expect("windows")
            .is_empty(),
        "{}",
        s.backend()
    );
}

each_backend!(bad_times_and_windows_that_end_before_they_start_are_refused);
fn bad_times_and_windows_that_end_before_they_start_are_refused(s: Setup) {
    let add = |starts: &str, ends: &str| {
        s.run(&[
            "maintenance",
            "add",
            "--starts-at",
            starts,
            "--ends-at",
            ends,
        ])
    };
    add("2026-12-01 01:00", "2026-12-01T03:00+09:00")
        .failure(1)
        .stderr_has("--starts-at");
    add("2026-12-01T01:00+09:00", "2026-13-01T03:00+09:00")
        .failure(1)
        .stderr_has("--ends-at");
    add("2026-12-01T03:00+09:00", "2026-12-01T01:00+09:00")
        .failure(1)
        .stderr_has("より後に");
    add("2026-12-01T03:00+09:00", "2026-12-01T03:00+09:00")
        .failure(1)
        .stderr_has("より後に");
    assert!(
        maintenance::list(&mut s.conn(), None)
            .expect("windows")
            .is_empty(),
        "[{}] nothing stored",
        s.backend()
    );
    s.run(&["maintenance", "list", "--from", "soon"])
        .failure(1)
        .stderr_has("--from");
}

each_backend!(removing_an_unknown_window_is_refused);
fn removing_an_unknown_window_is_refused(s: Setup) {
    s.run(&[
        "maintenance",
        "remove",
        "01a213f8-2f58-71e0-8eda-4dcb89545e29",
    ])
    .failure(1)
    .stderr_has("01a213f8-2f58-71e0-8eda-4dcb89545e29")
    .stderr_has("maintenance list");
}
