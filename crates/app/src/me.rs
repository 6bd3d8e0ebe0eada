//! What the member's own page (`GET /me`) shows beside the account the session read: how many
//! notices are unread and the address waiting for its verification link.

use chrono::{DateTime, Utc};
use madoguchi_persistence::accounts::AccountView;
use madoguchi_persistence::reads::{self, Menu, SessionReads};

use crate::error::AppError;
use crate::services::Services;

/// The account's unread notices and its pending address, read on their own (the session's
/// read carries them when the route asked for them: `reads::session`): on the worker's own
/// asynchronous connections where it has them and they serve (PostgreSQL, ADR 0019), else on
/// one connection of the pool (on SQLite, on the worker: ADR 0012).
pub async fn menu(
    state: &Services,
    reads: Option<&SessionReads>,
    view: &AccountView,
    now: DateTime<Utc>,
) -> Result<Menu, AppError> {
    if let Some(reads) = reads
        && let Some(menu) = state.read_async(reads.menu(&view.account.id, now)).await?
    {
        return Ok(menu);
    }
    let id = view.account.id.clone();
    state.read(move |c| Ok(reads::menu(c, &id, now)?)).await
}

/// The address of the open link (`open`), when it is not the account's own.
pub fn pending(view: &AccountView, open: Option<String>) -> Option<String> {
    open.filter(|e| view.account.email.as_deref() != Some(e.as_str()))
}
