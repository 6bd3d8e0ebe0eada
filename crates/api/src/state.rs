//! What every handler reaches: the pool, the hashing pool, the token keys, the clock, the
//! configuration and the maintenance cache.

use std::sync::Arc;

use madoguchi_persistence::{Conn, Pool};

use crate::availability::Availability;
use crate::clock::Clock;
use crate::config::ApiConfig;
use crate::error::ApiError;
use crate::hashing::HashPool;
use crate::maintenance::MaintenanceCache;
use crate::tokens::Tokens;

#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    pub hashes: Arc<HashPool>,
    pub tokens: Tokens,
    pub clock: Arc<dyn Clock>,
    pub config: Arc<ApiConfig>,
    pub maintenance: Arc<MaintenanceCache>,
    /// Whether the database answers; fail-fast 503s while it does not.
    pub availability: Arc<Availability>,
    /// Whether the pool holds SQLite connections (short reads may then run on the worker).
    sqlite: bool,
}

impl AppState {
    pub fn new(pool: Pool, config: ApiConfig, clock: Arc<dyn Clock>) -> Result<Self, ApiError> {
        let sqlite = pool
            .get()
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("database pool: {e}")))
            .map(|conn| matches!(*conn, Conn::Sqlite(_)))?;
        Ok(Self {
            sqlite,
            pool,
            hashes: Arc::new(HashPool::for_cores()?),
            tokens: Tokens::new(
                &config.jwt_secret,
                config.production,
                &config.public_origin(),
            ),
            clock,
            config: Arc::new(config),
            maintenance: Arc::new(MaintenanceCache::default()),
            availability: Arc::new(Availability::default()),
        })
    }

    /// Runs a short read-only lookup (the session check, the maintenance windows). On SQLite
    /// it runs right here on the request worker when a pooled connection is idle: the rows
    /// are in SQLite's page cache, WAL readers never wait for the writer, and the lookup takes
    /// microseconds, less than handing it to a blocking thread and back (ADR 0012). On
    /// PostgreSQL (a network round trip), or when every connection is busy, it goes through
    /// [`Self::db`]. Never pass a write: a writer may wait for SQLite's lock.
    pub async fn read<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Conn) -> Result<T, ApiError> + Send + 'static,
    {
        self.availability.check()?;
        // Never `try_get` on PostgreSQL here: its check-out pings the server.
        match self.sqlite.then(|| self.pool.try_get()).flatten() {
            Some(mut conn) => self.observed(f(&mut conn)),
            None => self.db(f).await,
        }
    }

    /// Runs storage work on the blocking pool, never on the async executor.
    pub async fn db<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Conn) -> Result<T, ApiError> + Send + 'static,
    {
        self.availability.check()?;
        let pool = self.pool.clone();
        let span = tracing::Span::current();
        let availability = Arc::clone(&self.availability);
        let result = actix_web::web::block(move || {
            let _entered = span.enter();
            // No connection within the pool's time-out: the database is away.
            let mut conn = pool.get().map_err(|e| availability.failed(&e))?;
            f(&mut conn)
        })
        .await
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("blocking task: {e}")))?;
        self.observed(result)
    }

    /// Notes what a result says about the database: a lost connection opens the fail-fast
    /// window, any other answer shows it is there.
    fn observed<T>(&self, result: Result<T, ApiError>) -> Result<T, ApiError> {
        match &result {
            Err(ApiError::Unavailable { .. }) => {
                self.availability.failed(&"the connection was lost");
            }
            _ => self.availability.answered(),
        }
        result
    }
}
