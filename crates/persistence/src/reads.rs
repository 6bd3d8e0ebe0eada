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
//! # Which PostgreSQL URLs take this path, and TLS
//!
//! Every other query goes through libpq on the blocking pool, so this path must never be less
//! strict about TLS than libpq is with the same URL. It takes the URLs whose TLS settings it
//! can honour that way, over rustls (with ring): `sslmode` and `sslrootcert` from the URL, else
//! from `PGSSLMODE` and `PGSSLROOTCERT`, else libpq's defaults (`prefer`, and the root
//! certificates in `~/.postgresql/root.crt` when that file exists).
//!
//! - `disable`: no TLS.
//! - `allow` and `prefer` (the default): TLS when the server offers it, else none (`allow`
//!   asks for TLS first, as `prefer` does; libpq tries plain text first). `require`: TLS or no
//!   connection. With a root certificate the server's chain is checked against it, not the
//!   name in it; without one, nothing of it (libpq's rule).
//! - `verify-ca`: TLS, the chain checked against the root certificate. `verify-full`: the
//!   host's name too (a DNS name or an IP address in the certificate's subjectAltName).
//! - `sslrootcert` is a PEM file, or `system`: Mozilla's roots, built in (`webpki-roots`). As
//!   in libpq, `system` makes `verify-full` the default and any other mode an error.
//! - On a Unix socket libpq never uses TLS: `disable` to `prefer` are served without it.
//!
//! rustls is stricter than OpenSSL: it refuses, for instance, a self-signed CA certificate as
//! the server's own (the PostgreSQL manual's simple recipe), a name found only in the CN, and
//! an X.509 v1 certificate. When rustls refuses the server's TLS (its
//! certificate, or the TLS it speaks), that read and every later one of this pool are left to
//! the blocking path, whose libpq decides as it does for every other query: it refuses what
//! both refuse (503 `unavailable`), and it may go on in plain text where the URL lets it
//! (`prefer`). One warning says so in the log. No connection of this path ever falls back to
//! plain text.
//!
//! Everything else keeps the blocking path from the start, where libpq applies or refuses it:
//! a parameter tokio-postgres does not know (client certificates `sslcert`/`sslkey`, `sslcrl`,
//! `sslsni`, …); `sslmode` or `sslrootcert` given twice; a list of hosts in a `host`
//! parameter; another `PGSSL…` variable, `PGREQUIRESSL`, `PGCHANNELBINDING` or `PGGSSENCMODE`
//! in the environment; libpq's default client certificate (`~/.postgresql/postgresql.crt`),
//! or its default revocation list (`root.crl`) beside a root certificate; `verify-ca` or
//! `verify-full` without a root certificate; a root file this path cannot read or that holds
//! none; `require` or stronger on a Unix socket; a URL without a host.

use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, Utc};
use diesel::ConnectionError;
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
use madoguchi_domain::medical::Line;
use percent_encoding::percent_decode_str;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::server::ParsedCertificate;
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio_postgres::config::{Host, SslMode};
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::accounts::view::{Joined, into_view, view_query};
use crate::accounts::{self, AccountView};
use crate::db::{Conn, Target, on_backend};
use crate::error::StoreError;
use crate::medical::{self, LineRow};
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
    /// The address of the newest verification link when it is neither used nor expired; none
    /// for an unverified address, which has no successor waiting (it is replaced at once).
    pub open_email: Option<String>,
}

impl Menu {
    /// The menu of a [`menu_query!`] row; an account that is gone has none of either.
    fn of(row: Option<MenuRow>) -> Self {
        let (unread, open_email) = row.unwrap_or_default();
        Self {
            unread: unread.unwrap_or(0),
            open_email,
        }
    }
}

/// The [`Menu`]'s two columns (the unread count, [`crate::notices::unread_column!`], and the open
/// link's address, [`crate::email_verifications::open_email_column!`]) for the account
/// `$account_id` at `$now`, on their own: after a change of the account.
macro_rules! menu_query {
    ($account_id:expr, $now:expr) => {{
        use $crate::schema::{accounts, members};
        let now = $crate::time::to_db($now);
        accounts::table
            .inner_join(members::table)
            .filter(accounts::id.eq($account_id))
            .select((
                $crate::notices::unread_column!(now),
                $crate::email_verifications::open_email_column!(now),
            ))
    }};
}

/// One row of [`menu_query!`].
type MenuRow = (Option<i64>, Option<String>);

/// The [`Menu`] of an account on a connection of the pool, in one statement.
pub fn menu(conn: &mut Conn, account_id: &str, now: DateTime<Utc>) -> Result<Menu, StoreError> {
    let row: Option<MenuRow> = on_backend!(conn, |c| {
        diesel::RunQueryDsl::get_result(menu_query!(account_id, now), c).optional()
    })?;
    Ok(Menu::of(row))
}

/// The member's page (`GET /me`) in one statement: the session's joined row ([`view_query!`]),
/// the unread count ([`crate::notices::unread_column!`]) and the open link's address
/// ([`crate::email_verifications::open_email_column!`]), for the account `$account_id` at `$now`. One
/// statement needs no transaction on SQLite (one WAL read lock, no `BEGIN`/`COMMIT` to run)
/// and is one statement for PostgreSQL's server to run.
macro_rules! page_query {
    ($account_id:expr, $now:expr) => {{
        use $crate::schema::{accounts, members, tenants};
        let now = $crate::time::to_db($now);
        accounts::table
            .inner_join(members::table.inner_join(tenants::table))
            .filter(accounts::id.eq($account_id))
            .select((
                $crate::accounts::Row::as_select(),
                accounts::password_hash,
                $crate::members::MemberRow::as_select(),
                $crate::tenants::Row::as_select(),
                $crate::notices::unread_column!(now),
                $crate::email_verifications::open_email_column!(now),
            ))
    }};
}

/// One row of [`page_query!`].
type PageRow = (
    accounts::Row,
    Option<String>,
    crate::members::MemberRow,
    crate::tenants::Row,
    Option<i64>,
    Option<String>,
);

/// What the asynchronous session read read: the session's row, or the page's.
enum Page {
    View(Option<Joined>),
    Menu(Option<PageRow>),
}

/// The view and the [`Menu`] of a [`page_query!`] row.
fn page_of(
    (account, hash, member, tenant, unread, open_email): PageRow,
) -> Result<(AccountView, Menu), StoreError> {
    let menu = Menu::of(Some((unread, open_email)));
    Ok((into_view((account, hash, member, tenant))?, menu))
}

/// The page's statement ([`page_query!`]) as PostgreSQL receives it for `account_id` at `now`:
/// its SQL with the parameters written `:p1`, `:p2`, … and their values in order, the form
/// `pgbench -M prepared` takes (`-D p1=…`). `make bench` runs it alone in pgbench to measure
/// what PostgreSQL itself can serve of `GET /me` on the machine (scripts/bench-postgres.sh).
pub fn page_statement_postgres(account_id: &str, now: DateTime<Utc>) -> (String, Vec<String>) {
    let query = page_query!(account_id, now);
    let text = diesel::debug_query::<diesel::pg::Pg, _>(&query).to_string();
    let (sql, binds) = text.split_once(" -- binds: ").unwrap_or((&text, "[]"));
    let values: Vec<String> = binds
        .trim_start_matches('[')
        .trim_end_matches(']')
        .split(", ")
        .filter(|v| !v.is_empty())
        .map(|v| {
            let v = v.trim_matches('"');
            // Timestamps print as chrono's `Debug` (`2026-12-02T17:00:00.123`).
            match chrono::NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M:%S%.f") {
                Ok(t) => t.format("%Y-%m-%d %H:%M:%S%.6f").to_string(),
                Err(_) => v.to_owned(),
            }
        })
        .collect();
    // From the highest number down, so that `$1` never rewrites the start of `$12`.
    let sql = (1..=values.len()).rev().fold(sql.to_owned(), |sql, n| {
        sql.replace(&format!("${n}"), &format!(":p{n}"))
    });
    (sql, values)
}

/// The session read on a connection of the pool: the account, the credential `credential_id`
/// names, and, with `menu` (the time of the request), the [`Menu`], read with the account in
/// one statement ([`page_query!`]). On SQLite, more than one statement runs in one read
/// transaction: one WAL read lock instead of one per statement, which is most of a short
/// read's cost when the workers read at once. On PostgreSQL each statement runs as it comes
/// (a transaction would add two round trips).
pub fn session(
    conn: &mut Conn,
    account_id: &str,
    credential_id: Option<&str>,
    menu: Option<DateTime<Utc>>,
) -> Result<(SessionRows, Option<Menu>), StoreError> {
    let read = |c: &mut Conn| {
        let (view, menu) = match menu {
            Some(now) => {
                let row: Option<PageRow> = on_backend!(c, |c| {
                    diesel::RunQueryDsl::get_result(page_query!(account_id, now), c).optional()
                })?;
                match row.map(page_of).transpose()? {
                    Some((view, menu)) => (Some(view), Some(menu)),
                    None => (None, None),
                }
            }
            None => (accounts::view(c, account_id)?, None),
        };
        let credential = match credential_id {
            Some(id) => temporary_credentials::get(c, id)?,
            None => None,
        };
        Ok::<_, StoreError>(((view, credential), menu))
    };
    match conn {
        Conn::Sqlite(_) if credential_id.is_some() => conn.transaction(read),
        _ => read(conn),
    }
}

/// A pool of asynchronous PostgreSQL connections for the session read. Make one per worker
/// thread: a connection's driver runs on the runtime that opened it.
pub struct SessionReads {
    pool: Pool<AsyncPgConnection>,
    /// Set when rustls refused the server's TLS: from then on libpq decides (see the module's
    /// note).
    refused: Arc<AtomicBool>,
}

impl SessionReads {
    /// A pool of at most `max_size` connections to `target`, opened when first needed; `None`
    /// for SQLite and for a PostgreSQL URL this path may not serve (see the module's note on
    /// TLS).
    pub fn for_target(target: &Target, max_size: usize) -> Option<Self> {
        let Target::Postgres(url) = target else {
            return None;
        };
        let route = route(url, &Outside::of_this_process())?;
        let tls = connector(&route.check)?;
        let postgres = route.config;
        let refused = Arc::new(AtomicBool::new(false));
        let refuse = Arc::clone(&refused);
        let mut config = ManagerConfig::default();
        // The check-out asks the server nothing: a lost connection shows as the query's error,
        // and deadpool drops a connection whose driver has ended.
        config.recycling_method = RecyclingMethod::Fast;
        config.custom_setup = Box::new(move |_| {
            let (postgres, tls, refuse) = (postgres.clone(), tls.clone(), Arc::clone(&refuse));
            Box::pin(async move {
                let (client, connection) = postgres.connect(tls).await.map_err(|e| {
                    let reason = with_causes(&e);
                    if refused_by_rustls(&e) && !refuse.swap(true, Ordering::Relaxed) {
                        tracing::warn!(
                            error = %reason,
                            "rustls refused the database server's TLS: session reads go \
                             through libpq, which decides as for every other query"
                        );
                    }
                    ConnectionError::BadConnection(reason)
                })?;
                AsyncPgConnection::try_from_client_and_connection(client, connection).await
            })
        });
        let manager =
            AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(url, config);
        Pool::builder(manager)
            .max_size(max_size)
            .build()
            .ok()
            .map(|pool| Self { pool, refused })
    }

    /// Whether this path still serves the session read: not once rustls has refused the
    /// server's TLS.
    pub fn serves(&self) -> bool {
        // Not `.load`: diesel-async's `RunQueryDsl` has one too.
        !AtomicBool::load(&self.refused, Ordering::Relaxed)
    }

    /// The account with this ID, with its member and tenant, the temporary credential
    /// `credential_id` names, and with `menu` (the time) the [`Menu`]: one check-out, and the
    /// statements sent together (pipelined), so one round trip. `None` when this path no
    /// longer serves the read: read it on the blocking path.
    pub async fn session(
        &self,
        account_id: &str,
        credential_id: Option<&str>,
        menu: Option<DateTime<Utc>>,
    ) -> Result<Option<(SessionRows, Option<Menu>)>, StoreError> {
        let Some(conn) = self.conn().await? else {
            return Ok(None);
        };
        let rows = {
            let c: &AsyncPgConnection = &conn;
            let page = async move {
                let mut c = c;
                match menu {
                    Some(now) => {
                        RunQueryDsl::get_result::<PageRow>(page_query!(account_id, now), &mut c)
                            .await
                            .optional()
                            .map(Page::Menu)
                    }
                    None => RunQueryDsl::get_result::<Joined>(
                        view_query!(accounts::id.eq(account_id)),
                        &mut c,
                    )
                    .await
                    .optional()
                    .map(Page::View),
                }
            };
            let credential = async move {
                let mut c = c;
                match credential_id {
                    Some(id) => RunQueryDsl::get_result::<temporary_credentials::Row>(
                        tc::table
                            .find(id)
                            .select(temporary_credentials::Row::as_select()),
                        &mut c,
                    )
                    .await
                    .optional(),
                    None => Ok(None),
                }
            };
            futures_util::future::try_join(page, credential).await
        };
        let (page, credential) = settled(conn, rows.map_err(StoreError::from))?;
        let (view, menu) = match page {
            Page::View(row) => (row.map(into_view).transpose()?, None),
            Page::Menu(row) => match row.map(page_of).transpose()? {
                Some((view, menu)) => (Some(view), Some(menu)),
                None => (None, None),
            },
        };
        Ok(Some((
            (view, credential.map(TemporaryCredential::from)),
            menu,
        )))
    }

    /// The [`Menu`] of an account, read on its own (after a change of the account, with
    /// [`menu_query!`]); `None` as for [`Self::session`].
    pub async fn menu(
        &self,
        account_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Menu>, StoreError> {
        let Some(conn) = self.conn().await? else {
            return Ok(None);
        };
        let mut c: &AsyncPgConnection = &conn;
        let row = RunQueryDsl::get_result::<MenuRow>(menu_query!(account_id, now), &mut c)
            .await
            .optional();
        let row = settled(conn, row.map_err(StoreError::from))?;
        Ok(Some(Menu::of(row)))
    }

    /// The household's year of medical expenses (`GET /me/medical-expenses`): the years it has
    /// rows in (latest first), and its lines of `year`, else of the latest of those years, else
    /// of `default_year`, with that year. The two queries are the blocking path's
    /// (`medical::household_years`, `medical::household_year`); with `year` given they are sent
    /// together (one round trip). `None` as for [`Self::session`].
    pub async fn household(
        &self,
        member_id: &str,
        year: Option<i32>,
        default_year: i32,
    ) -> Result<Option<(i32, Vec<Line>, Vec<i32>)>, StoreError> {
        let Some(conn) = self.conn().await? else {
            return Ok(None);
        };
        let rows = {
            let c: &AsyncPgConnection = &conn;
            let months = async move {
                let mut c = c;
                RunQueryDsl::load::<i64>(medical::months_query!(member_id), &mut c).await
            };
            let lines = |year: i32| async move {
                let mut c = c;
                RunQueryDsl::load::<LineRow>(medical::year_query!(member_id, year), &mut c).await
            };
            match year {
                Some(year) => futures_util::future::try_join(months, lines(year))
                    .await
                    .map(|(months, rows)| (year, rows, months)),
                None => match months.await {
                    Ok(months) => {
                        let newest = months
                            .iter()
                            .max()
                            .and_then(|m| i32::try_from(m / 100).ok());
                        let year = newest.unwrap_or(default_year);
                        lines(year).await.map(|rows| (year, rows, months))
                    }
                    Err(e) => Err(e),
                },
            }
        };
        let (year, rows, months) = settled(conn, rows.map_err(StoreError::from))?;
        Ok(Some((
            year,
            medical::lines_of(rows),
            medical::years_of(months),
        )))
    }

    /// A connection of the pool; `None` when this path does not serve, or no longer does once
    /// rustls has refused the server's TLS in opening it.
    async fn conn(&self) -> Result<Option<Object<AsyncPgConnection>>, StoreError> {
        if !self.serves() {
            return Ok(None);
        }
        match self.pool.get().await {
            Ok(conn) => Ok(Some(conn)),
            Err(_) if !self.serves() => Ok(None),
            Err(e) => Err(StoreError::Connect(e.to_string())),
        }
    }
}

/// For this crate's tests: asynchronous connections to `db`'s database and a runtime to await
/// their reads on, when it is PostgreSQL; `None` on SQLite.
#[cfg(test)]
pub(crate) fn test_reads(
    db: &crate::testing::TestDatabase,
) -> Option<(SessionReads, tokio::runtime::Runtime)> {
    let Target::Postgres(_) = db.pool.target() else {
        return None;
    };
    let reads = SessionReads::for_target(db.pool.target(), 1).expect("a PostgreSQL URL");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    Some((reads, runtime))
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

/// How this path reaches a PostgreSQL URL.
#[derive(Debug)]
struct Route {
    /// The URL as tokio-postgres reads it, with the `sslmode` it knows for libpq's.
    config: tokio_postgres::Config,
    check: Check,
}

/// What is checked of the server's certificate when the connection uses TLS. The handshake's
/// signature is always checked: the server holds the certificate's key.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Check {
    /// Nothing more (`allow`, `prefer` and `require` without a root certificate).
    Nothing,
    /// Its chain up to the roots, not the name in it (`verify-ca`, and `allow` to `require`
    /// with a root certificate).
    Chain(Roots),
    /// Its chain and the host's name (`verify-full`).
    Full(Roots),
}

/// The root certificates a check trusts.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Roots {
    /// The certificates of a PEM file.
    File(PathBuf),
    /// Mozilla's roots, built in (`sslrootcert=system`).
    System,
}

/// What libpq reads besides the URL about TLS: its environment and its default files.
#[derive(Debug, Default)]
struct Outside {
    /// `PGSSLMODE`.
    sslmode: Option<String>,
    /// `PGSSLROOTCERT`.
    sslrootcert: Option<String>,
    /// A variable libpq reads about TLS or encryption that this path does not honour.
    unhonoured: Option<String>,
    /// libpq's folder of default certificates, `~/.postgresql`.
    folder: Option<PathBuf>,
}

impl Outside {
    fn of_this_process() -> Self {
        let unhonoured = std::env::vars_os()
            .filter_map(|(name, _)| name.into_string().ok())
            .find(|name| {
                (name.starts_with("PGSSL") && name != "PGSSLMODE" && name != "PGSSLROOTCERT")
                    || ["PGREQUIRESSL", "PGCHANNELBINDING", "PGGSSENCMODE"].contains(&name.as_str())
            });
        // Lossy: a value that is not UTF-8 names no mode and no readable file.
        let var = |name| std::env::var_os(name).map(|v| v.to_string_lossy().into_owned());
        Self {
            sslmode: var("PGSSLMODE"),
            sslrootcert: var("PGSSLROOTCERT"),
            unhonoured,
            folder: std::env::home_dir().map(|home| home.join(".postgresql")),
        }
    }
}

/// How this path reaches `url` with libpq's TLS settings, `None` when it leaves the URL to the
/// blocking path (see the module's note).
fn route(url: &str, outside: &Outside) -> Option<Route> {
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return None;
    }
    if outside.unhonoured.is_some() {
        return None;
    }
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let decode = |s: &str| percent_decode_str(s).decode_utf8().ok().map(String::from);
    let (mut sslmode, mut sslrootcert, mut rest) = (None, None, Vec::new());
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let slot = match decode(key)?.as_str() {
            "sslmode" => &mut sslmode,
            "sslrootcert" => &mut sslrootcert,
            // libpq tries each host of a list; tokio-postgres would read this one as a path.
            "host" if decode(value)?.contains(',') => return None,
            _ => {
                rest.push(pair);
                continue;
            }
        };
        if slot.replace(decode(value)?).is_some() {
            return None;
        }
    }
    let rest = match rest.is_empty() {
        true => base.to_owned(),
        false => format!("{base}?{}", rest.join("&")),
    };
    // Any parameter tokio-postgres does not know fails here.
    let mut config = tokio_postgres::Config::from_str(&rest).ok()?;

    let rootcert = sslrootcert
        .or_else(|| outside.sslrootcert.clone())
        .filter(|name| !name.is_empty());
    let system = rootcert.as_deref() == Some("system");
    let mode = sslmode
        .or_else(|| outside.sslmode.clone())
        .unwrap_or_else(|| if system { "verify-full" } else { "prefer" }.to_owned());
    if system && mode != "verify-full" {
        return None;
    }
    let default_file = |name: &str| {
        outside
            .folder
            .as_ref()
            .map(|folder| folder.join(name))
            .filter(|path| path.exists())
    };
    let roots = match rootcert {
        Some(_) if system => Some(Roots::System),
        Some(file) => Some(Roots::File(PathBuf::from(file))),
        None => default_file("root.crt").map(Roots::File),
    };
    let (ssl_mode, check) = match mode.as_str() {
        "disable" => (SslMode::Disable, Check::Nothing),
        "allow" | "prefer" => (SslMode::Prefer, roots.map_or(Check::Nothing, Check::Chain)),
        "require" => (SslMode::Require, roots.map_or(Check::Nothing, Check::Chain)),
        "verify-ca" => (SslMode::Require, Check::Chain(roots?)),
        "verify-full" => (SslMode::Require, Check::Full(roots?)),
        _ => return None,
    };

    let hosts = config.get_hosts();
    let unix = hosts.iter().filter(|h| matches!(h, Host::Unix(_))).count();
    let ssl_mode = match ssl_mode {
        _ if hosts.is_empty() => return None,
        SslMode::Disable => SslMode::Disable,
        // libpq never uses TLS on a Unix socket.
        SslMode::Prefer if unix == hosts.len() => SslMode::Disable,
        _ if unix > 0 => return None,
        other => other,
    };
    if ssl_mode != SslMode::Disable
        && (default_file("postgresql.crt").is_some()
            || check != Check::Nothing && default_file("root.crl").is_some())
    {
        return None;
    }
    config.ssl_mode(ssl_mode);
    let check = match ssl_mode {
        SslMode::Disable => Check::Nothing,
        _ => check,
    };
    Some(Route { config, check })
}

/// The TLS connector for `check`, on rustls with ring; `None` when its root certificates
/// cannot be read.
fn connector(check: &Check) -> Option<MakeRustlsConnect> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let algorithms = provider.signature_verification_algorithms;
    let verifier: Arc<dyn ServerCertVerifier> = match check {
        Check::Nothing => Arc::new(WithoutName {
            roots: None,
            algorithms,
        }),
        Check::Chain(roots) => Arc::new(WithoutName {
            roots: Some(Arc::new(root_store(roots)?)),
            algorithms,
        }),
        Check::Full(roots) => WebPkiServerVerifier::builder_with_provider(
            Arc::new(root_store(roots)?),
            provider.clone(),
        )
        .build()
        .ok()?,
    };
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .ok()?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    // PostgreSQL 17's direct TLS (`sslnegotiation=direct`) requires it; earlier servers ignore it.
    config.alpn_protocols = vec![b"postgresql".to_vec()];
    Some(MakeRustlsConnect::new(config))
}

/// The certificates of `roots`; `None` for a file that cannot be read or holds none.
fn root_store(roots: &Roots) -> Option<RootCertStore> {
    match roots {
        Roots::System => Some(RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        }),
        Roots::File(path) => {
            let mut store = RootCertStore::empty();
            for cert in CertificateDer::pem_file_iter(path).ok()? {
                store.add(cert.ok()?).ok()?;
            }
            (!store.is_empty()).then_some(store)
        }
    }
}

/// libpq's check below `verify-full`: the chain up to the roots when there are some, never the
/// name in the certificate; the handshake's signature always.
#[derive(Debug)]
struct WithoutName {
    roots: Option<Arc<RootCertStore>>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for WithoutName {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Some(roots) = &self.roots {
            rustls::client::verify_server_cert_signed_by_trust_anchor(
                &ParsedCertificate::try_from(end_entity)?,
                roots,
                intermediates,
                now,
                self.algorithms.all,
            )?;
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// Whether `error` is rustls refusing the server's TLS: its certificate, or the TLS it speaks.
fn refused_by_rustls(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(e) = cause {
        // tokio-rustls hands rustls's error over inside an I/O error, whose `source` skips it.
        let inner = e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .map(|inner| inner as &(dyn std::error::Error + 'static));
        if e.is::<rustls::Error>() || inner.is_some_and(|inner| inner.is::<rustls::Error>()) {
            return true;
        }
        cause = e.source();
    }
    false
}

/// An error with the errors that caused it: tokio-postgres says "error performing TLS
/// handshake" and leaves the reason to its source.
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(e) = cause {
        text.push_str(": ");
        text.push_str(&e.to_string());
        cause = e.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::time::Duration;

    use tokio_postgres::config::SslMode;

    use super::{
        Check, Outside, Roots, SessionReads, connector, refused_by_rustls, root_store, route,
    };
    use crate::db::Target;

    /// The page's statement for pgbench: every parameter named `:pN` and given a value that
    /// PostgreSQL reads (the account's ID as is, timestamps without chrono's `T`).
    #[test]
    fn the_page_statement_for_pgbench_names_every_parameter() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-12-02T09:30:00.25Z")
            .map(|t| t.to_utc())
            .unwrap_or_default();
        let (sql, values) = super::page_statement_postgres("01a2-acc", now);
        assert!(!sql.contains('$'), "a parameter left unnamed: {sql}");
        assert!(sql.starts_with("SELECT "), "{sql}");
        for n in 1..=values.len() {
            assert!(sql.contains(&format!(":p{n}")), ":p{n} missing: {sql}");
        }
        assert!(!sql.contains(&format!(":p{}", values.len() + 1)));
        assert!(values.contains(&"01a2-acc".to_owned()), "{values:?}");
        assert!(
            values.contains(&"2026-12-02 09:30:00.250000".to_owned()),
            "{values:?}"
        );
    }

    /// The `sslmode` tokio-postgres is given and the check, or `None` for the blocking path.
    fn routed(url: &str, outside: &Outside) -> Option<(SslMode, Check)> {
        route(url, outside).map(|r| (r.config.get_ssl_mode(), r.check))
    }

    fn file(path: &str) -> Roots {
        Roots::File(PathBuf::from(path))
    }

    #[test]
    fn libpq_modes_over_tcp() {
        let none = Outside::default();
        for (url, expected) in [
            (
                "postgres://postgres@127.0.0.1:5432/test",
                (SslMode::Prefer, Check::Nothing),
            ),
            (
                "postgresql://u:p@localhost/db",
                (SslMode::Prefer, Check::Nothing),
            ),
            (
                "postgres://u@db.example.jp/db",
                (SslMode::Prefer, Check::Nothing),
            ),
            (
                "postgres://u@[::1]:5432/db?sslmode=disable",
                (SslMode::Disable, Check::Nothing),
            ),
            (
                "postgres://u@db.example.jp/db?sslmode=allow",
                (SslMode::Prefer, Check::Nothing),
            ),
            (
                "postgres://u@db.example.jp/db?sslmode=prefer",
                (SslMode::Prefer, Check::Nothing),
            ),
            (
                "postgres://u@db.example.jp/db?sslmode=require",
                (SslMode::Require, Check::Nothing),
            ),
            (
                "postgres://u@db.example.jp/db?sslmode=require&sslrootcert=/etc/ca.pem",
                (SslMode::Require, Check::Chain(file("/etc/ca.pem"))),
            ),
            (
                "postgres://u@db.example.jp/db?sslrootcert=/etc/ca.pem",
                (SslMode::Prefer, Check::Chain(file("/etc/ca.pem"))),
            ),
            (
                "postgres://u@db.example.jp/db?sslmode=verify-ca&sslrootcert=/etc/ca.pem",
                (SslMode::Require, Check::Chain(file("/etc/ca.pem"))),
            ),
            (
                "postgres://u@db.example.jp/db?sslrootcert=/etc/ca.pem&sslmode=verify-full",
                (SslMode::Require, Check::Full(file("/etc/ca.pem"))),
            ),
            (
                "postgres://u@db.example.jp/db?sslmode=verify-full&sslrootcert=%2Fetc%2Fmy%20ca.pem",
                (SslMode::Require, Check::Full(file("/etc/my ca.pem"))),
            ),
            (
                "postgres://u@db.example.jp/db?sslrootcert=system",
                (SslMode::Require, Check::Full(Roots::System)),
            ),
            (
                "postgres://u@db.example.jp/db?sslmode=verify-full&sslrootcert=system",
                (SslMode::Require, Check::Full(Roots::System)),
            ),
            (
                "postgres://u@db.example.jp/db?sslmode=disable&sslrootcert=/etc/ca.pem",
                (SslMode::Disable, Check::Nothing),
            ),
        ] {
            assert_eq!(routed(url, &none), Some(expected), "{url}");
        }
    }

    #[test]
    fn the_other_parameters_reach_tokio_postgres() {
        let url = "postgres://u:p%40ss@db.example.jp:6432/madoguchi?application_name=portal\
                   &sslmode=require&connect_timeout=5";
        let config = route(url, &Outside::default()).expect("served").config;
        assert_eq!(config.get_application_name(), Some("portal"));
        assert_eq!(config.get_connect_timeout(), Some(&Duration::from_secs(5)));
        assert_eq!(config.get_password(), Some(&b"p@ss"[..]));
        assert_eq!(config.get_ports(), [6432]);
        assert_eq!(config.get_dbname(), Some("madoguchi"));
    }

    #[test]
    fn unix_sockets_never_use_tls() {
        let none = Outside::default();
        for url in [
            "postgres://u@%2Fvar%2Frun%2Fpostgresql/db",
            "postgres://u@/db?host=/var/run/postgresql",
            "postgres://u@/db?host=/var/run/postgresql&sslmode=prefer",
            "postgres://u@/db?host=/var/run/postgresql&sslmode=allow&sslrootcert=/etc/ca.pem",
            "postgres://u@/db?host=/var/run/postgresql&sslmode=disable",
            "postgres://u@db.example.jp,%2Ftmp/db?sslmode=disable",
        ] {
            assert_eq!(
                routed(url, &none),
                Some((SslMode::Disable, Check::Nothing)),
                "{url}"
            );
        }
    }

    #[test]
    fn what_this_path_cannot_honour_keeps_the_blocking_path() {
        let none = Outside::default();
        for url in [
            "sqlite://madoguchi.sqlite",
            "mysql://u@db.example.jp/db",
            // libpq refuses these: it says why when the server starts.
            "postgres://u@db.example.jp/db?sslmode=verify-ca",
            "postgres://u@db.example.jp/db?sslmode=verify-full",
            "postgres://u@db.example.jp/db?sslmode=require&sslrootcert=system",
            "postgres://u@db.example.jp/db?sslmode=disable&sslrootcert=system",
            "postgres://u@db.example.jp/db?sslmode=verify-ca&sslrootcert=system",
            "postgres://u@db.example.jp/db?sslmode=required",
            // Said twice, or in a way only libpq reads.
            "postgres://u@db.example.jp/db?sslmode=require&sslmode=disable",
            "postgres://u@db.example.jp/db?sslrootcert=/a.pem&sslrootcert=/b.pem",
            "postgres://u@db.example.jp/db?ssl=true",
            "postgres://u@db.example.jp/db?sslmode=%FF",
            // Client certificates, revocation lists, GSSAPI encryption.
            "postgres://u@db.example.jp/db?sslmode=require&sslcert=/c.pem&sslkey=/c.key",
            "postgres://u@db.example.jp/db?sslmode=verify-full&sslrootcert=/ca.pem&sslcrl=/r.crl",
            "postgres://u@db.example.jp/db?gssencmode=require",
            // TLS asked on a Unix socket, where libpq does without.
            "postgres://u@/db?host=/var/run/postgresql&sslmode=require",
            "postgres://u@/db?host=/var/run/postgresql&sslmode=verify-full&sslrootcert=/ca.pem",
            "postgres://u@db.example.jp,%2Ftmp/db",
            "postgres://u@db.example.jp,%2Ftmp/db?sslmode=verify-full&sslrootcert=/ca.pem",
            // A list of hosts in one parameter, which tokio-postgres would take for a path.
            "postgres://u@/db?host=/tmp,db.example.jp&sslmode=disable",
            // No host: libpq's default socket, or an address without a name for TLS.
            "postgres:///db",
            "postgres://u@/db?hostaddr=10.0.0.5&sslmode=require",
        ] {
            assert_eq!(routed(url, &none), None, "{url}");
        }
    }

    #[test]
    fn the_environment_as_libpq_reads_it() {
        let outside = |mode: Option<&str>, root: Option<&str>| Outside {
            sslmode: mode.map(String::from),
            sslrootcert: root.map(String::from),
            ..Outside::default()
        };
        let url = "postgres://u@db.example.jp/db";
        assert_eq!(
            routed(url, &outside(Some("require"), None)),
            Some((SslMode::Require, Check::Nothing))
        );
        assert_eq!(
            routed(
                &format!("{url}?sslmode=disable"),
                &outside(Some("require"), None)
            ),
            Some((SslMode::Disable, Check::Nothing))
        );
        assert_eq!(
            routed(url, &outside(Some("verify-full"), Some("/etc/ca.pem"))),
            Some((SslMode::Require, Check::Full(file("/etc/ca.pem"))))
        );
        assert_eq!(
            routed(
                &format!("{url}?sslrootcert=/url.pem"),
                &outside(None, Some("/env.pem"))
            ),
            Some((SslMode::Prefer, Check::Chain(file("/url.pem"))))
        );
        assert_eq!(routed(url, &outside(Some("verify-full"), None)), None);
        assert_eq!(routed(url, &outside(Some(""), None)), None);
        let unhonoured = Outside {
            unhonoured: Some("PGSSLCERT".into()),
            ..Outside::default()
        };
        assert_eq!(routed(&format!("{url}?sslmode=disable"), &unhonoured), None);
    }

    #[test]
    fn libpqs_default_files() {
        let home = tempfile::tempdir().expect("temporary folder");
        let folder = home.path().join(".postgresql");
        std::fs::create_dir(&folder).expect("folder");
        let outside = Outside {
            folder: Some(folder.clone()),
            ..Outside::default()
        };
        let url = "postgres://u@db.example.jp/db";
        let put = |name: &str| std::fs::write(folder.join(name), "").expect("file");
        assert_eq!(
            routed(url, &outside),
            Some((SslMode::Prefer, Check::Nothing))
        );
        // A revocation list without a root certificate is not read.
        put("root.crl");
        assert_eq!(
            routed(url, &outside),
            Some((SslMode::Prefer, Check::Nothing))
        );
        std::fs::remove_file(folder.join("root.crl")).expect("remove");
        put("root.crt");
        let default_root = Roots::File(folder.join("root.crt"));
        assert_eq!(
            routed(url, &outside),
            Some((SslMode::Prefer, Check::Chain(default_root.clone())))
        );
        assert_eq!(
            routed(&format!("{url}?sslmode=verify-full"), &outside),
            Some((SslMode::Require, Check::Full(default_root)))
        );
        assert_eq!(
            routed(
                &format!("{url}?sslmode=verify-ca&sslrootcert=/etc/ca.pem"),
                &outside
            ),
            Some((SslMode::Require, Check::Chain(file("/etc/ca.pem"))))
        );
        put("root.crl");
        assert_eq!(routed(url, &outside), None);
        assert_eq!(
            routed(&format!("{url}?sslmode=disable"), &outside),
            Some((SslMode::Disable, Check::Nothing))
        );
        std::fs::remove_file(folder.join("root.crl")).expect("remove");
        put("postgresql.crt");
        assert_eq!(routed(&format!("{url}?sslmode=require"), &outside), None);
        assert_eq!(
            routed(&format!("{url}?sslmode=disable"), &outside),
            Some((SslMode::Disable, Check::Nothing))
        );
    }

    #[test]
    fn root_certificates_that_cannot_be_read_keep_the_blocking_path() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "no certificate here\n").expect("file");
        let missing = dir.path().join("missing.pem");
        for path in [&empty, &missing] {
            let roots = Roots::File(path.clone());
            assert!(root_store(&roots).is_none(), "{}", path.display());
            assert!(connector(&Check::Full(roots.clone())).is_none());
            assert!(connector(&Check::Chain(roots)).is_none());
            let url = format!(
                "postgres://u@db.example.jp/db?sslmode=verify-full&sslrootcert={}",
                path.display()
            );
            assert!(SessionReads::for_target(&Target::Postgres(url), 1).is_none());
        }
        assert!(!root_store(&Roots::System).expect("built in").is_empty());
        assert!(connector(&Check::Nothing).is_some());
        assert!(connector(&Check::Full(Roots::System)).is_some());
    }

    #[test]
    fn only_rustls_refusing_the_server_leaves_the_read_to_libpq() {
        /// An error with a cause, as tokio-postgres's are.
        #[derive(Debug)]
        struct Caused(std::io::Error);
        impl std::fmt::Display for Caused {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("error performing TLS handshake")
            }
        }
        impl std::error::Error for Caused {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                Some(&self.0)
            }
        }
        let certificate =
            rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer);
        let io = |e: rustls::Error| std::io::Error::new(std::io::ErrorKind::InvalidData, e);
        assert!(refused_by_rustls(&Caused(io(certificate.clone()))));
        assert!(refused_by_rustls(&certificate));
        let reset = std::io::Error::from(std::io::ErrorKind::ConnectionReset);
        assert!(!refused_by_rustls(&Caused(reset)));
        let closed = std::io::Error::other("the server closed the connection");
        assert!(!refused_by_rustls(&Caused(closed)));
    }
}
