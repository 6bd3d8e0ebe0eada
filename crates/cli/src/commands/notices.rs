//! `madoguchi notices add|list|withdraw`: お知らせ to a tenant's members (DESIGN §10, ADR 0021).
//!
//! A notice published at once is mailed here, in batches, to every active member who asked
//! for update e-mails (the outbox sends them); a scheduled one is mailed by the server's
//! outbox worker when its time comes. A run stopped half-way is resumed by the worker.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use madoguchi_domain::Lang;
use madoguchi_domain::calendar;
use madoguchi_domain::notices::{NoticeBody, NoticeTitle, Visibility};
use madoguchi_persistence::audit::{self, NewAuditEvent};
use madoguchi_persistence::notices::{self, NewNotice, Notice};
use madoguchi_persistence::{StoreError, write_tx};

use super::{Ctx, operator};
use crate::output::{Failure, Outcome, tr};

#[derive(Debug, Subcommand)]
pub enum NoticesCommand {
    /// Post a notice to the tenant's members (mailed to those who asked for update e-mails).
    Add {
        #[arg(long, value_name = "INSURER_NUMBER")]
        tenant: String,
        /// One line, at most 100 characters.
        #[arg(long, value_name = "TEXT")]
        title: String,
        /// The body: a UTF-8 plain-text file (the portal turns URLs into links).
        #[arg(long, value_name = "FILE")]
        body_file: PathBuf,
        /// When it appears and is mailed, YYYY-MM-DDTHH:MM[:SS]±HH:MM (default: now).
        #[arg(long, value_name = "TIME")]
        publish_at: Option<String>,
        /// Mark it 重要 (important).
        #[arg(long)]
        important: bool,
    },
    /// List the tenant's notices, latest first: ID, time, state, mark, e-mail, title.
    List {
        #[arg(long, value_name = "INSURER_NUMBER")]
        tenant: String,
    },
    /// Take a notice down: members no longer see it; a scheduled one is never mailed.
    Withdraw { id: String },
}

pub fn run(ctx: &Ctx, cmd: NoticesCommand) -> Outcome {
    match cmd {
        NoticesCommand::Add {
            tenant,
            title,
            body_file,
            publish_at,
            important,
        } => add(
            ctx,
            &tenant,
            &title,
            &body_file,
            publish_at.as_deref(),
            important,
        ),
        NoticesCommand::List { tenant } => list(ctx, &tenant),
        NoticesCommand::Withdraw { id } => withdraw(ctx, &id),
    }
}

fn add(
    ctx: &Ctx,
    tenant: &str,
    title: &str,
    body_file: &Path,
    publish_at: Option<&str>,
    important: bool,
) -> Outcome {
    let now = Utc::now();
    let title = NoticeTitle::parse(title).map_err(|e| {
        ctx.fail(
            format!("--title: {}", e.message(Lang::Ja)),
            format!("--title: {}", e.message(Lang::En)),
        )
    })?;
    let body = read_body(ctx, body_file)?;
    let publish_at = match publish_at {
        None => now,
        Some(raw) => parse_publish_at(ctx, raw, now)?,
    };
    let (_pool, mut conn) = ctx.conn()?;
    let tenant = ctx.tenant(&mut conn, tenant)?;
    let actor = operator();
    let notice = write_tx(&mut conn, |c| {
        let notice = notices::add(
            c,
            &NewNotice {
                tenant_id: &tenant.id,
                title: title.as_str(),
                body: body.as_str(),
                publish_at,
                important,
                created_by: &actor,
            },
            now,
        )?;
        audit::record(
            c,
            &NewAuditEvent {
                tenant_id: Some(&tenant.id),
                member_code: None,
                actor: &actor,
                action: "notice_added",
                detail: serde_json::json!({
                    "id": notice.id,
                    "title": notice.title,
                    "publish_at": jst(notice.publish_at),
                    "important": important,
                }),
            },
            now,
        )?;
        Ok::<_, StoreError>(notice)
    })
    .map_err(|e| ctx.store(&e))?;
    println!("{}\t{}", notice.id, jst(notice.publish_at));
    if notice.publish_at > now {
        println!(
            "{}",
            tr(
                ctx.lang,
                format!(
                    "お知らせを {} に掲載します。メールはその時刻にサーバーが送ります。",
                    jst(notice.publish_at)
                ),
                format!(
                    "the notice appears at {}; the server mails the members then.",
                    jst(notice.publish_at)
                ),
            )
        );
        return Ok(());
    }
    let queued = fan_out(ctx, &mut conn, now)?;
    println!(
        "{}",
        tr(
            ctx.lang,
            format!("お知らせを掲載しました。メール {queued} 通を送信待ちにしました。"),
            format!("the notice is published; {queued} e-mails are queued."),
        )
    );
    Ok(())
}

/// Queues the e-mail of every due notice in batches, with a progress bar on a terminal.
fn fan_out(
    ctx: &Ctx,
    conn: &mut madoguchi_persistence::Conn,
    now: DateTime<Utc>,
) -> Result<usize, Failure> {
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::new_spinner()
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} {pos} ({per_sec})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.set_message(tr(ctx.lang, "メール", "e-mails"));
    let queued = madoguchi_app::notices::fan_out_all(
        conn,
        &ctx.config.public_url,
        &crate::secrets::mail_domain(ctx),
        now,
        |n| bar.inc(n as u64),
    )
    .map_err(|e| ctx.store(&e))?;
    bar.finish_and_clear();
    Ok(queued)
}

fn list(ctx: &Ctx, tenant: &str) -> Outcome {
    let (_pool, mut conn) = ctx.conn()?;
    let tenant = ctx.tenant(&mut conn, tenant)?;
    let now = Utc::now();
    for n in notices::list_for_tenant(&mut conn, &tenant.id).map_err(|e| ctx.store(&e))? {
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}",
            n.id,
            jst(n.publish_at),
            state(ctx.lang, &n, now),
            if n.important {
                tr(ctx.lang, "重要", "important")
            } else {
                "-".to_owned()
            },
            mail_state(ctx.lang, &n),
            n.title
        );
    }
    Ok(())
}

fn withdraw(ctx: &Ctx, id: &str) -> Outcome {
    let id = madoguchi_domain::normalize::normalize(id);
    let (_pool, mut conn) = ctx.conn()?;
    let now = Utc::now();
    let actor = operator();
    let withdrawn = write_tx(&mut conn, |c| {
        let Some(notice) = notices::get(c, &id)? else {
            return Err(StoreError::NotFound);
        };
        let withdrawn = madoguchi_app::notices::withdraw(c, &id, now)?;
        if let Some(cancelled) = withdrawn {
            audit::record(
                c,
                &NewAuditEvent {
                    tenant_id: Some(&notice.tenant_id),
                    member_code: None,
                    actor: &actor,
                    action: "notice_withdrawn",
                    detail: serde_json::json!({
                        "id": notice.id,
                        "title": notice.title,
                        "cancelled_emails": cancelled,
                    }),
                },
                now,
            )?;
        }
        Ok(withdrawn)
    })
    .map_err(|e| match e {
        StoreError::NotFound => ctx.fail(
            format!("ID {id} のお知らせはありません（notices list --tenant で確認できます）。"),
            format!("no notice has ID {id} (see notices list --tenant)."),
        ),
        other => ctx.store(&other),
    })?;
    println!(
        "{}",
        if let Some(cancelled) = withdrawn {
            tr(
                ctx.lang,
                format!(
                    "お知らせ {id} を取り下げました。会員には表示されません。未送信のメール {cancelled} 通を取り消しました。"
                ),
                format!(
                    "withdrew notice {id}; members no longer see it. {cancelled} e-mails not yet sent were cancelled."
                ),
            )
        } else {
            tr(
                ctx.lang,
                format!("お知らせ {id} は既に取り下げられています。"),
                format!("notice {id} was already withdrawn."),
            )
        }
    );
    Ok(())
}

/// Reads the body file: UTF-8 plain text, kept as written apart from its line endings.
fn read_body(ctx: &Ctx, file: &Path) -> Result<NoticeBody, Failure> {
    let bytes = std::fs::read(file).map_err(|e| {
        ctx.fail(
            format!("--body-file: {} を読めません: {e}", file.display()),
            format!("--body-file: cannot read {}: {e}", file.display()),
        )
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let line = e.as_bytes()[..e.utf8_error().valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        ctx.fail(
            format!("--body-file: {line}行目が UTF-8 として読めません。UTF-8 で保存してください。"),
            format!("--body-file: line {line} is not valid UTF-8; save the file as UTF-8."),
        )
    })?;
    NoticeBody::parse(&text).map_err(|e| {
        ctx.fail(
            format!("--body-file: {}", e.message(Lang::Ja)),
            format!("--body-file: {}", e.message(Lang::En)),
        )
    })
}

/// A time with its offset, not in the past (a notice is never back-dated).
fn parse_publish_at(ctx: &Ctx, raw: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, Failure> {
    let at = calendar::parse_time(raw)
        .map_err(|e| {
            ctx.fail(
                format!("--publish-at: {e}"),
                format!("--publish-at: {}", e.message_en()),
            )
        })?
        .with_timezone(&Utc);
    if at < now - chrono::Duration::minutes(1) {
        return Err(ctx.fail(
            format!(
                "--publish-at: {} は過去の日時です。すぐに掲載するときは --publish-at を省いてください。",
                raw.trim()
            ),
            format!(
                "--publish-at: {} is in the past; leave --publish-at out to publish now.",
                raw.trim()
            ),
        ));
    }
    Ok(at)
}

fn jst(t: DateTime<Utc>) -> String {
    t.with_timezone(&calendar::Tokyo)
        .format("%Y-%m-%dT%H:%M%:z")
        .to_string()
}

fn state(lang: Lang, n: &Notice, now: DateTime<Utc>) -> String {
    let v = Visibility::at(n.publish_at, n.withdrawn_at, now);
    match (v, lang) {
        (Visibility::Scheduled, Lang::Ja) => "予約".into(),
        (Visibility::Published, Lang::Ja) => "掲載中".into(),
        (Visibility::Withdrawn, Lang::Ja) => "取り下げ".into(),
        (v, Lang::En) => v.as_str().into(),
    }
}

fn mail_state(lang: Lang, n: &Notice) -> String {
    match (n.fanned_out_at, n.withdrawn_at) {
        (Some(_), _) => tr(lang, "メール手配済み", "mail queued"),
        (None, Some(_)) => tr(lang, "メール中止", "no mail"),
        (None, None) => tr(lang, "メール手配待ち", "mail pending"),
    }
}

/// The demo tenant's two notices (one important), published before its members arrive.
pub fn seed_demo(
    conn: &mut madoguchi_persistence::Conn,
    tenant_id: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let demo = [
        (
            "会員ポータル（Madoguchi）を開設しました",
            "窓口デモ健康保険組合の会員ポータルを開設しました。\n\
             登録したユーザIDとパスワードで、いつでもお知らせをご覧いただけます。\n\n\
             ご利用方法は次のページをご覧ください。\n\
             https://example.jp/madoguchi/guide\n",
            now - chrono::Duration::days(3),
            false,
        ),
        (
            "年末年始の窓口休業について",
            "12月29日から1月3日まで、健康保険組合の窓口を休業します。\n\
             休業中に保険証をなくされた場合は、次のページの手順に沿ってお手続きください。\n\
             https://example.jp/madoguchi/lost-card\n\n\
             ご不便をおかけしますが、よろしくお願いいたします。\n",
            now - chrono::Duration::hours(2),
            true,
        ),
    ];
    for (title, body, publish_at, important) in demo {
        let (title, body) = match (NoticeTitle::parse(title), NoticeBody::parse(body)) {
            (Ok(t), Ok(b)) => (t, b),
            _ => return Err(StoreError::Config("demo notice".into())),
        };
        notices::add(
            conn,
            &NewNotice {
                tenant_id,
                title: title.as_str(),
                body: body.as_str(),
                publish_at,
                important,
                created_by: "system:demo",
            },
            now,
        )?;
    }
    Ok(())
}
