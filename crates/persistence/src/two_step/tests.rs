//! The two-step tables on both backends.

use chrono::{Duration, Utc};
use madoguchi_domain::onboarding::AccountState;
use madoguchi_domain::two_step::{Outcome, SignInMethod};

use super::*;
use crate::accounts::{self, tests::member};
use crate::testing::{TestDatabase, each_backend};

fn account(db: &TestDatabase) -> (crate::db::PooledConn, String) {
    let mut conn = db.conn();
    let m = member(&mut conn);
    let a = accounts::create(&mut conn, &m, AccountState::Active, Utc::now()).unwrap();
    (conn, a.id)
}

each_backend!(an_app_is_pending_until_confirmed_and_each_step_signs_in_once);
fn an_app_is_pending_until_confirmed_and_each_step_signs_in_once(db: TestDatabase) {
    let (mut conn, id) = account(&db);
    let now = Utc::now();
    assert!(totp::begin(&mut conn, &id, "v1.sealed", now).unwrap());
    let pending = totp::find(&mut conn, &id).unwrap().unwrap();
    assert!(!pending.confirmed, "{}", db.backend);
    assert!(!factors(&mut conn, &id, false).unwrap().totp);
    assert!(
        totp::begin(&mut conn, &id, "v1.other", now).unwrap(),
        "a pending app is replaced"
    );
    assert!(totp::confirm(&mut conn, &id, 100, now).unwrap());
    assert!(
        !totp::begin(&mut conn, &id, "v1.third", now).unwrap(),
        "a confirmed app stays"
    );
    let app = totp::find(&mut conn, &id).unwrap().unwrap();
    assert_eq!(
        (
            app.sealed_secret.as_str(),
            app.confirmed,
            app.last_used_step
        ),
        ("v1.other", true, Some(100))
    );
    assert!(
        !totp::use_step(&mut conn, &id, 100).unwrap(),
        "{}: replay",
        db.backend
    );
    assert!(totp::use_step(&mut conn, &id, 101).unwrap());
    assert!(!totp::use_step(&mut conn, &id, 101).unwrap());
    assert!(factors(&mut conn, &id, false).unwrap().totp);
    assert!(totp::remove(&mut conn, &id).unwrap());
    assert_eq!(totp::find(&mut conn, &id).unwrap(), None);
}

each_backend!(recovery_codes_work_once_and_a_new_set_replaces_the_old);
fn recovery_codes_work_once_and_a_new_set_replaces_the_old(db: TestDatabase) {
    let (mut conn, id) = account(&db);
    let now = Utc::now();
    let hashes: Vec<String> = (0..10).map(|i| format!("h{i}")).collect();
    recovery_codes::replace(&mut conn, &id, &hashes, now).unwrap();
    assert_eq!(recovery_codes::left(&mut conn, &id).unwrap(), 10);
    assert!(recovery_codes::use_code(&mut conn, &id, "h3", now).unwrap());
    assert!(
        !recovery_codes::use_code(&mut conn, &id, "h3", now).unwrap(),
        "{}",
        db.backend
    );
    assert!(!recovery_codes::use_code(&mut conn, &id, "nope", now).unwrap());
    assert_eq!(
        factors(&mut conn, &id, true).unwrap().recovery_codes_left,
        9
    );
    recovery_codes::replace(&mut conn, &id, &["n1".to_owned()], now).unwrap();
    assert!(!recovery_codes::use_code(&mut conn, &id, "h4", now).unwrap());
    assert_eq!(recovery_codes::left(&mut conn, &id).unwrap(), 1);
}

each_backend!(the_newest_mailed_code_is_used_once);
fn the_newest_mailed_code_is_used_once(db: TestDatabase) {
    let (mut conn, id) = account(&db);
    let now = Utc::now();
    email_codes::create(&mut conn, &id, "old", now - Duration::minutes(70)).unwrap();
    email_codes::create(&mut conn, &id, "a", now - Duration::minutes(5)).unwrap();
    let newest_id = email_codes::create(&mut conn, &id, "b", now).unwrap();
    let sent = email_codes::sent_since(&mut conn, &id, now - Duration::hours(1)).unwrap();
    assert_eq!(sent.len(), 2, "{}", db.backend);
    let newest = email_codes::newest(&mut conn, &id).unwrap().unwrap();
    assert_eq!(
        (newest.id.as_str(), newest.code_hash.as_str()),
        (newest_id.as_str(), "b")
    );
    assert!(email_codes::mark_used(&mut conn, &newest.id, now).unwrap());
    assert!(!email_codes::mark_used(&mut conn, &newest.id, now).unwrap());
    assert!(
        email_codes::newest(&mut conn, &id)
            .unwrap()
            .unwrap()
            .sent
            .used_at
            .is_some()
    );
}

each_backend!(remembered_browsers_are_found_by_hash_listed_and_forgotten);
fn remembered_browsers_are_found_by_hash_listed_and_forgotten(db: TestDatabase) {
    let (mut conn, id) = account(&db);
    let now = Utc::now();
    let a = devices::remember(
        &mut conn,
        &id,
        "ha",
        "Firefox",
        now + Duration::days(30),
        now,
    )
    .unwrap();
    devices::remember(
        &mut conn,
        &id,
        "hb",
        "Safari",
        now + Duration::days(30),
        now,
    )
    .unwrap();
    assert!(devices::recognise(&mut conn, &id, "ha", now).unwrap());
    assert!(
        !devices::recognise(&mut conn, &id, "ha", now + Duration::days(31)).unwrap(),
        "expired"
    );
    assert!(!devices::recognise(&mut conn, "other", "ha", now).unwrap());
    assert_eq!(
        devices::list(&mut conn, &id, now).unwrap().len(),
        2,
        "{}",
        db.backend
    );
    assert!(!devices::forget(&mut conn, "other", &a).unwrap());
    assert!(devices::forget(&mut conn, &id, &a).unwrap());
    assert_eq!(devices::forget_all(&mut conn, &id).unwrap(), 1);
    assert!(devices::list(&mut conn, &id, now).unwrap().is_empty());
}

each_backend!(the_history_shows_the_last_twenty_newest_first_and_prunes_older);
fn the_history_shows_the_last_twenty_newest_first_and_prunes_older(db: TestDatabase) {
    let (mut conn, id) = account(&db);
    let start = Utc::now() - Duration::days(400);
    for i in 0..25 {
        let attempt = history::Attempt {
            at: start + Duration::days(i),
            outcome: if i % 2 == 0 {
                Outcome::Success
            } else {
                Outcome::WrongPassword
            },
            method: SignInMethod::Password,
            address: "192.0.2.1".into(),
            browser: "Firefox".into(),
        };
        history::record(&mut conn, &id, &attempt).unwrap();
    }
    let recent = history::recent(&mut conn, &id).unwrap();
    assert_eq!(recent.len(), 20, "{}", db.backend);
    assert_eq!(
        recent[0].at,
        crate::time::from_db(crate::time::to_db(start + Duration::days(24)))
    );
    assert_eq!(recent[0].outcome, Outcome::Success);
    let pruned = history::prune_all(&mut conn, Utc::now()).unwrap();
    assert_eq!(pruned, 5);
    assert_eq!(history::recent(&mut conn, &id).unwrap().len(), 20);
}

each_backend!(an_operator_reset_removes_every_factor);
fn an_operator_reset_removes_every_factor(db: TestDatabase) {
    let (mut conn, id) = account(&db);
    let now = Utc::now();
    totp::begin(&mut conn, &id, "s", now).unwrap();
    totp::confirm(&mut conn, &id, 1, now).unwrap();
    recovery_codes::replace(&mut conn, &id, &["h".to_owned()], now).unwrap();
    devices::remember(&mut conn, &id, "t", "Edge", now + Duration::days(30), now).unwrap();
    email_codes::create(&mut conn, &id, "c", now).unwrap();
    remove_all(&mut conn, &id, now).unwrap();
    let f = factors(&mut conn, &id, true).unwrap();
    assert!(!f.totp && f.recovery_codes_left == 0, "{}", db.backend);
    assert!(devices::list(&mut conn, &id, now).unwrap().is_empty());
    assert!(
        email_codes::newest(&mut conn, &id)
            .unwrap()
            .unwrap()
            .sent
            .used_at
            .is_some()
    );
}

each_backend!(passkeys_are_the_accounts_own_and_count_as_a_factor);
fn passkeys_are_the_accounts_own_and_count_as_a_factor(db: TestDatabase) {
    let (mut conn, id) = account(&db);
    let other = "another-account";
    let now = Utc::now();
    assert_eq!(passkeys::user_handle(&mut conn, &id).unwrap(), None);
    let new = |credential_id, name| passkeys::NewPasskey {
        account_id: &id,
        user_handle: "handle-1",
        credential_id,
        credential: "{\"cred\":1}",
        sign_count: 0,
        name,
    };
    let first = passkeys::add(&mut conn, &new("Y3JlZC0x", "iPhone"), now).unwrap();
    let later = now + Duration::seconds(1);
    passkeys::add(&mut conn, &new("Y3JlZC0y", "鍵"), later).unwrap();
    assert!(
        passkeys::add(&mut conn, &new("Y3JlZC0x", "again"), later).is_err(),
        "{}: one credential, one passkey",
        db.backend
    );
    assert_eq!(factors(&mut conn, &id, false).unwrap().passkeys, 2);
    let names: Vec<String> = passkeys::list(&mut conn, &id)
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(names, ["iPhone", "鍵"]);
    assert_eq!(
        passkeys::user_handle(&mut conn, &id).unwrap().as_deref(),
        Some("handle-1")
    );
    let found = passkeys::by_credential_id(&mut conn, "Y3JlZC0x")
        .unwrap()
        .unwrap();
    assert_eq!(
        (found.id.as_str(), found.account_id.as_str()),
        (first.as_str(), id.as_str())
    );
    passkeys::used(&mut conn, &first, "{\"cred\":2}", 7, later).unwrap();
    let used = passkeys::by_credential_id(&mut conn, "Y3JlZC0x")
        .unwrap()
        .unwrap();
    assert_eq!(used.credential, "{\"cred\":2}");
    let listed = passkeys::list(&mut conn, &id).unwrap();
    assert_eq!(
        listed[0].last_used_at.map(|t| t.timestamp()),
        Some(later.timestamp())
    );
    assert_eq!(
        passkeys::remove(&mut conn, other, &first).unwrap(),
        None,
        "another account's passkey is not removed"
    );
    assert_eq!(
        passkeys::remove(&mut conn, &id, &first).unwrap().as_deref(),
        Some("iPhone")
    );
    assert_eq!(
        passkeys::by_credential_id(&mut conn, "Y3JlZC0x").unwrap(),
        None
    );
    remove_all(&mut conn, &id, now).unwrap();
    assert_eq!(factors(&mut conn, &id, false).unwrap().passkeys, 0);
}

each_backend!(a_ceremony_is_taken_once_by_its_own_purpose_before_it_expires);
fn a_ceremony_is_taken_once_by_its_own_purpose_before_it_expires(db: TestDatabase) {
    use passkeys::Purpose::{Registration, SignIn};
    let (mut conn, id) = account(&db);
    let now = Utc::now();
    let soon = now + Duration::minutes(5);
    let signing = passkeys::begin_ceremony(&mut conn, SignIn, None, "{\"s\":1}", soon).unwrap();
    let adding =
        passkeys::begin_ceremony(&mut conn, Registration, Some(&id), "{\"r\":1}", soon).unwrap();
    assert_eq!(
        passkeys::take_ceremony(&mut conn, &signing, Registration, now).unwrap(),
        None,
        "{}: a sign-in's state never finishes a registration",
        db.backend
    );
    let taken = passkeys::take_ceremony(&mut conn, &signing, SignIn, now).unwrap();
    assert_eq!(
        taken,
        Some(passkeys::Ceremony {
            account_id: None,
            state: "{\"s\":1}".into()
        })
    );
    assert_eq!(
        passkeys::take_ceremony(&mut conn, &signing, SignIn, now).unwrap(),
        None,
        "used once"
    );
    assert_eq!(
        passkeys::take_ceremony(&mut conn, &adding, Registration, soon).unwrap(),
        None,
        "expired"
    );
    let old = passkeys::begin_ceremony(&mut conn, SignIn, None, "{}", now).unwrap();
    assert_eq!(passkeys::purge_ceremonies(&mut conn, soon).unwrap(), 2);
    assert_eq!(
        passkeys::take_ceremony(&mut conn, &old, SignIn, now - Duration::minutes(1)).unwrap(),
        None
    );
}
