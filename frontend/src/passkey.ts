// Passkeys in the browser (DESIGN §9): the server's options go to `navigator.credentials`
// through @simplewebauthn/browser, loaded only when a member uses a passkey (the first load
// stays small), and the browser's answer goes back as JSON.
import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/browser';

/** Whether this browser can use passkeys at all (the button is shown only then). */
export function passkeysSupported(): boolean {
  return typeof window !== 'undefined' && typeof window.PublicKeyCredential === 'function';
}

/** Asks the browser for one of the member's passkeys for this site (`/auth/passkey/options`). */
export async function getPasskey(options: unknown): Promise<Record<string, unknown>> {
  const { startAuthentication } = await import('@simplewebauthn/browser');
  const answer = await startAuthentication({
    optionsJSON: options as PublicKeyCredentialRequestOptionsJSON,
  });
  return answer as unknown as Record<string, unknown>;
}

/** Asks the browser to make a passkey (`/me/passkeys/options`). */
export async function makePasskey(options: unknown): Promise<Record<string, unknown>> {
  const { startRegistration } = await import('@simplewebauthn/browser');
  const answer = await startRegistration({
    optionsJSON: options as PublicKeyCredentialCreationOptionsJSON,
  });
  return answer as unknown as Record<string, unknown>;
}
