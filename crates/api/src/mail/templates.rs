//! The e-mails Madoguchi sends: Japanese first with an English line, plain text and HTML.

use chrono::{DateTime, Utc};
use madoguchi_domain::calendar;

/// A message ready for the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub kind: &'static str,
    pub recipient: String,
    pub subject: String,
    pub text: String,
    pub html: String,
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
        .with_timezone(&calendar::jst())
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
