//! Connections, the pool, migrations and write transactions for both backends.
//!
//! The backend is chosen from the URL scheme here, not by trying each one in turn: diesel's
//! `MultiConnection::establish` would hand a PostgreSQL URL to SQLite as a file name and every
//! failure would read "Invalid connection url for multiconnection".

use std::path::PathBuf;
use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::pg::PgConnection;
use diesel::r2d2::{self, ManageConnection, R2D2Connection};
use diesel::sqlite::SqliteConnection;
use diesel::Connection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::error::StoreError;

/// One connection type for both backends: repositories take `&mut Conn`.
#[derive(diesel::MultiConnection)]
pub enum Conn {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Which database a URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Target {
    /// `sqlite://PATH` (also `sqlite:PATH`) or `postgres://…` / `postgresql://…`.
    pub fn parse(url: &str) -> Result<Self, StoreError> {
        if let Some(rest) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
            if rest.is_empty() {
                return Err(StoreError::Config(format!("SQLite URL has no file path: {url}")));
            }
            return Ok(Self::Sqlite(PathBuf::from(rest)));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self::Postgres(url.to_owned()));
        }
        Err(StoreError::Config(format!(
            "unsupported database URL (use sqlite://PATH or postgres://…): {}",
            redact_url(url)
        )))
    }

    /// Opens one connection, with SQLite's pragmas set.
    pub fn connect(&self) -> Result<Conn, StoreError> {
        match self {
            Self::Sqlite(path) => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(|e| {
                        StoreError::Config(format!("cannot create {}: {e}", dir.display()))
                    })?;
                }
                let mut conn = SqliteConnection::establish(&path.to_string_lossy())
                    .map_err(|e| StoreError::Connect(format!("{}: {e}", path.display())))?;
                // WAL lets readers run beside the one writer; the busy timeout makes writers
                // queue instead of failing; foreign keys are off by default in SQLite.
                conn.batch_execute(
                    "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000; \
                     PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;",
                )?;
                Ok(Conn::Sqlite(conn))
            }
            Self::Postgres(url) => PgConnection::establish(url)
                .map(Conn::Postgresql)
                .map_err(|e| StoreError::Connect(format!("{}: {e}", redact_url(url)))),
        }
    }
}

/// Hides the password of a `scheme://user:pass@host` URL for messages and logs.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    match rest.split_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

/// r2d2 manager that connects by [`Target`].
#[derive(Debug, Clone)]
pub struct Manager {
    target: Target,
}

impl ManageConnection for Manager {
    type Connection = Conn;
    type Error = StoreError;

    fn connect(&self) -> Result<Conn, StoreError> {
        self.target.connect()
    }

    fn is_valid(&self, conn: &mut Conn) -> Result<(), StoreError> {
        conn.ping().map_err(StoreError::from)
    }

    fn has_broken(&self, conn: &mut Conn) -> bool {
        conn.is_broken()
    }
}

pub type Pool = r2d2::Pool<Manager>;
pub type PooledConn = r2d2::PooledConnection<Manager>;

/// Builds a pool and checks that the database answers, so a bad URL fails at once with the
/// database's own message.
pub fn pool(url: &str, max_size: u32) -> Result<Pool, StoreError> {
    let target = Target::parse(url)?;
    // Fail fast with the real error before r2d2 starts retrying in the background.
    drop(target.connect()?);
    r2d2::Pool::builder()
        .max_size(max_size)
        .connection_timeout(Duration::from_secs(10))
        .build(Manager { target })
        .map_err(|e| StoreError::Connect(e.to_string()))
}

/// Applies every pending migration of the connection's backend; returns how many ran.
pub fn migrate(conn: &mut Conn) -> Result<usize, StoreError> {
    let migrations = match conn {
        Conn::Sqlite(_) => SQLITE_MIGRATIONS,
        Conn::Postgresql(_) => POSTGRES_MIGRATIONS,
    };
    conn.run_pending_migrations(migrations)
        .map(|applied| applied.len())
        .map_err(|e| StoreError::Migration(e.to_string()))
}

/// Reverts every migration (used by the up → down → up test).
pub fn revert_all(conn: &mut Conn) -> Result<usize, StoreError> {
    let migrations = match conn {
        Conn::Sqlite(_) => SQLITE_MIGRATIONS,
        Conn::Postgresql(_) => POSTGRES_MIGRATIONS,
    };
    conn.revert_all_migrations(migrations)
        .map(|reverted| reverted.len())
        .map_err(|e| StoreError::Migration(e.to_string()))
}

/// Runs `f` in a write transaction. SQLite starts it with `BEGIN IMMEDIATE`: a deferred
/// transaction that reads and then writes fails with `SQLITE_BUSY_SNAPSHOT` under
/// concurrency, which no busy timeout retries.
pub fn write_tx<T, E>(conn: &mut Conn, f: impl FnOnce(&mut Conn) -> Result<T, E>) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    match conn {
        Conn::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?,
        Conn::Postgresql(c) => AnsiTransactionManager::begin_transaction(c)?,
    }
    let result = f(conn);
    match (&result, conn) {
        (Ok(_), Conn::Sqlite(c)) => AnsiTransactionManager::commit_transaction(c)?,
        (Ok(_), Conn::Postgresql(c)) => AnsiTransactionManager::commit_transaction(c)?,
        (Err(_), Conn::Sqlite(c)) => AnsiTransactionManager::rollback_transaction(c)?,
        (Err(_), Conn::Postgresql(c)) => AnsiTransactionManager::rollback_transaction(c)?,
    }
    result
}

/// The backend's name, for messages.
pub fn backend_name(conn: &Conn) -> &'static str {
    match conn {
        Conn::Sqlite(_) => "sqlite",
        Conn::Postgresql(_) => "postgres",
    }
}

/// Whether the database answers.
pub fn ping(conn: &mut Conn) -> bool {
    conn.ping().is_ok()
}
