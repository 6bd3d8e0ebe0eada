// Screens of one onboarding step make sure the session is at that step: after a reload the
// SPA asks the API (GET /session) and moves to the step the server names.
import { useEffect, useState } from 'preact/hooks';
import { api, closedForMaintenance, isSignedOut, type Problem, routeFor } from './api/client';
import type { components } from './api/schema';
import { lockOf } from './lock';
import { rememberReturn } from './returnTo';
import { currentPath, navigate } from './router';
import { type Session, useApp } from './state';

type App = ReturnType<typeof useApp>;

/** The session summary of a `GET /session` answer. */
export function sessionOf(data: components['schemas']['SessionInfo']): Session {
  return {
    nextStep: data.next_step,
    tenantName: data.tenant_name,
    contact: data.tenant_contact ?? null,
    secondFactorMethods: data.second_factor_methods ?? undefined,
  };
}

export function useStep(step: string): boolean {
  const app = useApp();
  const known = app.session?.nextStep === step;
  const [ready, setReady] = useState(known);
  useEffect(() => {
    if (known) return;
    let live = true;
    api
      .GET('/api/v1/session')
      .then(({ data, error, response }) => {
        if (!live) return;
        if (data) {
          app.setSession(sessionOf(data));
          if (data.next_step === step) setReady(true);
          else navigate(routeFor(data.next_step), true);
          return;
        }
        if (response.status === 503 || showLocked(app, error, response)) return;
        const code = error?.code;
        app.setSession(null);
        app.setFlash(code === 'token_expired' || code === 'session_revoked' ? 'sessionExpired' : null);
        if (step === 'menu') rememberReturn(currentPath() + window.location.search);
        navigate('/login', true);
      })
      .catch(() => live && navigate('/login', true));
    return () => {
      live = false;
    };
  }, [step]);
  return ready;
}

/**
 * A screen's load answered 423: the lock screen says until when, and comes back here after.
 * Returns true when it took care of the answer.
 */
export function showLocked(app: App, problem: Problem | undefined, response: Response): boolean {
  const lock = lockOf(problem, response);
  if (!lock) return false;
  app.setLocked({ ...lock, from: currentPath() });
  navigate('/locked', true);
  return true;
}

/**
 * The failed answers of a signed-in route that the form itself does not show: 503 (the
 * maintenance screen takes over), a lost session (back to the login screen) and a step still
 * to do (to its screen). Returns true when it took care of the answer.
 */
export function handledElsewhere(app: App, response: Response, problem: Problem): boolean {
  if (closedForMaintenance(response, problem)) return true;
  if (isSignedOut(problem)) {
    signedOut(app);
    return true;
  }
  if (problem.code === 'wrong_step' && problem.next_step) {
    navigate(routeFor(problem.next_step), true);
    return true;
  }
  return false;
}

/** After a 401 from a step's route: back to the login screen with the reason. */
export function signedOut(app: App): void {
  rememberReturn(currentPath() + window.location.search);
  app.setSession(null);
  app.setFlash('sessionExpired');
  navigate('/login', true);
}
