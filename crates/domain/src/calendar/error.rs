//! Why a maintenance window or a typed time was refused. `Display` gives the Japanese message,
//! and `message_en` the English one (DESIGN §4: messages follow `LANG`).

use chrono::{DateTime, FixedOffset};

use super::time::format_time;

/// A refused maintenance window or time.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WindowError {
    /// The window would end at or before its start.
    #[error(
        "終了日時（{}）は開始日時（{}）より後にしてください。",
        format_time(*.ends_at),
        format_time(*.starts_at)
    )]
    EndNotAfterStart {
        starts_at: DateTime<FixedOffset>,
        ends_at: DateTime<FixedOffset>,
    },
    /// Not of the form `YYYY-MM-DDTHH:MM[:SS]±HH:MM`.
    #[error(
        "「{input}」は日時として読めません。2026-12-01T01:00+09:00 の形で入力してください（秒は省略できます）。"
    )]
    Format { input: String },
    /// Date and time without a UTC offset.
    #[error("「{input}」には時差がありません。末尾に +09:00（日本時間）などを付けてください。")]
    MissingOffset { input: String },
    /// Well formed, but no such date, time or offset (2026-02-29, 23:60, +24:00).
    #[error("「{input}」は存在しない日時です。日付と時刻を確かめてください。")]
    NonexistentTime { input: String },
}

impl WindowError {
    /// The message in English, for `LANG=en` and `Accept-Language: en`.
    pub fn message_en(&self) -> String {
        match self {
            Self::EndNotAfterStart { starts_at, ends_at } => format!(
                "The end ({}) must be after the start ({}).",
                format_time(*ends_at),
                format_time(*starts_at)
            ),
            Self::Format { input } => format!(
                "\"{input}\" is not a date and time. Write it like 2026-12-01T01:00+09:00 \
                 (the seconds may be left out)."
            ),
            Self::MissingOffset { input } => format!(
                "\"{input}\" has no UTC offset. Add one at the end, e.g. +09:00 for Japan time."
            ),
            Self::NonexistentTime { input } => {
                format!("\"{input}\" is not a real date and time. Check the date and the time.")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Tokyo;
    use chrono::TimeZone;

    #[test]
    fn messages_name_the_times_in_jst() {
        let t = |h| {
            let t = Tokyo.with_ymd_and_hms(2026, 12, 1, h, 0, 0).unwrap();
            t.fixed_offset()
        };
        let error = WindowError::EndNotAfterStart {
            starts_at: t(3),
            ends_at: t(1),
        };
        assert_eq!(
            error.to_string(),
            "終了日時（2026-12-01T01:00+09:00）は開始日時（2026-12-01T03:00+09:00）より後にしてください。"
        );
        assert_eq!(
            error.message_en(),
            "The end (2026-12-01T01:00+09:00) must be after the start (2026-12-01T03:00+09:00)."
        );
    }

    #[test]
    fn messages_quote_the_input() {
        let error = WindowError::MissingOffset {
            input: "2026-12-01T01:00".into(),
        };
        assert!(error.to_string().contains("「2026-12-01T01:00」"));
        assert!(error.message_en().contains("\"2026-12-01T01:00\""));
    }
}
