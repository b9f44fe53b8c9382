/**
 * Signing App Store Connect API tokens with `node:crypto` alone.
 * Facts followed: developer.apple.com/documentation/appstoreconnectapi/generating-tokens-for-api-requests
 * (header `alg: ES256`, `kid`, `typ: JWT`; claims `iss`, `iat`, `exp`, `aud: appstoreconnect-v1`; tokens
 * that expire more than 20 minutes after `iat` are rejected, as quoted in Ponytech/appstoreconnectapi#41);
 * RFC 7518 §3.4: an ES256 signature is the raw 64-byte `r || s`, not DER (`dsaEncoding: 'ieee-p1363'`).
 */
import { createPrivateKey, type KeyObject, sign } from 'node:crypto';
import { ReviewkitError } from '../../src/index.js';

/** Longest lifetime App Store Connect accepts for a token: 20 minutes. */
const MAX_LIFETIME_SECONDS = 20 * 60;

/** Options of {@link appStoreConnectToken}. */
export interface AppStoreConnectTokenOptions {
  /** Issuer ID from App Store Connect → Users and Access → Integrations (a UUID). */
  issuerId: string;
  /** Key ID of the API key (10 characters, e.g. `ABC123DEFG`; also in the file name `AuthKey_ABC123DEFG.p8`). */
  keyId: string;
  /**
   * The `.p8` private key: its PEM text (`-----BEGIN PRIVATE KEY-----…`), or a `KeyObject`. A PEM
   * whose line breaks were flattened to `\n` escapes (as environment variables often hold it) is read too.
   */
  privateKey: string | KeyObject;
  /** Lifetime in seconds, 1 to 1200 (20 minutes, Apple's maximum and the default). */
  expiresInSeconds?: number;
  /** Issue time; default now. For tests and clocks you control. */
  now?: Date;
}

/**
 * Signs an App Store Connect API token (ES256 JWT) for {@link appStoreConnect}'s `token` option.
 * Sign a new one for each run: it is valid for at most 20 minutes.
 *
 * @throws ReviewkitError `CONFIG` naming the option when an option is missing or the key is not a P-256 private key
 *   (the key never appears in the message).
 * @example
 * const token = appStoreConnectToken({
 *   issuerId: '57246542-96fe-1a63-e053-0824d011072a',
 *   keyId: 'ABC123DEFG',
 *   privateKey: readFileSync('AuthKey_ABC123DEFG.p8', 'utf8'),
 * });
 */
export function appStoreConnectToken(options: AppStoreConnectTokenOptions): string {
  const { issuerId, keyId, expiresInSeconds = MAX_LIFETIME_SECONDS, now = new Date() } = options;
  if (typeof issuerId !== 'string' || issuerId.trim() === '') throw configError('issuerId', 'is required');
  if (typeof keyId !== 'string' || keyId.trim() === '') throw configError('keyId', 'is required');
  if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 1 || expiresInSeconds > MAX_LIFETIME_SECONDS) {
    throw configError('expiresInSeconds', `must be a whole number of seconds from 1 to ${MAX_LIFETIME_SECONDS} (Apple rejects longer-lived tokens)`);
  }
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw configError('now', 'must be a valid Date');
  const key = p256PrivateKey(options.privateKey);
  const iat = Math.floor(now.getTime() / 1000);
  const header = { alg: 'ES256', kid: keyId, typ: 'JWT' };
  const claims = { iss: issuerId, iat, exp: iat + expiresInSeconds, aud: 'appstoreconnect-v1' };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = sign('sha256', Buffer.from(signingInput), { key, dsaEncoding: 'ieee-p1363' });
  return `${signingInput}.${signature.toString('base64url')}`;
}

function p256PrivateKey(privateKey: unknown): KeyObject {
  let key: KeyObject;
  if (typeof privateKey === 'string') {
    if (privateKey.trim() === '') throw configError('privateKey', 'is required');
    try {
      key = createPrivateKey(privateKey.includes('\\n') ? privateKey.replace(/\\n/g, '\n') : privateKey);
    } catch {
      // OpenSSL's reason is dropped with the error: nothing of the key may reach a message.
      throw configError('privateKey', 'is not a PEM private key (paste the whole .p8 file, BEGIN and END lines included)');
    }
  } else if (typeof privateKey === 'object' && privateKey !== null && (privateKey as KeyObject).type === 'private') {
    key = privateKey as KeyObject;
  } else {
    throw configError('privateKey', 'must be the .p8 file’s PEM text or a private KeyObject');
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw configError('privateKey', 'must be an App Store Connect API key: an EC P-256 private key (.p8)');
  }
  return key;
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function configError(option: string, what: string): ReviewkitError {
  return new ReviewkitError({ code: 'CONFIG', source: 'app-store', message: `app-store: appStoreConnectToken option \`${option}\` ${what}.` });
}
