//! `make bench`: postcards issued per second for 10 000 members, beside the machine's argon2id
//! limit (cores ÷ the time of one hash with the same parameters). Prints figures; asserts
//! nothing. `MADOGUCHI_BENCH_MEMBERS` changes the roster size.

use std::time::Instant;

use chrono::Utc;
use madoguchi_cli::args::Encoding;
use madoguchi_cli::commands::{Ctx, credentials, serve};
use madoguchi_cli::config::Config;
use madoguchi_domain::Lang;
use madoguchi_domain::hashing;
use madoguchi_domain::insurer_number::InsurerNumber;
use madoguchi_domain::roster::{RosterEntry, RosterInput};
use madoguchi_persistence::{members, tenants};

fn main() {
    let count: usize = std::env::var("MADOGUCHI_BENCH_MEMBERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut config = Config::from_env();
    config.database_url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let ctx = Ctx {
        config,
        lang: Lang::En,
    };
    let (_pool, mut conn) = ctx.conn().expect("database");
    serve::prepare_database(&mut conn).expect("migrations");
    let now = Utc::now();
    let tenant = tenants::insert(
        &mut conn,
        &InsurerNumber::parse("06130090").expect("valid"),
        "ベンチ健康保険組合",
        now,
    )
    .expect("tenant");
    let today = now.date_naive();
    let entries: Vec<RosterEntry> = (0..count)
        .map(|i| {
            let code = format!("B-{i:06}");
            RosterEntry::parse(
                RosterInput {
                    member_code: &code,
                    family_name: "髙橋",
                    given_name: "一郎",
                    family_name_kana: "タカハシ",
                    given_name_kana: "イチロウ",
                    birth_date: "19790822",
                    postal_code: "100-0001",
                    address: "東京都千代田区千代田1-1",
                },
                today,
            )
            .expect("valid roster row")
        })
        .collect();
    members::import(&mut conn, &tenant.id, &entries, false, now).expect("import");

    let out = dir.path().join("postcards.csv");
    let started = Instant::now();
    let summary = credentials::issue(
        &ctx,
        &mut conn,
        &tenant,
        &[],
        &out,
        Encoding::Utf8,
        now,
        false,
    )
    .expect("issue");
    let elapsed = started.elapsed().as_secs_f64();
    let rate = summary.issued as f64 / elapsed;
    // Peak memory of the whole run (roster, hashing, the CSV): what an operator's laptop needs.
    let peak_mib = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0);

    let one_hash = hashing::seconds_per_hash(20);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let limit = cores as f64 / one_hash;

    println!(
        "postcards issued:        {} in {elapsed:.1} s",
        summary.issued
    );
    println!("issuance rate:           {rate:.1} postcards/s");
    println!(
        "one argon2id hash:       {:.1} ms (m=19456 KiB, t=2, p=1)",
        one_hash * 1000.0
    );
    println!("argon2id limit:          {limit:.1} hashes/s ({cores} cores)");
    println!("issuance ratio:          {:.3} (goal >= 0.9)", rate / limit);
    let budget = 90.0 + cores as f64 * 19.0;
    println!(
        "peak RSS (VmHWM):        {peak_mib:.1} MiB (goal < {budget:.0} MiB: 90 + {cores} cores x 19 MiB)"
    );
}
