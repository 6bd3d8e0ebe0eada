//! `madoguchi tenant add|set|terms|list`.

use std::path::Path;

use chrono::Utc;
use madoguchi_domain::contact::{self, Contact};
use madoguchi_domain::insurer_number::InsurerNumber;
use madoguchi_domain::{Lang, RuleError};
use madoguchi_persistence::audit::{self, NewAuditEvent};
use madoguchi_persistence::tenants::{self, SettingsChange};
use madoguchi_persistence::{Conn, terms, write_tx};

use super::{Ctx, operator};
use crate::args::{OnOff, TenantCommand};
use crate::output::{Failure, Outcome};

pub fn run(ctx: &Ctx, cmd: TenantCommand) -> Outcome {
    let (_pool, mut conn) = ctx.conn()?;
    match cmd {
        TenantCommand::Add {
            insurer_number,
            name,
            terms,
        } => add(ctx, &mut conn, &insurer_number, &name, terms.as_deref()),
        TenantCommand::Set {
            insurer_number,
            lockout_minutes,
            postcard_days,
            nightly_closure,
            contact_name,
            contact_phone,
            contact_hours,
            contact_url,
            two_step,
            medical_months,
        } => {
            let tenant = ctx.tenant_named_by(&mut conn, "--insurer-number", &insurer_number)?;
            let mut bad = Vec::new();
            let mut part =
                |flag: &str,
                 raw: Option<String>,
                 parse: fn(&str) -> Result<Option<String>, RuleError>| {
                    raw.and_then(|r| {
                        parse(&r)
                            .map_err(|e| bad.push(format!("{flag}: {}", e.message(ctx.lang))))
                            .ok()
                    })
                };
            let contact_name = part("--contact-name", contact_name, contact::parse_text);
            let contact_phone = part("--contact-phone", contact_phone, contact::parse_phone);
            let contact_hours = part("--contact-hours", contact_hours, contact::parse_text);
            let contact_url = part("--contact-url", contact_url, contact::parse_url);
            if !bad.is_empty() {
                return Err(crate::output::Failure(bad.join("\n")));
            }
            if lockout_minutes == Some(0) || postcard_days == Some(0) {
                return Err(ctx.fail(
                    "--lockout-minutes と --postcard-days は 1 以上で指定してください。",
                    "--lockout-minutes and --postcard-days must be at least 1.",
                ));
            }
            let change = SettingsChange {
                lockout_minutes,
                postcard_days,
                nightly_closure: nightly_closure.map(|v| v == OnOff::On),
                contact_name,
                contact_phone,
                contact_hours,
                contact_url,
                two_step: two_step.map(Into::into),
                medical_months,
            };
            let now = Utc::now();
            let actor = operator();
            let updated = write_tx(&mut conn, |c| {
                let t = tenants::update_settings(c, &tenant.id, change, now)?;
                audit::record(
                    c,
                    &NewAuditEvent {
                        tenant_id: Some(&tenant.id),
                        member_code: None,
                        actor: &actor,
                        action: "tenant_settings_changed",
                        detail: serde_json::json!({
                            "lockout_minutes": t.lockout_minutes,
                            "postcard_days": t.postcard_days,
                            "nightly_closure": t.nightly_closure,
                            "two_step": t.two_step.as_str(),
                            "medical_months": t.medical_months,
                            "contact": {
                                "name": t.contact.name,
                                "phone": t.contact.phone,
                                "hours": t.contact.hours,
                                "url": t.contact.url,
                            },
                        }),
                    },
                    now,
                )?;
                Ok::<_, madoguchi_persistence::StoreError>(t)
            })
            .map_err(|e| ctx.store(&e))?;
            println!(
                "{}",
                crate::output::tr(
                    ctx.lang,
                    format!(
                        "{} {}: ロック {} 分、ハガキの有効期間 {} 日、夜間停止 {}、二段階認証 {}、医療費の保存 {} か月",
                        updated.insurer_number,
                        updated.name,
                        updated.lockout_minutes,
                        updated.postcard_days,
                        if updated.nightly_closure {
                            "あり"
                        } else {
                            "なし"
                        },
                        two_step_ja(updated.two_step),
                        updated.medical_months,
                    ),
                    format!(
                        "{} {}: lockout {} min, postcards valid {} days, nightly closure {}, two-step login {}, medical expenses kept {} months",
                        updated.insurer_number,
                        updated.name,
                        updated.lockout_minutes,
                        updated.postcard_days,
                        if updated.nightly_closure { "on" } else { "off" },
                        updated.two_step.as_str(),
                        updated.medical_months,
                    ),
                )
            );
            println!("{}", contact_line(ctx.lang, &updated.contact));
            Ok(())
        }
        TenantCommand::Terms {
            insurer_number,
            file,
        } => {
            let tenant = ctx.tenant_named_by(&mut conn, "--insurer-number", &insurer_number)?;
            let body = read_terms(ctx, &file)?;
            let published = publish_terms(ctx, &mut conn, &tenant.id, &tenant.name, &body)?;
            println!(
                "{}",
                crate::output::tr(
                    ctx.lang,
                    format!("利用規約 {} を公開しました。", published),
                    format!("published terms version {published}.")
                )
            );
            Ok(())
        }
        TenantCommand::List => {
            for t in tenants::list(&mut conn).map_err(|e| ctx.store(&e))? {
                println!("{}\t{}", t.insurer_number, t.name);
            }
            Ok(())
        }
    }
}

fn add(
    ctx: &Ctx,
    conn: &mut Conn,
    insurer_number: &str,
    name: &str,
    terms_file: Option<&Path>,
) -> Outcome {
    let number = InsurerNumber::parse(insurer_number).map_err(|e| {
        ctx.fail(
            format!("--insurer-number: {}", e.message(Lang::Ja)),
            format!("--insurer-number: {}", e.message(Lang::En)),
        )
    })?;
    let name = name.trim();
    if name.is_empty() {
        return Err(ctx.fail(
            "--name: 健康保険組合の名前を指定してください。",
            "--name: give the society's name.",
        ));
    }
    let body = terms_file.map(|f| read_terms(ctx, f)).transpose()?;
    let now = Utc::now();
    let actor = operator();
    let tenant = write_tx(conn, |c| {
        let tenant = tenants::insert(c, &number, name, now)?;
        if let Some(body) = &body {
            terms::publish(c, Some(&tenant.id), &terms_title(name), body, now)?;
        }
        audit::record(
            c,
            &NewAuditEvent {
                tenant_id: Some(&tenant.id),
                member_code: None,
                actor: &actor,
                action: "tenant_added",
                detail: serde_json::json!({ "insurer_number": number.as_str(), "own_terms": body.is_some() }),
            },
            now,
        )?;
        Ok(tenant)
    })
    .map_err(|e| match e {
        madoguchi_persistence::StoreError::Conflict(_) => ctx.fail(
            format!("保険者番号 {} のテナントは既にあります。", number.as_str()),
            format!("a tenant with insurer number {} already exists.", number.as_str()),
        ),
        other => ctx.store(&other),
    })?;
    println!(
        "{}",
        crate::output::tr(
            ctx.lang,
            format!(
                "テナントを追加しました: {} {}",
                tenant.insurer_number, tenant.name
            ),
            format!("added tenant {} {}", tenant.insurer_number, tenant.name),
        )
    );
    Ok(())
}

fn terms_title(tenant_name: &str) -> String {
    format!("{tenant_name} 注意事項・免責事項・セキュリティポリシー等")
}

/// Reads a plain-text terms file (UTF-8); refuses an empty one.
fn read_terms(ctx: &Ctx, file: &Path) -> Result<String, Failure> {
    let text = std::fs::read(file).map_err(|e| {
        ctx.fail(
            format!("{} を読めません: {e}", file.display()),
            format!("cannot read {}: {e}", file.display()),
        )
    })?;
    let body = crate::csv_files::decode(&text, crate::args::Encoding::Utf8, ctx.lang)?;
    let body = body.trim();
    if body.is_empty() {
        return Err(ctx.fail(
            format!("{} は空です。", file.display()),
            format!("{} is empty.", file.display()),
        ));
    }
    Ok(body.to_owned())
}

fn publish_terms(
    ctx: &Ctx,
    conn: &mut Conn,
    tenant_id: &str,
    tenant_name: &str,
    body: &str,
) -> Result<String, Failure> {
    let now = Utc::now();
    let actor = operator();
    write_tx(conn, |c| {
        let published = terms::publish(c, Some(tenant_id), &terms_title(tenant_name), body, now)?;
        audit::record(
            c,
            &NewAuditEvent {
                tenant_id: Some(tenant_id),
                member_code: None,
                actor: &actor,
                action: "terms_published",
                detail: serde_json::json!({ "version": published.version }),
            },
            now,
        )?;
        Ok(published.version)
    })
    .map_err(|e| ctx.store(&e))
}

/// The contact as `tenant set` reports it: every part that is set, or that none is.
fn contact_line(lang: Lang, c: &Contact) -> String {
    let parts: Vec<&str> = [&c.name, &c.phone, &c.hours, &c.url]
        .into_iter()
        .filter_map(|p| p.as_deref())
        .collect();
    if parts.is_empty() {
        crate::output::tr(lang, "問い合わせ先: 未設定", "contact: not set")
    } else {
        crate::output::tr(
            lang,
            format!("問い合わせ先: {}", parts.join(" / ")),
            format!("contact: {}", parts.join(" / ")),
        )
    }
}

/// The policy as the operator reads it in Japanese.
fn two_step_ja(policy: madoguchi_domain::two_step::TwoStepPolicy) -> &'static str {
    use madoguchi_domain::two_step::TwoStepPolicy;
    match policy {
        TwoStepPolicy::Off => "なし（off）",
        TwoStepPolicy::Optional => "任意（optional）",
        TwoStepPolicy::Required => "必須（required）",
    }
}
