//! `spawn_app()`: the whole actix app (`madoguchi_api::app`, middleware included) on a fresh,
//! migrated database with a manual clock, a tenant, its roster and the default terms; plus
//! the operator's `credentials issue` and the member's steps as one-liners.

use std::rc::Rc;
use std::sync::Arc;

use actix_web::dev::{Service, ServiceResponse};
use actix_web::test::{self, TestRequest};
use chrono::{DateTime, Duration, TimeZone, Utc};
use futures_util::future::LocalBoxFuture;
use madoguchi_api::clock::ManualClock;
use madoguchi_api::config::ApiConfig;
use madoguchi_api::state::AppState;
use madoguchi_domain::hashing::hash_secret;
use madoguchi_domain::insurer_number::InsurerNumber;
use madoguchi_domain::onboarding::AccountState;
use madoguchi_domain::roster::{RosterEntry, RosterInput};
use madoguchi_domain::temporary::{TemporaryLoginId, TemporaryPassword, postcard_expiry};
use madoguchi_persistence::accounts::{self, Account};
use madoguchi_persistence::members::{self, Member};
use madoguchi_persistence::outbox::{self, QueuedEmail};
use madoguchi_persistence::temporary_credentials::{self, NewTemporaryCredential, Purpose};
use madoguchi_persistence::testing::TestDatabase;
use madoguchi_persistence::{tenants, terms};
use serde_json::{Value, json};

pub use crate::request::{Answer, Call};

pub const INSURER_NUMBER: &str = "06130090";
pub const TENANT_NAME: &str = "日本電気健康保険組合";
pub const JWT_SECRET: &[u8] = b"madoguchi-integration-test-secret-0123456789";

/// A JWT signed by hand (HS256 or HS512) with any claims, as a forger with the key would.
pub fn sign_jwt(alg: &str, claims: &serde_json::Value, secret: &[u8]) -> String {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use hmac::{Hmac, Mac};
    let header = URL_SAFE_NO_PAD.encode(format!(r#"{{"alg":"{alg}","typ":"JWT"}}"#));
    let body = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap());
    let message = format!("{header}.{body}");
    let signature = if alg == "HS512" {
        let mut mac = Hmac::<sha2::Sha512>::new_from_slice(secret).unwrap();
        mac.update(message.as_bytes());
        mac.finalize().into_bytes().to_vec()
    } else {
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret).unwrap();
        mac.update(message.as_bytes());
        mac.finalize().into_bytes().to_vec()
    };
    format!("{message}.{}", URL_SAFE_NO_PAD.encode(signature))
}

/// The roster: member code, family name, given name, birth date (YYYYMMDD).
pub const ROSTER: [(&str, &str, &str, &str); 6] = [
    ("1-1-00", "髙橋", "一郎", "19790822"),
    ("1-2-00", "佐藤", "花子", "19850115"),
    ("1-3-00", "鈴木", "次郎", "19920304"),
    ("1-4-00", "田中", "三郎", "19601231"),
    ("1-5-00", "伊藤", "桜", "20000229"),
    ("1-6-00", "渡辺", "", "19450815"),
];

/// What the postcard of `madoguchi credentials issue` carries.
#[derive(Debug, Clone)]
pub struct Postcard {
    pub login_id: String,
    pub password: String,
}

type Handler = Rc<dyn Fn(TestRequest) -> LocalBoxFuture<'static, ServiceResponse>>;

pub struct TestApp {
    /// `sqlite` or `postgres`: named in every assertion message.
    pub backend: &'static str,
    pub clock: Arc<ManualClock>,
    pub tenant: tenants::Tenant,
    /// The default terms' version in force.
    pub terms_version: String,
    pub production: bool,
    db: TestDatabase,
    handler: Handler,
    state: Option<AppState>,
    /// Where the outbox worker delivers (`.eml` files), as `MADOGUCHI_MAIL=file://…` does.
    mail_dir: tempfile::TempDir,
    /// `MADOGUCHI_PUBLIC_URL` of the app.
    public_url: String,
}

/// 2026-11-20 10:00 JST, a Friday far from any maintenance window.
pub fn start_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 1, 0, 0).unwrap()
}

/// Declares the API test `async fn NAME(app: TestApp)` as two test cases, `NAME::sqlite` and
/// `NAME::postgres`, so that a failure on one backend never hides the other's result. The
/// PostgreSQL case passes, saying it was skipped, when `MADOGUCHI_TEST_POSTGRES_URL` is unset.
/// `each_backend!(NAME, production)` runs the app with `production: true` (Secure cookies,
/// HSTS); `each_backend!(NAME, only: postgres)` declares the PostgreSQL case alone.
macro_rules! each_backend {
    ($name:ident) => {
        $crate::helpers::each_backend!(@cases $name, false, sqlite postgres);
    };
    ($name:ident, production) => {
        $crate::helpers::each_backend!(@cases $name, true, sqlite postgres);
    };
    ($name:ident, only: postgres) => {
        $crate::helpers::each_backend!(@cases $name, false, postgres);
    };
    (@cases $name:ident, $production:expr, $($backend:ident)+) => {
        mod $name {
            $($crate::helpers::each_backend!(@case $backend, $name, $production);)+
        }
    };
    (@case sqlite, $name:ident, $production:expr) => {
        #[actix_web::test]
        async fn sqlite() {
            let db = madoguchi_persistence::testing::TestDatabase::sqlite();
            super::$name($crate::helpers::spawn_app(db, $production).await).await;
        }
    };
    (@case postgres, $name:ident, $production:expr) => {
        #[actix_web::test]
        async fn postgres() {
            if let Some(db) = madoguchi_persistence::testing::TestDatabase::postgres_from_env() {
                super::$name($crate::helpers::spawn_app(db, $production).await).await;
            }
        }
    };
}
pub(crate) use each_backend;

pub async fn spawn_app(db: TestDatabase, production: bool) -> TestApp {
    let now = start_time();
    let clock = Arc::new(ManualClock::new(now));
    let mut conn = db.conn();
    let number = InsurerNumber::parse(INSURER_NUMBER).unwrap();
    let tenant = tenants::insert(&mut conn, &number, TENANT_NAME, now).unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    let entries: Vec<RosterEntry> = ROSTER
        .iter()
        .map(|(code, family, given, birth)| {
            let input = RosterInput {
                member_code: code,
                family_name: family,
                given_name: given,
                family_name_kana: "",
                given_name_kana: "",
                birth_date: birth,
                postal_code: "108-8001",
                address: "東京都港区芝五丁目7番1号",
            };
            RosterEntry::parse(input, today).unwrap()
        })
        .collect();
    members::import(&mut conn, &tenant.id, &entries, false, now).unwrap();
    let published = terms::publish(&mut conn, None, "利用規約", "第1条（目的）…", now).unwrap();
    drop(conn);
    let backend = db.backend;
    let mut app = TestApp {
        backend,
        clock,
        tenant,
        terms_version: published.version,
        production,
        handler: Rc::new(|_| unreachable!()),
        db,
        state: None,
        mail_dir: tempfile::tempdir().unwrap(),
        public_url: "http://127.0.0.1:8080".into(),
    };
    app.restart().await;
    app
}

impl TestApp {
    /// A new app on the same database and clock: fresh in-process caches (the maintenance
    /// windows are otherwise re-read every 5 s of real time), as after a server restart.
    pub async fn restart(&mut self) {
        self.restart_at(&self.public_url.clone()).await;
    }

    /// [`Self::restart`] with another public URL (a domain name, which passkeys need).
    pub async fn restart_at(&mut self, public_url: &str) {
        self.public_url = public_url.to_owned();
        let (handler, state) = self.handler_with(JWT_SECRET).await;
        self.handler = handler;
        self.state = Some(state);
    }

    /// One pass of the outbox worker of `madoguchi serve`: answers the recovery requests and
    /// delivers the queued e-mails (to .eml files in the app's mail folder).
    pub async fn run_outbox(&self) {
        self.worker(self.mail_dir.path()).pass().await.unwrap();
    }

    /// The `.eml` file a message was delivered as, when it was.
    pub fn delivered_file(&self, outbox_id: &str) -> std::path::PathBuf {
        self.mail_dir.path().join(format!("{outbox_id}.eml"))
    }

    /// The worker's hourly housekeeping, at the app's clock.
    pub async fn housekeeping(&self) {
        let dir = tempfile::tempdir().unwrap();
        let worker = self.worker(dir.path());
        worker.housekeeping(self.clock_now()).await.unwrap();
    }

    /// The outbox worker of `madoguchi serve`, delivering to .eml files in `dir`.
    fn worker(&self, dir: &std::path::Path) -> madoguchi_api::mail::OutboxWorker {
        let mailer =
            madoguchi_api::mail::Mailer::from_url(&format!("file://{}", dir.display())).unwrap();
        let from =
            madoguchi_api::mail::parse_sender("Madoguchi <no-reply@madoguchi.test>").unwrap();
        let state = self.state.as_ref().expect("started");
        madoguchi_api::mail::OutboxWorker::new(state, mailer, from)
    }

    /// Every e-mail queued for `address`, oldest first. A message already delivered has no
    /// body left in the outbox: its text is read from the delivered `.eml` file instead.
    pub fn mails_to(&self, address: &str) -> Vec<QueuedEmail> {
        let mut mails = outbox::to_recipient(&mut self.conn(), address).unwrap();
        for mail in &mut mails {
            let file = self.delivered_file(&mail.id);
            if mail.body_text.is_empty() && file.exists() {
                mail.body_text = delivered_text(&std::fs::read(&file).unwrap());
            }
        }
        mails
    }

    /// An app signing with another secret (for foreign tokens), and its state.
    pub async fn handler_with(&self, secret: &[u8]) -> (Handler, AppState) {
        let config = ApiConfig {
            public_url: self.public_url.clone(),
            jwt_secret: secret.to_vec(),
            production: self.production,
            trusted_proxies: Vec::new(),
            mail_domain: "madoguchi.test".into(),
        };
        let clock: Arc<dyn madoguchi_api::clock::Clock> = self.clock.clone();
        let state = AppState::new(self.db.pool.clone(), config, clock).unwrap();
        let service = Rc::new(test::init_service(madoguchi_api::app(state.clone())).await);
        let handler: Handler = Rc::new(move |req| {
            let service = Rc::clone(&service);
            Box::pin(async move {
                let req = req.to_request();
                service.call(req).await.expect("a response, never an Err")
            })
        });
        (handler, state)
    }

    /// The state the app serves with, for `madoguchi_api::serve`.
    pub fn state(&self) -> AppState {
        self.state.clone().expect("started")
    }

    pub(crate) fn handler(&self) -> &Handler {
        &self.handler
    }

    /// The URL of the app's database.
    pub fn database_url(&self) -> &str {
        &self.db.url
    }

    pub fn conn(&self) -> madoguchi_persistence::db::PooledConn {
        self.db.conn()
    }

    pub fn get(&self, path: &str) -> Call<'_> {
        Call::new(self, format!("GET {path}"), TestRequest::get().uri(path))
    }

    pub fn post(&self, path: &str, body: Value) -> Call<'_> {
        Call::new(
            self,
            format!("POST {path}"),
            TestRequest::post().uri(path).set_json(body),
        )
    }

    pub fn put_json(&self, path: &str, body: Value) -> Call<'_> {
        Call::new(
            self,
            format!("PUT {path}"),
            TestRequest::put().uri(path).set_json(body),
        )
    }

    pub fn delete(&self, path: &str) -> Call<'_> {
        Call::new(
            self,
            format!("DELETE {path}"),
            TestRequest::delete().uri(path),
        )
    }

    /// A POST with no body yet (add one with [`Call::raw`]).
    pub fn post_empty(&self, path: &str) -> Call<'_> {
        Call::new(self, format!("POST {path}"), TestRequest::post().uri(path))
    }

    pub fn member(&self, code: &str) -> Member {
        members::find_by_code(&mut self.conn(), &self.tenant.id, code)
            .unwrap()
            .unwrap_or_else(|| panic!("{}: no member {code}", self.backend))
    }

    pub fn account(&self, code: &str) -> Account {
        let member = self.member(code);
        accounts::find_by_member(&mut self.conn(), &member.id)
            .unwrap()
            .unwrap_or_else(|| panic!("{}: no account for {code}", self.backend))
    }

    /// What `madoguchi credentials issue --member CODE` does: a Provisioned account and a
    /// postcard credential (argon2id), valid for the tenant's 90 days.
    pub fn provision(&self, code: &str) -> Postcard {
        let now = self.clock_now();
        let member = self.member(code);
        let mut rng = rand::rng();
        let login_id = TemporaryLoginId::generate(&mut rng);
        let password = TemporaryPassword::generate(&mut rng);
        let hash = hash_secret(password.expose());
        let (_, expires_at) = postcard_expiry(now, self.tenant.postcard_days);
        let mut conn = self.conn();
        madoguchi_persistence::write_tx(&mut conn, |c| {
            let account = match accounts::find_by_member(c, &member.id)? {
                Some(a) => a,
                None => accounts::create(c, &member, AccountState::Provisioned, now)?,
            };
            temporary_credentials::replace(
                c,
                &NewTemporaryCredential {
                    account_id: &account.id,
                    login_id: Some(login_id.as_str()),
                    password_hash: &hash,
                    purpose: Purpose::Postcard,
                    expires_at,
                },
                now,
            )
        })
        .unwrap();
        Postcard {
            login_id: login_id.as_str().to_owned(),
            password: password.expose().to_owned(),
        }
    }

    pub fn clock_now(&self) -> DateTime<Utc> {
        madoguchi_api::clock::Clock::now(&*self.clock)
    }

    pub fn advance(&self, by: Duration) {
        self.clock.advance(by);
    }

    pub async fn login(&self, login_id: &str, password: &str) -> Answer {
        self.post(
            "/api/v1/auth/login",
            json!({"login_id": login_id, "password": password}),
        )
        .send()
        .await
    }

    /// The identity body that matches the roster.
    pub fn identity_body(&self, code: &str) -> Value {
        json!({
            "insurer_number": INSURER_NUMBER,
            "birth_date": self.member(code).birth_date,
            "agree_to_terms": true,
            "terms_version": self.terms_version,
        })
    }

    /// Provisioned, signed in with the postcard: a token at `verify_identity`.
    pub async fn at_identity(&self, code: &str) -> (Postcard, String) {
        let postcard = self.provision(code);
        let answer = self.login(&postcard.login_id, &postcard.password).await;
        answer.ok(200).step("verify_identity");
        (postcard, answer.token())
    }

    /// Past the identity check: a token at `register_credentials`.
    pub async fn at_credentials(&self, code: &str) -> (Postcard, String) {
        let (postcard, token) = self.at_identity(code).await;
        let answer = self
            .post("/api/v1/onboarding/identity", self.identity_body(code))
            .bearer(&token)
            .send()
            .await;
        answer.ok(200).step("register_credentials");
        (postcard, answer.token())
    }

    /// Registered with `user_id` and `password`: a member token.
    pub async fn registered(&self, code: &str, user_id: &str, password: &str) -> String {
        let (_, token) = self.at_credentials(code).await;
        let answer = self
            .post(
                "/api/v1/onboarding/credentials",
                credentials(user_id, password, "ichiro@example.jp"),
            )
            .bearer(&token)
            .send()
            .await;
        answer.ok(201).step("menu");
        answer.token()
    }
}

/// A registration body.
pub fn credentials(user_id: &str, password: &str, email: &str) -> Value {
    json!({
        "user_id": user_id,
        "password": password,
        "password_confirmation": password,
        "email": email,
        "notify_on_update": true,
    })
}

/// ASCII as full-width characters (Ａ, １, …), as typed with a Japanese IME.
pub fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '!'..='~' => char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap_or(c),
            other => other,
        })
        .collect()
}

/// The plain-text part of a delivered message, decoded.
pub fn delivered_text(eml: &[u8]) -> String {
    fn text(part: &mailparse::ParsedMail<'_>) -> Option<String> {
        if part.ctype.mimetype == "text/plain" {
            return part.get_body().ok();
        }
        part.subparts.iter().find_map(text)
    }
    text(&mailparse::parse_mail(eml).unwrap()).expect("a text/plain part")
}
