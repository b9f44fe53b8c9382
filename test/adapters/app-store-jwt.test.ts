import { generateKeyPairSync, verify } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { appStoreConnectToken } from '../../adapters/app-store/index.js';
import { ReviewkitError } from '../../src/index.js';

// A fresh P-256 key pair, exported the way App Store Connect hands out its .p8 files (PKCS#8 PEM).
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const P8 = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const ISSUER = '57246542-96fe-1a63-e053-0824d011072a';
const KEY_ID = 'ABC123DEFG';
const NOW = new Date('2026-09-10T12:00:00.750Z');
const IAT = Date.UTC(2026, 8, 10, 12) / 1000;

const decode = (part: string): unknown => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

function parts(token: string): [string, string, string] {
  const split = token.split('.');
  expect(split).toHaveLength(3);
  return split as [string, string, string];
}

function catchError(fn: () => unknown): ReviewkitError {
  try {
    fn();
  } catch (error) {
    if (ReviewkitError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a ReviewkitError');
}

describe('appStoreConnectToken', () => {
  it('writes exactly the header and claims App Store Connect asks for', () => {
    const [header, claims] = parts(appStoreConnectToken({ issuerId: ISSUER, keyId: KEY_ID, privateKey: P8, now: NOW }));
    expect(decode(header)).toEqual({ alg: 'ES256', kid: KEY_ID, typ: 'JWT' });
    // Whole seconds, the fraction dropped; 20 minutes by default.
    expect(decode(claims)).toEqual({ iss: ISSUER, iat: IAT, exp: IAT + 1200, aud: 'appstoreconnect-v1' });
    // base64url without padding, as JWTs require.
    expect(header).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(claims).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('signs with ES256: a raw 64-byte r||s signature the public key verifies', () => {
    const token = appStoreConnectToken({ issuerId: ISSUER, keyId: KEY_ID, privateKey: P8, now: NOW });
    const [header, claims, signature] = parts(token);
    const raw = Buffer.from(signature, 'base64url');
    expect(raw).toHaveLength(64);
    const input = Buffer.from(`${header}.${claims}`);
    expect(verify('sha256', input, { key: publicKey, dsaEncoding: 'ieee-p1363' }, raw)).toBe(true);
    // Not DER (node:crypto's default, 70–72 bytes opening with a SEQUENCE tag): JWTs want r||s.
    expect(raw.length === 64 && !(raw[0] === 0x30 && raw[1] === raw.length - 2)).toBe(true);
    // Any change to the signed part breaks it.
    const tampered = Buffer.from(`${header}.${claims.slice(0, -2)}AA`);
    expect(verify('sha256', tampered, { key: publicKey, dsaEncoding: 'ieee-p1363' }, raw)).toBe(false);
  });

  it('takes a shorter lifetime, a KeyObject, and a PEM whose line breaks were flattened to \\n', () => {
    const short = appStoreConnectToken({ issuerId: ISSUER, keyId: KEY_ID, privateKey, expiresInSeconds: 300, now: NOW });
    expect(decode(parts(short)[1])).toEqual({ iss: ISSUER, iat: IAT, exp: IAT + 300, aud: 'appstoreconnect-v1' });
    const flattened = P8.trim().replace(/\n/g, '\\n');
    const [header, claims, signature] = parts(appStoreConnectToken({ issuerId: ISSUER, keyId: KEY_ID, privateKey: flattened, now: NOW }));
    expect(verify('sha256', Buffer.from(`${header}.${claims}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'))).toBe(true);
  });

  it('uses the current time without `now`', () => {
    const before = Math.floor(Date.now() / 1000);
    const claims = decode(parts(appStoreConnectToken({ issuerId: ISSUER, keyId: KEY_ID, privateKey: P8 }))[1]) as { iat: number; exp: number };
    const after = Math.floor(Date.now() / 1000);
    expect(claims.iat).toBeGreaterThanOrEqual(before);
    expect(claims.iat).toBeLessThanOrEqual(after);
    expect(claims.exp - claims.iat).toBe(1200);
  });

  it('rejects missing options and lifetimes Apple refuses with CONFIG naming the option', () => {
    const base = { issuerId: ISSUER, keyId: KEY_ID, privateKey: P8, now: NOW };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, issuerId: '' }, 'issuerId'],
      [{ ...base, keyId: undefined }, 'keyId'],
      [{ ...base, privateKey: '' }, 'privateKey'],
      [{ ...base, expiresInSeconds: 1201 }, 'expiresInSeconds'],
      [{ ...base, expiresInSeconds: 0 }, 'expiresInSeconds'],
      [{ ...base, expiresInSeconds: 60.5 }, 'expiresInSeconds'],
      [{ ...base, now: new Date(Number.NaN) }, 'now'],
    ];
    for (const [options, option] of cases) {
      const error = catchError(() => appStoreConnectToken(options as never));
      expect(error.code, option).toBe('CONFIG');
      expect(error.source).toBe('app-store');
      expect(error.message).toContain(`\`${option}\``);
    }
  });

  it('rejects keys that are not App Store Connect keys, never quoting the key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    // A .p8 with a line of its body lost in copying.
    const broken = P8.split('\n').filter((_, i) => i !== 1).join('\n');
    for (const key of [rsa, p384, broken, 'not a key at all', publicKey]) {
      const error = catchError(() => appStoreConnectToken({ issuerId: ISSUER, keyId: KEY_ID, privateKey: key as never, now: NOW }));
      expect(error.code).toBe('CONFIG');
      expect(error.message).toContain('`privateKey`');
      const printed = `${error.message}${error.stack ?? ''}${JSON.stringify(error)}${inspect(error, { depth: 5, showHidden: true })}`;
      if (typeof key === 'string') for (const line of key.split('\n').filter((l) => l.length > 8)) expect(printed).not.toContain(line);
      expect(printed).not.toContain('PRIVATE KEY-----');
      expect(error.cause).toBeUndefined();
    }
  });
});
