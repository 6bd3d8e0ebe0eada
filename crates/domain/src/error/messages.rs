//! The member-facing wording of every [`RuleError`], in Japanese and English side by side so a
//! change to one language is made next to the other. Plain, polite Japanese (です・ます) that
//! names the field and the fix; no jargon beyond the words printed on the card and the postcard.

use super::{Lang, RuleError};
use crate::{insurer_number, user_id};

pub(super) fn message(error: &RuleError, lang: Lang) -> String {
    let (ja, en): (String, String) = match error {
        RuleError::Required => (
            "入力されていません。入力してください。".into(),
            "This field is required. Please fill it in.".into(),
        ),
        RuleError::TemporaryLoginIdFormat => (
            "仮ユーザIDは、通知書（ハガキ）に記載されている13桁の数字を入力してください。".into(),
            "Enter the 13-digit temporary user ID printed on your notice postcard.".into(),
        ),
        RuleError::TemporaryPasswordFormat => (
            "仮パスワードは、通知書（ハガキ）に記載されている10文字の英数字を、大文字・小文字も記載のとおりに入力してください。".into(),
            "Enter the 10-character temporary password printed on your notice postcard, with upper- and lower-case letters exactly as shown.".into(),
        ),
        RuleError::UserIdCharacters => (
            "ユーザIDに使える文字は半角英数字だけです。記号やスペースを取り除いてください。".into(),
            "Your user ID may contain only letters (A–Z, a–z) and digits. Please remove any symbols or spaces.".into(),
        ),
        RuleError::UserIdLength { .. } => {
            let (min, max, digits) = (user_id::MIN_LEN, user_id::MAX_LEN, user_id::MAX_DIGITS_LEN);
            (
                format!("ユーザIDは{min}〜{max}文字の半角英数字で入力してください（数字のみの場合は{min}〜{digits}桁）。"),
                format!("Your user ID must be {min}–{max} letters and digits ({min}–{digits} if it is digits only)."),
            )
        }
        RuleError::UserIdEqualsTemporary => (
            "仮ユーザIDと同じユーザIDは使えません。別のユーザIDを入力してください。".into(),
            "Your user ID must differ from the temporary user ID. Please choose another one.".into(),
        ),
        RuleError::PasswordLength { min, max } => (
            format!("パスワードは{min}〜{max}文字で入力してください。"),
            format!("Your password must be {min}–{max} characters long."),
        ),
        RuleError::PasswordCharacters => (
            "パスワードに使える文字は半角の英字・数字・記号です（スペースや全角の文字は使えません）。".into(),
            "Your password may contain only letters, digits and symbols (no spaces or other characters).".into(),
        ),
        RuleError::PasswordNeedsLetterAndDigit => (
            "パスワードには英字と数字をそれぞれ1文字以上含めてください。".into(),
            "Your password must contain at least one letter and at least one digit.".into(),
        ),
        RuleError::PasswordCommon => (
            "このパスワードはよく使われていて推測されやすいため使えません。別のパスワードを入力してください。".into(),
            "This password is too common and easy to guess. Please choose another one.".into(),
        ),
        RuleError::PasswordEqualsUserId => (
            "ユーザIDと同じパスワードは使えません。別のパスワードを入力してください。".into(),
            "Your password must differ from your user ID. Please choose another one.".into(),
        ),
        RuleError::PasswordEqualsTemporary => (
            "仮パスワードと同じパスワードは使えません。新しいパスワードを入力してください。".into(),
            "Your password must differ from the temporary password. Please choose a new one.".into(),
        ),
        RuleError::PasswordEqualsCurrent => (
            "現在のパスワードと同じパスワードは使えません。新しいパスワードを入力してください。".into(),
            "Your new password must differ from your current one. Please choose a new one.".into(),
        ),
        RuleError::PasswordConfirmationMismatch => (
            "パスワードと確認用のパスワードが一致しません。同じパスワードをもう一度入力してください。".into(),
            "The two passwords do not match. Please enter the same password twice.".into(),
        ),
        RuleError::EmailInvalid => (
            "メールアドレスの形式が正しくありません。taro@example.jp のような形で入力してください。".into(),
            "This e-mail address is not valid. Please enter it like taro@example.jp.".into(),
        ),
        RuleError::EmailTooLong { max } => (
            format!("メールアドレスは{max}文字以内で入力してください。"),
            format!("Your e-mail address must be at most {max} characters long."),
        ),
        RuleError::InsurerNumberFormat => (
            format!("保険者番号は{}桁の数字で入力してください。", insurer_number::LEN),
            format!("Enter the insurer number as {} digits.", insurer_number::LEN),
        ),
        RuleError::InsurerNumberIsCardSymbol => (
            "保険者番号は、保険証（資格確認書）の下の方に記載されている8桁の数字です。記号・番号ではありません。8桁の数字を入力してください。".into(),
            "The insurer number is the 8-digit number on the lower part of your health insurance card. It is not the card's symbol and number (記号・番号). Please enter the 8 digits.".into(),
        ),
        RuleError::InsurerNumberCheckDigit => (
            "保険者番号が正しくありません。保険証（資格確認書）に記載されている8桁の数字をもう一度ご確認ください。".into(),
            "This insurer number is not valid. Please check the 8 digits on your health insurance card again.".into(),
        ),
        RuleError::BirthDateFormat => (
            "生年月日は西暦の8桁の数字で入力してください（例：1979年8月22日なら19790822）。1979/8/22 や 昭和54年8月22日 の形でも入力できます。".into(),
            "Enter your date of birth as 8 digits, year-month-day (e.g. 19790822 for 22 August 1979), or as 1979/8/22.".into(),
        ),
        RuleError::BirthDateInvalid => (
            "生年月日に存在しない日付が入力されています。年・月・日をご確認ください。".into(),
            "This date of birth does not exist. Please check the year, month and day.".into(),
        ),
        RuleError::BirthDateFuture => (
            "生年月日に未来の日付は入力できません。年・月・日をご確認ください。".into(),
            "Your date of birth cannot be in the future. Please check the year, month and day.".into(),
        ),
        RuleError::BirthDateTooEarly { min_year } => (
            format!("生年月日は{min_year}年1月1日以降の日付を入力してください。"),
            format!("Your date of birth must be on or after 1 January {min_year}."),
        ),
        RuleError::TermsNotAgreed => (
            "利用規約をお読みいただき、「同意する」を選んでください。".into(),
            "Please read the terms of use and choose \"I agree\".".into(),
        ),
        RuleError::TermsOutdated { current } => (
            format!("利用規約が改訂されました（{current}）。新しい利用規約をお読みいただき、もう一度「同意する」を選んでください。"),
            format!("The terms of use have been revised ({current}). Please read the new terms and choose \"I agree\" again."),
        ),
        RuleError::MemberCodeInvalid => (
            "記号・番号（枝番）は、半角英数字とハイフン（-）で32文字以内にしてください。".into(),
            "The member code (card symbol, number and branch number) must be 1–32 letters, digits or hyphens.".into(),
        ),
        RuleError::NameRequired => (
            "氏名（姓）を入力してください。".into(),
            "Please enter the family name.".into(),
        ),
        RuleError::PostalCodeInvalid => (
            "郵便番号は7桁の数字で入力してください（例：123-4567）。".into(),
            "Enter the postal code as 7 digits (e.g. 123-4567).".into(),
        ),
        RuleError::ContactTooLong { max } => (
            format!("問い合わせ先は{max}文字以内で入力してください。"),
            format!("Keep each part of the contact within {max} characters."),
        ),
        RuleError::CodeFormat => (
            "確認コードは6桁の数字で、リカバリーコードは「XXXXX-XXXXX」の10文字で入力してください。".into(),
            "Enter the 6-digit code, or a recovery code of 10 characters (XXXXX-XXXXX).".into(),
        ),
        RuleError::MethodNotOffered => (
            "この方法ではログインできません。表示されている方法から選んでください。".into(),
            "This method is not available for this sign-in; choose one of those shown.".into(),
        ),
        RuleError::PasskeyName { max } => (
            format!("パスキーの名前は{max}文字以内で入力してください（改行などの制御文字は使えません）。"),
            format!("Keep the passkey's name within {max} characters, without control characters."),
        ),
        RuleError::ContactPhone => (
            "電話番号は数字とハイフンで入力してください（例：03-1234-5678）。".into(),
            "Enter the telephone number as digits and hyphens (e.g. 03-1234-5678).".into(),
        ),
        RuleError::ContactUrl => (
            "URL は http:// または https:// で始まるアドレスを入力してください。".into(),
            "Enter a web address that starts with http:// or https://.".into(),
        ),
        RuleError::UserIdTaken => (
            "このユーザIDは既に使われています。別のユーザIDを入力してください。".into(),
            "This user ID is taken. Choose another one.".into(),
        ),
    };
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

/// "Please enter your …" naming a field we know; the generic message otherwise.
pub(super) fn required_field(field: &str, lang: Lang) -> String {
    let label = match field {
        "temporary_login_id" => Some(("仮ユーザID", "temporary user ID")),
        "temporary_password" => Some(("仮パスワード", "temporary password")),
        "user_id" => Some(("ユーザID", "user ID")),
        "password" | "new_password" => Some(("パスワード", "password")),
        "password_confirmation" => Some(("確認用のパスワード", "password again to confirm it")),
        "current_password" => Some(("現在のパスワード", "current password")),
        "email" => Some(("メールアドレス", "e-mail address")),
        "insurer_number" => Some(("保険者番号", "insurer number")),
        "birth_date" => Some(("生年月日", "date of birth")),
        "member_code" => Some(("記号・番号", "member code")),
        "family_name" => Some(("氏名（姓）", "family name")),
        _ => None,
    };
    match (label, lang) {
        (Some((ja, _)), Lang::Ja) => format!("{ja}を入力してください。"),
        (Some((_, en)), Lang::En) => format!("Please enter your {en}."),
        (None, _) => message(&RuleError::Required, lang),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::password;

    #[test]
    fn known_required_fields_are_named() {
        assert_eq!(
            required_field("birth_date", Lang::Ja),
            "生年月日を入力してください。"
        );
        assert_eq!(
            required_field("email", Lang::En),
            "Please enter your e-mail address."
        );
        assert_eq!(
            required_field("nickname", Lang::Ja),
            message(&RuleError::Required, Lang::Ja)
        );
    }

    #[test]
    fn password_length_message_states_the_bounds() {
        let e = RuleError::PasswordLength {
            min: password::MIN_LEN,
            max: password::MAX_LEN,
        };
        assert_eq!(
            message(&e, Lang::Ja),
            "パスワードは8〜20文字で入力してください。"
        );
    }
}
