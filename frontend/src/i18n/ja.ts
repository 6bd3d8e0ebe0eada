// Every Japanese string of the SPA. `en.ts` has the same keys (the type makes sure of it).
import type { FieldCode } from '../rules';

export const ja = {
  lang: 'ja',
  appName: 'Madoguchi',
  appTagline: '健康保険組合 会員ポータル',
  switchLanguage: 'English',
  switchLanguageLabel: 'Switch to English',
  footerTerms: '注意事項・免責事項・セキュリティポリシー等',
  skipToMain: '本文へ移動',
  loading: '読み込み中です…',
  required: '必須',
  showPassword: 'パスワードを表示',
  errorSummaryTitle: '入力内容を確認してください',
  networkError: '通信できませんでした。電波の良い場所で、もう一度お試しください。',
  unexpectedError: '問題が発生しました。時間をおいて、もう一度お試しください。',
  sessionExpired: 'ログインの有効期限が切れました。もう一度ログインしてください。',
  loggedOut: 'ログアウトしました。',
  ruleMet: '満たしています',
  ruleNotMet: 'まだ満たしていません',

  steps: ['本人確認', '情報入力', '確認', '完了'],
  stepLabel: '手続きの進み具合',
  stepCurrent: '（現在の手順）',
  stepDone: '（完了）',

  login: {
    title: 'ログイン',
    intro: 'ユーザIDとパスワードを入力して、ログインボタンを押してください。',
    firstTime:
      '初めての方は、健康保険組合から届いた通知書（ハガキ）に記載されている仮ユーザIDと仮パスワードを入力してください。',
    loginId: 'ユーザID',
    loginIdHint: '初めての方は、通知書（ハガキ）の仮ユーザID（13桁の数字）',
    password: 'パスワード',
    passwordHint: '初めての方は、通知書（ハガキ）の仮パスワード（10文字）',
    submit: 'ログイン',
    forgotId: 'IDを忘れた方はこちら',
    forgotPassword: 'パスワードを忘れた方はこちら',
    maintenanceHeading: 'メンテナンスのお知らせ',
    maintenanceRule:
      '毎月25日の21:00～24:00はメンテナンス作業のため利用できません（25日が土曜日・日曜日・祝祭日の場合は繰り上げとなります）。',
    nextMaintenance: (when: string) => `次回のメンテナンス：${when}`,
    retryAfter: (minutes: number) => `約${minutes}分後にもう一度お試しください。`,
  },

  forgotId: {
    title: 'ユーザIDを忘れた方',
    intro:
      '登録したメールアドレスと生年月日を入力して、送信ボタンを押してください。一致するアカウントがあれば、ユーザIDをメールでお知らせします。',
    email: 'メールアドレス',
    emailHint: 'ユーザID登録のときに登録し、確認済みのメールアドレス',
    birthDate: '生年月日',
    birthDateHint: '西暦の8桁で入力してください（入力例：19790822）。',
    submit: '送信',
    sentTitle: 'メールを送信しました',
    sent: [
      '入力されたメールアドレスと生年月日に一致するアカウントがあれば、ユーザIDをメールでお送りしました。',
      'メールが届かない場合や、メールアドレスを登録・確認していない場合は、ご加入の健康保険組合にお問い合わせください。通知書（ハガキ）を再発行します。',
    ],
    back: 'ログイン画面へ戻る',
  },
  forgotPassword: {
    title: 'パスワードを忘れた方',
    intro:
      'ユーザIDと登録したメールアドレスを入力して、送信ボタンを押してください。一致すれば、仮パスワードをメールでお送りします。',
    userId: 'ユーザID',
    userIdHint: 'ご自身で登録したユーザID',
    email: 'メールアドレス',
    emailHint: '登録し、確認済みのメールアドレス',
    submit: '送信',
    sentTitle: 'メールを送信しました',
    sent: [
      '入力されたユーザIDとメールアドレスが登録内容と一致すれば、仮パスワードをメールでお送りしました。仮パスワードの有効期限は24時間です。',
      '仮パスワードでログインすると、新しいパスワードの設定画面が表示されます。それまでは今のパスワードも使えます。',
      'メールが届かない場合や、メールアドレスを登録・確認していない場合は、ご加入の健康保険組合にお問い合わせください。',
    ],
    back: 'ログイン画面へ戻る',
  },

  identity: {
    title: '本人確認',
    intro:
      '健康保険証の下段に記載されている8桁の保険者番号と、生年月日を入力してください。（保険者番号は記号・番号ではありません）',
    termsIntro:
      'ご利用には、下記の注意事項・免責事項・セキュリティポリシー等への同意が必要です。お読みいただき、同意いただける場合は「同意する」を選んで確認ボタンを押してください。',
    insurerNumber: '保険者番号',
    insurerNumberHint: '健康保険証の下段にある8桁の数字です。記号・番号ではありません。全角でも入力できます。',
    birthDate: '生年月日',
    birthDateHint: '西暦の8桁で入力してください（入力例：19790822）。',
    termsHeading: '注意事項・免責事項・セキュリティポリシー等',
    agreeLegend: '上記に同意しますか',
    agree: '同意する',
    disagree: '同意しない',
    submit: '確認',
    termsUpdated: '利用規約が更新されました。新しい内容をお読みのうえ、もう一度「同意する」を選んでください。',
  },

  register: {
    title: '個人情報入力',
    intro: 'ご希望のユーザID、パスワードと初期設定情報を入力し、入力内容確認ボタンを押してください。',
    userId: 'ユーザID',
    userIdRules: {
      characters: '半角英数字（全角で入力しても半角になります）',
      length: '8～13文字（数字のみの場合は8～12桁）',
      notTemporary: '仮ユーザIDと同じIDは設定できません',
    },
    password: 'パスワード',
    passwordRules: {
      length: '8～20文字',
      characters: '記号を含む半角英数字（空白は使えません）',
      letterAndDigit: '英字と数字の両方を含む（英数混在）',
      notSame: '仮パスワード・ユーザIDと同じもの、よく使われるパスワードは設定できません',
    },
    passwordConfirmation: 'パスワード確認用',
    passwordConfirmationHint: '確認のため、同じパスワードをもう一度入力してください。',
    email: 'メールアドレス',
    emailHint: '登録後、確認用メールをお送りします。パスワードを忘れたときの再発行にも使います。',
    notifyLegend: '通知情報',
    notify: '通知情報更新時のメール通知',
    submit: '入力内容確認',
  },

  confirm: {
    title: '入力確認',
    intro: '入力内容を確認し、問題なければ実行ボタンを押してください。訂正する場合は戻るボタンを押してください。',
    passwordMasked: '（表示しません）',
    notifyOn: '受け取る',
    notifyOff: '受け取らない',
    submit: '実行',
    back: '戻る',
  },

  done: {
    title: '登録完了',
    intro: 'ユーザID・パスワードの登録が終わりました。次の注意事項をご確認のうえ、ご利用ください。',
    notes: [
      '登録したパスワードは、忘れないように大切に管理してください。万一お忘れの場合は、ログイン画面の「パスワードを忘れた方はこちら」をご覧ください。仮パスワードの再発行には、メールアドレスの登録が必要です。',
      'ご登録のメールアドレスに確認用メールをお送りしました。メールが届かない場合は、メールアドレスに誤りがある可能性があります。もう一度ご確認ください。',
    ],
    toMenu: 'メニューへ',
  },

  menu: {
    title: 'メニュー',
    welcome: (userId: string) => `${userId} さん、ようこそ。`,
    profile: 'ご登録内容',
    userId: 'ユーザID',
    email: 'メールアドレス',
    emailVerified: '確認済み',
    emailUnverified: '未確認（確認用メールのリンクを開いてください）',
    notify: '通知情報更新時のメール通知',
    notifyOn: '受け取る',
    notifyOff: '受け取らない',
    insurer: '健康保険組合',
    lastLogin: '前回のログイン',
    firstLogin: '今回が初めてのログインです',
    changePassword: 'パスワードの変更',
    changeEmail: 'メールアドレスの変更',
    pendingEmail: (email: string) => `確認待ちの新しいアドレス：${email}（確認用メールのリンクを開くと切り替わります）`,
    resend: '確認用メールを再送する',
    resent: '確認用メールを送信しました。メールのリンクを開いてください。',
    notifyLegend: '通知情報',
    notifySave: '通知の設定を保存する',
    notifySaved: '通知の設定を保存しました。',
    logout: 'ログアウト',
    logoutNote: 'ログアウトすると、この世帯のアカウントはすべての端末でログアウトされます。',
  },

  passwordChange: {
    title: 'パスワードの変更',
    introTemporary: '仮パスワードでログインしました。新しいパスワードを設定してください。',
    introMember: '現在のパスワードと、新しいパスワードを入力してください。',
    current: '現在のパスワード',
    newPassword: '新しいパスワード',
    confirmation: '新しいパスワード確認用',
    confirmationHint: '確認のため、同じパスワードをもう一度入力してください。',
    notSame: '仮パスワード・現在のパスワード・ユーザIDと同じもの、よく使われるパスワードは設定できません',
    submit: '変更する',
    done: 'パスワードを変更しました。ほかの端末のログインはすべて終了しました。',
    back: 'メニューへ戻る',
  },

  changeEmail: {
    title: 'メールアドレスの変更',
    intro: '新しいメールアドレスと、確認のため現在のパスワードを入力してください。',
    email: '新しいメールアドレス',
    emailHint: '確認用メールをお送りします。リンクを開くまでは、これまでのアドレスが使われます。',
    currentPassword: '現在のパスワード',
    submit: '変更する',
    done: '新しいメールアドレスに確認用メールを送信しました。メールのリンクを開くと、新しいアドレスに切り替わります。',
    back: 'メニューへ戻る',
  },

  verifyEmail: {
    title: 'メールアドレスの確認',
    intro: 'メールアドレスを確認するには、下のボタンを押してください。',
    submit: 'メールアドレスを確認する',
    done: 'メールアドレスを確認しました。パスワードを忘れたときは、このアドレスに仮パスワードをお送りします。',
    invalid:
      'このリンクは使えません（使用済み、期限切れ、または新しいリンクが送られています）。メニューから確認用メールを再送できます。',
    missing: 'リンクが正しくありません。メールのリンクをもう一度開いてください。',
    toLogin: 'ログイン画面へ',
  },

  terms: {
    title: '注意事項・免責事項・セキュリティポリシー等',
    back: '前の画面へ戻る',
  },

  maintenance: {
    title: 'メンテナンス中です',
    body: 'ただいまメンテナンス作業のため、ご利用いただけません。ご不便をおかけしますが、終了までお待ちください。',
    until: (when: string) => `終了予定：${when}`,
    retry: 'もう一度試す',
  },

  notFound: {
    title: 'ページが見つかりません',
    body: 'お探しのページは見つかりませんでした。',
    home: 'ログイン画面へ',
  },

  dateTime: {
    locale: 'ja-JP',
    range: (start: string, end: string) => `${start}～${end}`,
  },

  field: {
    required: '入力してください。',
    unknown_field: '不明な項目です。',
    invalid_type: '形式が正しくありません。',
    too_long: '長すぎます。',
    invalid: '正しくありません。',
    user_id_taken: 'このユーザIDはすでに使われています。別のユーザIDを入力してください。',
    temporary_login_id_format: '仮ユーザIDは13桁の数字です。',
    temporary_password_format: '仮パスワードは10文字の英数字です。',
    user_id_characters: 'ユーザIDは半角英数字で入力してください。',
    user_id_length: 'ユーザIDは8～13文字（数字のみの場合は8～12桁）で入力してください。',
    user_id_equals_temporary: '仮ユーザIDと同じIDは設定できません。',
    password_length: 'パスワードは8～20文字で入力してください。',
    password_characters: 'パスワードには空白と全角の文字を使えません。半角英数字と記号で入力してください。',
    password_needs_letter_and_digit: 'パスワードには英字と数字の両方を含めてください。',
    password_common: 'よく使われるパスワードは設定できません。別のパスワードを入力してください。',
    password_equals_user_id: 'ユーザIDと同じパスワードは設定できません。',
    password_equals_temporary: '仮パスワードと同じパスワードは設定できません。',
    password_equals_current: '現在のパスワードと同じパスワードは設定できません。',
    password_confirmation_mismatch: 'パスワードと一致しません。同じパスワードを入力してください。',
    email_invalid: 'メールアドレスの形式が正しくありません（例：taro@example.jp）。',
    email_too_long: 'メールアドレスは254文字以内で入力してください。',
    insurer_number_format: '保険者番号は8桁の数字で入力してください。',
    insurer_number_is_card_symbol:
      '保険者番号は記号・番号ではありません。健康保険証の下段にある8桁の数字を入力してください。',
    insurer_number_check_digit: '保険者番号が正しくありません。健康保険証の8桁の数字をもう一度ご確認ください。',
    birth_date_format: '生年月日は西暦の8桁で入力してください（入力例：19790822）。',
    birth_date_invalid: '存在しない日付です。生年月日をご確認ください。',
    birth_date_future: '生年月日に未来の日付は入力できません。',
    birth_date_too_early: '生年月日は1900年以降の日付を入力してください。',
    terms_not_agreed: 'ご利用には「同意する」を選んでください。',
  } satisfies Record<FieldCode, string>,
};

export type Messages = typeof ja;
