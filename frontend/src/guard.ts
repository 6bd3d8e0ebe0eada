// Screens of one onboarding step make sure the session is at that step: after a reload the
// SPA asks the API (GET /session) and moves to the step the server names.
import { useEffect, useState } from 'preact/hooks';
import { api, routeFor } from './api/client';
import { navigate } from './router';
import { useApp } from './state';

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
          app.setSession({ nextStep: data.next_step, tenantName: data.tenant_name });
          if (data.next_step === step) setReady(true);
          else navigate(routeFor(data.next_step), true);
          return;
        }
        if (response.status === 503) return;
        const code = error?.code;
        app.setSession(null);
        app.setFlash(code === 'token_expired' || code === 'session_revoked' ? 'sessionExpired' : null);
        navigate('/login', true);
      })
      .catch(() => live && navigate('/login', true));
    return () => {
      live = false;
    };
  }, [step]);
  return ready;
}

/** After a 401 from a step's route: back to the login screen with the reason. */
export function signedOut(app: ReturnType<typeof useApp>): void {
  app.setSession(null);
  app.setFlash('sessionExpired');
  navigate('/login', true);
}
