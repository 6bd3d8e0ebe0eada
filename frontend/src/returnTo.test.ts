import { describe, expect, it } from 'vitest';
import { afterSignIn, returnPathOf } from './returnTo';

function store(value: string | null) {
  const s = { value, getItem: () => s.value, removeItem: () => void (s.value = null) };
  return s;
}

describe('returnPathOf', () => {
  it('keeps the pages behind the menu that e-mails link to', () => {
    expect(returnPathOf('/menu/medical')).toBe('/menu/medical');
    expect(returnPathOf('/menu/notice?id=01938a6e-7c1f-7b3e-9d2a-5f0c1e2d3a4b')).toBe(
      '/menu/notice?id=01938a6e-7c1f-7b3e-9d2a-5f0c1e2d3a4b',
    );
    expect(returnPathOf('/menu/medical?year=2025')).toBe('/menu/medical?year=2025');
  });

  it('refuses anything that could leave the site or is not behind the menu', () => {
    for (const bad of ['//evil.example/menu/x', 'https://evil.example/', '/menu', '/menu/', '/login', '/menu/../x', '/menu/x?next=//a b', '/menu/x#y']) {
      expect(returnPathOf(bad), bad).toBeNull();
    }
  });
});

describe('afterSignIn', () => {
  it('goes to the remembered page when the sign-in reaches the menu, once', () => {
    const s = store('/menu/medical');
    expect(afterSignIn('/menu', s)).toBe('/menu/medical');
    expect(afterSignIn('/menu', s)).toBe('/menu');
  });

  it('keeps it through the second step and forgets it on any other step', () => {
    const s = store('/menu/medical');
    expect(afterSignIn('/login/second-factor', s)).toBe('/login/second-factor');
    expect(s.value).toBe('/menu/medical');
    expect(afterSignIn('/onboarding/identity', s)).toBe('/onboarding/identity');
    expect(s.value).toBeNull();
  });

  it('never follows a stored value that is not a menu page', () => {
    expect(afterSignIn('/menu', store('https://evil.example/'))).toBe('/menu');
  });
});
