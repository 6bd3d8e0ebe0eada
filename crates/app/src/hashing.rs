//! The argon2id pool (DESIGN §6): as many threads as cores, each reusing one memory block,
//! behind a queue that waits rather than failing. Request workers never hash, so reads stay
//! fast while logins saturate the CPU, and memory stays bounded by the thread count.

use std::cell::RefCell;

use madoguchi_domain::hashing::{Hasher, dummy_hash_with};
use tokio::sync::oneshot;

use crate::error::AppError;

thread_local! {
    static HASHER: RefCell<Hasher> = RefCell::new(Hasher::new());
}

pub struct HashPool {
    pool: rayon::ThreadPool,
}

impl HashPool {
    pub fn new(threads: usize) -> Result<Self, AppError> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads.max(1))
            .thread_name(|i| format!("argon2-{i}"))
            .build()
            .map_err(|e| AppError::Internal(anyhow::anyhow!("hash pool: {e}")))?;
        Ok(Self { pool })
    }

    /// Sized to the machine's cores.
    pub fn for_cores() -> Result<Self, AppError> {
        Self::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
    }

    async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce(&mut Hasher) -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let (tx, rx) = oneshot::channel();
        crate::metrics::hash_queue(1.0);
        self.pool.spawn(move || {
            crate::metrics::hash_queue(-1.0);
            let started = std::time::Instant::now();
            let out = HASHER.with(|h| job(&mut h.borrow_mut()));
            crate::metrics::hash_time(started.elapsed());
            let _ = tx.send(out);
        });
        rx.await
            .map_err(|_| AppError::Internal(anyhow::anyhow!("hash pool dropped a job")))
    }

    /// Verifies `secret` against a PHC hash; `None` verifies against a dummy hash so that an
    /// unknown account takes the same time as a known one.
    pub async fn verify(&self, secret: String, hash: Option<String>) -> Result<bool, AppError> {
        self.run(move |h| verify_with(h, &secret, hash.as_deref()))
            .await
    }

    /// Verifies `secret` against both hashes, always two verifications (a missing hash is the
    /// dummy's), and tells which matched. A login checks a member's password and a pending
    /// e-mailed temporary password this way, so whether an account has a pending one, or
    /// exists at all, takes no more or less time (DESIGN §3).
    pub async fn verify_both(
        &self,
        secret: String,
        hashes: [Option<String>; 2],
    ) -> Result<[bool; 2], AppError> {
        self.run(move |h| hashes.map(|hash| verify_with(h, &secret, hash.as_deref())))
            .await
    }

    pub async fn hash(&self, secret: String) -> Result<String, AppError> {
        self.run(move |h| h.hash(&secret)).await
    }
}

/// One verification; without a hash, the dummy's (same work, always false).
fn verify_with(h: &mut Hasher, secret: &str, hash: Option<&str>) -> bool {
    match hash {
        Some(hash) => h.verify(secret, hash),
        None => {
            let dummy = dummy_hash_with(h);
            h.verify(secret, dummy);
            false
        }
    }
}
