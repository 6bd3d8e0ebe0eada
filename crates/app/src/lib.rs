//! Madoguchi's use cases: what a member or an operator can do, without HTTP. Each loads
//! through `persistence`, asks `domain` for the decision (the onboarding state machine decides
//! every life-cycle transition), stores what it returns and queues e-mail in the same
//! transaction. Errors are [`AppError`]: the API maps them to problems, the CLI to lines.
//!
//! Depends on `madoguchi-domain` and `madoguchi-persistence`, never on the web framework.

pub mod availability;
pub mod background;
pub mod clock;
pub mod email;
mod error;
pub mod hashing;
pub mod identity;
pub mod lockout;
pub mod login;
pub mod mail;
pub mod me;
pub mod medical;
pub mod medical_export;
pub mod metrics;
pub mod notices;
pub mod operator;
pub mod password;
pub mod recovery;
pub mod register;
mod services;
mod signed_in;
mod throttle;
pub mod two_step;

pub use error::AppError;
pub use services::{MailSettings, Services};
pub use signed_in::{Opened, SignedIn};
