//! Prints the seconds one argon2id hash takes here with the server's parameters (DESIGN §6,
//! m=19456 KiB, t=2, p=1, a reused memory block), the core count, and how many hashes per
//! second one thread per core actually gets through together, for `make bench`
//! (scripts/bench-api.sh): the login limit is cores ÷ the time of one hash; the third figure
//! shows how far running them side by side (shared caches, memory bandwidth, SMT siblings)
//! already falls short of that.
//!
//! `cargo run --release -p madoguchi-api --example hash_time -- [ROUNDS]` prints
//! `<seconds per hash> <cores> <parallel hashes per second>`.

use std::time::Instant;

fn main() {
    let rounds: u32 = std::env::args()
        .nth(1)
        .and_then(|r| r.parse().ok())
        .unwrap_or(20);
    let one_hash = madoguchi_domain::hashing::seconds_per_hash(rounds);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let started = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..cores {
            s.spawn(|| madoguchi_domain::hashing::seconds_per_hash(rounds));
        }
    });
    // Each thread also makes one warm-up hash.
    let parallel = (cores as f64 * f64::from(rounds + 1)) / started.elapsed().as_secs_f64();
    println!("{one_hash:.6} {cores} {parallel:.1}");
}
