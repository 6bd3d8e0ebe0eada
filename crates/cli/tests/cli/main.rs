//! Black-box tests of the `madoguchi` operator CLI (DESIGN §4): each test runs the compiled
//! binary against its own database, on SQLite and, when `MADOGUCHI_TEST_POSTGRES_URL` is set,
//! on PostgreSQL, and checks what the operator sees and what is stored.

mod account;
mod audit;
mod credentials_issue;
mod credentials_selection;
mod demo;
mod exit_codes;
mod helpers;
mod maintenance;
mod members_import;
mod openapi;
mod tenant;
mod tenant_settings;
