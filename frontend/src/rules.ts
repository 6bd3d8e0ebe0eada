// The field rules of DESIGN §2, as the server judges them, so the member sees a problem while
// typing. The server stays the final word: the common-password list and the comparisons with
// the temporary password are checked only there (when 入力内容確認 is pressed).
import type { components } from './api/schema';

export type FieldCode = components['schemas']['FieldCode'];

/** NFKC, then trim: full-width digits and letters, and the spaces a paste brings, are fine. */
export function normalize(raw: string): string {
  return raw.normalize('NFKC').trim();
}

export const USER_ID_MIN = 8;
export const USER_ID_MAX = 13;
export const USER_ID_MAX_DIGITS = 12;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 20;
export const EMAIL_MAX = 254;
const EMAIL_LOCAL_MAX = 64;
const EMAIL_LABEL_MAX = 63;

const DIGITS = /^[0-9]+$/;
const ALNUM = /^[A-Za-z0-9]+$/;

export function checkInsurerNumber(raw: string): FieldCode | null {
  const n = normalize(raw);
  if (n === '') return 'required';
  if (/[\p{L}\s\-‐‑–—−ー―]/u.test(n)) return 'insurer_number_is_card_symbol';
  if (n.length !== 8 || !DIGITS.test(n)) return 'insurer_number_format';
  if (checkDigit(n.slice(0, 7)) !== Number(n[7])) return 'insurer_number_check_digit';
  return null;
}

/** Weights 2,1,2,1,2,1,2; a two-digit product counts as the sum of its digits. */
export function checkDigit(first7: string): number | null {
  if (first7.length !== 7 || !DIGITS.test(first7)) return null;
  const weights = [2, 1, 2, 1, 2, 1, 2];
  let sum = 0;
  for (let i = 0; i < 7; i++) {
    const p = Number(first7[i]) * (weights[i] ?? 0);
    sum += Math.floor(p / 10) + (p % 10);
  }
  return (10 - (sum % 10)) % 10;
}

/** Today in Japan as YYYYMMDD: "not in the future" is judged on the member's calendar. */
export function todayInJapan(now: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Tokyo',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
  return parts.replace(/-/g, '');
}

/**
 * A birth date written in the Western calendar (`19790822`, `1979/8/22`, `1979-08-22`) is judged
 * here; any other shape (昭和54年8月22日, S54.8.22, 平成元年1月8日, …) goes to the server, which
 * reads the Japanese eras: only an empty field is refused.
 */
export function checkBirthDate(raw: string, today: string = todayInJapan()): FieldCode | null {
  const text = normalize(raw);
  if (text === '') return 'required';
  const parts = /^(\d{4})(\d{2})(\d{2})$/.exec(text) ?? /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(text);
  if (!parts) return null;
  const y = Number(parts[1]);
  const m = Number(parts[2]);
  const d = Number(parts[3]);
  const digits = `${parts[1]}${parts[2]!.padStart(2, '0')}${parts[3]!.padStart(2, '0')}`;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (
    m < 1 ||
    m > 12 ||
    date.getUTCFullYear() !== y ||
    date.getUTCMonth() !== m - 1 ||
    date.getUTCDate() !== d
  ) {
    return 'birth_date_invalid';
  }
  if (y < 1900) return 'birth_date_too_early';
  if (digits > today) return 'birth_date_future';
  return null;
}

/**
 * The temporary ID as its groups are pasted or typed (`1696 3023 86189`, `1696-3023-86189`, `ー`
 * typed as a dash): without the separators, as the server reads it.
 */
export function ungrouped(raw: string): string {
  return normalize(raw).replace(/[\s\-‐‑–—−ー―]/g, '');
}

/**
 * The new user ID; `temporaryId` (when this browser signed in with it) is named first, before
 * the length a 13-digit number breaks.
 */
export function checkUserId(raw: string, temporaryId: string | null = null): FieldCode | null {
  const id = normalize(raw);
  if (id === '') return 'required';
  if (temporaryId && ungrouped(id) === temporaryId) return 'user_id_equals_temporary';
  if (!ALNUM.test(id)) return 'user_id_characters';
  const max = DIGITS.test(id) ? USER_ID_MAX_DIGITS : USER_ID_MAX;
  if (id.length < USER_ID_MIN || id.length > max) return 'user_id_length';
  return null;
}

/** Every shape rule the password breaks, in the server's order. */
export function checkPassword(raw: string, userId = ''): FieldCode[] {
  const pw = normalize(raw);
  if (pw === '') return ['required'];
  const errors: FieldCode[] = [];
  const length = [...pw].length;
  if (length < PASSWORD_MIN || length > PASSWORD_MAX) errors.push('password_length');
  if (!/^[\x21-\x7e]+$/.test(pw)) errors.push('password_characters');
  if (!(/[A-Za-z]/.test(pw) && /[0-9]/.test(pw))) errors.push('password_needs_letter_and_digit');
  const id = normalize(userId);
  if (id !== '' && id.toLowerCase() === pw.toLowerCase()) errors.push('password_equals_user_id');
  return errors;
}

export function checkConfirmation(password: string, confirmation: string): FieldCode | null {
  if (normalize(confirmation) === '') return 'required';
  return normalize(confirmation) === normalize(password) ? null : 'password_confirmation_mismatch';
}

export function checkEmail(raw: string): FieldCode | null {
  const address = normalize(raw);
  if (address === '') return 'required';
  if ([...address].length > EMAIL_MAX) return 'email_too_long';
  const at = address.indexOf('@');
  if (at < 0) return 'email_invalid';
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  return isLocalPart(local) && isDomain(domain) ? null : 'email_invalid';
}

const ATEXT = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+$/;

function isLocalPart(local: string): boolean {
  return (
    local.length > 0 &&
    local.length <= EMAIL_LOCAL_MAX &&
    local.split('.').every((atom) => atom.length > 0 && ATEXT.test(atom))
  );
}

function isDomain(domain: string): boolean {
  const labels = domain.split('.');
  const tld = labels[labels.length - 1] ?? '';
  const labelOk = (l: string) =>
    l.length > 0 &&
    l.length <= EMAIL_LABEL_MAX &&
    /^[A-Za-z0-9-]+$/.test(l) &&
    !l.startsWith('-') &&
    !l.endsWith('-');
  const tldOk =
    (tld.length >= 2 && /^[A-Za-z]+$/.test(tld)) ||
    (tld.length > 4 && tld.slice(0, 4).toLowerCase() === 'xn--');
  return labels.length >= 2 && labels.every(labelOk) && tldOk;
}

/**
 * Login: the 13-digit temporary ID (also pasted in groups) and a chosen user ID are both
 * accepted, so only presence; the server judges the rest.
 */
export function checkRequired(raw: string): FieldCode | null {
  return normalize(raw) === '' ? 'required' : null;
}

/**
 * The live checklist under the user ID field: which rules the typed value meets (`notTemporary`
 * is null when the temporary ID is not known here, after a reload).
 */
export function userIdChecklist(
  raw: string,
  temporaryId: string | null = null,
): { characters: boolean; length: boolean; notTemporary: boolean | null } {
  const id = normalize(raw);
  const max = DIGITS.test(id) ? USER_ID_MAX_DIGITS : USER_ID_MAX;
  return {
    characters: id !== '' && ALNUM.test(id),
    length: id.length >= USER_ID_MIN && id.length <= max,
    notTemporary: temporaryId && id !== '' ? ungrouped(id) !== temporaryId : null,
  };
}

/** The live checklist under the password field. */
export function passwordChecklist(raw: string): {
  length: boolean;
  characters: boolean;
  letterAndDigit: boolean;
} {
  const pw = normalize(raw);
  const length = [...pw].length;
  return {
    length: length >= PASSWORD_MIN && length <= PASSWORD_MAX,
    characters: pw !== '' && /^[\x21-\x7e]+$/.test(pw),
    letterAndDigit: /[A-Za-z]/.test(pw) && /[0-9]/.test(pw),
  };
}

/** `taro@example.jp` → `t***@example.jp`, as the server masks addresses. */
export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  if (at < 0) return email;
  return `${email.slice(0, 1)}***${email.slice(at)}`;
}
