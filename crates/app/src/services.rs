//! What every use case reaches: the pool, the hashing pool, the clock, the database's
//! availability and the addresses e-mails carry. Storage work runs off the async executor.

use std::sync::Arc;

use madoguchi_persistence::reads::SessionReads;
use madoguchi_persistence::{Conn, Pool, StoreError};

use crate::availability::Availability;
use crate::clock::Clock;
use crate::error::AppError;
use crate::hashing::HashPool;
use crate::two_step::{RelyingParty, TwoStepKeys};

/// Where e-mails come from and what their links open.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// The domain of the outbox's message IDs.
    pub mail_domain: String,
    /// The portal's public URL, for the links in e-mails.
    pub public_url: String,
}

#[derive(Clone)]
pub struct Services {
    pub pool: Pool,
    pub hashes: Arc<HashPool>,
    pub clock: Arc<dyn Clock>,
    pub mail: Arc<MailSettings>,
    /// Whether the database answers; fail-fast 503s while it does not.
    pub availability: Arc<Availability>,
    /// The keys of two-step login's secrets, derived from the server's token secret.
    pub keys: Arc<TwoStepKeys>,
    /// The passkeys' relying party, from the public URL (unavailable on an IP address).
    pub passkeys: Arc<RelyingParty>,
    /// Whether the pool holds SQLite connections (short reads may then run on the caller).
    sqlite: bool,
}

impl Services {
    /// `server_secret`: the token secret, from which two-step login's keys are derived.
    pub fn new(
        pool: Pool,
        mail: MailSettings,
        clock: Arc<dyn Clock>,
        server_secret: &[u8],
    ) -> Result<Self, AppError> {
        let sqlite = pool
            .get()
            .map_err(|e| AppError::Internal(anyhow::anyhow!("database pool: {e}")))
            .map(|conn| matches!(**conn, Conn::Sqlite(_)))?;
        Ok(Self {
            sqlite,
            pool,
            hashes: Arc::new(HashPool::for_cores()?),
            clock,
            passkeys: Arc::new(RelyingParty::for_public_url(&mail.public_url)),
            mail: Arc::new(mail),
            availability: Arc::new(Availability::default()),
            keys: Arc::new(TwoStepKeys::derive(server_secret)),
        })
    }

    /// Runs a short read-only lookup (the session check, the maintenance windows). On SQLite
    /// it runs right here on the request worker when a pooled connection is idle: the rows
    /// are in SQLite's page cache, WAL readers never wait for the writer, and the lookup takes
    /// microseconds, less than handing it to a blocking thread and back (ADR 0012). On
    /// PostgreSQL (a network round trip), or when every connection is busy, it goes through
    /// [`Self::db`]. Never pass a write: a writer may wait for SQLite's lock.
    pub async fn read<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Conn) -> Result<T, AppError> + Send + 'static,
    {
        self.availability.check()?;
        // Never `try_get` on PostgreSQL here: its check-out pings the server.
        match self.sqlite.then(|| self.pool.try_get()).flatten() {
            Some(mut conn) => self.observed(f(&mut conn)),
            None => self.db(f).await,
        }
    }

    /// The session read's connections for one worker thread: a PostgreSQL URL whose TLS
    /// settings that path honours gets its share of the pool's size as asynchronous
    /// connections that the worker drives itself (`persistence::reads`, ADR 0019); otherwise
    /// `None`, and the read goes through [`Self::read`]. Call it on the worker that will use
    /// it.
    pub fn session_reads(&self, workers: usize) -> Option<SessionReads> {
        let share = (self.pool.max_size() as usize)
            .div_ceil(workers.max(1))
            .max(1);
        SessionReads::for_target(self.pool.target(), share)
    }

    /// Awaits an asynchronous read on the caller's worker, no longer than the pool's time-out:
    /// a database that does not answer by then is away (503 `unavailable`).
    pub async fn read_async<T>(
        &self,
        read: impl Future<Output = Result<T, StoreError>>,
    ) -> Result<T, AppError> {
        self.availability.check()?;
        match tokio::time::timeout(self.pool.connection_timeout(), read).await {
            // The outage's one log line says why, as the blocking pool's does: a server that
            // refuses TLS reads differently from one that is down.
            Ok(Err(e)) if e.is_unavailable() => Err(self.availability.failed(&e)),
            Ok(result) => self.observed(result.map_err(AppError::from)),
            Err(_) => Err(self
                .availability
                .failed(&"no answer within the pool's time-out")),
        }
    }

    /// Runs storage work on the runtime's blocking threads, never on the async executor.
    pub async fn db<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Conn) -> Result<T, AppError> + Send + 'static,
    {
        self.availability.check()?;
        let pool = self.pool.clone();
        let span = tracing::Span::current();
        let availability = Arc::clone(&self.availability);
        let result = tokio::task::spawn_blocking(move || {
            let _entered = span.enter();
            // No connection within the pool's time-out: the database is away.
            let mut conn = pool.get().map_err(|e| availability.failed(&e))?;
            f(&mut conn)
        })
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("blocking task: {e}")))?;
        self.observed(result)
    }

    /// Notes what a result says about the database: a lost connection opens the fail-fast
    /// window, any other answer shows it is there.
    fn observed<T>(&self, result: Result<T, AppError>) -> Result<T, AppError> {
        match &result {
            Err(AppError::Unavailable { .. }) => {
                self.availability.failed(&"the connection was lost");
            }
            _ => self.availability.answered(),
        }
        result
    }
}
