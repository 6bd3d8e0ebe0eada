//! Black-box tests of the `madoguchi` operator CLI (DESIGN §4): each test runs the compiled
//! binary against its own database and checks what the operator sees and what is stored. Each
//! test is two cases, `NAME::sqlite` and `NAME::postgres` (`helpers::each_backend!`); the
//! PostgreSQL case runs when `MADOGUCHI_TEST_POSTGRES_URL` is set and is skipped otherwise.

mod account;
mod audit;
mod credentials_issue;
mod credentials_selection;
mod demo;
mod exit_codes;
mod helpers;
mod maintenance;
mod medical;
mod members_import;
mod notices;
mod openapi;
mod tenant;
mod tenant_settings;
