import type { ComponentChildren, JSX } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { useT } from '../i18n';
import { navigate } from '../router';

/** The screen's heading; takes the focus when the screen appears, so screen readers announce it. */
export function Title({ children, focus = true }: { children: ComponentChildren; focus?: boolean }) {
  const ref = useRef<HTMLHeadingElement>(null);
  // Before the first paint: a key pressed as the screen appears starts from the heading.
  useLayoutEffect(() => {
    if (focus) ref.current?.focus();
  }, []);
  return (
    <h1 id="page-title" tabIndex={-1} ref={ref}>
      {children}
    </h1>
  );
}

export function StepIndicator({ current }: { current: 1 | 2 | 3 | 4 }) {
  const t = useT();
  return (
    <nav aria-label={t.stepLabel} class="steps">
      <ol>
        {t.steps.map((label, i) => {
          const n = i + 1;
          const state = n < current ? 'done' : n === current ? 'current' : 'todo';
          return (
            <li key={label} class={`step step--${state}`} aria-current={n === current ? 'step' : undefined}>
              <span class="step__number" aria-hidden="true">
                {n}
              </span>
              <span class="step__label">
                {label}
                <span class="visually-hidden">
                  {state === 'current' ? t.stepCurrent : state === 'done' ? t.stepDone : ''}
                </span>
              </span>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

export interface SummaryItem {
  id: string;
  label: string;
  message: string;
}

/**
 * A message not tied to one field: a plain string, or a problem's title and detail, with a
 * sentence of the SPA's own after them (how many tries are left, when to try again).
 */
export type General = string | { title: string; detail: string; note?: string } | null;

/** The error summary at the top of a form: one link per failing field, and/or the message. */
export function ErrorSummary({ items, general }: { items: SummaryItem[]; general?: General }) {
  const t = useT();
  if (items.length === 0 && !general) return null;
  const heading = items.length > 0 ? t.errorSummaryTitle : typeof general === 'string' ? general : general?.title;
  const body = items.length > 0 ? (typeof general === 'string' ? general : general?.detail) : typeof general === 'string' ? null : general?.detail;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title" tabIndex={-1}>
        {heading}
      </h2>
      {body && <p id="error-summary-detail">{body}</p>}
      {typeof general === 'object' && general?.note && <p id="error-summary-note">{general.note}</p>}
      {items.length > 0 && (
        <ul>
          {items.map((item) => (
            <li key={item.id}>
              <a
                href={`#${item.id}`}
                onClick={(e) => {
                  e.preventDefault();
                  document.getElementById(item.id)?.focus();
                }}
              >
                {item.label}：{item.message}
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A notice above a form (not an error): "signed out", "terms updated". */
export function Notice({ children }: { children: ComponentChildren }) {
  return (
    <div class="notice" role="status">
      {children}
    </div>
  );
}

type InputProps = Omit<JSX.InputHTMLAttributes<HTMLInputElement>, 'value' | 'onInput' | 'label' | 'id'>;

export interface TextFieldProps extends InputProps {
  id: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  hint?: ComponentChildren;
  error?: string | null;
  required?: boolean;
  after?: ComponentChildren;
}

export function TextField({
  id,
  label,
  value,
  onValue,
  hint,
  error,
  required,
  after,
  ...input
}: TextFieldProps) {
  const t = useT();
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <div class={`field${error ? ' field--error' : ''}`}>
      <label for={id} class="field__label">
        {label}
        {required && <span class="badge">{t.required}</span>}
      </label>
      {hint && (
        <div id={`${id}-hint`} class="field__hint">
          {hint}
        </div>
      )}
      {error && (
        <p id={`${id}-error`} class="field__error">
          {error}
        </p>
      )}
      <input
        type="text"
        id={id}
        name={id}
        value={value}
        onInput={(e) => onValue(e.currentTarget.value)}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={described || undefined}
        aria-required={required ? 'true' : undefined}
        {...input}
      />
      {after}
    </div>
  );
}

/** A password field with a show-password switch. */
export function PasswordField(props: Omit<TextFieldProps, 'type' | 'after'>) {
  const t = useT();
  const [shown, setShown] = useState(false);
  return (
    <TextField
      {...props}
      type={shown ? 'text' : 'password'}
      autoCapitalize="off"
      autoCorrect="off"
      spellcheck={false}
      after={
        <label class="toggle">
          <input type="checkbox" checked={shown} onChange={(e) => setShown(e.currentTarget.checked)} />
          {t.showPassword}
        </label>
      }
    />
  );
}

/** The live rule list under a field: each rule shows whether the typed value meets it. */
export function RuleList({ rules }: { rules: { text: string; met: boolean | null }[] }) {
  const t = useT();
  return (
    <ul class="rules">
      {rules.map((r) => (
        <li key={r.text} class={r.met === null ? 'rule' : r.met ? 'rule rule--met' : 'rule rule--unmet'}>
          <span aria-hidden="true" class="rule__mark">
            {r.met === null ? '・' : r.met ? '✓' : '・'}
          </span>
          {r.text}
          {r.met !== null && <span class="visually-hidden">（{r.met ? t.ruleMet : t.ruleNotMet}）</span>}
        </li>
      ))}
    </ul>
  );
}

/** An in-app link: the router changes the screen without a page load. */
export function Link({ href, children, class: cls }: { href: string; children: ComponentChildren; class?: string }) {
  return (
    <a
      href={href}
      class={cls}
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}

export function Loading() {
  const t = useT();
  return (
    <p class="loading" role="status">
      {t.loading}
    </p>
  );
}

/** A page of paragraphs (and `children`) with a link back to the login (404, "sent" pages). */
export function InfoPage({
  title,
  body,
  back,
  children,
}: {
  title: string;
  body: string[];
  back: string;
  children?: ComponentChildren;
}) {
  return (
    <>
      <Title>{title}</Title>
      {body.map((p) => (
        <p key={p}>{p}</p>
      ))}
      {children}
      <p>
        <Link href="/login">{back}</Link>
      </p>
    </>
  );
}

/** What a member's change ends with: the notice and the way back to the menu. */
export function DoneToMenu({ title, message }: { title: string; message: string }) {
  const t = useT();
  return (
    <>
      <Title>{title}</Title>
      <Notice>{message}</Notice>
      <div class="actions">
        <button type="button" class="button button--primary" onClick={() => navigate('/menu')}>
          {t.done.toMenu}
        </button>
      </div>
    </>
  );
}

/** The 通知情報更新時のメール通知 checkbox (registration and the menu); `children` follow it. */
export function NotifyChoice({
  legend,
  label,
  checked,
  onChange,
  children,
}: {
  legend: string;
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  children?: ComponentChildren;
}) {
  return (
    <fieldset class="field choice">
      <legend class="field__label">{legend}</legend>
      <label class="choice__option">
        <input
          id="f-notify_on_update"
          type="checkbox"
          checked={checked}
          onChange={(e) => onChange(e.currentTarget.checked)}
        />
        {label}
      </label>
      {children}
    </fieldset>
  );
}
