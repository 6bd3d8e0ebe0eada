//! The one error type of the storage layer.

use diesel::result::{DatabaseErrorKind, Error as DieselError};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The configuration names no usable database.
    #[error("{0}")]
    Config(String),
    /// The database could not be reached (server down, bad password, unwritable file).
    #[error("cannot connect to the database: {0}")]
    Connect(String),
    #[error("migration failed: {0}")]
    Migration(String),
    /// A uniqueness constraint refused the write; the constraint's text names the column.
    #[error("already exists: {0}")]
    Conflict(String),
    #[error("not found")]
    NotFound,
    #[error("database error: {0}")]
    Query(DieselError),
}

impl From<DieselError> for StoreError {
    fn from(e: DieselError) -> Self {
        match e {
            DieselError::NotFound => Self::NotFound,
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                Self::Conflict(info.message().to_owned())
            }
            other => Self::Query(other),
        }
    }
}

impl From<diesel::r2d2::PoolError> for StoreError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        Self::Connect(e.to_string())
    }
}

impl StoreError {
    /// Whether the failure was a uniqueness violation.
    pub fn is_conflict(&self) -> bool {
        matches!(self, Self::Conflict(_))
    }

    /// Whether the database did not answer (down, restarting, the connection lost), as
    /// opposed to a query it refused.
    pub fn is_unavailable(&self) -> bool {
        matches!(
            self,
            Self::Connect(_)
                | Self::Query(
                    DieselError::DatabaseError(
                        DatabaseErrorKind::ClosedConnection
                            | DatabaseErrorKind::UnableToSendCommand,
                        _,
                    ) | DieselError::BrokenTransactionManager
                )
        )
    }
}
