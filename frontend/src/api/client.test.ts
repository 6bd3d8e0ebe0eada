import { describe, expect, it } from 'vitest';
import { isSignedOut, routeFor, type Problem } from './client';

const problem = (code: Problem['code']): Problem => ({ type: 'about:blank', title: '', status: 401, code, detail: '' });

describe('routes for the steps the API names', () => {
  it('sends each step to its screen and anything else to login', () => {
    expect(routeFor('verify_identity')).toBe('/onboarding/identity');
    expect(routeFor('register_credentials')).toBe('/onboarding/register');
    expect(routeFor('change_password')).toBe('/password/change');
    expect(routeFor('menu')).toBe('/menu');
    expect(routeFor('something_new')).toBe('/login');
  });
});

describe('signed-out answers', () => {
  it('are the three 401 codes of a missing, expired or revoked session', () => {
    expect(isSignedOut(problem('unauthenticated'))).toBe(true);
    expect(isSignedOut(problem('token_expired'))).toBe(true);
    expect(isSignedOut(problem('session_revoked'))).toBe(true);
    expect(isSignedOut(problem('invalid_credentials'))).toBe(false);
    expect(isSignedOut(problem('identity_mismatch'))).toBe(false);
    expect(isSignedOut(undefined)).toBe(false);
  });
});
