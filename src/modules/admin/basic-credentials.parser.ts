/** Credentials from an `Authorization: Basic` header (RFC 7617), email already normalised. */
export interface BasicCredentials {
  email: string;
  password: string;
}

// Longer values can never match: registration and ADMIN_* cap them, so they are not worth an argon2 run.
export const MAX_EMAIL_LENGTH = 320;
export const MAX_PASSWORD_LENGTH = 128;

const BASIC_HEADER = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Null for anything that is not well-formed Basic credentials in UTF-8 (the charset we advertise). */
export function parseBasicAuthorization(header: string | undefined): BasicCredentials | null {
  const token = header ? BASIC_HEADER.exec(header.trim())?.[1] : undefined;
  // A base64 length of 4n+1 cannot be produced by any input; Buffer would silently drop the tail.
  if (!token || token.replace(/=+$/, '').length % 4 === 1) {
    return null;
  }
  let decoded: string;
  try {
    decoded = utf8.decode(Buffer.from(token, 'base64'));
  } catch {
    return null;
  }
  // The user-id cannot contain a colon, the password can: split at the first one.
  const colon = decoded.indexOf(':');
  if (colon < 0 || CONTROL_CHARS.test(decoded)) {
    return null;
  }
  const email = decoded.slice(0, colon).trim().toLowerCase();
  const password = decoded.slice(colon + 1);
  if (!email || !password || email.length > MAX_EMAIL_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    return null;
  }
  return { email, password };
}
