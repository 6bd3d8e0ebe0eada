// A locked account (423 `account_locked`, DESIGN §2): when it opens again and whom to ask. The
// screen that got the answer says so and keeps its form disabled until then; the form opens
// again by itself when the time has passed, without a reload.
import { useEffect, useState } from 'preact/hooks';
import type { Contact, Problem } from './api/client';

/** The deployment's default lockout (a tenant may set another length; the 423 then says when). */
export const LOCK_ATTEMPTS = 5;
export const LOCK_MINUTES = 30;

export interface Lock {
  /** When it opens again (RFC 3339), as the server said, for display in Japan time. */
  until: string;
  /** When this browser opens the form again (epoch ms; from `Retry-After` when given). */
  opensAt: number;
  /** The kenpo's contact, when the problem carries it (the tenant is known). */
  contact: Contact | null;
}

/** The lock a problem answer announces, or null. `locked_until` first, else `Retry-After`. */
export function lockOf(problem: Problem | undefined, response: Response | undefined, now = Date.now()): Lock | null {
  if (problem?.code !== 'account_locked') return null;
  const stated = problem.locked_until ? Date.parse(problem.locked_until) : NaN;
  const retry = Number(response?.headers.get('Retry-After'));
  // Retry-After counts from now on this clock, so a phone whose clock is off still opens on time.
  const opensAt = retry > 0 ? now + retry * 1000 : Number.isNaN(stated) ? now + LOCK_MINUTES * 60_000 : stated;
  return {
    until: Number.isNaN(stated) ? new Date(opensAt).toISOString() : (problem.locked_until as string),
    opensAt,
    contact: problem.contact ?? null,
  };
}

/** A lock that clears itself at `opensAt`; `ended` says that one has. */
export function useLock(): { lock: Lock | null; ended: boolean; set: (lock: Lock | null) => void } {
  const [lock, setLock] = useState<Lock | null>(null);
  const [ended, setEnded] = useState(false);
  useEffect(() => {
    if (!lock) return;
    const id = setTimeout(() => {
      setLock(null);
      setEnded(true);
    }, Math.max(0, lock.opensAt - Date.now()));
    return () => clearTimeout(id);
  }, [lock]);
  return {
    lock,
    ended,
    set: (l) => {
      setEnded(false);
      setLock(l);
    },
  };
}
