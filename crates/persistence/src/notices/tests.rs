//! Notices, read marks and the fan-out on both backends.

use chrono::{Duration, NaiveDate, Utc};
use madoguchi_domain::insurer_number::InsurerNumber;
use madoguchi_domain::onboarding::AccountState;
use madoguchi_domain::roster::{RosterEntry, RosterInput};

use super::fanout::{self, Due, Recipient};
use super::*;
use crate::testing::{TestDatabase, each_backend};
use crate::{accounts, members, outbox, tenants};

/// A tenant with a member per `(code, state, notify)`; returns the tenant's ID and the
/// account IDs in the same order. Addresses are `<code>@example.jp`.
fn tenant(
    conn: &mut Conn,
    insurer: &str,
    people: &[(&str, AccountState, bool)],
) -> (String, Vec<String>) {
    let now = Utc::now();
    let t = tenants::insert(conn, &InsurerNumber::parse(insurer).unwrap(), insurer, now).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let entries: Vec<RosterEntry> = people
        .iter()
        .map(|(code, _, _)| {
            RosterEntry::parse(
                RosterInput {
                    member_code: code,
                    family_name: "髙橋",
                    given_name: "",
                    family_name_kana: "",
                    given_name_kana: "",
                    birth_date: "19790822",
                    postal_code: "",
                    address: "",
                },
                today,
            )
            .unwrap()
        })
        .collect();
    members::import(conn, &t.id, &entries, false, now).unwrap();
    let ids = people
        .iter()
        .map(|(code, state, notify)| {
            let member = members::find_by_code(conn, &t.id, code).unwrap().unwrap();
            let account = accounts::create(conn, &member, *state, now).unwrap();
            accounts::set_email(conn, &account.id, &format!("{code}@example.jp"), true, now)
                .unwrap();
            accounts::set_notify(conn, &account.id, *notify, now).unwrap();
            account.id
        })
        .collect();
    (t.id, ids)
}

fn post(
    conn: &mut Conn,
    tenant_id: &str,
    title: &str,
    publish_at: chrono::DateTime<Utc>,
) -> Notice {
    add(
        conn,
        &NewNotice {
            tenant_id,
            title,
            body: "本文 https://example.jp/",
            publish_at,
            important: false,
            created_by: "operator:tester@host",
        },
        Utc::now(),
    )
    .unwrap()
}

fn queue(c: &mut Conn, r: &Recipient) -> Result<(), StoreError> {
    outbox::enqueue(
        c,
        &outbox::NewEmail {
            kind: "notice_published",
            recipient: &r.email,
            subject: "お知らせ",
            body_text: "",
            body_html: None,
        },
        "madoguchi.test",
        Utc::now(),
    )
    .map(|_| ())
}

fn mails(conn: &mut Conn, code: &str) -> usize {
    outbox::to_recipient(conn, &format!("{code}@example.jp"))
        .unwrap()
        .len()
}

each_backend!(members_see_their_own_tenants_published_notices_newest_first);
fn members_see_their_own_tenants_published_notices_newest_first(db: TestDatabase) {
    let mut conn = db.conn();
    let now = Utc::now();
    let (mine, ids) = tenant(
        &mut conn,
        "06130090",
        &[("A-1", AccountState::Active, true)],
    );
    let (theirs, _) = tenant(
        &mut conn,
        "01130012",
        &[("B-1", AccountState::Active, true)],
    );
    let me = &ids[0];
    let old = post(&mut conn, &mine, "古いお知らせ", now - Duration::days(2));
    let new = post(&mut conn, &mine, "新しいお知らせ", now - Duration::hours(1));
    let later = post(&mut conn, &mine, "予約", now + Duration::hours(1));
    let gone = post(&mut conn, &mine, "取り下げ", now - Duration::hours(3));
    let foreign = post(&mut conn, &theirs, "他の組合", now - Duration::hours(1));
    assert!(withdraw(&mut conn, &gone.id, now).unwrap());
    assert!(!withdraw(&mut conn, &gone.id, now).unwrap(), "once");
    assert!(matches!(
        withdraw(&mut conn, "nope", now),
        Err(StoreError::NotFound)
    ));

    let seen = published(&mut conn, &mine, me, now).unwrap();
    let titles: Vec<&str> = seen.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles, ["新しいお知らせ", "古いお知らせ"], "{}", db.backend);
    assert!(seen.iter().all(|s| !s.read));
    assert_eq!(crate::reads::menu(&mut conn, me, now).unwrap().unread, 2);

    for hidden in [&later.id, &gone.id, &foreign.id, &"nope".to_owned()] {
        assert_eq!(
            open(&mut conn, &mine, me, hidden, now).unwrap(),
            None,
            "{}: {hidden}",
            db.backend
        );
    }
    let (opened, body) = open(&mut conn, &mine, me, &old.id, now).unwrap().unwrap();
    assert_eq!((opened.title.as_str(), opened.read), ("古いお知らせ", true));
    assert_eq!(body, "本文 https://example.jp/");
    // A second opening (another device of the household) keeps the one mark.
    assert!(open(&mut conn, &mine, me, &old.id, now).unwrap().is_some());
    assert_eq!(crate::reads::menu(&mut conn, me, now).unwrap().unread, 1);
    let seen = published(&mut conn, &mine, me, now).unwrap();
    assert_eq!(
        seen.iter()
            .map(|s| (s.id.as_str(), s.read))
            .collect::<Vec<_>>(),
        [(new.id.as_str(), false), (old.id.as_str(), true)]
    );

    // The scheduled notice appears at its time, unread.
    let at = now + Duration::hours(1);
    assert_eq!(
        published(&mut conn, &mine, me, at).unwrap()[0].title,
        "予約"
    );
    assert_eq!(crate::reads::menu(&mut conn, me, at).unwrap().unread, 2);
    // The operator sees all four of the tenant, latest first.
    let all = list_for_tenant(&mut conn, &mine).unwrap();
    assert_eq!(all.len(), 4);
    assert_eq!(all[0].id, later.id);
    assert!(all.iter().any(|n| n.withdrawn_at.is_some()));
}

each_backend!(the_fan_out_mails_each_opted_in_active_member_once_in_batches);
fn the_fan_out_mails_each_opted_in_active_member_once_in_batches(db: TestDatabase) {
    let mut conn = db.conn();
    let now = Utc::now();
    let (mine, _) = tenant(
        &mut conn,
        "06130090",
        &[
            ("A-1", AccountState::Active, true),
            ("A-2", AccountState::Active, false),
            ("A-3", AccountState::Suspended, true),
            ("A-4", AccountState::Provisioned, true),
            ("A-5", AccountState::Active, true),
            ("A-6", AccountState::Active, true),
        ],
    );
    let (theirs, _) = tenant(
        &mut conn,
        "01130012",
        &[("B-1", AccountState::Active, true)],
    );
    let scheduled = post(&mut conn, &mine, "予約", now + Duration::hours(1));
    let withdrawn = post(
        &mut conn,
        &mine,
        "予約のまま取り下げ",
        now + Duration::hours(1),
    );
    withdraw(&mut conn, &withdrawn.id, now).unwrap();
    post(
        &mut conn,
        &theirs,
        "他の組合（まだ）",
        now + Duration::days(1),
    );

    assert!(
        fanout::due(&mut conn, now, 10).unwrap().is_empty(),
        "not yet"
    );
    let at = now + Duration::hours(2);
    let due = fanout::due(&mut conn, at, 10).unwrap();
    assert_eq!(
        due.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
        [scheduled.id.as_str()],
        "{}: a notice withdrawn before its time is never mailed",
        db.backend
    );

    // Batches of two, then A-6 (fewer than two: the end).
    let mut batches = Vec::new();
    while let Some(next) = fanout::due(&mut conn, at, 10).unwrap().pop() {
        batches.push(
            fanout::run_batch(&mut conn, &next, 2, at, queue)
                .unwrap()
                .queued,
        );
    }
    assert_eq!(batches, [2, 1], "{}", db.backend);
    for (code, expected) in [
        ("A-1", 1),
        ("A-2", 0),
        ("A-3", 0),
        ("A-4", 0),
        ("A-5", 1),
        ("A-6", 1),
        ("B-1", 0),
    ] {
        assert_eq!(mails(&mut conn, code), expected, "{}: {code}", db.backend);
    }
    assert!(
        get(&mut conn, &scheduled.id)
            .unwrap()
            .unwrap()
            .fanned_out_at
            .is_some()
    );
}

each_backend!(an_interrupted_fan_out_resumes_without_duplicates_or_losses);
fn an_interrupted_fan_out_resumes_without_duplicates_or_losses(db: TestDatabase) {
    let mut conn = db.conn();
    let now = Utc::now();
    let people: Vec<(String, AccountState, bool)> = (1..=7)
        .map(|i| (format!("A-{i}"), AccountState::Active, true))
        .collect();
    let people: Vec<(&str, AccountState, bool)> = people
        .iter()
        .map(|(c, s, n)| (c.as_str(), *s, *n))
        .collect();
    let (mine, _) = tenant(&mut conn, "06130090", &people);
    let notice = post(&mut conn, &mine, "即時", now);
    let first = fanout::due(&mut conn, now, 10).unwrap().remove(0);
    assert_eq!(
        fanout::run_batch(&mut conn, &first, 3, now, queue)
            .unwrap()
            .queued,
        3
    );

    // The process dies in the middle of the second batch: its transaction never commits.
    let second = fanout::due(&mut conn, now, 10).unwrap().remove(0);
    let mut written = 0;
    let died = fanout::run_batch(&mut conn, &second, 3, now, |c, r| {
        written += 1;
        if written == 2 {
            return Err(StoreError::Connect("killed".into()));
        }
        queue(c, r)
    });
    assert!(died.is_err());
    assert_eq!(
        outbox::pending_count(&mut conn).unwrap(),
        3,
        "{}",
        db.backend
    );

    // A server that read the cursor before the first batch committed writes nothing.
    assert_eq!(
        fanout::run_batch(&mut conn, &first, 3, now, queue).unwrap(),
        fanout::Batch::default(),
        "{}: a stale cursor",
        db.backend
    );

    // Resuming from the stored cursor: every member exactly once.
    while let Some(next) = fanout::due(&mut conn, now, 10).unwrap().pop() {
        fanout::run_batch(&mut conn, &next, 3, now, queue).unwrap();
    }
    for (code, _, _) in &people {
        assert_eq!(mails(&mut conn, code), 1, "{}: {code}", db.backend);
    }
    assert!(
        get(&mut conn, &notice.id)
            .unwrap()
            .unwrap()
            .fanned_out_at
            .is_some()
    );
}

each_backend!(a_notice_withdrawn_mid_fan_out_stops_mailing);
fn a_notice_withdrawn_mid_fan_out_stops_mailing(db: TestDatabase) {
    let mut conn = db.conn();
    let now = Utc::now();
    let (mine, _) = tenant(
        &mut conn,
        "06130090",
        &[
            ("A-1", AccountState::Active, true),
            ("A-2", AccountState::Active, true),
        ],
    );
    let notice = post(&mut conn, &mine, "即時", now);
    let due: Due = fanout::due(&mut conn, now, 10).unwrap().remove(0);
    fanout::run_batch(&mut conn, &due, 1, now, queue).unwrap();
    withdraw(&mut conn, &notice.id, now).unwrap();
    assert!(fanout::due(&mut conn, now, 10).unwrap().is_empty());
    let stale = Due {
        cursor: get_cursor(&mut conn, &notice.id),
        ..due
    };
    assert_eq!(
        fanout::run_batch(&mut conn, &stale, 1, now, queue)
            .unwrap()
            .queued,
        0,
        "{}",
        db.backend
    );
    assert_eq!(outbox::pending_count(&mut conn).unwrap(), 1);
}

fn get_cursor(conn: &mut Conn, id: &str) -> String {
    use crate::schema::notices as n;
    n::table
        .find(id)
        .select(n::fanout_cursor)
        .first(conn)
        .unwrap()
}
