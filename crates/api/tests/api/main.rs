//! In-process tests of the whole actix app (middleware included) on SQLite and, when
//! `MADOGUCHI_TEST_POSTGRES_URL` is set, on PostgreSQL: the edge cases of DESIGN §2–§3 that a
//! client can meet, asserted as the client sees them.

mod account;
mod errors;
mod helpers;
mod identity;
mod login;
mod maintenance;
mod member_help;
mod outage;
mod recovery;
mod register;
mod request;
mod security;
mod tokens;
