//! Prints `GET /me`'s statement on PostgreSQL for pgbench (scripts/bench-postgres.sh): the SQL
//! with its parameters written `:p1`, `:p2`, …, on the first line, then one `pN=VALUE` line
//! per parameter, for `pgbench -M prepared -D pN=VALUE`.
//!
//! `cargo run --release -p madoguchi-persistence --example page_statement -- ACCOUNT_ID`

fn main() {
    let Some(account_id) = std::env::args().nth(1) else {
        eprintln!("usage: page_statement ACCOUNT_ID");
        std::process::exit(2);
    };
    let (sql, values) =
        madoguchi_persistence::reads::page_statement_postgres(&account_id, chrono::Utc::now());
    println!("{sql};");
    for (n, value) in values.iter().enumerate() {
        println!("p{}={value}", n + 1);
    }
}
