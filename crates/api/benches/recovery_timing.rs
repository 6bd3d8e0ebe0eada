//! `make bench`: do the recovery routes and the login answer a known account and an unknown
//! one in the same time? The login's known account has a pending e-mailed temporary password
//! (its own password and that one are both verified), and gets a wrong password, like the
//! unknown ID. Drives the whole app in-process on SQLite, alternating known and unknown
//! requests (each from its own client address, the throttle windows and the lockout reset
//! between rounds), and prints the median and the 90th percentile of each, and their ratio.
//! Asserts nothing.
//! `MADOGUCHI_BENCH_ROUNDS` changes the number of rounds (default 300).

use std::sync::Arc;
use std::time::Instant;

use actix_web::dev::Service;
use actix_web::test::{self, TestRequest};
use chrono::{Duration, TimeZone, Utc};
use madoguchi_api::clock::{Clock, ManualClock};
use madoguchi_api::config::ApiConfig;
use madoguchi_api::state::AppState;
use madoguchi_domain::insurer_number::InsurerNumber;
use madoguchi_domain::onboarding::AccountState;
use madoguchi_domain::roster::{RosterEntry, RosterInput};
use madoguchi_persistence::accounts::{self, Registration};
use madoguchi_persistence::temporary_credentials::{self, NewTemporaryCredential, Purpose};
use madoguchi_persistence::testing::TestDatabase;
use madoguchi_persistence::{members, tenants};
use serde_json::{Value, json};

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn summary(label: &str, mut known: Vec<f64>, mut unknown: Vec<f64>) {
    known.sort_by(f64::total_cmp);
    unknown.sort_by(f64::total_cmp);
    let (mk, mu) = (percentile(&known, 0.5), percentile(&unknown, 0.5));
    println!(
        "{label:<28} known: median {mk:>7.0} µs, p90 {:>7.0} µs | unknown: median {mu:>7.0} µs, p90 {:>7.0} µs | median ratio {:.2}",
        percentile(&known, 0.9),
        percentile(&unknown, 0.9),
        mk / mu
    );
}

#[actix_web::main]
async fn main() {
    let rounds: usize = std::env::var("MADOGUCHI_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let db = TestDatabase::sqlite();
    let now = Utc.with_ymd_and_hms(2026, 11, 20, 1, 0, 0).unwrap();
    let clock = Arc::new(ManualClock::new(now));
    let account_id = {
        let mut conn = db.pool.get().unwrap();
        let tenant = tenants::insert(
            &mut conn,
            &InsurerNumber::parse("06130090").unwrap(),
            "日本電気健康保険組合",
            now,
        )
        .unwrap();
        let entry = RosterEntry::parse(
            RosterInput {
                member_code: "1-1-00",
                family_name: "髙橋",
                given_name: "一郎",
                family_name_kana: "",
                given_name_kana: "",
                birth_date: "19790822",
                postal_code: "",
                address: "",
            },
            now.date_naive(),
        )
        .unwrap();
        members::import(&mut conn, &tenant.id, &[entry], false, now).unwrap();
        let member = members::find_by_code(&mut conn, &tenant.id, "1-1-00")
            .unwrap()
            .unwrap();
        let account = accounts::create(&mut conn, &member, AccountState::Provisioned, now).unwrap();
        let registration = Registration {
            user_id: "Takahashi01",
            user_id_canonical: "takahashi01",
            password_hash: &madoguchi_domain::hashing::hash_secret("Sakura2026x"),
            email: "ichiro@example.jp",
            notify_on_update: true,
        };
        accounts::register(
            &mut conn,
            &account.id,
            AccountState::Active,
            &registration,
            now,
        )
        .unwrap();
        accounts::set_email(&mut conn, &account.id, "ichiro@example.jp", true, now).unwrap();
        // A temporary password mailed after "forgot password", not yet used.
        temporary_credentials::replace(
            &mut conn,
            &NewTemporaryCredential {
                account_id: &account.id,
                login_id: None,
                password_hash: &madoguchi_domain::hashing::hash_secret("Kx7mPq2wZr"),
                purpose: Purpose::EmailReissue,
                expires_at: now + Duration::days(365),
            },
            now,
        )
        .unwrap();
        account.id
    };
    let config = ApiConfig {
        public_url: "http://127.0.0.1:8080".into(),
        jwt_secret: b"madoguchi-bench-secret-0123456789abcdef".to_vec(),
        production: false,
        trusted_proxies: Vec::new(),
        mail_domain: "madoguchi.test".into(),
    };
    let shared: Arc<dyn Clock> = clock.clone();
    let state = AppState::new(db.pool.clone(), config, shared).unwrap();
    let app = test::init_service(madoguchi_api::app(state)).await;

    let cases: [(&str, &str, Value, Value); 3] = [
        (
            "POST /auth/login",
            "/api/v1/auth/login",
            json!({"login_id": "Takahashi01", "password": "Wrong12345"}),
            json!({"login_id": "Nobody1234", "password": "Wrong12345"}),
        ),
        (
            "POST /recovery/password",
            "/api/v1/recovery/password",
            json!({"user_id": "Takahashi01", "email": "ichiro@example.jp"}),
            json!({"user_id": "Nobody1234", "email": "nobody@example.jp"}),
        ),
        (
            "POST /recovery/user-id",
            "/api/v1/recovery/user-id",
            json!({"email": "ichiro@example.jp", "birth_date": "19790822"}),
            json!({"email": "nobody@example.jp", "birth_date": "19790822"}),
        ),
    ];
    println!(
        "answer timing (recovery, login): {rounds} rounds of one known and one unknown request each"
    );
    for (label, path, known_body, unknown_body) in cases {
        let (mut known, mut unknown) = (Vec::new(), Vec::new());
        for round in 0..rounds {
            for (body, into) in [(&known_body, &mut known), (&unknown_body, &mut unknown)] {
                let peer = format!(
                    "127.{}.{}.{}:40000",
                    round / 65536 % 256,
                    round / 256 % 256,
                    round % 256
                );
                let req = TestRequest::post()
                    .uri(path)
                    .peer_addr(peer.parse().unwrap())
                    .set_json(body)
                    .to_request();
                let started = Instant::now();
                let response = app.call(req).await.unwrap();
                let _ = test::read_body(response).await;
                into.push(started.elapsed().as_secs_f64() * 1e6);
            }
            clock.advance(Duration::minutes(61));
            // The known account's wrong passwords must not lock it.
            accounts::clear_failures(&mut db.pool.get().unwrap(), &account_id).unwrap();
        }
        summary(label, known, unknown);
    }
}
