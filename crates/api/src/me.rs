//! `GET /api/v1/me`: the member's own account.

use actix_web::{HttpRequest, HttpResponse, get};
use chrono::{DateTime, FixedOffset, Utc};
use madoguchi_domain::calendar;
use madoguchi_persistence::accounts::AccountView;
use madoguchi_persistence::reads::Menu;
use serde::Serialize;
use utoipa::ToSchema;

use crate::contact::ContactView;
use crate::error::ApiError;
use crate::error::problem::Problem;
use crate::session::{MemberMenu, worker_reads};
use crate::state::AppState;

/// The member's tenant.
#[derive(Debug, Serialize, ToSchema)]
pub struct TenantView {
    pub name: String,
    pub insurer_number: String,
    /// The kenpo's help desk, or null when it set none.
    pub contact: Option<ContactView>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"user_id": "takahashi01", "name": "髙橋 一郎", "postal_code": "108-0014",
    "address": "東京都港区芝5-7-1", "email": "ichiro@example.jp", "email_verified": false,
    "notify_on_update": true, "notify_on_login": true, "tenant": {"name": "日本電気健康保険組合", "insurer_number": "06130090",
    "contact": {"name": "日本電気健康保険組合 業務課", "phone": "03-1234-5678", "hours": "平日 9:00〜17:00", "url": null}},
    "pending_email": null, "last_login_at": "2026-11-20T08:15:00+09:00", "unread_notices": 2}))]
pub struct Me {
    pub user_id: String,
    /// The insured person's name from the roster, family and given name as stored.
    pub name: String,
    /// 郵便番号 from the roster (`NNN-NNNN`), null when the roster has none.
    pub postal_code: Option<String>,
    /// 住所 from the roster, null when it has none. Changed through the kenpo, not here.
    pub address: Option<String>,
    pub email: String,
    pub email_verified: bool,
    /// A new address waiting for its verification link; `email` stays in use until then.
    pub pending_email: Option<String>,
    /// 通知情報更新時のメール通知.
    pub notify_on_update: bool,
    /// ログイン通知: a notice of every sign-in from a browser that is not remembered.
    pub notify_on_login: bool,
    pub tenant: TenantView,
    /// The login before this one.
    pub last_login_at: Option<DateTime<FixedOffset>>,
    /// お知らせ published and not yet opened by this account (`/me/notices`).
    pub unread_notices: i64,
}

/// The signed-in member's account.
#[utoipa::path(
    tag = "member",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, body = Me),
        (status = 403, description = "`wrong_step`: finish the onboarding or the password change first (`next_step`).", body = Problem, content_type = "application/problem+json"),
        crate::error::problem::answers::Token,
        crate::error::problem::answers::Locked,
        crate::error::problem::answers::Maintenance,
    )
)]
#[get("/me")]
pub async fn me(MemberMenu(session, menu): MemberMenu) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(document(session.signed_in.view, menu))
}

/// The member's account after a change of it: read again, with its [`Menu`].
pub async fn reread(
    state: &AppState,
    req: &HttpRequest,
    view: AccountView,
    now: DateTime<Utc>,
) -> Result<Me, ApiError> {
    let menu = madoguchi_app::me::menu(state, worker_reads(req), &view, now).await?;
    Ok(document(view, menu))
}

/// The member's account as `GET /me` shows it (also the answer of the profile changes).
pub fn document(view: AccountView, menu: Menu) -> Me {
    let pending_email = madoguchi_app::me::pending(&view, menu.open_email);
    let unread_notices = menu.unread;
    let v = view;
    let name = v.member.full_name();
    let present = |s: String| (!s.is_empty()).then_some(s);
    Me {
        user_id: v.account.user_id.unwrap_or_default(),
        name,
        postal_code: present(v.member.postal_code),
        address: present(v.member.address),
        email: v.account.email.unwrap_or_default(),
        email_verified: v.account.email_verified,
        pending_email,
        notify_on_update: v.account.notify_on_update,
        notify_on_login: v.account.notify_on_login,
        tenant: TenantView {
            contact: ContactView::of(&v.tenant.contact),
            name: v.tenant.name,
            insurer_number: v.tenant.insurer_number,
        },
        last_login_at: v
            .account
            .previous_login_at
            .map(|t| t.with_timezone(&calendar::Tokyo).fixed_offset()),
        unread_notices,
    }
}
