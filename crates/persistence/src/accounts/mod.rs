//! Accounts: one per member once credentials are first issued. The state column holds the
//! long-lived life-cycle state (Provisioned, Active, Suspended); the onboarding steps live in
//! short-lived tokens, not here (DESIGN §2).
//!
//! By concern: the record and its reads (`account`), the view a signed-in request reads
//! (`view`), the life cycle the operator drives (`life_cycle`), failures and the lock
//! (`lockout`), registration (`registration`) and the member's own changes (`changes`).

mod account;
mod changes;
mod life_cycle;
mod lockout;
mod registration;
#[cfg(test)]
pub(crate) mod tests;
pub(crate) mod view;

pub(crate) use account::Row;

pub use account::{Account, find_by_member, get};
pub use changes::{bump_session, set_email, set_notify, set_notify_on_login, set_password};
pub use life_cycle::{create, set_state, suspend_member, unlock};
pub use lockout::{
    clear_failures, expire_lock, give_back_attempt, lock, record_login, reserve_attempt,
};
pub use registration::{Registration, register, user_id_taken};
pub use view::{AccountView, active_by_verified_email_and_birth_date, view, view_by_user_id};
