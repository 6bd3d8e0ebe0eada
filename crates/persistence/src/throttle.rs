//! Throttle counters in the database, so every server of a deployment shares them (DESIGN §3).
//! A counter is a fixed window that starts at its first hit.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamp};

use crate::db::Conn;
use crate::error::StoreError;
use crate::schema::throttle_counters as tc;
use crate::time::{from_db, to_db};

#[derive(QueryableByName)]
struct Hits {
    #[diesel(sql_type = BigInt)]
    hits: i64,
    #[diesel(sql_type = Timestamp)]
    window_started_at: NaiveDateTime,
}

/// A counter's state after a hit or a look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count {
    pub hits: u64,
    /// When the current window ends and the count starts again from zero.
    pub resets_at: DateTime<Utc>,
}

/// Adds one hit to `key` and returns the count in the current window. One statement on both
/// backends (an upsert), so racing servers never lose a hit.
pub fn hit(
    conn: &mut Conn,
    key: &str,
    window: Duration,
    now: DateTime<Utc>,
) -> Result<Count, StoreError> {
    upsert(conn, key, window, i64::MAX, now)?.ok_or(StoreError::NotFound)
}

/// Reserves one hit of `key` when fewer than `limit` were counted in the current window:
/// `Ok(count)` with the hit counted, or `Err(count)` (nothing added) when the limit is used up.
/// One atomic statement, so a parallel burst gets no more than `limit` reservations however
/// many servers serve it; [`give_back`] returns a reservation that turned out not to count.
pub fn reserve(
    conn: &mut Conn,
    key: &str,
    window: Duration,
    limit: u64,
    now: DateTime<Utc>,
) -> Result<Result<Count, Count>, StoreError> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    match upsert(conn, key, window, limit, now)? {
        Some(count) => Ok(Ok(count)),
        None => Ok(Err(peek(conn, key, window, now)?)),
    }
}

/// Takes back one hit of `key` in the current window (a reserved attempt that succeeded).
pub fn give_back(
    conn: &mut Conn,
    key: &str,
    window: Duration,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    diesel::update(
        tc::table
            .find(key)
            .filter(tc::hits.gt(0_i64))
            .filter(tc::window_started_at.gt(to_db(now - window))),
    )
    .set(tc::hits.eq(tc::hits - 1_i64))
    .execute(conn)?;
    Ok(())
}

/// The one upsert behind [`hit`] and [`reserve`]: a window that is over starts again at one;
/// otherwise the count grows while it is below `limit`. `None` when the limit refused the hit.
fn upsert(
    conn: &mut Conn,
    key: &str,
    window: Duration,
    limit: i64,
    now: DateTime<Utc>,
) -> Result<Option<Count>, StoreError> {
    const UPSERT: &str = "INSERT INTO throttle_counters (key, window_started_at, hits) VALUES (#1, #2, 1) \
        ON CONFLICT (key) DO UPDATE SET \
        hits = CASE WHEN throttle_counters.window_started_at <= #3 THEN 1 ELSE throttle_counters.hits + 1 END, \
        window_started_at = CASE WHEN throttle_counters.window_started_at <= #3 \
            THEN excluded.window_started_at ELSE throttle_counters.window_started_at END \
        WHERE throttle_counters.window_started_at <= #3 OR throttle_counters.hits < #4 \
        RETURNING hits, window_started_at";
    let cutoff = to_db(now - window);
    let row: Option<Hits> = match conn {
        Conn::Postgresql(pg) => diesel::sql_query(
            UPSERT
                .replace("#1", "$1")
                .replace("#2", "$2")
                .replace("#3", "$3")
                .replace("#4", "$4"),
        )
        .bind::<Text, _>(key)
        .bind::<Timestamp, _>(to_db(now))
        .bind::<Timestamp, _>(cutoff)
        .bind::<BigInt, _>(limit)
        .get_result(pg)
        .optional()?,
        Conn::Sqlite(lite) => diesel::sql_query(
            UPSERT
                .replace("#1", "?1")
                .replace("#2", "?2")
                .replace("#3", "?3")
                .replace("#4", "?4"),
        )
        .bind::<Text, _>(key)
        .bind::<Timestamp, _>(to_db(now))
        .bind::<Timestamp, _>(cutoff)
        .bind::<BigInt, _>(limit)
        .get_result(lite)
        .optional()?,
    };
    Ok(row.map(|row| Count {
        hits: u64::try_from(row.hits).unwrap_or(0),
        resets_at: from_db(row.window_started_at) + window,
    }))
}

/// The count in the current window without adding to it.
pub fn peek(
    conn: &mut Conn,
    key: &str,
    window: Duration,
    now: DateTime<Utc>,
) -> Result<Count, StoreError> {
    let row: Option<(NaiveDateTime, i64)> = tc::table
        .find(key)
        .filter(tc::window_started_at.gt(to_db(now - window)))
        .select((tc::window_started_at, tc::hits))
        .first(conn)
        .optional()?;
    Ok(match row {
        Some((started, hits)) => Count {
            hits: u64::try_from(hits).unwrap_or(0),
            resets_at: from_db(started) + window,
        },
        None => Count {
            hits: 0,
            resets_at: now,
        },
    })
}

/// Removes counters whose window ended before `now - window` (housekeeping).
pub fn prune(conn: &mut Conn, window: Duration, now: DateTime<Utc>) -> Result<usize, StoreError> {
    Ok(
        diesel::delete(tc::table.filter(tc::window_started_at.le(to_db(now - window))))
            .execute(conn)?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{TestDatabase, each_backend};

    each_backend!(hits_count_within_a_window_and_restart_after_it);
    fn hits_count_within_a_window_and_restart_after_it(db: TestDatabase) {
        let mut conn = db.conn();
        let t0 = Utc::now();
        let w = Duration::minutes(10);
        assert_eq!(
            hit(&mut conn, "login:192.0.2.1", w, t0).unwrap().hits,
            1,
            "{}",
            db.backend
        );
        assert_eq!(
            hit(&mut conn, "login:192.0.2.1", w, t0 + Duration::minutes(1))
                .unwrap()
                .hits,
            2
        );
        assert_eq!(
            hit(&mut conn, "login:198.51.100.1", w, t0).unwrap().hits,
            1,
            "keys are separate"
        );
        let seen = peek(&mut conn, "login:192.0.2.1", w, t0 + Duration::minutes(2)).unwrap();
        assert_eq!(seen.hits, 2, "{}", db.backend);
        assert_eq!(seen.resets_at, from_db(to_db(t0)) + w);
        let later = hit(&mut conn, "login:192.0.2.1", w, t0 + Duration::minutes(10)).unwrap();
        assert_eq!(later.hits, 1, "{}: a new window", db.backend);
        assert_eq!(peek(&mut conn, "none", w, t0).unwrap().hits, 0);
        assert_eq!(
            prune(&mut conn, w, t0 + Duration::minutes(30)).unwrap(),
            2,
            "{}",
            db.backend
        );
    }

    each_backend!(racing_hits_are_all_counted);
    fn racing_hits_are_all_counted(db: TestDatabase) {
        let now = Utc::now();
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let pool = db.pool.clone();
                std::thread::spawn(move || {
                    let mut conn = pool.get().unwrap();
                    for _ in 0..25 {
                        hit(&mut conn, "k", Duration::minutes(10), now).unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(
            peek(&mut db.conn(), "k", Duration::minutes(10), now)
                .unwrap()
                .hits,
            100,
            "{}",
            db.backend
        );
    }

    each_backend!(reservations_stop_at_the_limit_and_come_back_when_given_back);
    fn reservations_stop_at_the_limit_and_come_back_when_given_back(db: TestDatabase) {
        let mut conn = db.conn();
        let t0 = Utc::now();
        let w = Duration::minutes(10);
        for n in 1..=3 {
            let got = reserve(&mut conn, "r", w, 3, t0).unwrap();
            assert_eq!(got.map(|c| c.hits), Ok(n), "{}", db.backend);
        }
        let refused = reserve(&mut conn, "r", w, 3, t0).unwrap().unwrap_err();
        assert_eq!(
            refused.hits, 3,
            "{}: nothing added past the limit",
            db.backend
        );
        assert_eq!(refused.resets_at, from_db(to_db(t0)) + w);
        give_back(&mut conn, "r", w, t0).unwrap();
        assert_eq!(peek(&mut conn, "r", w, t0).unwrap().hits, 2);
        assert!(reserve(&mut conn, "r", w, 3, t0).unwrap().is_ok());
        let next_window = t0 + Duration::minutes(10);
        assert_eq!(
            reserve(&mut conn, "r", w, 3, next_window)
                .unwrap()
                .map(|c| c.hits),
            Ok(1),
            "{}: a new window starts at one",
            db.backend
        );
        give_back(&mut conn, "none", w, t0).unwrap();
        assert_eq!(peek(&mut conn, "none", w, t0).unwrap().hits, 0);
    }

    each_backend!(a_parallel_burst_gets_no_more_reservations_than_the_limit);
    fn a_parallel_burst_gets_no_more_reservations_than_the_limit(db: TestDatabase) {
        let now = Utc::now();
        let threads: Vec<_> = (0..6)
            .map(|_| {
                let pool = db.pool.clone();
                std::thread::spawn(move || {
                    let mut conn = pool.get().unwrap();
                    (0..20)
                        .filter(|_| {
                            reserve(&mut conn, "burst", Duration::minutes(10), 60, now)
                                .unwrap()
                                .is_ok()
                        })
                        .count()
                })
            })
            .collect();
        let granted: usize = threads.into_iter().map(|t| t.join().unwrap()).sum();
        assert_eq!(granted, 60, "{}: 120 tries, limit 60", db.backend);
    }
}
