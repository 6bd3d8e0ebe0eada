// Form state shared by every screen: values, which fields were left (blur) or submitted, the
// client-side rule errors (live once a field was left) and the server's answer, which wins;
// the error summary's items and message; and the submit that every form runs the same way.
import { useState } from 'preact/hooks';
import { apiLanguage, type FieldProblem, type Problem } from './api/client';
import type { General, SummaryItem } from './components/ui';
import { useT } from './i18n';
import { lockOf, type Lock, useLock } from './lock';
import type { FieldCode } from './rules';

export type Validators<K extends string> = Partial<
  Record<K, (values: Record<K, string>) => FieldCode | FieldCode[] | null>
>;

export interface Form<K extends string> {
  values: Record<K, string>;
  set: (field: K, value: string) => void;
  /** Back to the initial values with nothing left, submitted or answered (after a success). */
  reset: () => void;
  /** The member left the field: its rules are checked live from now on (if it has a value, or `force`). */
  leave: (field: K, force?: boolean) => void;
  /** The client rule codes of one field, live. */
  codes: (field: K) => FieldCode[];
  /** What to show beside a field: the server's message, else the client's (once left). */
  error: (field: K, message: (code: FieldCode) => string) => string | null;
  /** Marks every field as submitted; returns the fields that break a rule, in form order. */
  submit: () => K[];
  setServerErrors: (errors: FieldProblem[]) => FieldProblem[];
  serverErrors: Partial<Record<K, ServerError>>;
  /** The props that tie a TextField or PasswordField to a field (its id is `f-<field>`). */
  bind: (field: K) => Bound;
  /** The error summary's items: every field with an error, in form order. */
  summary: (labels: Record<K, string>) => SummaryItem[];
  /** The summary's message not tied to one field. */
  general: General;
  setGeneral: (general: General) => void;
  /**
   * Shows the server's answer: its field errors (or `errors`, when given) beside the fields,
   * with focus on the first one and the others in the summary; a problem with none of this
   * form's fields goes into the summary, which takes the focus, with the screen's `note` after it.
   */
  showProblem: (problem: Problem, errors?: FieldProblem[], note?: string) => void;
}

export interface Bound {
  id: string;
  value: string;
  onValue: (value: string) => void;
  onBlur: () => void;
  error: string | null;
}

/** The server's word on a field, in the language it was asked in. */
interface ServerError {
  codes: FieldCode[];
  message: string;
  lang: string;
}

// A field's error appears when the member leaves it. When they leave it by pressing a button,
// the message must not push that button away between press and release (the tap would miss
// and the form would not be sent): while a pointer is down, showing it waits for the release.
let pointerDown = false;
let deferred: (() => void)[] = [];
if (typeof document !== 'undefined') {
  document.addEventListener('pointerdown', () => (pointerDown = true), true);
  const release = () => {
    pointerDown = false;
    const run = deferred;
    deferred = [];
    // After the click that this release makes.
    setTimeout(() => run.forEach((f) => f()), 0);
  };
  document.addEventListener('pointerup', release, true);
  document.addEventListener('pointercancel', release, true);
}

/** Runs `f` now, or after the pointer that is down is released. */
export function afterPointer(f: () => void): void {
  if (pointerDown) deferred.push(f);
  else f();
}

export function codesOf(result: FieldCode | FieldCode[] | null): FieldCode[] {
  if (result === null) return [];
  return Array.isArray(result) ? result : [result];
}

export function useForm<K extends string>(
  order: readonly K[],
  initial: Record<K, string>,
  validators: Validators<K>,
  /** A screen's own words for a code on one of its fields (a wrong current password). */
  wording: Partial<Record<K, Partial<Record<FieldCode, string>>>> = {},
): Form<K> {
  const [values, setValues] = useState<Record<K, string>>(initial);
  const [left, setLeft] = useState<Partial<Record<K, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServer] = useState<Partial<Record<K, ServerError>>>({});
  const [general, setGeneral] = useState<General>(null);
  const t = useT();

  const text = (field: K) => (code: FieldCode) => wording[field]?.[code] ?? t.field[code];
  const codes = (field: K): FieldCode[] => {
    const v = validators[field];
    return v ? codesOf(v(values)) : [];
  };

  const form: Form<K> = {
    values,
    serverErrors,
    general,
    setGeneral,
    set(field, value) {
      setValues((old) => ({ ...old, [field]: value }));
      setServer((old) => {
        if (!(field in old)) return old;
        const next = { ...old };
        delete next[field];
        return next;
      });
    },
    reset() {
      setValues(initial);
      setLeft({});
      setSubmitted(false);
      setServer({});
      setGeneral(null);
    },
    leave(field, force = false) {
      if (force || (values[field] ?? '') !== '') afterPointer(() => setLeft((old) => ({ ...old, [field]: true })));
    },
    codes,
    error(field, message) {
      const server = serverErrors[field];
      // After a language switch, the same codes in the new language.
      if (server) return server.lang === apiLanguage() ? server.message : server.codes.map(message).join(' ');
      if (!(submitted || left[field])) return null;
      const first = codes(field)[0];
      return first ? message(first) : null;
    },
    submit() {
      setSubmitted(true);
      return order.filter((f) => codes(f).length > 0);
    },
    setServerErrors(errors) {
      const mine: Partial<Record<K, ServerError>> = {};
      const others: FieldProblem[] = [];
      const lang = apiLanguage();
      for (const e of errors) {
        if ((order as readonly string[]).includes(e.field)) {
          const key = e.field as K;
          const old = mine[key];
          mine[key] = old
            ? { codes: [...old.codes, e.code], message: `${old.message} ${e.message}`, lang }
            : { codes: [e.code], message: e.message, lang };
        } else {
          others.push(e);
        }
      }
      setServer(mine);
      return others;
    },
    bind(field) {
      return {
        id: `f-${field}`,
        value: values[field],
        onValue: (v) => form.set(field, v),
        onBlur: () => form.leave(field),
        error: form.error(field, text(field)),
      };
    },
    summary(labels) {
      return order.flatMap((f) => {
        const message = form.error(f, text(f));
        return message ? [{ id: `f-${f}`, label: labels[f], message }] : [];
      });
    },
    showProblem(problem, errors = problem.errors ?? [], note) {
      const rest = form.setServerErrors(errors);
      const first = order.find((f) => errors.some((x) => x.field === f));
      if (first) {
        setGeneral(rest.length ? rest.map((r) => r.message).join(' ') : null);
        focusField(`f-${first}`);
      } else {
        setGeneral({ title: problem.title, detail: problem.detail, note });
        focusField('error-summary-title');
      }
    },
  };
  return form;
}

/**
 * What a form's `send` reports: `done` or `stop` (the screen has moved on, or the maintenance
 * screen has taken over: nothing to show), or a problem to show with `showProblem` (with the
 * answer it came in, whose `Retry-After` a lock may need).
 */
export type Outcome =
  | 'done'
  | 'stop'
  | { problem: Problem; errors?: FieldProblem[]; response?: Response; note?: string };

export interface Submit {
  busy: boolean;
  onSubmit: (e: Event) => Promise<void>;
  /** The account's lock (423), while it lasts: the screen shows it and disables the form. */
  locked: Lock | null;
  /** A lock has just ended: the form is open again. */
  unlocked: boolean;
}

/**
 * The submit every form runs: the client's rules first (focus on the first field that breaks
 * one), then `send`, whose problem goes beside the fields; a locked account (423) locks the
 * form until the time the answer gives; a failed connection says so in the summary. `busy`
 * disables the button meanwhile.
 */
export function useSubmit<K extends string>(form: Form<K>, send: () => Promise<Outcome>): Submit {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const lock = useLock();
  const onSubmit = async (e: Event) => {
    e.preventDefault();
    if (lock.lock) return;
    form.setGeneral(null);
    const invalid = form.submit();
    if (invalid[0]) return focusField(`f-${invalid[0]}`);
    setBusy(true);
    try {
      const outcome = await send();
      if (typeof outcome === 'string') return;
      const locked = lockOf(outcome.problem, outcome.response);
      if (locked) {
        form.setServerErrors([]);
        lock.set(locked);
        focusField('lock-title');
      } else {
        form.showProblem(outcome.problem, outcome.errors, outcome.note);
      }
    } catch {
      form.setGeneral(t.networkError);
    } finally {
      setBusy(false);
    }
  };
  return { busy, onSubmit, locked: lock.lock, unlocked: lock.ended };
}

/** Moves focus to a field by id once the screen has rendered the errors. */
export function focusField(id: string): void {
  requestAnimationFrame(() => document.getElementById(id)?.focus());
}
