//! Titles and details of every problem, in Japanese and English, in one place.

use madoguchi_domain::Lang;

use crate::error::ApiError;

/// (title, detail) of a problem in `lang`.
pub fn problem_text(e: &ApiError, lang: Lang) -> (String, String) {
    let (ja, en): ((&str, String), (&str, String)) = match e {
        ApiError::MalformedBody => (
            ("リクエストを読めません", "送信された内容が JSON として正しくありません。".into()),
            ("Malformed request", "The body is not valid JSON.".into()),
        ),
        ApiError::Unauthenticated => (
            ("ログインが必要です", "ログインしてからもう一度お試しください。".into()),
            ("Sign-in required", "Sign in and try again.".into()),
        ),
        ApiError::TokenExpired => (
            ("時間切れです", "一定時間操作がなかったため、ログインし直してください。".into()),
            ("Session expired", "Your session timed out; sign in again.".into()),
        ),
        ApiError::SessionRevoked => (
            ("ログアウトされました", "ログアウトまたはパスワード変更により、この画面は使えなくなりました。もう一度ログインしてください。".into()),
            ("Signed out", "This session ended (sign-out or a password change). Sign in again.".into()),
        ),
        ApiError::InvalidCredentials => (
            ("ログインできません", "ユーザIDまたはパスワードが違います。ハガキに記載の仮ユーザID・仮パスワード、またはご自身で登録したユーザID・パスワードをご確認ください。".into()),
            ("Sign-in failed", "The user ID or password is wrong. Check the temporary ID and password on your postcard, or the user ID and password you registered.".into()),
        ),
        ApiError::IdentityMismatch { remaining_attempts, lock_minutes } => {
            let (warn_ja, warn_en) = match remaining_attempts {
                Some(n) => (
                    format!("あと{n}回間違えると{lock_minutes}分間ロックされます。"),
                    format!(
                        " {n} more wrong {} will lock the account for {lock_minutes} minutes.",
                        if *n == 1 { "try" } else { "tries" }
                    ),
                ),
                None => (String::new(), String::new()),
            };
            (
                ("本人確認ができません", format!("保険者番号または生年月日が登録内容と一致しません。保険証に記載の8桁の保険者番号と生年月日をご確認ください。{warn_ja}")),
                ("Identity not confirmed", format!("The insurer number or birth date does not match our records. Check the 8-digit insurer number on your card and your birth date.{warn_en}")),
            )
        }
        ApiError::CurrentPasswordWrong => (
            ("現在のパスワードが違います", "現在のパスワードが違います。今お使いのパスワードを入力してください。".into()),
            ("Current password is wrong", "The current password is wrong. Enter the password you use now.".into()),
        ),
        ApiError::CredentialsExpired => (
            ("仮パスワードの有効期限切れです", "仮ユーザID・仮パスワードの有効期限が過ぎています。ご加入の健康保険組合に再発行をご依頼ください。".into()),
            ("Temporary password expired", "Your temporary ID and password have expired. Ask your health insurance society to issue new ones.".into()),
        ),
        ApiError::AccountSuspended => (
            ("ご利用いただけません", "このアカウントは利用停止中です。ご加入の健康保険組合にお問い合わせください。".into()),
            ("Account suspended", "This account is suspended. Please contact your health insurance society.".into()),
        ),
        ApiError::WrongStep { next_step, .. } => (
            ("手順が違います", format!("先に「{}」を行ってください。", next_step.label(Lang::Ja))),
            ("Wrong step", format!("Please do this step first: {}.", next_step.label(Lang::En))),
        ),
        ApiError::AlreadyRegistered => (
            ("登録済みです", "この仮ユーザIDでの登録は完了しています。登録したユーザIDとパスワードでログインしてください。".into()),
            ("Already registered", "Registration with these temporary credentials is complete. Sign in with your own user ID and password.".into()),
        ),
        ApiError::UserIdTaken => (
            ("このユーザIDは使われています", "別のユーザIDを入力してください。".into()),
            ("User ID taken", "Choose another user ID.".into()),
        ),
        ApiError::TermsOutdated { .. } => (
            ("利用規約が更新されました", "利用規約が新しくなりました。最新の規約をお読みのうえ、もう一度同意してください。".into()),
            ("Terms updated", "The terms of use have changed. Read the current terms and agree again.".into()),
        ),
        ApiError::CrossSiteRequest => (
            ("この操作は受け付けられません", "ほかのサイトから送られた操作は受け付けません。ポータルの画面からもう一度操作してください。".into()),
            ("Request refused", "Requests sent from another site are not accepted. Please try again from the portal's own pages.".into()),
        ),
        ApiError::NotFound => (
            ("見つかりません", "このアドレスにはページも API もありません。".into()),
            ("Not found", "Nothing is served at this address.".into()),
        ),
        ApiError::MethodNotAllowed { allow } => (
            ("この操作はできません", format!("このアドレスで使える方法は {allow} だけです。")),
            ("Method not allowed", format!("This address only serves {allow}.")),
        ),
        ApiError::VerificationTokenInvalid => (
            ("このリンクは使えません", "確認用リンクの有効期限が切れたか、既に使われています。メニューから確認メールを再送してください。".into()),
            ("Link no longer valid", "This verification link has expired or was already used. Send a new one from the menu.".into()),
        ),
        ApiError::BodyTooLarge => (
            ("送信内容が大きすぎます", "送信できる内容は 16 KiB までです。".into()),
            ("Body too large", "Request bodies are limited to 16 KiB.".into()),
        ),
        ApiError::HeadersTooLarge => (
            ("リクエストのヘッダーが大きすぎます", "ヘッダーの数（96 個まで）か大きさが上限を超えています。Cookie を削除してからもう一度お試しください。".into()),
            ("Request headers too large", "The request has too many headers (at most 96) or they are too large. Clear this site's cookies and try again.".into()),
        ),
        ApiError::MalformedRequest => (
            ("リクエストを読めません", "HTTP のリクエストとして正しくありません。".into()),
            ("Malformed request", "This is not a valid HTTP request.".into()),
        ),
        ApiError::UnsupportedMediaType => (
            ("形式が違います", "Content-Type: application/json で送信してください。".into()),
            ("Unsupported media type", "Send the body as Content-Type: application/json.".into()),
        ),
        ApiError::Validation(_) => (
            ("入力内容に誤りがあります", "各項目のメッセージをご確認ください。".into()),
            ("Some fields need attention", "See the message of each field.".into()),
        ),
        ApiError::AccountLocked { until, .. } => {
            let local = until.with_timezone(&madoguchi_domain::calendar::Tokyo);
            (
                ("アカウントがロックされています", format!("入力の誤りが続いたため、{}までログインできません。", local.format("%-m月%-d日 %-H時%M分"))),
                ("Account locked", format!("Too many failed attempts. You can try again after {} (Japan time).", local.format("%-d %b %H:%M"))),
            )
        }
        ApiError::TooManyAttempts { .. } => (
            ("試行回数が多すぎます", "しばらく時間をおいてからお試しください。".into()),
            ("Too many attempts", "Please wait a while and try again.".into()),
        ),
        ApiError::InvalidCode => (
            ("確認コードが違います", "確認コードが違うか、有効期限が切れているか、既に使われています。新しいコードを入力してください。".into()),
            ("Wrong code", "The code is wrong, expired or already used. Enter a new code.".into()),
        ),
        ApiError::SecondFactorUnavailable { use_passkey: true, .. } => (
            ("パスキーでログインしてください", "このアカウントはパスキーで保護されています。ログイン画面の「パスキーでログイン」をお使いください。".into()),
            ("Sign in with your passkey", "This account is protected by a passkey. Use \"Sign in with a passkey\" on the sign-in screen.".into()),
        ),
        ApiError::SecondFactorUnavailable { use_passkey: false, .. } => (
            ("二段階認証ができません", "ご加入の健康保険組合は二段階認証を必須にしていますが、このアカウントには確認済みのメールアドレスも認証アプリもありません。健康保険組合の窓口にお問い合わせください。".into()),
            ("Two-step login not possible", "Your health insurance society requires two-step login, but this account has neither a verified e-mail address nor an authenticator app. Please contact your society's help desk.".into()),
        ),
        ApiError::TwoStepOff => (
            ("二段階認証は使えません", "ご加入の健康保険組合は二段階認証の新しい設定を受け付けていません。".into()),
            ("Two-step login is off", "Your health insurance society does not offer two-step login enrolment.".into()),
        ),
        ApiError::TotpAlreadyEnabled => (
            ("認証アプリは設定済みです", "認証アプリは既に設定されています。設定し直すには、先に解除してください。".into()),
            ("Authenticator app already set up", "An authenticator app is already set up. Remove it first to set up another.".into()),
        ),
        ApiError::TotpNotPending => (
            ("設定を始めてください", "認証アプリの設定が始まっていません。最初からやり直してください。".into()),
            ("Start the set-up first", "No authenticator app set-up is in progress. Start again.".into()),
        ),
        ApiError::DeviceNotFound => (
            ("端末が見つかりません", "この端末は既に記憶から削除されています。".into()),
            ("Browser not found", "This browser is no longer remembered.".into()),
        ),
        ApiError::PasskeyNotFound => (
            ("パスキーが見つかりません", "このパスキーは既に削除されています。".into()),
            ("Passkey not found", "This passkey has already been removed.".into()),
        ),
        ApiError::PasskeysUnavailable => (
            ("パスキーは使えません", "このポータルではパスキーを利用できません。ユーザーIDとパスワードでログインしてください。".into()),
            ("Passkeys are not available", "Passkeys cannot be used on this portal. Sign in with your user ID and password.".into()),
        ),
        ApiError::PasskeyRejected => (
            ("パスキーを登録できませんでした", "登録の途中で時間が過ぎたか、端末の応答を確認できませんでした。もう一度最初からお試しください。".into()),
            ("The passkey could not be added", "The time ran out or the device's answer could not be verified. Please start again.".into()),
        ),
        ApiError::NoticeNotFound => (
            ("お知らせが見つかりません", "このお知らせは掲載されていないか、掲載が終了しました。お知らせ一覧からお選びください。".into()),
            ("Notice not found", "This notice is not posted, or no longer. Choose one from the list of notices.".into()),
        ),
        ApiError::NoMedicalExpenses => (
            ("医療費のお知らせがありません", "この年の医療費のお知らせはまだ掲載されていません。年を選び直してください。".into()),
            ("No medical expenses", "No medical expenses are posted for this year yet. Choose another year.".into()),
        ),
        ApiError::Maintenance { .. } => (
            ("メンテナンス中です", "ただいまメンテナンスのためご利用いただけません。終了までお待ちください。".into()),
            ("Under maintenance", "The portal is closed for maintenance. Please come back when it ends.".into()),
        ),
        ApiError::Unavailable { .. } => (
            ("ただいまご利用いただけません", "システムに接続できません。しばらく時間をおいてから、もう一度お試しください。".into()),
            ("Temporarily unavailable", "The service cannot reach its database. Please try again in a little while.".into()),
        ),
        ApiError::Internal(_) => (
            ("エラーが発生しました", "時間をおいてもう一度お試しください。".into()),
            ("Something went wrong", "Please try again later.".into()),
        ),
    };
    let (title, detail) = match lang {
        Lang::Ja => ja,
        Lang::En => en,
    };
    (title.to_owned(), detail)
}
