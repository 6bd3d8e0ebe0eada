// Every API call goes through this client, typed from `schema.d.ts` (generated from
// `openapi.yaml` by `npm run gen:api`; `npm run check:api` fails when it is stale).
// The session token travels only in the HttpOnly cookie the API sets: this code never sees it,
// and never stores it (the one thing in localStorage is the language choice, see `app.tsx`).
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Problem = components['schemas']['Problem'];
export type FieldProblem = components['schemas']['FieldProblem'];
export type TokenResponse = components['schemas']['TokenResponse'];
/** The kenpo's help desk (問い合わせ先): each part null when not set. */
export type Contact = components['schemas']['ContactView'];
export type NextStep = 'verify_identity' | 'register_credentials' | 'change_password' | 'menu';

let language = 'ja';
let onMaintenance: () => void = () => {};

/** The language of the server's `detail` and field messages. */
export function setApiLanguage(lang: string): void {
  language = lang;
}

export function apiLanguage(): string {
  return language;
}

/** Called whenever the API answers 503 `maintenance`. */
export function setMaintenanceHandler(handler: () => void): void {
  onMaintenance = handler;
}

const headers: Middleware = {
  onRequest({ request }) {
    request.headers.set('Accept-Language', language);
    return request;
  },
  async onResponse({ response }) {
    if (response.status === 503) {
      const body = (await response
        .clone()
        .json()
        .catch(() => null)) as { code?: string } | null;
      if (body?.code === 'maintenance') onMaintenance();
    }
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(headers);

/**
 * Whether an answer is the maintenance closure, which the maintenance screen has taken over.
 * A 503 `unavailable` (the server cannot reach its database) is not: the form shows it.
 */
export function closedForMaintenance(response: Response, problem: Problem | undefined): boolean {
  return response.status === 503 && problem?.code === 'maintenance';
}

/** The route of the screen for a step the API names. */
export function routeFor(step: string): string {
  switch (step) {
    case 'verify_identity':
      return '/onboarding/identity';
    case 'register_credentials':
      return '/onboarding/register';
    case 'change_password':
      return '/password/change';
    case 'second_factor':
      return '/login/second-factor';
    case 'menu':
      return '/menu';
    default:
      return '/login';
  }
}

/** Whether a problem means "sign in again". */
export function isSignedOut(problem: Problem | undefined): boolean {
  return (
    problem?.code === 'unauthenticated' ||
    problem?.code === 'token_expired' ||
    problem?.code === 'session_revoked'
  );
}
