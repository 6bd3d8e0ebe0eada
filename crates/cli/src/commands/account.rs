//! `madoguchi account show|unlock|suspend|reinstate|reset-two-step|reissue`: one member's
//! account.

use chrono::{DateTime, Utc};
use madoguchi_app::{AppError, operator};
use madoguchi_domain::calendar;
use madoguchi_domain::email::Email;
use madoguchi_domain::onboarding::AccountState;
use madoguchi_persistence::accounts::{self, Account};
use madoguchi_persistence::members::{self, Member};
use madoguchi_persistence::tenants::Tenant;
use madoguchi_persistence::{Conn, temporary_credentials, two_step};

use super::{Ctx, operator};
use crate::args::{AccountCommand, MemberRef};
use crate::output::{Failure, Outcome, tr};
use crate::postcards::{self, Grant};

pub fn run(ctx: &Ctx, cmd: AccountCommand) -> Outcome {
    let (_pool, mut conn) = ctx.conn()?;
    let now = Utc::now();
    match cmd {
        AccountCommand::Show(r) => {
            let (_, member, account) = find(ctx, &mut conn, &r)?;
            show(ctx, &mut conn, &member, account.as_ref(), now)
        }
        AccountCommand::Unlock(r) => {
            let (_, member, account) = find(ctx, &mut conn, &r)?;
            let account = account.ok_or_else(|| not_issued(ctx, &member))?;
            operator::unlock(&mut conn, &member, &account, &operator(), now)
                .map_err(|e| refused(ctx, &member, e))?;
            println!(
                "{}",
                tr(
                    ctx.lang,
                    format!("{} のロックを解除しました。", member.member_code),
                    format!("unlocked {}.", member.member_code)
                )
            );
            Ok(())
        }
        AccountCommand::ResetTwoStep(r) => {
            let (_, member, account) = find(ctx, &mut conn, &r)?;
            let account = account.ok_or_else(|| not_issued(ctx, &member))?;
            let domain = crate::secrets::mail_domain(ctx);
            operator::reset_two_step(&mut conn, &member, &account, &operator(), &domain, now)
                .map_err(|e| refused(ctx, &member, e))?;
            println!(
                "{}",
                tr(
                    ctx.lang,
                    format!(
                        "{} の二段階認証（認証アプリ・パスキー・リカバリーコード・記憶した端末）を解除し、すべての端末をログアウトしました。会員にお知らせのメールを送ります。",
                        member.member_code
                    ),
                    format!(
                        "reset two-step login of {} (authenticator app, passkeys, recovery codes, remembered browsers); every session is revoked and the member is mailed a notice.",
                        member.member_code
                    )
                )
            );
            Ok(())
        }
        AccountCommand::Suspend(r) => {
            let (_, member, _) = find(ctx, &mut conn, &r)?;
            operator::suspend(&mut conn, &member, &operator(), now)
                .map_err(|e| refused(ctx, &member, e))?;
            println!(
                "{}",
                tr(
                    ctx.lang,
                    format!(
                        "{} を資格喪失（停止）にしました。ログイン中の端末もすべてログアウトされます。",
                        member.member_code
                    ),
                    format!(
                        "suspended {}; every session of the account is revoked.",
                        member.member_code
                    ),
                )
            );
            Ok(())
        }
        AccountCommand::Reinstate(r) => {
            let (_, member, account) = find(ctx, &mut conn, &r)?;
            let next = match &account {
                Some(account) => operator::reinstate(&mut conn, &member, account, &operator(), now),
                None => Err(AppError::NotSuspended),
            }
            .map_err(|e| refused(ctx, &member, e))?;
            println!(
                "{}",
                tr(
                    ctx.lang,
                    format!(
                        "{} の停止を解除しました（状態: {}）。",
                        member.member_code,
                        state_ja(next)
                    ),
                    format!(
                        "reinstated {} (state: {}).",
                        member.member_code,
                        next.as_str()
                    ),
                )
            );
            Ok(())
        }
        AccountCommand::Reissue {
            member: r,
            out,
            encoding,
        } => {
            let (tenant, member, account) = find(ctx, &mut conn, &r)?;
            reissue(
                ctx, &mut conn, &tenant, member, account, &out, encoding, now,
            )
        }
    }
}

fn find(
    ctx: &Ctx,
    conn: &mut Conn,
    r: &MemberRef,
) -> Result<(Tenant, Member, Option<Account>), Failure> {
    let tenant = ctx.tenant(conn, &r.tenant)?;
    let code = madoguchi_domain::normalize::normalize(&r.member);
    let member = members::find_by_code(conn, &tenant.id, &code)
        .map_err(|e| ctx.store(&e))?
        .ok_or_else(|| {
            ctx.fail(
                format!(
                    "{} {} の名簿に会員 {code} はいません。",
                    tenant.insurer_number, tenant.name
                ),
                format!(
                    "no member {code} in the roster of {} {}.",
                    tenant.insurer_number, tenant.name
                ),
            )
        })?;
    let account = accounts::find_by_member(conn, &member.id).map_err(|e| ctx.store(&e))?;
    Ok((tenant, member, account))
}

fn not_issued(ctx: &Ctx, member: &Member) -> Failure {
    ctx.fail(
        format!(
            "{} にはまだ仮パスワードが発行されていません。",
            member.member_code
        ),
        format!("{} has no credentials yet.", member.member_code),
    )
}

/// Why the state machine (or storage) refused an operator's action, for the operator.
fn refused(ctx: &Ctx, member: &Member, e: AppError) -> Failure {
    let code = &member.member_code;
    match e {
        AppError::AccountSuspended => ctx.fail(
            format!("{code} は既に資格喪失（停止）中です。"),
            format!("{code} is already suspended."),
        ),
        AppError::NotSuspended => ctx.fail(
            format!("{code} は資格喪失（停止）中ではありません。"),
            format!("{code} is not suspended."),
        ),
        AppError::Unavailable { .. } => ctx.fail(
            "データベースに接続できません。少し待ってからもう一度実行してください。".to_owned(),
            "the database does not answer; try again in a moment.".to_owned(),
        ),
        other => ctx.fail(format!("{code}: {other:#}"), format!("{code}: {other:#}")),
    }
}

fn state_ja(state: AccountState) -> &'static str {
    match state {
        AccountState::Provisioned => "仮登録（本登録前）",
        AccountState::Active => "利用中",
        AccountState::Suspended => "資格喪失（停止）",
    }
}

fn show(
    ctx: &Ctx,
    conn: &mut Conn,
    member: &Member,
    account: Option<&Account>,
    now: DateTime<Utc>,
) -> Outcome {
    let jst = |t: Option<DateTime<Utc>>| {
        t.map_or_else(
            || "-".to_owned(),
            |t| {
                t.with_timezone(&calendar::Tokyo)
                    .format("%Y-%m-%dT%H:%M%:z")
                    .to_string()
            },
        )
    };
    let Some(a) = account else {
        println!(
            "{}",
            tr(
                ctx.lang,
                format!("{}: 未発行（仮パスワードの発行前）", member.member_code),
                format!("{}: no credentials issued yet", member.member_code)
            )
        );
        return Ok(());
    };
    let pending = temporary_credentials::pending(conn, &a.id, now).map_err(|e| ctx.store(&e))?;
    let email = a.email.as_deref().map_or_else(
        || "-".to_owned(),
        |e| {
            Email::parse(e)
                .map(|e| e.masked())
                .unwrap_or_else(|_| "***".into())
        },
    );
    let locked = a.locked_until.filter(|&t| t > now);
    let rows: [(&str, &str, String); 8] = [
        ("会員", "member", member.member_code.clone()),
        (
            "状態",
            "state",
            tr(ctx.lang, state_ja(a.state), a.state.as_str()),
        ),
        (
            "ユーザID",
            "user_id",
            a.user_id.clone().unwrap_or_else(|| "-".into()),
        ),
        ("ロック解除予定", "locked_until", jst(locked)),
        (
            "連続失敗回数",
            "failed_attempts",
            a.failed_attempts.to_string(),
        ),
        ("メールアドレス", "email", email),
        (
            "メール確認済み",
            "email_verified",
            tr(
                ctx.lang,
                if a.email_verified {
                    "はい"
                } else {
                    "いいえ"
                },
                if a.email_verified { "yes" } else { "no" },
            ),
        ),
        ("最終ログイン", "last_login", jst(a.last_login_at)),
    ];
    for (ja, en, value) in rows {
        println!("{}\t{value}", tr(ctx.lang, ja, en));
    }
    println!(
        "{}\t{}",
        tr(ctx.lang, "仮パスワード有効期限", "temporary_expires"),
        jst(pending.map(|p| p.expires_at))
    );
    let factors = two_step::factors(conn, &a.id, a.email_verified).map_err(|e| ctx.store(&e))?;
    let totp_since = two_step::totp::confirmed_at(conn, &a.id).map_err(|e| ctx.store(&e))?;
    let devices = two_step::devices::list(conn, &a.id, now).map_err(|e| ctx.store(&e))?;
    let passkeys = two_step::passkeys::list(conn, &a.id).map_err(|e| ctx.store(&e))?;
    let yes_no = |b: bool| {
        tr(
            ctx.lang,
            if b { "はい" } else { "いいえ" },
            if b { "yes" } else { "no" },
        )
    };
    println!(
        "{}\t{}",
        tr(ctx.lang, "認証アプリ", "totp"),
        if factors.totp {
            format!("{} ({})", yes_no(true), jst(totp_since))
        } else {
            yes_no(false)
        }
    );
    // The names the member gave them, with when each was added (a name is the member's own
    // words for a phone or a key, shown to the operator who resets them).
    let passkey_list = passkeys
        .iter()
        .map(|p| format!("{} ({})", p.name, jst(Some(p.created_at))))
        .collect::<Vec<_>>()
        .join(", ");
    println!(
        "{}\t{}{}",
        tr(ctx.lang, "パスキー", "passkeys"),
        passkeys.len(),
        if passkeys.is_empty() {
            String::new()
        } else {
            format!(": {passkey_list}")
        }
    );
    println!(
        "{}\t{}",
        tr(ctx.lang, "リカバリーコード残数", "recovery_codes_left"),
        factors.recovery_codes_left
    );
    println!(
        "{}\t{}",
        tr(ctx.lang, "記憶した端末", "remembered_devices"),
        devices.len()
    );
    println!(
        "{}\t{}",
        tr(ctx.lang, "ログイン通知", "notify_on_login"),
        yes_no(a.notify_on_login)
    );
    Ok(())
}

#[expect(clippy::too_many_arguments, reason = "the parsed command's parts")]
fn reissue(
    ctx: &Ctx,
    conn: &mut Conn,
    tenant: &Tenant,
    member: Member,
    account: Option<Account>,
    out: &std::path::Path,
    encoding: crate::args::Encoding,
    now: DateTime<Utc>,
) -> Outcome {
    // The state machine's `Reissue`: a suspended account refuses it.
    let (_, expires_at) = madoguchi_domain::temporary::postcard_expiry(now, tenant.postcard_days);
    let next = match operator::reissue(conn, account.as_ref(), expires_at, now) {
        Ok(next) => next,
        Err(AppError::AccountSuspended) => {
            return Err(ctx.fail(
                format!("{} は資格喪失（停止）中のため再発行できません。必要なら先に account reinstate を実行してください。", member.member_code),
                format!("{} is suspended; reinstate it first (account reinstate) if it should sign in again.", member.member_code),
            ));
        }
        Err(e) => return Err(refused(ctx, &member, e)),
    };
    // An Active member keeps the user ID and gets a password only; others a new postcard.
    let grant = match account {
        Some(a) if next.state == AccountState::Active => Grant::password_only(member, a),
        other => Grant::postcard(member, other),
    };
    let mut grants = vec![grant];
    postcards::make_ids_unique(conn, &mut grants).map_err(|e| ctx.store(&e))?;
    let prepared = postcards::prepare(grants, tenant, now, false);
    super::credentials::write_and_commit(
        ctx,
        conn,
        &prepared,
        out,
        encoding,
        "credentials_reissued",
        now,
    )?;
    let g = &prepared.grants[0];
    println!(
        "{}",
        if g.temp_id.is_some() {
            tr(
                ctx.lang,
                format!(
                    "{}: 新しい仮ユーザIDと仮パスワードを {} に書き出しました（以前のものは無効）。",
                    g.member.member_code,
                    out.display()
                ),
                format!(
                    "{}: new temporary ID and password written to {} (the old ones are retired).",
                    g.member.member_code,
                    out.display()
                ),
            )
        } else {
            tr(
                ctx.lang,
                format!(
                    "{}: 仮パスワードを {} に書き出しました。ユーザIDはそのままで、ログイン後にパスワードの変更を求めます。",
                    g.member.member_code,
                    out.display()
                ),
                format!(
                    "{}: temporary password written to {}; the user ID stays, and the next login asks for a new password.",
                    g.member.member_code,
                    out.display()
                ),
            )
        }
    );
    Ok(())
}
