//! Japan Standard Time and the time format that operators type and the CLI prints. Every
//! conversion names its zone, [`Tokyo`] (`Asia/Tokyo` of the IANA database, built alone).

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, Timelike, Utc};
use unicode_normalization::UnicodeNormalization;

use super::error::WindowError;

pub use chrono_tz::Asia::Tokyo;

/// Whether `now` falls within the optional nightly closure, 0:00–6:00 JST (DESIGN §2: some kenpo
/// close member pages overnight; a tenant setting decides whether this applies).
pub fn in_nightly_closure(now: DateTime<Utc>) -> bool {
    now.with_timezone(&Tokyo).hour() < 6
}

/// `t` in JST as `YYYY-MM-DDTHH:MM+09:00`, the form the CLI prints and `parse_time` reads back.
/// Seconds are added (`HH:MM:SS`) only when they are not zero. Fractions of a second are not
/// shown.
pub fn format_time(t: DateTime<FixedOffset>) -> String {
    let t = t.with_timezone(&Tokyo);
    if t.second() == 0 {
        t.format("%Y-%m-%dT%H:%M%:z").to_string()
    } else {
        t.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
    }
}

/// Parses a time typed by an operator or sent to the API: `YYYY-MM-DDTHH:MM[:SS]±HH:MM`, or `Z`
/// for UTC. The seconds may be left out, and `24:00` means the next day's `00:00`. The input is
/// NFKC-normalised and trimmed first, so full-width digits and signs are accepted (STYLE §2).
/// The offset is required: without it we could not tell JST from UTC, and a window nine hours
/// off would go unnoticed.
pub fn parse_time(raw: &str) -> Result<DateTime<FixedOffset>, WindowError> {
    let normalized: String = raw.nfkc().collect();
    let s = normalized.trim();
    let format_error = || WindowError::Format { input: shown(raw) };

    let (date, rest) = s.split_once(['T', 't']).ok_or_else(format_error)?;
    let date_digits = split_fields(date, '-', &[4, 2, 2]).ok_or_else(format_error)?;
    let offset_at = rest.find(['+', '-', 'Z', 'z']);
    let time = &rest[..offset_at.unwrap_or(rest.len())];
    let time_digits = split_fields(time, ':', &[2, 2])
        .or_else(|| split_fields(time, ':', &[2, 2, 2]))
        .ok_or_else(format_error)?;
    let Some(offset_at) = offset_at else {
        return Err(WindowError::MissingOffset { input: shown(raw) });
    };
    let offset_seconds = parse_offset(&rest[offset_at..]).ok_or_else(format_error)?;

    let nonexistent = || WindowError::NonexistentTime { input: shown(raw) };
    let [year, month, day] = date_digits[..] else {
        return Err(format_error());
    };
    let date = i32::try_from(year)
        .ok()
        .and_then(|year| NaiveDate::from_ymd_opt(year, month, day))
        .ok_or_else(nonexistent)?;
    let (hour, minute) = (time_digits[0], time_digits[1]);
    let second = time_digits.get(2).copied().unwrap_or(0);
    // 24:00 is the end of the day, as the maintenance windows are written (21:00–24:00).
    let (date, time) = if (hour, minute, second) == (24, 0, 0) {
        (date.succ_opt().ok_or_else(nonexistent)?, NaiveTime::MIN)
    } else {
        let time = NaiveTime::from_hms_opt(hour, minute, second).ok_or_else(nonexistent)?;
        (date, time)
    };
    let offset = FixedOffset::east_opt(offset_seconds).ok_or_else(nonexistent)?;
    date.and_time(time)
        .and_local_timezone(offset)
        .single()
        .ok_or_else(nonexistent)
}

/// `Z`, or `±HH:MM` with minutes below 60, as seconds east of UTC.
fn parse_offset(s: &str) -> Option<i32> {
    if s.eq_ignore_ascii_case("z") {
        return Some(0);
    }
    let sign = match s.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let fields = split_fields(&s[1..], ':', &[2, 2])?;
    if fields[1] >= 60 {
        return None;
    }
    let seconds = i32::try_from(fields[0] * 3600 + fields[1] * 60).ok()?;
    Some(sign * seconds)
}

/// Splits `s` at `separator` into fields of exactly the given numbers of ASCII digits.
fn split_fields(s: &str, separator: char, widths: &[usize]) -> Option<Vec<u32>> {
    let fields: Vec<&str> = s.split(separator).collect();
    if fields.len() != widths.len() {
        return None;
    }
    fields
        .iter()
        .zip(widths)
        .map(|(field, &width)| {
            (field.len() == width && field.bytes().all(|b| b.is_ascii_digit()))
                .then(|| field.parse().ok())
                .flatten()
        })
        .collect()
}

/// The input as echoed in an error message: trimmed and cut at 40 characters, so a pasted page
/// cannot flood a log line or an API answer.
fn shown(raw: &str) -> String {
    const MAX: usize = 40;
    let trimmed = raw.trim();
    if trimmed.chars().count() <= MAX {
        trimmed.to_owned()
    } else {
        let mut cut: String = trimmed.chars().take(MAX).collect();
        cut.push('…');
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn jst_time(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<FixedOffset> {
        Tokyo
            .with_ymd_and_hms(y, mo, d, h, mi, s)
            .unwrap()
            .fixed_offset()
    }

    #[test]
    fn parses_with_and_without_seconds() {
        assert_eq!(
            parse_time("2026-12-01T01:00+09:00"),
            Ok(jst_time(2026, 12, 1, 1, 0, 0))
        );
        assert_eq!(
            parse_time("2026-12-01T01:00:30+09:00"),
            Ok(jst_time(2026, 12, 1, 1, 0, 30))
        );
    }

    #[test]
    fn parses_utc_and_other_offsets_as_the_same_instant() {
        let expected = jst_time(2026, 12, 1, 1, 0, 0);
        assert_eq!(parse_time("2026-11-30T16:00Z"), Ok(expected));
        assert_eq!(parse_time("2026-11-30T16:00:00z"), Ok(expected));
        assert_eq!(parse_time("2026-11-30T11:00-05:00"), Ok(expected));
        assert_eq!(
            parse_time("２０２６－１２－０１Ｔ０１：００＋０９：００"),
            Ok(expected)
        );
        assert_eq!(parse_time("  2026-12-01T01:00+09:00\n"), Ok(expected));
    }

    #[test]
    fn twenty_four_hundred_is_the_next_midnight() {
        assert_eq!(
            parse_time("2026-04-24T24:00+09:00"),
            Ok(jst_time(2026, 4, 25, 0, 0, 0))
        );
        assert_eq!(
            parse_time("2026-12-31T24:00:00+09:00"),
            Ok(jst_time(2027, 1, 1, 0, 0, 0))
        );
    }

    #[test]
    fn an_offset_is_required() {
        assert_eq!(
            parse_time("2026-12-01T01:00"),
            Err(WindowError::MissingOffset {
                input: "2026-12-01T01:00".into()
            })
        );
    }

    #[test]
    fn malformed_input_is_a_format_error() {
        for bad in [
            "",
            "2026-12-01",
            "2026-12-01 01:00+09:00",
            "2026-12-1T01:00+09:00",
            "2026-12-01T1:00+09:00",
            "2026-12-01T01+09:00",
            "2026-12-01T01:00:00.5+09:00",
            "2026-12-01T01:00+0900",
            "2026-12-01T01:00+09",
            "2026-12-01T01:00+09:60",
            "2026/12/01T01:00+09:00",
            "2026-12-01T01:00+09:00 extra",
            "tomorrow",
        ] {
            assert!(
                matches!(parse_time(bad), Err(WindowError::Format { .. })),
                "{bad:?} gave {:?}",
                parse_time(bad)
            );
        }
    }

    #[test]
    fn impossible_dates_and_times_are_refused() {
        for bad in [
            "2026-02-29T01:00+09:00",
            "2026-13-01T01:00+09:00",
            "2026-12-01T24:01+09:00",
            "2026-12-01T24:00:01+09:00",
            "2026-12-01T23:60+09:00",
            "2026-12-31T23:59:60+09:00",
            "2026-12-01T01:00+24:00",
        ] {
            assert_eq!(
                parse_time(bad),
                Err(WindowError::NonexistentTime { input: bad.into() }),
                "{bad}"
            );
        }
    }

    #[test]
    fn long_input_is_cut_in_the_error() {
        let long = "x".repeat(100);
        let Err(WindowError::Format { input }) = parse_time(&long) else {
            panic!("not a format error");
        };
        assert_eq!(input.chars().count(), 41);
    }

    #[test]
    fn nightly_closure_is_midnight_to_six_jst() {
        let utc = |h, m| Utc.with_ymd_and_hms(2026, 6, 1, h, m, 0).unwrap();
        // 15:00 UTC = 0:00 JST, 20:59 UTC = 5:59 JST, 21:00 UTC = 6:00 JST
        assert!(!in_nightly_closure(utc(14, 59)));
        assert!(in_nightly_closure(utc(15, 0)));
        assert!(in_nightly_closure(utc(20, 59)));
        assert!(!in_nightly_closure(utc(21, 0)));
        assert!(!in_nightly_closure(utc(3, 0)));
    }

    #[test]
    fn format_time_shows_seconds_only_when_needed() {
        assert_eq!(
            format_time(jst_time(2026, 4, 24, 21, 0, 0)),
            "2026-04-24T21:00+09:00"
        );
        assert_eq!(
            format_time(jst_time(2026, 4, 24, 21, 0, 5)),
            "2026-04-24T21:00:05+09:00"
        );
        let utc = Utc.with_ymd_and_hms(2026, 4, 24, 12, 0, 0).unwrap();
        assert_eq!(format_time(utc.fixed_offset()), "2026-04-24T21:00+09:00");
    }

    proptest! {
        #[test]
        fn format_time_round_trips_through_parse_time(
            secs in 946_684_800i64..2_556_143_999,
            offset_minutes in -12 * 60..=14 * 60i32,
        ) {
            let offset = FixedOffset::east_opt(offset_minutes * 60).unwrap();
            let t = DateTime::from_timestamp(secs, 0).unwrap().with_timezone(&offset);
            prop_assert_eq!(parse_time(&format_time(t)), Ok(t));
            let typed = t.format("%Y-%m-%dT%H:%M:%S%:z").to_string();
            prop_assert_eq!(parse_time(&typed), Ok(t));
        }
    }
}
