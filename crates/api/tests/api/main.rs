//! In-process tests of the whole actix app (middleware included), and a few over real HTTP
//! (`http`): the edge cases of DESIGN §2–§3 that a client can meet, asserted as the client sees
//! them. Each test is two cases, `NAME::sqlite` and `NAME::postgres` (`helpers::each_backend!`);
//! the PostgreSQL case runs when `MADOGUCHI_TEST_POSTGRES_URL` is set and is skipped otherwise.

mod account;
mod errors;
mod helpers;
mod http;
mod identity;
mod login;
mod maintenance;
mod medical;
mod member_help;
mod notices;
mod outage;
mod passkeys;
mod recovery;
mod register;
mod request;
mod routes;
mod security;
mod tokens;
mod two_step;
