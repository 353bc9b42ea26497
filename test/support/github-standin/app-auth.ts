import { generateKeyPairSync, randomBytes, verify, type KeyObject, createPublicKey } from "node:crypto";

/** The GitHub App's identity: GitHub keeps the public key and hands the private key (PKCS#1 PEM) to the app. */
export interface AppKeys {
  privateKey: string;
  publicKey: KeyObject;
}

export function generateAppKeys(): AppKeys {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  return { privateKey, publicKey: createPublicKey(publicKey) };
}

export type JwtCheck = { ok: true } | { ok: false; message: string };

const decodeJson = (part: string): Record<string, unknown> | null => {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return value && typeof value === "object" ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

/**
 * Verify an app JWT the way GitHub does: RS256 signature by the app's key, `iss` = app id, a live
 * `exp` at most ten minutes after `iat`. Hand-written because the installed JWT library only signs;
 * node:crypto does the actual signature check.
 */
export function verifyAppJwt(jwt: string, publicKey: KeyObject, appId: number, nowSeconds = Date.now() / 1000): JwtCheck {
  const parts = jwt.split(".");
  if (parts.length !== 3) return { ok: false, message: "A JSON web token could not be decoded" };
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeJson(headerPart);
  const payload = decodeJson(payloadPart);
  if (!header || !payload) return { ok: false, message: "A JSON web token could not be decoded" };
  if (header.alg !== "RS256") return { ok: false, message: "A JSON web token could not be decoded (alg must be RS256)" };
  const signed = verify(
    "RSA-SHA256",
    Buffer.from(`${headerPart}.${payloadPart}`),
    publicKey,
    Buffer.from(signaturePart, "base64url"),
  );
  if (!signed) return { ok: false, message: "A JSON web token could not be decoded (bad signature)" };
  if (String(payload.iss) !== String(appId)) return { ok: false, message: "Integration not found (iss does not match)" };
  const { iat, exp } = payload;
  if (typeof iat !== "number" || iat > nowSeconds + 60) {
    return { ok: false, message: "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued" };
  }
  if (typeof exp !== "number" || exp <= nowSeconds) {
    return { ok: false, message: "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires" };
  }
  if (exp - iat > 600) return { ok: false, message: "'Expiration time' claim ('exp') is too far in the future" };
  return { ok: true };
}

interface TokenRecord {
  installationId: number;
  expiresAt: number;
}

/** Installation tokens minted by the stand-in; each is random and expires like GitHub's (one hour by default). */
export class InstallationTokens {
  readonly #tokens = new Map<string, TokenRecord>();
  readonly #ttlMs: number;

  constructor(ttlMs: number) {
    this.#ttlMs = ttlMs;
  }

  mint(installationId: number): { token: string; expiresAt: string } {
    const token = `ghs_${randomBytes(27).toString("base64url")}`;
    const expiresAt = Date.now() + this.#ttlMs;
    this.#tokens.set(token, { installationId, expiresAt });
    return { token, expiresAt: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, "Z") };
  }

  /** The installation a token belongs to, or undefined when unknown or expired. */
  installationFor(token: string): number | undefined {
    const record = this.#tokens.get(token);
    if (!record || record.expiresAt <= Date.now()) return undefined;
    return record.installationId;
  }

  /** Make every token minted so far invalid (simulates expiry or revocation). */
  expireAll(): void {
    for (const record of this.#tokens.values()) record.expiresAt = 0;
  }

  get size(): number {
    return this.#tokens.size;
  }
}
