//! Madoguchi's storage: one diesel code path for SQLite (the embedded default) and PostgreSQL,
//! embedded migrations per backend, and one repository module per table.
//!
//! Depends on `madoguchi-domain` only. Repository functions take `&mut Conn` and are
//! synchronous: callers run them off the async executor.

pub mod accounts;
pub mod audit;
pub mod db;
pub mod email_verifications;
pub mod error;
pub mod maintenance;
pub mod medical;
pub mod members;
pub mod notices;
pub mod outbox;
pub mod reads;
pub mod recovery;
mod schema;
pub mod temporary_credentials;
pub mod tenants;
pub mod terms;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod throttle;
mod time;
pub mod two_step;

pub use db::{Conn, Pool, migrate, pool, write_tx};
pub use error::StoreError;
