import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { ja, type Messages } from './ja';
import { en } from './en';

export type Lang = 'ja' | 'en';
export const messages: Record<Lang, Messages> = { ja, en };
export type { Messages };

export const I18n = createContext<Messages>(ja);

export function useT(): Messages {
  return useContext(I18n);
}

/** The parts of a date in Japan's time zone (`year`, `month`, `hour`…), in the language of `t`. */
function partsInJapan(
  t: Messages,
  options: Pick<Intl.DateTimeFormatOptions, 'weekday' | 'hour'>,
): (date: Date) => (type: string) => string {
  const format = new Intl.DateTimeFormat(t.dateTime.locale, {
    timeZone: 'Asia/Tokyo',
    year: 'numeric',
    month: t.lang === 'ja' ? 'numeric' : 'long',
    day: 'numeric',
    minute: '2-digit',
    hourCycle: 'h23',
    ...options,
  });
  return (date) => {
    const parts = format.formatToParts(date);
    return (type) => parts.find((p) => p.type === type)?.value ?? '';
  };
}

/** A date-time in Japan's time zone; `24:00` for a window that ends at midnight. */
export function formatJst(iso: string, t: Messages, end = false): string {
  const date = new Date(iso);
  const get = partsInJapan(t, { weekday: 'short', hour: '2-digit' })(end ? new Date(date.getTime() - 60_000) : date);
  let hour = get('hour');
  let minute = get('minute');
  if (end) {
    // Shown as the minute it ends: 23:59 + 1 minute is 24:00 of the same day.
    const m = Number(minute) + 1;
    if (m === 60) {
      hour = String(Number(hour) + 1).padStart(2, '0');
      minute = '00';
    } else {
      minute = String(m).padStart(2, '0');
    }
  }
  const time = `${hour}:${minute}`;
  if (t.lang === 'ja') {
    return `${get('year')}年${get('month')}月${get('day')}日（${get('weekday')}）${time}`;
  }
  return `${get('weekday')} ${get('day')} ${get('month')} ${get('year')}, ${time}`;
}

/** A window as one phrase: `2026年12月25日（金）21:00～24:00` (end date only when it differs). */
export function formatWindow(startIso: string, endIso: string, t: Messages): string {
  const start = formatJst(startIso, t);
  const end = formatJst(endIso, t, true);
  const startDay = start.slice(0, start.lastIndexOf(t.lang === 'ja' ? '）' : ',') + 1);
  const endDay = end.slice(0, end.lastIndexOf(t.lang === 'ja' ? '）' : ',') + 1);
  const endText = startDay === endDay ? end.slice(endDay.length).trim() : end;
  return t.dateTime.range(start, endText);
}

/**
 * The time a lock opens, in Japan time: `12時45分` when it is today there, else with the day
 * (`12月3日 12時45分`).
 */
export function formatUntil(iso: string, t: Messages, now: Date = new Date()): string {
  const reader = partsInJapan(t, { hour: 'numeric' });
  const at = reader(new Date(iso));
  const today = reader(now);
  const time = t.dateTime.time(String(Number(at('hour'))), at('minute').padStart(2, '0'));
  const sameDay = ['year', 'month', 'day'].every((part) => at(part) === today(part));
  return sameDay ? time : t.dateTime.dayTime(at('month'), at('day'), time);
}
