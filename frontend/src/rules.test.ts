import { describe, expect, it } from 'vitest';
import {
  checkBirthDate,
  checkConfirmation,
  checkDigit,
  checkEmail,
  checkInsurerNumber,
  checkPassword,
  checkRequired,
  checkUserId,
  maskEmail,
  normalize,
  passwordChecklist,
  todayInJapan,
  userIdChecklist,
} from './rules';
import { ja } from './i18n/ja';
import { en } from './i18n/en';
import { formatJst, formatUntil, formatWindow } from './i18n';
import { lockOf } from './lock';
import { telHref } from './components/help';
import { backTo } from './screens/Closed';

describe('normalize', () => {
  it('folds full-width digits and letters and trims ideographic spaces', () => {
    expect(normalize('\u3000０６１３００９０ ')).toBe('06130090');
    expect(normalize('ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ')).toBe('taro@example.jp');
  });
});

describe('insurer number', () => {
  it('accepts the design example, also typed full-width', () => {
    expect(checkInsurerNumber('06130090')).toBeNull();
    expect(checkInsurerNumber('０６１３００９０')).toBeNull();
    expect(checkDigit('0613009')).toBe(0);
  });
  it('names the mistake the member made', () => {
    expect(checkInsurerNumber('')).toBe('required');
    expect(checkInsurerNumber('AB-1234')).toBe('insurer_number_is_card_symbol');
    expect(checkInsurerNumber('記号12 番号345')).toBe('insurer_number_is_card_symbol');
    expect(checkInsurerNumber('0613009')).toBe('insurer_number_format');
    expect(checkInsurerNumber('06130091')).toBe('insurer_number_check_digit');
  });
});

describe('birth date', () => {
  const today = '20261129';
  it('takes 8 digits, full-width, or with separators', () => {
    expect(checkBirthDate('19790822', today)).toBeNull();
    expect(checkBirthDate('１９７９０８２２', today)).toBeNull();
    expect(checkBirthDate('1979-08-22', today)).toBeNull();
    expect(checkBirthDate('1979/8/22', today)).toBeNull();
    expect(checkBirthDate('１９７９－８－２２', today)).toBeNull();
  });
  it('leaves era dates and other shapes to the server', () => {
    expect(checkBirthDate('昭和54年8月22日', today)).toBeNull();
    expect(checkBirthDate('S54.8.22', today)).toBeNull();
    expect(checkBirthDate('平成元年1月8日', today)).toBeNull();
    expect(checkBirthDate('1979822', today)).toBeNull();
  });
  it('refuses what is not a real date of birth', () => {
    expect(checkBirthDate('', today)).toBe('required');
    expect(checkBirthDate('　', today)).toBe('required');
    expect(checkBirthDate('1979/2/30', today)).toBe('birth_date_invalid');
    expect(checkBirthDate('19790230', today)).toBe('birth_date_invalid');
    expect(checkBirthDate('19791301', today)).toBe('birth_date_invalid');
    expect(checkBirthDate('18991231', today)).toBe('birth_date_too_early');
    expect(checkBirthDate('20261130', today)).toBe('birth_date_future');
    expect(checkBirthDate('20261129', today)).toBeNull();
  });
  it("judges 'today' on Japan's calendar", () => {
    // 2026-11-29 20:00 UTC is already 30 November in Tokyo.
    expect(todayInJapan(new Date('2026-11-29T20:00:00Z'))).toBe('20261130');
  });
});

describe('user ID', () => {
  it('is 8–13 letters and digits, digits only 8–12', () => {
    expect(checkUserId('taro1979')).toBeNull();
    expect(checkUserId('ｔａｒｏ１９７９')).toBeNull();
    expect(checkUserId('abcdefghijklm')).toBeNull();
    expect(checkUserId('123456789012')).toBeNull();
    expect(checkUserId('1234567890123')).toBe('user_id_length');
    expect(checkUserId('abc')).toBe('user_id_length');
    expect(checkUserId('abcdefghijklmn')).toBe('user_id_length');
    expect(checkUserId('taro_1979')).toBe('user_id_characters');
    expect(checkUserId('たろう12345')).toBe('user_id_characters');
    expect(checkUserId('  ')).toBe('required');
  });
  it('names the temporary ID before the length its 13 digits break', () => {
    expect(checkUserId('1696302386189', '1696302386189')).toBe('user_id_equals_temporary');
    expect(checkUserId('1696 3023 86189', '1696302386189')).toBe('user_id_equals_temporary');
    expect(checkUserId('１６９６３０２３８６１８９', '1696302386189')).toBe('user_id_equals_temporary');
    expect(checkUserId('１６９６ー３０２３ー８６１８９', '1696302386189')).toBe('user_id_equals_temporary');
    expect(checkUserId('1696302386189', null)).toBe('user_id_length');
    expect(checkUserId('taro1979', '1696302386189')).toBeNull();
  });
  it('drives the live checklist', () => {
    expect(userIdChecklist('')).toEqual({ characters: false, length: false, notTemporary: null });
    expect(userIdChecklist('abc')).toEqual({ characters: true, length: false, notTemporary: null });
    expect(userIdChecklist('taro1979')).toEqual({ characters: true, length: true, notTemporary: null });
    expect(userIdChecklist('taro1979', '1696302386189').notTemporary).toBe(true);
    expect(userIdChecklist('1696302386189', '1696302386189').notTemporary).toBe(false);
  });
});

describe('login ID', () => {
  it('takes a temporary ID pasted in groups: the server judges it', () => {
    expect(checkRequired('1696 3023 86189')).toBeNull();
    expect(checkRequired('1696-3023-86189')).toBeNull();
    expect(checkRequired('　')).toBe('required');
  });
});

describe('password', () => {
  it('is 8–20 printable ASCII with a letter and a digit', () => {
    expect(checkPassword('k7Wq2mZp')).toEqual([]);
    expect(checkPassword('ｋ７Ｗｑ２ｍＺｐ')).toEqual([]);
    expect(checkPassword('k7Wq2mZ')).toEqual(['password_length']);
    expect(checkPassword('abcdefgh')).toEqual(['password_needs_letter_and_digit']);
    expect(checkPassword('k7Wq 2mZp')).toEqual(['password_characters']);
    expect(checkPassword('パスワード1234a')).toEqual(['password_characters']);
    expect(checkPassword('')).toEqual(['required']);
  });
  it('must not be the user ID', () => {
    expect(checkPassword('Taro1979', 'taro1979')).toEqual(['password_equals_user_id']);
  });
  it('confirmation compares normalised values', () => {
    expect(checkConfirmation('k7Wq2mZp', 'ｋ７Ｗｑ２ｍＺｐ')).toBeNull();
    expect(checkConfirmation('k7Wq2mZp', 'k7Wq2mZq')).toBe('password_confirmation_mismatch');
    expect(checkConfirmation('k7Wq2mZp', '')).toBe('required');
  });
  it('drives the live checklist', () => {
    expect(passwordChecklist('abc')).toEqual({ length: false, characters: true, letterAndDigit: false });
    expect(passwordChecklist('k7Wq2mZp')).toEqual({ length: true, characters: true, letterAndDigit: true });
  });
});

describe('e-mail', () => {
  it('accepts ordinary and full-width addresses', () => {
    expect(checkEmail('taro@example.jp')).toBeNull();
    expect(checkEmail('ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ')).toBeNull();
    expect(checkEmail('taro.yamada+kenpo@mail.example.co.jp')).toBeNull();
  });
  it('refuses malformed ones', () => {
    expect(checkEmail('')).toBe('required');
    expect(checkEmail('taro')).toBe('email_invalid');
    expect(checkEmail('taro@')).toBe('email_invalid');
    expect(checkEmail('taro@example')).toBe('email_invalid');
    expect(checkEmail('taro..y@example.jp')).toBe('email_invalid');
    expect(checkEmail(`${'a'.repeat(64)}@${'b'.repeat(200)}.jp`)).toBe('email_too_long');
  });
  it('masks like the server', () => {
    expect(maskEmail('taro@example.jp')).toBe('t***@example.jp');
  });
});

describe('strings', () => {
  it('Japanese and English have the same keys', () => {
    const keys = (o: object, prefix = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) =>
        v && typeof v === 'object' && !Array.isArray(v) ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
      );
    expect(keys(en).sort()).toEqual(keys(ja).sort());
  });
  it('every field rule has a message that does not name the seed product', () => {
    for (const m of Object.values(ja.field)) expect(m).toMatch(/[ぁ-んァ-ン一-龥]/);
    expect(JSON.stringify(ja) + JSON.stringify(en)).not.toMatch(/KOSMO|Daiwa|大和総研/i);
  });
});

describe('a locked account', () => {
  const now = Date.parse('2026-12-01T12:15:00+09:00');
  const locked = (extra: object) =>
    ({ type: 'about:blank', title: '', status: 423, code: 'account_locked', detail: '', ...extra }) as never;
  it('opens again at locked_until, or after Retry-After seconds', () => {
    const withTime = lockOf(locked({ locked_until: '2026-12-01T12:45:00+09:00' }), new Response(null, { status: 423 }), now);
    expect(withTime?.until).toBe('2026-12-01T12:45:00+09:00');
    expect(withTime?.opensAt).toBe(Date.parse('2026-12-01T12:45:00+09:00'));
    const retry = new Response(null, { status: 423, headers: { 'Retry-After': '1800' } });
    const withRetry = lockOf(locked({}), retry, now);
    expect(withRetry?.opensAt).toBe(now + 1_800_000);
    expect(formatUntil(withRetry!.until, ja, new Date(now))).toBe('12時45分');
    expect(withRetry?.contact).toBeNull();
  });
  it('carries the kenpo’s contact when the problem has it', () => {
    const contact = { name: '健保', phone: '03-1234-5678', hours: null, url: null };
    expect(lockOf(locked({ contact }), undefined, now)?.contact).toEqual(contact);
  });
  it('is only what a 423 account_locked says', () => {
    const other = { type: 'about:blank', title: '', status: 401, code: 'invalid_credentials', detail: '' } as const;
    expect(lockOf(other, new Response(null, { status: 401 }), now)).toBeNull();
  });
  it('says the time in Japan, with the day when it is not today', () => {
    const at = new Date('2026-12-01T23:50:00+09:00');
    expect(formatUntil('2026-12-02T00:20:00+09:00', ja, at)).toBe('12月2日 0時20分');
    expect(formatUntil('2026-12-01T09:05:00+09:00', ja, at)).toBe('9時05分');
    expect(formatUntil('2026-12-02T00:20:00+09:00', en, at)).toBe('2 December, 0:20');
    expect(ja.lock.until(formatUntil('2026-12-01T12:45:00+09:00', ja, new Date(now)))).toBe('12時45分までロックされています。');
  });
  it('counts the tries left in the words of the review', () => {
    expect(ja.lock.remaining(2, 30)).toBe('あと2回間違えると30分間ロックされます。');
    expect(ja.login.lockRule(5, 30)).toContain('5回続けて間違えると30分間ロックされます');
  });
});

describe('the screen to go back to after maintenance or a lock', () => {
  it('is a path of this site, never the closed screen itself', () => {
    expect(backTo('/menu', '/maintenance')).toBe('/menu');
    expect(backTo('/verify-email?token=abc', '/maintenance')).toBe('/verify-email?token=abc');
    expect(backTo('/maintenance?from=%2Fmenu', '/maintenance')).toBe('/');
    expect(backTo('//evil.example', '/maintenance')).toBe('/');
    expect(backTo('/\\evil.example', '/maintenance')).toBe('/');
    expect(backTo('https://evil.example/', '/maintenance')).toBe('/');
    expect(backTo(null, '/locked')).toBe('/');
  });
});

describe('the kenpo’s phone number', () => {
  it('dials the digits as written, full-width too', () => {
    expect(telHref('03-1234-5678')).toBe('tel:0312345678');
    expect(telHref('０１２０－１２３－４５６')).toBe('tel:0120123456');
    expect(telHref('（窓口）')).toBeNull();
  });
});

describe('maintenance windows in Japan time', () => {
  it('shows a window ending at midnight as 24:00 of the same day', () => {
    expect(formatWindow('2026-12-25T21:00:00+09:00', '2026-12-26T00:00:00+09:00', ja)).toBe(
      '2026年12月25日（金）21:00～24:00',
    );
  });
  it('names both days when a window spans them', () => {
    expect(formatWindow('2026-12-01T23:00:00+09:00', '2026-12-02T03:00:00+09:00', ja)).toBe(
      '2026年12月1日（火）23:00～2026年12月2日（水）03:00',
    );
  });
  it('reads English too', () => {
    expect(formatJst('2026-12-25T12:00:00Z', en)).toBe('Fri 25 December 2026, 21:00');
  });
});
