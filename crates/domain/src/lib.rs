//! Madoguchi's domain: the rules of DESIGN §2 as types that parse, the onboarding state
//! machine, the rules of two-step login (DESIGN §9) and the maintenance calendar.
//!
//! Pure: no I/O, no async, no clock. `now` and `today` are always parameters. This crate
//! depends on no other crate of ours.

pub mod birth_date;
pub mod calendar;
pub mod contact;
pub mod email;
pub mod error;
pub mod hashing;
pub mod insurer_number;
pub mod lockout;
pub mod medical;
pub mod normalize;
pub mod notices;
pub mod onboarding;
pub mod password;
pub mod roster;
pub mod session;
pub mod spreadsheet;
pub mod temporary;
pub mod terms;
pub mod two_step;
pub mod user_id;

pub use error::{FieldCode, FieldError, Lang, RuleError};
