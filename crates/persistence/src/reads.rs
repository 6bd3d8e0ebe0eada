//! The session read on PostgreSQL without a blocking thread.
//!
//! Every request with a token reads its account (and an onboarding token its temporary
//! credential) before anything else. Through the blocking pool that read costs two thread
//! hand-offs besides the round trip to the server, and on a small machine the hand-offs cost
//! more than the query (ADR 0019). Here the same query runs on the request's own worker over an
//! asynchronous connection (`diesel-async`): one round trip, nothing else woken. A server that
//! stops answering stalls only the requests waiting for it, never the worker; the caller bounds
//! the wait.
//!
//! Only where no TLS is needed: `sslmode=disable`, or a server on this machine (loopback or a
//! Unix socket) without `sslmode=require`. Any other URL keeps to the blocking path, whose
//! libpq connection negotiates TLS as configured.

use std::net::IpAddr;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use diesel::result::Error as DieselError;
use diesel::{
    BoolExpressionMethods, Connection, ExpressionMethods, OptionalExtension, QueryDsl,
    SelectableHelper,
};
use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use tokio_postgres::config::{Host, SslMode};

use crate::accounts::view::{Joined, into_view, view_query};
use crate::accounts::{self, AccountView};
use crate::db::{Conn, Target};
use crate::email_verifications::{self, Verification, links_query};
use crate::error::StoreError;
use crate::notices::{self, unread_query};
use crate::schema::temporary_credentials as tc;
use crate::temporary_credentials::{self, TemporaryCredential};

/// What a request with a token needs first: its account, and the temporary credential its
/// token names.
pub type SessionRows = (Option<AccountView>, Option<TemporaryCredential>);

/// What the member's own page (`GET /me`) shows beside the account, read with the session
/// when the route asks for it.
#[derive(Debug)]
pub struct Menu {
    /// Notices the member sees and this account has not opened.
    pub unread: i64,
    /// The newest verification link when it is neither used nor expired (only looked up for
    /// a verified address: an unverified one has no successor waiting).
    pub open_link: Option<Verification>,
}

/// The [`Menu`] of an account on a connection of the pool; `email_verified` is the account's.
pub fn menu(
    conn: &mut Conn,
    account_id: &str,
    email_verified: bool,
    now: DateTime<Utc>,
) -> Result<Menu, StoreError> {
    Ok(Menu {
        unread: notices::unread_count(conn, account_id, now)?,
        open_link: match email_verified {
            true => email_verifications::newest_open(conn, account_id, now)?,
            false => None,
        },
    })
}

/// The session read on a connection of the pool: the account, the credential `credential_id`
/// names, and, with `menu` (the time of the request), the [`Menu`]. On SQLite, more than one
/// statement runs in one read transaction: one WAL read lock instead of one per statement,
/// which is most of a short read's cost when the workers read at once. On PostgreSQL each
/// statement runs as it comes (a transaction would add two round trips).
pub fn session(
    conn: &mut Conn,
    account_id: &str,
    credential_id: Option<&str>,
    menu: Option<DateTime<Utc>>,
) -> Result<(SessionRows, Option<Menu>), StoreError> {
    let read = |c: &mut Conn| {
        let view = accounts::view(c, account_id)?;
        let credential = match credential_id {
            Some(id) => temporary_credentials::get(c, id)?,
            None => None,
        };
        let menu = match (menu, &view) {
            (Some(now), Some(v)) => Some(self::menu(c, account_id, v.account.email_verified, now)?),
            _ => None,
        };
        Ok::<_, StoreError>(((view, credential), menu))
    };
    let statements = 1 + usize::from(credential_id.is_some()) + usize::from(menu.is_some());
    match conn {
        Conn::Sqlite(_) if statements > 1 => conn.transaction(read),
        _ => read(conn),
    }
}

/// A pool of asynchronous PostgreSQL connections for the session read. Make one per worker
/// thread: a connection's driver runs on the runtime that opened it.
pub struct SessionReads {
    pool: Pool<AsyncPgConnection>,
}

impl SessionReads {
    /// A pool of at most `max_size` connections to `target`, opened when first needed; `None`
    /// for SQLite and for a PostgreSQL URL this path may not serve (see the module's note on
    /// TLS).
    pub fn for_target(target: &Target, max_size: usize) -> Option<Self> {
        let Target::Postgres(url) = target else {
            return None;
        };
        if !served_without_tls(url) {
            return None;
        }
        let mut config = ManagerConfig::default();
        // The check-out asks the server nothing: a lost connection shows as the query's error,
        // and deadpool drops a connection whose driver has ended.
        config.recycling_method = RecyclingMethod::Fast;
        let manager =
            AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(url, config);
        Pool::builder(manager)
            .max_size(max_size)
            .build()
            .ok()
            .map(|pool| Self { pool })
    }

    /// The account with this ID, with its member and tenant, the temporary credential
    /// `credential_id` names, and with `menu` (the time) the [`Menu`]: one check-out, and the
    /// statements sent together (pipelined), so one round trip.
    pub async fn session(
        &self,
        account_id: &str,
        credential_id: Option<&str>,
        menu: Option<DateTime<Utc>>,
    ) -> Result<(SessionRows, Option<Menu>), StoreError> {
        let conn = self.conn().await?;
        let rows = {
            let mut c: &AsyncPgConnection = &conn;
            let view =
                RunQueryDsl::get_result::<Joined>(view_query!(accounts::id.eq(account_id)), &mut c);
            let credential = credential_id.map(|id| {
                RunQueryDsl::get_result::<temporary_credentials::Row>(
                    tc::table
                        .find(id)
                        .select(temporary_credentials::Row::as_select()),
                    &mut c,
                )
            });
            let menu = menu.map(|now| (now, Self::menu_on(c, account_id, now)));
            futures_util::future::try_join3(
                async { view.await.optional() },
                async {
                    match credential {
                        Some(read) => read.await.optional(),
                        None => Ok(None),
                    }
                },
                async {
                    match menu {
                        Some((now, rows)) => rows.await.map(|rows| Some((now, rows))),
                        None => Ok(None),
                    }
                },
            )
            .await
        };
        let (view, credential, menu) = settled(conn, rows.map_err(StoreError::from))?;
        let view = view.map(into_view).transpose()?;
        let menu = match (menu, &view) {
            (Some((now, (unread, links))), Some(v)) => Some(Menu {
                unread,
                open_link: v
                    .account
                    .email_verified
                    .then(|| email_verifications::open_of(links, now))
                    .flatten(),
            }),
            _ => None,
        };
        Ok(((view, credential.map(TemporaryCredential::from)), menu))
    }

    /// The [`Menu`] of an account, read on its own (after a change of the account).
    pub async fn menu(
        &self,
        account_id: &str,
        email_verified: bool,
        now: DateTime<Utc>,
    ) -> Result<Menu, StoreError> {
        let conn = self.conn().await?;
        let rows = Self::menu_on(&conn, account_id, now).await;
        let (unread, links) = settled(conn, rows.map_err(StoreError::from))?;
        Ok(Menu {
            unread,
            open_link: email_verified
                .then(|| email_verifications::open_of(links, now))
                .flatten(),
        })
    }

    /// The unread count and the account's links (the same queries as the blocking path's:
    /// `unread_query!`, `links_query!`), sent together.
    fn menu_on<'a>(
        mut c: &'a AsyncPgConnection,
        account_id: &'a str,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<(i64, Vec<email_verifications::Row>), DieselError>> + 'a {
        let unread = RunQueryDsl::get_result::<i64>(unread_query!(account_id, now), &mut c);
        let links = RunQueryDsl::load::<email_verifications::Row>(links_query!(account_id), &mut c);
        futures_util::future::try_join(unread, links)
    }

    async fn conn(&self) -> Result<Object<AsyncPgConnection>, StoreError> {
        self.pool
            .get()
            .await
            .map_err(|e| StoreError::Connect(e.to_string()))
    }
}

/// The result of reads by key on `conn`. A server that refuses such a read is shutting down,
/// ended the session or lacks resources: the connection is not used again, and the read counts
/// as the database being away.
fn settled<T>(
    conn: Object<AsyncPgConnection>,
    result: Result<T, StoreError>,
) -> Result<T, StoreError> {
    match result {
        Err(StoreError::Query(DieselError::DatabaseError(_, info))) => {
            drop(Object::take(conn));
            Err(StoreError::Connect(format!(
                "the server ended the read: {}",
                info.message()
            )))
        }
        other => other,
    }
}

/// Whether `url` names a PostgreSQL server that needs no TLS: `sslmode=disable`, or a server on
/// this machine without `sslmode=require`.
fn served_without_tls(url: &str) -> bool {
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return false;
    }
    // Parameters only libpq knows (sslrootcert, …) fail here: the blocking path takes them.
    let Ok(config) = tokio_postgres::Config::from_str(url) else {
        return false;
    };
    let local = !config.get_hosts().is_empty()
        && config.get_hosts().iter().all(|host| match host {
            Host::Tcp(name) => {
                name == "localhost" || IpAddr::from_str(name).is_ok_and(|ip| ip.is_loopback())
            }
            Host::Unix(_) => true,
        });
    match config.get_ssl_mode() {
        SslMode::Disable => true,
        SslMode::Prefer => local,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::served_without_tls;

    #[test]
    fn only_urls_that_need_no_tls_are_served() {
        for url in [
            "postgres://postgres@127.0.0.1:5432/test",
            "postgresql://u:p@localhost/db",
            "postgres://u@[::1]:5432/db",
            "postgres://u@db.example.jp/db?sslmode=disable",
        ] {
            assert!(served_without_tls(url), "{url}");
        }
        for url in [
            "postgres://u@db.example.jp/db",
            "postgres://u@127.0.0.1/db?sslmode=require",
            "postgres://u@10.0.0.5/db?sslmode=prefer",
            "postgres://u@127.0.0.1/db?sslrootcert=/etc/ca.pem",
            "sqlite://madoguchi.sqlite",
        ] {
            assert!(!served_without_tls(url), "{url}");
        }
    }
}
