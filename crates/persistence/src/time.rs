//! Timestamps are stored as UTC `Timestamp` columns, truncated to microseconds so that a
//! value reads back equal on both backends.

use chrono::{DateTime, NaiveDateTime, SubsecRound, Utc};

pub(crate) fn to_db(t: DateTime<Utc>) -> NaiveDateTime {
    t.naive_utc().trunc_subsecs(6)
}

pub(crate) fn from_db(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

/// A new time-ordered identifier (UUIDv7): rows sort by creation without a sequence.
pub(crate) fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
