//! The `madoguchi` binary's commands: the server and the operator tools of DESIGN §4.
//!
//! Depends on every other crate of ours; nothing depends on it.

pub mod args;
pub mod commands;
pub mod config;
pub mod csv_files;
pub mod demo;
pub mod medical_file;
pub mod output;
pub mod postcards;
pub mod roster;
pub mod secrets;

pub use output::{Failure, Outcome};
