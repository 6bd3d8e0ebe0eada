//! Consecutive failures and the lock they lead to (DESIGN §2), and the sign-in that clears
//! them.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::Conn;
use crate::error::StoreError;
use crate::schema::accounts;
use crate::time::to_db;

/// Reserves one attempt before a password is verified or identity data compared (DESIGN §2):
/// one atomic update that succeeds only while fewer than `max` consecutive failures are
/// recorded, so a parallel burst gets no more than `max` guesses. Returns the count including
/// this attempt, or `None` when no attempt is left. A success undoes it with [`clear_failures`].
pub fn reserve_attempt(
    conn: &mut Conn,
    id: &str,
    max: u32,
    now: DateTime<Utc>,
) -> Result<Option<u32>, StoreError> {
    let updated = diesel::update(
        accounts::table
            .find(id)
            .filter(accounts::failed_attempts.lt(i64::from(max)))
            .filter(
                accounts::locked_until
                    .is_null()
                    .or(accounts::locked_until.le(to_db(now))),
            ),
    )
    .set(accounts::failed_attempts.eq(accounts::failed_attempts + 1_i64))
    .execute(conn)?;
    if updated == 0 {
        return Ok(None);
    }
    let count: i64 = accounts::table
        .find(id)
        .select(accounts::failed_attempts)
        .first(conn)?;
    Ok(Some(u32::try_from(count).unwrap_or(u32::MAX)))
}

/// A lock that ended leaves its count behind; the next attempt starts from zero.
pub fn expire_lock(conn: &mut Conn, id: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
    diesel::update(
        accounts::table
            .find(id)
            .filter(accounts::locked_until.le(to_db(now))),
    )
    .set((
        accounts::failed_attempts.eq(0_i64),
        accounts::locked_until.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    Ok(())
}

/// Resets the consecutive failures after a success.
pub fn clear_failures(conn: &mut Conn, id: &str) -> Result<(), StoreError> {
    diesel::update(accounts::table.find(id))
        .set(accounts::failed_attempts.eq(0_i64))
        .execute(conn)?;
    Ok(())
}

/// Gives back the attempt a right password reserved when a second factor is still to come:
/// the wrong codes before it keep counting (clearing them would let whoever knows the password
/// guess codes forever, five at a time), and the right password costs the member no try.
pub fn give_back_attempt(conn: &mut Conn, id: &str) -> Result<(), StoreError> {
    diesel::update(
        accounts::table
            .find(id)
            .filter(accounts::failed_attempts.gt(0_i64)),
    )
    .set(accounts::failed_attempts.eq(accounts::failed_attempts - 1_i64))
    .execute(conn)?;
    Ok(())
}

/// Locks the account until `until` (the failure that reached the limit).
pub fn lock(conn: &mut Conn, id: &str, until: DateTime<Utc>) -> Result<(), StoreError> {
    diesel::update(accounts::table.find(id))
        .set(accounts::locked_until.eq(Some(to_db(until))))
        .execute(conn)?;
    Ok(())
}

/// A successful login: failures reset, the previous login kept for the member's menu.
pub fn record_login(conn: &mut Conn, id: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
    diesel::update(accounts::table.find(id))
        .set((
            accounts::failed_attempts.eq(0_i64),
            accounts::previous_login_at.eq(accounts::last_login_at),
            accounts::last_login_at.eq(Some(to_db(now))),
        ))
        .execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::tests::member;
    use crate::accounts::{create, get};
    use crate::testing::{TestDatabase, each_backend};
    use madoguchi_domain::onboarding::AccountState;

    each_backend!(a_parallel_burst_gets_no_more_than_the_allowed_attempts);
    fn a_parallel_burst_gets_no_more_than_the_allowed_attempts(db: TestDatabase) {
        let now = Utc::now();
        let account = {
            let mut conn = db.conn();
            let m = member(&mut conn);
            create(&mut conn, &m, AccountState::Active, now).unwrap()
        };
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let pool = db.pool.clone();
                let id = account.id.clone();
                std::thread::spawn(move || {
                    let mut conn = pool.get().unwrap();
                    (0..5)
                        .filter(|_| reserve_attempt(&mut conn, &id, 5, now).unwrap().is_some())
                        .count()
                })
            })
            .collect();
        let granted: usize = threads.into_iter().map(|t| t.join().unwrap()).sum();
        assert_eq!(granted, 5, "{}", db.backend);
        let mut conn = db.conn();
        lock(&mut conn, &account.id, now + chrono::Duration::minutes(30)).unwrap();
        assert_eq!(
            reserve_attempt(&mut conn, &account.id, 5, now).unwrap(),
            None
        );
        // Once the lock has ended, counting starts again.
        let later = now + chrono::Duration::minutes(31);
        expire_lock(&mut conn, &account.id, later).unwrap();
        assert_eq!(
            reserve_attempt(&mut conn, &account.id, 5, later).unwrap(),
            Some(1),
            "{}",
            db.backend
        );
        clear_failures(&mut conn, &account.id).unwrap();
        assert_eq!(get(&mut conn, &account.id).unwrap().failed_attempts, 0);
    }
}
