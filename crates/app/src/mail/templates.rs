//! The e-mails Madoguchi sends: Japanese first with an English line, plain text and HTML.

use chrono::{DateTime, Utc};
use madoguchi_domain::calendar;
use madoguchi_domain::contact::Contact;

/// A message ready for the outbox. Its `Debug` shows the kind only: a body may carry a
/// temporary password or a link.
#[derive(Clone, PartialEq, Eq)]
pub struct Message {
    pub kind: &'static str,
    pub recipient: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl std::fmt::Debug for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Message")
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn html_of(paragraphs: &[String], link: Option<(&str, &str)>) -> String {
    let mut body = String::from(
        "<!doctype html><html lang=\"ja\"><body style=\"font-family:sans-serif;line-height:1.7\">",
    );
    for p in paragraphs {
        body.push_str(&format!("<p>{}</p>", escape(p).replace('\n', "<br>")));
    }
    if let Some((label, href)) = link {
        body.push_str(&format!(
            "<p><a href=\"{}\">{}</a></p>",
            escape(href),
            escape(label)
        ));
    }
    body.push_str("</body></html>");
    body
}

/// `message` with the kenpo's contact at its end, when the kenpo set one.
pub fn signed(message: &Message, contact: &Contact) -> Message {
    let lines: Vec<String> = [
        contact.name.clone(),
        contact.phone.as_ref().map(|p| match &contact.hours {
            Some(hours) => format!("電話 / Tel. {p}（{hours}）"),
            None => format!("電話 / Tel. {p}"),
        }),
        contact
            .hours
            .as_ref()
            .filter(|_| contact.phone.is_none())
            .map(|h| format!("受付時間 / Hours: {h}")),
        contact.url.clone(),
    ]
    .into_iter()
    .flatten()
    .collect();
    if lines.is_empty() {
        return message.clone();
    }
    let heading = "お問い合わせ先 / Contact";
    let text = format!(
        "{}
--
{heading}
{}
",
        message.text.trim_end(),
        lines.join("\n")
    );
    let block = format!(
        "<hr><p>{}<br>{}</p>",
        escape(heading),
        lines
            .iter()
            .map(|l| escape(l))
            .collect::<Vec<_>>()
            .join("<br>")
    );
    let html = match message.html.rfind("</body>") {
        Some(end) => format!("{}{block}{}", &message.html[..end], &message.html[end..]),
        None => format!("{}{block}", message.html),
    };
    Message {
        text,
        html,
        ..message.clone()
    }
}

/// After registration: confirms the address with a single-use link (24 hours).
pub fn registration_confirmation(
    to: &str,
    tenant_name: &str,
    user_id: &str,
    link: &str,
) -> Message {
    let paragraphs = vec![
        format!("{tenant_name} の会員サイト（Madoguchi）へのご登録ありがとうございます。"),
        format!("ユーザID: {user_id}\nパスワードはお知らせしません。大切に保管してください。"),
        "メールアドレスを確認するため、24時間以内に次のリンクを開き、表示される画面の「確認する」ボタンを押してください。".to_owned(),
        "Thank you for registering. To confirm this address, open the link below within 24 hours and press the button on the page.".to_owned(),
    ];
    let footer = "このメールにお心当たりがない場合は、破棄してください。/ If you did not register, please ignore this e-mail.";
    Message {
        kind: "registration_confirmation",
        recipient: to.to_owned(),
        subject: format!("【{tenant_name}】ご登録ありがとうございます（メールアドレスの確認）"),
        text: format!("{}\n\n{link}\n\n{footer}\n", paragraphs.join("\n\n")),
        html: html_of(
            &[paragraphs, vec![footer.to_owned()]].concat(),
            Some(("メールアドレスを確認する / Confirm this address", link)),
        ),
    }
}

/// After five consecutive failures: tells the member the account is locked and until when.
pub fn account_locked(to: &str, tenant_name: &str, until: DateTime<Utc>) -> Message {
    let until = until
        .with_timezone(&calendar::Tokyo)
        .format("%Y年%m月%d日 %H:%M")
        .to_string();
    let paragraphs = vec![
        format!(
            "{tenant_name} の会員サイト（Madoguchi）で、パスワードなどの誤りが続いたため、アカウントを一時的にロックしました。"
        ),
        format!("{until} 以降に、もう一度ログインしてください。"),
        "ご自身の操作でない場合は、ご加入の健康保険組合にご連絡ください。".to_owned(),
        format!(
            "Your account was locked after repeated failed attempts. You can sign in again after {until} (JST). If this was not you, contact your health insurance society."
        ),
    ];
    Message {
        kind: "account_locked",
        recipient: to.to_owned(),
        subject: format!("【{tenant_name}】アカウントをロックしました"),
        text: format!("{}\n", paragraphs.join("\n\n")),
        html: html_of(&paragraphs, None),
    }
}

/// A link that confirms a new address (after a change, or sent again from the menu).
pub fn address_verification(to: &str, tenant_name: &str, link: &str) -> Message {
    let paragraphs = vec![
        format!("{tenant_name} の会員サイト（Madoguchi）のメールアドレス確認のご案内です。"),
        "24時間以内に次のリンクを開き、表示される画面の「確認する」ボタンを押してください。確認が済むまで、これまでのメールアドレスが引き続き使われます。".to_owned(),
        "To confirm this address, open the link below within 24 hours and press the button on the page. Until then, your previous address stays in use.".to_owned(),
    ];
    let footer = "このメールにお心当たりがない場合は、破棄してください。/ If you did not ask for this, please ignore this e-mail.";
    Message {
        kind: "address_verification",
        recipient: to.to_owned(),
        subject: format!("【{tenant_name}】メールアドレスの確認"),
        text: format!("{}\n\n{link}\n\n{footer}\n", paragraphs.join("\n\n")),
        html: html_of(
            &[paragraphs, vec![footer.to_owned()]].concat(),
            Some(("メールアドレスを確認する / Confirm this address", link)),
        ),
    }
}

/// To the old address when the member sets a new one.
pub fn address_change_notice(to: &str, tenant_name: &str, masked_new: &str) -> Message {
    let paragraphs = vec![
        format!(
            "{tenant_name} の会員サイト（Madoguchi）で、メールアドレスの変更手続きがありました（新しいアドレス: {masked_new}）。"
        ),
        "新しいアドレスの確認が済むまで、このアドレスが引き続き使われます。ご自身の操作でない場合は、すぐにパスワードを変更し、ご加入の健康保険組合にご連絡ください。".to_owned(),
        format!(
            "A change of your e-mail address to {masked_new} was requested. This address stays in use until the new one is confirmed. If this was not you, change your password and contact your health insurance society."
        ),
    ];
    Message {
        kind: "address_change_notice",
        recipient: to.to_owned(),
        subject: format!("【{tenant_name}】メールアドレス変更のお知らせ"),
        text: format!("{}\n", paragraphs.join("\n\n")),
        html: html_of(&paragraphs, None),
    }
}

/// 「IDを忘れた方」: the user ID, and nothing else.
pub fn user_id_reminder(to: &str, tenant_name: &str, user_id: &str, login_url: &str) -> Message {
    let paragraphs = vec![
        format!("{tenant_name} の会員サイト（Madoguchi）のユーザIDのお問い合わせにお答えします。"),
        format!("ユーザID: {user_id}"),
        "パスワードもお忘れの場合は、ログイン画面の「パスワードを忘れた方はこちら」からお手続きください。".to_owned(),
        format!("Your user ID is: {user_id}"),
    ];
    let footer = "このメールにお心当たりがない場合は、破棄してください。/ If you did not ask for this, please ignore this e-mail.";
    Message {
        kind: "user_id_reminder",
        recipient: to.to_owned(),
        subject: format!("【{tenant_name}】ユーザIDのお知らせ"),
        text: format!("{}\n\n{login_url}\n\n{footer}\n", paragraphs.join("\n\n")),
        html: html_of(
            &[paragraphs, vec![footer.to_owned()]].concat(),
            Some(("ログイン画面へ / Sign in", login_url)),
        ),
    }
}

/// 「パスワードを忘れた方」: a temporary password, valid 24 hours; the current password keeps
/// working until it is used.
pub fn password_reissue(
    to: &str,
    tenant_name: &str,
    temporary_password: &str,
    expires_at: DateTime<Utc>,
    login_url: &str,
) -> Message {
    let local = expires_at.with_timezone(&calendar::Tokyo);
    let until = local.format("%Y年%m月%d日 %H:%M").to_string();
    let until_en = local.format("%Y-%m-%d %H:%M").to_string();
    let paragraphs = vec![
        format!("{tenant_name} の会員サイト（Madoguchi）の仮パスワードを発行しました。"),
        format!("仮パスワード: {temporary_password}\n有効期限: {until}"),
        "ユーザIDとこの仮パスワードでログインし、新しいパスワードを設定してください。仮パスワードを使うまでは、これまでのパスワードも使えます。".to_owned(),
        format!(
            "Your temporary password is: {temporary_password} (valid until {until_en} JST). Sign in with your user ID and this password, then choose a new password. Your current password keeps working until then."
        ),
    ];
    let footer = "このメールにお心当たりがない場合は、破棄してください（これまでのパスワードはそのまま使えます）。/ If you did not ask for this, ignore this e-mail: your password is unchanged.";
    Message {
        kind: "password_reissue",
        recipient: to.to_owned(),
        subject: format!("【{tenant_name}】仮パスワードのお知らせ"),
        text: format!("{}\n\n{login_url}\n\n{footer}\n", paragraphs.join("\n\n")),
        html: html_of(
            &[paragraphs, vec![footer.to_owned()]].concat(),
            Some(("ログイン画面へ / Sign in", login_url)),
        ),
    }
}

/// After a password change: every other session has ended.
pub fn password_changed(to: &str, tenant_name: &str, at: DateTime<Utc>) -> Message {
    let local = at.with_timezone(&calendar::Tokyo);
    let at = local.format("%Y年%m月%d日 %H:%M").to_string();
    let at_en = local.format("%Y-%m-%d %H:%M").to_string();
    let paragraphs = vec![
        format!(
            "{tenant_name} の会員サイト（Madoguchi）のパスワードを {at} に変更しました。ほかの端末のログインはすべて終了しました。"
        ),
        "ご自身の操作でない場合は、ご加入の健康保険組合にご連絡ください。".to_owned(),
        format!(
            "Your password was changed at {at_en} (JST) and every other session was signed out. If this was not you, contact your health insurance society."
        ),
    ];
    Message {
        kind: "password_changed",
        recipient: to.to_owned(),
        subject: format!("【{tenant_name}】パスワード変更のお知らせ"),
        text: format!("{}\n", paragraphs.join("\n\n")),
        html: html_of(&paragraphs, None),
    }
}

/// Two-step login's e-mailed code (DESIGN §9): six digits, 10 minutes, once. The body carries
/// the code, so the outbox clears it once sent.
pub fn second_factor_code(to: &str, tenant_name: &str, code: &str, minutes: i64) -> Message {
    let paragraphs = vec![
        format!("{tenant_name} の会員サイト（Madoguchi）へのログインの確認コードです。"),
        format!("確認コード: {code}\n有効期間: {minutes}分"),
        "ログイン画面にこのコードを入力してください。コードは一度だけ使えます。".to_owned(),
        format!(
            "Your sign-in code is: {code} (valid for {minutes} minutes, once). Enter it on the sign-in screen."
        ),
    ];
    let footer = "ログインしようとしていない場合は、このメールを破棄し、パスワードを変更してください（パスワードが他人に知られているおそれがあります）。/ If you are not signing in, ignore this e-mail and change your password: someone may know it.";
    Message {
        kind: "second_factor_code",
        recipient: to.to_owned(),
        subject: format!("【{tenant_name}】ログインの確認コード"),
        text: format!("{}\n\n{footer}\n", paragraphs.join("\n\n")),
        html: html_of(&[paragraphs, vec![footer.to_owned()]].concat(), None),
    }
}

/// A sign-in from a browser that is not remembered (DESIGN §9): when, with what, from where.
pub fn login_notice(
    to: &str,
    tenant_name: &str,
    at: DateTime<Utc>,
    browser: &str,
    address: &str,
) -> Message {
    let local = at.with_timezone(&calendar::Tokyo);
    let at_ja = local.format("%Y年%m月%d日 %H:%M").to_string();
    let at_en = local.format("%Y-%m-%d %H:%M").to_string();
    let paragraphs = vec![
        format!("{tenant_name} の会員サイト（Madoguchi）にログインがありました。"),
        format!("日時: {at_ja}（日本時間）\nブラウザ: {browser}\nIPアドレス: {address}"),
        "ご自身のログインでない場合は、すぐにパスワードを変更し、ご加入の健康保険組合にご連絡ください。この通知はメニューの「セキュリティ設定」で止められます。".to_owned(),
        format!(
            "Someone signed in to your account at {at_en} (JST) with {browser} from {address}. If this was not you, change your password now and contact your health insurance society. You can turn these notices off under Security settings."
        ),
    ];
    Message {
        kind: "login_notice",
        recipient: to.to_owned(),
        subject: format!("【{tenant_name}】ログインのお知らせ"),
        text: format!("{}\n", paragraphs.join("\n\n")),
        html: html_of(&paragraphs, None),
    }
}

/// A change of the member's second factors, by the member or by the kenpo's operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactorChange {
    TotpAdded,
    TotpRemoved,
    RecoveryCodesRenewed,
    PasskeyAdded,
    PasskeyRemoved,
    ResetByOperator,
}

/// The notice of a [`FactorChange`].
pub fn factor_changed(
    to: &str,
    tenant_name: &str,
    change: FactorChange,
    at: DateTime<Utc>,
) -> Message {
    let local = at.with_timezone(&calendar::Tokyo);
    let at_ja = local.format("%Y年%m月%d日 %H:%M").to_string();
    let at_en = local.format("%Y-%m-%d %H:%M").to_string();
    let (kind, what_ja, what_en) = match change {
        FactorChange::TotpAdded => (
            "totp_added",
            "認証アプリによる二段階認証を設定しました。",
            "An authenticator app was added for two-step login.",
        ),
        FactorChange::TotpRemoved => (
            "totp_removed",
            "認証アプリによる二段階認証を解除しました。",
            "The authenticator app was removed from two-step login.",
        ),
        FactorChange::RecoveryCodesRenewed => (
            "recovery_codes_renewed",
            "リカバリーコードを作り直しました。以前のコードは使えません。",
            "New recovery codes were made; the old ones no longer work.",
        ),
        FactorChange::PasskeyAdded => (
            "passkey_added",
            "パスキーを登録しました。",
            "A passkey was added to your account.",
        ),
        FactorChange::PasskeyRemoved => (
            "passkey_removed",
            "パスキーを削除しました。",
            "A passkey was removed from your account.",
        ),
        FactorChange::ResetByOperator => (
            "two_step_reset",
            "健康保険組合の担当者が二段階認証の設定（認証アプリ、パスキー、リカバリーコード、記憶した端末）を解除しました。ほかの端末のログインはすべて終了しました。",
            "Your health insurance society removed your two-step login settings (authenticator app, passkeys, recovery codes, remembered browsers) and signed out every session.",
        ),
    };
    let paragraphs = vec![
        format!("{tenant_name} の会員サイト（Madoguchi）で、{at_ja} に{what_ja}"),
        "ご自身の操作でない場合は、ご加入の健康保険組合にご連絡ください。".to_owned(),
        format!(
            "{what_en} ({at_en} JST) If this was not you, contact your health insurance society."
        ),
    ];
    Message {
        kind,
        recipient: to.to_owned(),
        subject: format!("【{tenant_name}】二段階認証の設定変更のお知らせ"),
        text: format!("{}\n", paragraphs.join("\n\n")),
        html: html_of(&paragraphs, None),
    }
}

/// お知らせ (DESIGN §10, ADR 0021): a new notice is on the portal. The notice's text itself
/// stays there, behind the sign-in; the e-mail names it and links to it.
pub fn notice_published(
    to: &str,
    tenant_name: &str,
    title: &str,
    important: bool,
    link: &str,
) -> Message {
    let mark = if important { "【重要】" } else { "" };
    let paragraphs = vec![
        format!("{tenant_name} の会員サイト（Madoguchi）に、新しいお知らせを掲載しました。"),
        format!("{mark}{title}"),
        "次のリンクからログインしてご覧ください。".to_owned(),
        "A new notice has been posted on the member portal. Sign in with the link below to read it.".to_owned(),
    ];
    let footer = "このメールは「通知情報更新時のメール通知」を希望された方にお送りしています。配信の停止はメニューの設定から行えます。/ You receive this because you asked for e-mail notifications; turn them off in the menu.";
    Message {
        kind: "notice_published",
        recipient: to.to_owned(),
        subject: format!("【{tenant_name}】{mark}お知らせ: {title}"),
        text: format!("{}\n\n{link}\n\n{footer}\n", paragraphs.join("\n\n")),
        html: html_of(
            &[paragraphs, vec![footer.to_owned()]].concat(),
            Some(("お知らせを見る / Read the notice", link)),
        ),
    }
}

/// 医療費のお知らせ (DESIGN §10, ADR 0022): an import added rows to the household. No medical
/// data goes into the e-mail: it says where to look.
pub fn medical_expenses_posted(to: &str, tenant_name: &str, link: &str) -> Message {
    let paragraphs = vec![
        format!("{tenant_name} の会員サイト（Madoguchi）に、医療費のお知らせを掲載しました。"),
        "次のリンクからログインしてご覧ください。確定申告（医療費控除）用のファイルもダウンロードできます。".to_owned(),
        "Your medical-expense notice has been posted on the member portal. Sign in with the link below to see it and download the file for the tax return.".to_owned(),
    ];
    let footer = "このメールは「通知情報更新時のメール通知」を希望された方にお送りしています。配信の停止はメニューの設定から行えます。/ You receive this because you asked for e-mail notifications; turn them off in the menu.";
    Message {
        kind: "medical_expenses_posted",
        recipient: to.to_owned(),
        subject: format!("【{tenant_name}】医療費のお知らせを掲載しました"),
        text: format!("{}\n\n{link}\n\n{footer}\n", paragraphs.join("\n\n")),
        html: html_of(
            &[paragraphs, vec![footer.to_owned()]].concat(),
            Some(("医療費のお知らせを見る / See the notice", link)),
        ),
    }
}
