//! Registration: the member's own user ID, password and e-mail address make a Provisioned
//! account Active.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use madoguchi_domain::onboarding::AccountState;

use crate::db::Conn;
use crate::error::StoreError;
use crate::schema::accounts;
use crate::time::to_db;

/// The member's own credentials, chosen at registration (its `Debug` shows the flag only).
#[derive(Clone)]
pub struct Registration<'a> {
    pub user_id: &'a str,
    pub user_id_canonical: &'a str,
    pub password_hash: &'a str,
    pub email: &'a str,
    pub notify_on_update: bool,
}

impl std::fmt::Debug for Registration<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registration")
            .field("notify_on_update", &self.notify_on_update)
            .finish_non_exhaustive()
    }
}

/// Gives a Provisioned account the member's credentials and the state the life cycle chose
/// (Active). Returns false when the account is no longer Provisioned (a racing commit won);
/// `Conflict` when the user ID is taken.
pub fn register(
    conn: &mut Conn,
    id: &str,
    state: AccountState,
    r: &Registration<'_>,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let updated = diesel::update(
        accounts::table
            .find(id)
            .filter(accounts::state.eq(AccountState::Provisioned.as_str())),
    )
    .set((
        accounts::state.eq(state.as_str()),
        accounts::user_id.eq(Some(r.user_id)),
        accounts::user_id_canonical.eq(Some(r.user_id_canonical)),
        accounts::password_hash.eq(Some(r.password_hash)),
        accounts::email.eq(Some(r.email)),
        accounts::email_verified.eq(false),
        accounts::notify_on_update.eq(r.notify_on_update),
        accounts::failed_attempts.eq(0_i64),
        accounts::session_version.eq(accounts::session_version + 1_i64),
        // The session that registers is the member's first sign-in: the next one shows it.
        accounts::last_login_at.eq(Some(to_db(now))),
        accounts::updated_at.eq(to_db(now)),
    ))
    .execute(conn)?;
    Ok(updated == 1)
}

/// Whether a user ID (canonical, lower-case) is taken by any account.
pub fn user_id_taken(conn: &mut Conn, user_id_canonical: &str) -> Result<bool, StoreError> {
    let n: i64 = accounts::table
        .filter(accounts::user_id_canonical.eq(user_id_canonical))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::tests::member;
    use crate::accounts::{bump_session, create, get, record_login, view_by_user_id};
    use crate::testing::{TestDatabase, each_backend};

    each_backend!(user_ids_are_unique_whatever_their_case);
    fn user_ids_are_unique_whatever_their_case(db: TestDatabase) {
        let mut conn = db.conn();
        let now = Utc::now();
        let m = member(&mut conn);
        let tenant_id = m.tenant_id.clone();
        let a = create(&mut conn, &m, AccountState::Active, now).unwrap();
        let entry = madoguchi_domain::roster::RosterEntry::parse(
            madoguchi_domain::roster::RosterInput {
                member_code: "1-2-00",
                family_name: "山﨑",
                given_name: "",
                family_name_kana: "",
                given_name_kana: "",
                birth_date: "19850315",
                postal_code: "",
                address: "",
            },
            chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
        )
        .unwrap();
        crate::members::import(&mut conn, &tenant_id, &[entry], false, now).unwrap();
        let m2 = crate::members::find_by_code(&mut conn, &tenant_id, "1-2-00")
            .unwrap()
            .unwrap();
        let b = create(&mut conn, &m2, AccountState::Active, now).unwrap();
        let set_user_id = |conn: &mut Conn, id: &str, user_id: &str| {
            diesel::update(accounts::table.find(id))
                .set((
                    accounts::user_id.eq(user_id),
                    accounts::user_id_canonical.eq(user_id.to_ascii_lowercase()),
                ))
                .execute(conn)
                .map_err(StoreError::from)
        };
        set_user_id(&mut conn, &a.id, "Takahashi01").unwrap();
        let err = set_user_id(&mut conn, &b.id, "TAKAHASHI01").unwrap_err();
        assert!(err.is_conflict(), "{}: {err}", db.backend);
    }

    each_backend!(registration_happens_once_and_logins_keep_the_previous_time);
    fn registration_happens_once_and_logins_keep_the_previous_time(db: TestDatabase) {
        let mut conn = db.conn();
        let now = Utc::now();
        let m = member(&mut conn);
        let account = create(&mut conn, &m, AccountState::Provisioned, now).unwrap();
        let r = Registration {
            user_id: "Takahashi01",
            user_id_canonical: "takahashi01",
            password_hash: "$argon2id$x",
            email: "ichiro@example.jp",
            notify_on_update: true,
        };
        assert!(
            register(&mut conn, &account.id, AccountState::Active, &r, now).unwrap(),
            "{}",
            db.backend
        );
        assert!(
            !register(&mut conn, &account.id, AccountState::Active, &r, now).unwrap(),
            "{}: only once",
            db.backend
        );
        assert!(user_id_taken(&mut conn, "takahashi01").unwrap());
        let v = view_by_user_id(&mut conn, "takahashi01").unwrap().unwrap();
        assert_eq!(
            (v.account.state, v.account.session_version),
            (AccountState::Active, 2)
        );
        assert_eq!(
            (
                v.member.member_code.as_str(),
                v.tenant.insurer_number.as_str()
            ),
            ("1-1-00", "06130090")
        );
        assert_eq!(v.password_hash.as_deref(), Some("$argon2id$x"));
        record_login(&mut conn, &account.id, now).unwrap();
        let later = now + chrono::Duration::hours(1);
        record_login(&mut conn, &account.id, later).unwrap();
        let after = get(&mut conn, &account.id).unwrap();
        assert_eq!(
            after.previous_login_at,
            Some(crate::time::from_db(to_db(now))),
            "{}",
            db.backend
        );
        assert_eq!(bump_session(&mut conn, &account.id, now).unwrap(), 3);
    }
}
