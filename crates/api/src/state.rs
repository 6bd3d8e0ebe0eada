//! What every handler reaches: the pool, the hashing pool, the token keys, the clock, the
//! configuration and the maintenance cache.

use std::sync::Arc;

use madoguchi_persistence::{Conn, Pool};

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
}

impl AppState {
    pub fn new(pool: Pool, config: ApiConfig, clock: Arc<dyn Clock>) -> Result<Self, ApiError> {
        Ok(Self {
            pool,
            hashes: Arc::new(HashPool::for_cores()?),
            tokens: Tokens::new(&config.jwt_secret, config.production),
            clock,
            config: Arc::new(config),
            maintenance: Arc::new(MaintenanceCache::default()),
        })
    }

    /// Runs storage work on the blocking pool, never on the async executor.
    pub async fn db<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Conn) -> Result<T, ApiError> + Send + 'static,
    {
        let pool = self.pool.clone();
        let span = tracing::Span::current();
        actix_web::web::block(move || {
            let _entered = span.enter();
            let mut conn = pool
                .get()
                .map_err(|e| ApiError::Internal(anyhow::anyhow!("database pool: {e}")))?;
            f(&mut conn)
        })
        .await
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("blocking task: {e}")))?
    }
}
