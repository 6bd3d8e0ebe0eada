//! Test databases: a fresh SQLite file per test case, and a fresh PostgreSQL database per test
//! case when `MADOGUCHI_TEST_POSTGRES_URL` is set. Each is migrated and removed on drop. Every
//! storage test is two cases, one per backend (`each_backend!` here, and one like it in each
//! crate's test harness).

use diesel::Connection;
use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;

use crate::db::{self, Pool};

/// Names the variable that runs the PostgreSQL case of every storage test.
pub const POSTGRES_ENV: &str = "MADOGUCHI_TEST_POSTGRES_URL";

pub struct TestDatabase {
    /// `sqlite` or `postgres`, for assertion messages.
    pub backend: &'static str,
    pub url: String,
    pub pool: Pool,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(
        #[expect(dead_code, reason = "held for its Drop, which removes the folder")]
        tempfile::TempDir,
    ),
    Postgres {
        admin_url: String,
        name: String,
    },
}

impl TestDatabase {
    pub fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}", dir.path().join("madoguchi.db").display());
        Self::migrated("sqlite", url, Cleanup::Sqlite(dir))
    }

    /// A new database on the server named by `admin_url`.
    pub fn postgres(admin_url: &str) -> Self {
        let name = format!("madoguchi_test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = PgConnection::establish(admin_url).expect("PostgreSQL for tests");
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create test database");
        let url = with_database(admin_url, &name);
        Self::migrated(
            "postgres",
            url,
            Cleanup::Postgres {
                admin_url: admin_url.to_owned(),
                name,
            },
        )
    }

    /// A new PostgreSQL database on the server [`POSTGRES_ENV`] names; `None`, after saying
    /// the case is skipped, when the variable is unset.
    pub fn postgres_from_env() -> Option<Self> {
        match std::env::var(POSTGRES_ENV) {
            Ok(url) if !url.is_empty() => Some(Self::postgres(&url)),
            _ => {
                eprintln!("skipped: {POSTGRES_ENV} not set");
                None
            }
        }
    }

    fn migrated(backend: &'static str, url: String, cleanup: Cleanup) -> Self {
        let pool = db::pool(&url, 8).expect("test pool");
        db::migrate(&mut pool.get().expect("connection")).expect("migrations");
        Self {
            backend,
            url,
            pool,
            cleanup,
        }
    }

    pub fn conn(&self) -> db::PooledConn {
        self.pool.get().expect("connection from the test pool")
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Cleanup::Postgres { admin_url, name } = &self.cleanup
            && let Ok(mut admin) = PgConnection::establish(admin_url)
        {
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

/// Declares the storage test `fn NAME(db: TestDatabase)` as two test cases, `NAME::sqlite`
/// and `NAME::postgres`, so that a failure on one backend never hides the other's result.
/// The PostgreSQL case passes, saying it was skipped, when [`POSTGRES_ENV`] is unset.
/// `each_backend!(NAME, only: sqlite)` declares the SQLite case alone.
#[cfg(test)]
macro_rules! each_backend {
    ($name:ident) => {
        mod $name {
            #[test]
            fn sqlite() {
                super::$name($crate::testing::TestDatabase::sqlite());
            }

            #[test]
            fn postgres() {
                if let Some(db) = $crate::testing::TestDatabase::postgres_from_env() {
                    super::$name(db);
                }
            }
        }
    };
    ($name:ident, only: sqlite) => {
        mod $name {
            #[test]
            fn sqlite() {
                super::$name($crate::testing::TestDatabase::sqlite());
            }
        }
    };
}
#[cfg(test)]
pub(crate) use each_backend;

/// Replaces the database name (the URL's path) of a PostgreSQL URL.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{name}", &base[..host_end]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}
