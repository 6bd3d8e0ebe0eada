//! Issuing temporary credentials (仮ユーザID / 仮パスワード) for postcards (通知書/ハガキ).
//!
//! Order matters (DESIGN §4): random IDs are checked against every ID ever issued, the
//! passwords are hashed on all cores, the postcard file is written and synced, and only then
//! does the database commit; if the commit fails the file is removed, so no member ends up
//! with credentials nobody holds.

use madoguchi_domain::contact::Contact;
use madoguchi_domain::spreadsheet::safe_cell;
use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use indicatif::{ProgressBar, ProgressStyle};
use madoguchi_domain::hashing::Hasher;
use madoguchi_domain::onboarding::{AccountState, Event, Flow};
use madoguchi_domain::temporary::{TemporaryLoginId, TemporaryPassword, postcard_expiry};
use madoguchi_persistence::accounts::{self, Account};
use madoguchi_persistence::audit::{self, NewAuditEvent};
use madoguchi_persistence::members::Member;
use madoguchi_persistence::temporary_credentials::{self, NewTemporaryCredential, Purpose};
use madoguchi_persistence::tenants::Tenant;
use madoguchi_persistence::{Conn, StoreError, write_tx};
use rayon::prelude::*;

/// One member to receive credentials.
pub struct Grant {
    pub member: Member,
    pub account: Option<Account>,
    /// `None` for an Active account's reissue: the member signs in with their own user ID.
    pub temp_id: Option<TemporaryLoginId>,
    pub password: TemporaryPassword,
}

impl Grant {
    /// New postcard credentials for a member not yet registered.
    pub fn postcard(member: Member, account: Option<Account>) -> Self {
        let mut rng = rand::rng();
        Self {
            member,
            account,
            temp_id: Some(TemporaryLoginId::generate(&mut rng)),
            password: TemporaryPassword::generate(&mut rng),
        }
    }

    /// A temporary password for an Active account, leading to `change_password`.
    pub fn password_only(member: Member, account: Account) -> Self {
        Self {
            member,
            account: Some(account),
            temp_id: None,
            password: TemporaryPassword::generate(&mut rand::rng()),
        }
    }

    /// What the member types as ユーザID at login: the temporary ID, or their own user ID.
    pub fn login_name(&self) -> &str {
        match (&self.temp_id, &self.account) {
            (Some(id), _) => id.as_str(),
            (None, Some(account)) => account.user_id.as_deref().unwrap_or(""),
            (None, None) => "",
        }
    }
}

/// Grants whose passwords are hashed, ready to print and commit.
pub struct Prepared {
    pub grants: Vec<Grant>,
    hashes: Vec<String>,
    pub expires_on: NaiveDate,
    expires_at: DateTime<Utc>,
    /// The kenpo's help desk, printed on every postcard.
    contact: Contact,
}

/// Draws new temporary IDs until none repeats an ID ever issued or another of the batch.
pub fn make_ids_unique(conn: &mut Conn, grants: &mut [Grant]) -> Result<(), StoreError> {
    let mut rng = rand::rng();
    loop {
        let ids: Vec<&str> = grants
            .iter()
            .filter_map(|g| g.temp_id.as_ref().map(TemporaryLoginId::as_str))
            .collect();
        let mut taken: HashSet<String> = temporary_credentials::existing_login_ids(conn, &ids)?
            .into_iter()
            .collect();
        let mut seen = HashSet::new();
        let mut redraw = Vec::new();
        for (i, g) in grants.iter().enumerate() {
            if let Some(id) = &g.temp_id
                && (taken.contains(id.as_str()) || !seen.insert(id.as_str().to_owned()))
            {
                redraw.push(i);
            }
        }
        if redraw.is_empty() {
            return Ok(());
        }
        for i in redraw {
            let fresh = TemporaryLoginId::generate(&mut rng);
            taken.insert(fresh.as_str().to_owned());
            grants[i].temp_id = Some(fresh);
        }
    }
}

/// Hashes every password with argon2id, spread over all cores, each thread reusing one
/// memory block. A progress bar is drawn when stderr is a terminal.
pub fn prepare(
    grants: Vec<Grant>,
    tenant: &Tenant,
    now: DateTime<Utc>,
    show_progress: bool,
) -> Prepared {
    let bar = if show_progress {
        ProgressBar::new(grants.len() as u64)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len} ({per_sec}, {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message("argon2id");
    // One hasher (and its 19 MiB block) per thread for the whole run: rayon calls a
    // `map_init` initialiser once per piece of work it splits off, and every block allocated
    // that way stayed in the process (265 MB peak for 200 members).
    thread_local! {
        static HASHER: std::cell::RefCell<Hasher> = std::cell::RefCell::new(Hasher::new());
    }
    let hashes: Vec<String> = grants
        .par_iter()
        .map(|g| {
            let hash = HASHER.with(|h| h.borrow_mut().hash(g.password.expose()));
            bar.inc(1);
            hash
        })
        .collect();
    bar.finish_and_clear();
    let (expires_on, expires_at) = postcard_expiry(now, tenant.postcard_days);
    Prepared {
        grants,
        hashes,
        expires_on,
        expires_at,
        contact: tenant.contact.clone(),
    }
}

/// Stores the prepared credentials in one transaction: creates Provisioned accounts where
/// none exist, retires every earlier temporary credential and audits each member.
pub fn commit(
    conn: &mut Conn,
    prepared: &Prepared,
    actor: &str,
    action: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    write_tx(conn, |conn| {
        for (grant, hash) in prepared.grants.iter().zip(&prepared.hashes) {
            let account = match &grant.account {
                Some(a) => a.clone(),
                None => accounts::create(conn, &grant.member, AccountState::Provisioned, now)?,
            };
            // The life cycle's `Reissue`: what it returns is stored; a member suspended since
            // the selection gets nothing.
            let flow = Flow::new(account.state, account.user_id.is_some(), None);
            let next = flow
                .next(
                    Event::Reissue {
                        expires_at: prepared.expires_at,
                    },
                    now,
                )
                .map_err(|refusal| {
                    let code = &grant.member.member_code;
                    StoreError::Conflict(format!("{code}: {refusal}"))
                })?;
            let expires_at = next.temporary_expires_at.unwrap_or(prepared.expires_at);
            let purpose = if grant.temp_id.is_some() {
                Purpose::Postcard
            } else {
                Purpose::OperatorReissue
            };
            temporary_credentials::replace(
                conn,
                &NewTemporaryCredential {
                    account_id: &account.id,
                    login_id: grant.temp_id.as_ref().map(TemporaryLoginId::as_str),
                    password_hash: hash,
                    purpose,
                    expires_at,
                },
                now,
            )?;
            audit::record(
                conn,
                &NewAuditEvent {
                    tenant_id: Some(&grant.member.tenant_id),
                    member_code: Some(&grant.member.member_code),
                    actor,
                    action,
                    detail: serde_json::json!({
                        "purpose": purpose.as_str(),
                        "expires_on": prepared.expires_on.to_string(),
                    }),
                },
                now,
            )?;
        }
        Ok(())
    })
}

/// The contact columns at the end of every postcard row.
pub const CONTACT_COLUMNS: [&str; 4] = [
    "contact_name",
    "contact_phone",
    "contact_hours",
    "contact_url",
];

/// The postcard CSV: the roster columns, then `temp_login_id,temp_password,expires_on`, then
/// the kenpo's contact to print (`contact_name,contact_phone,contact_hours,contact_url`, empty
/// when not set). Every cell is spreadsheet-safe: a value that starts like a formula gets a
/// leading `'`.
pub fn to_csv(prepared: &Prepared) -> Result<String, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<&str> = crate::roster::COLUMNS.to_vec();
    header.extend(["temp_login_id", "temp_password", "expires_on"]);
    header.extend(CONTACT_COLUMNS);
    let c = &prepared.contact;
    let contact = [&c.name, &c.phone, &c.hours, &c.url].map(|p| p.as_deref().unwrap_or(""));
    writer.write_record(&header)?;
    let expires_on = prepared.expires_on.format("%Y-%m-%d").to_string();
    for g in &prepared.grants {
        let m = &g.member;
        writer.write_record(
            [
                m.member_code.as_str(),
                &m.family_name,
                &m.given_name,
                &m.family_name_kana,
                &m.given_name_kana,
                &m.birth_date,
                &m.postal_code,
                &m.address,
                g.login_name(),
                g.password.expose(),
                &expires_on,
                contact[0],
                contact[1],
                contact[2],
                contact[3],
            ]
            .map(|cell| safe_cell(cell).into_owned()),
        )?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
