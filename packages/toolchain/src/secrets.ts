/*
 * The two secrets a cluster needs from its user, read and checked in one place: the pull secret and the SSH public
 * key. The manifests step reads them to hand them to the installer; preflight checks them (more strictly) before
 * anything is created. Messages name the file and the fix, never the content.
 */
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { ClusterStep } from './cluster-step.ts';
import { UserError } from './errors.ts';

export const PULL_SECRET_HOW_TO_GET =
  'Download it from https://console.redhat.com/openshift/install/pull-secret and save it there (mode 0600).';

/** The registries a connected install pulls the release and operator images from. */
export const RED_HAT_REGISTRIES = ['quay.io', 'registry.redhat.io'] as const;

export interface PullSecretCheck {
  /** Registries that must have credentials in `auths` (preflight: RED_HAT_REGISTRIES; a mirror setup may differ). */
  requiredRegistries?: readonly string[];
}

/**
 * Everything wrong with a pull secret's text, each problem naming `shown` (the file) and the fix. Never quotes the
 * content: only key names (registry hosts) appear in messages.
 */
export function pullSecretProblems(text: string, shown: string, check: PullSecretCheck = {}): string[] {
  const asDownloaded = 'it must be the pull secret exactly as downloaded from console.redhat.com';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [`${shown} is not JSON: ${asDownloaded}`];
  }
  const auths = (parsed as { auths?: unknown } | null)?.auths;
  if (typeof auths !== 'object' || auths === null || Array.isArray(auths)) {
    return [`${shown} has no "auths" object: ${asDownloaded}`];
  }
  const problems: string[] = [];
  for (const registry of check.requiredRegistries ?? []) {
    const entry = (auths as Record<string, unknown>)[registry] as { auth?: unknown } | undefined;
    if (entry === undefined) {
      problems.push(`${shown} has no credentials for ${registry} in "auths": ${asDownloaded}`);
    } else if (typeof entry.auth !== 'string' || entry.auth.trim() === '') {
      problems.push(`${shown}: the "auths" entry for ${registry} has no "auth" token: ${asDownloaded}`);
    }
  }
  return problems;
}

/** The pull secret file's problems, starting with a missing file (and how to get one). */
export function pullSecretFileProblems(step: ClusterStep, check: PullSecretCheck = {}): string[] {
  const path = step.loaded.secretFiles.pullSecret;
  if (!existsSync(path)) return [`the pull secret is not at ${step.show(path)}. ${PULL_SECRET_HOW_TO_GET}`];
  return pullSecretProblems(readFileSync(path, 'utf8'), step.show(path), check);
}

/**
 * The pull secret, checked to be what the installer expects (JSON with registry `auths`), on one line as the
 * installer stores it. The text is never printed.
 */
export function readPullSecret(step: ClusterStep, check: PullSecretCheck = {}): string {
  const problems = pullSecretFileProblems(step, check);
  if (problems.length) throw new UserError(problems.join('\n  '));
  return JSON.stringify(JSON.parse(readFileSync(step.loaded.secretFiles.pullSecret, 'utf8')));
}

// ---------------------------------------------------------------------------------------------------------------
// SSH public keys (the OpenSSH one-line format: `<type> <base64 wire blob> [comment]`)

export interface SshPublicKey {
  type: string;
  /** Key size in bits (RSA modulus, EC curve size, 256 for Ed25519); undefined for types only checked for shape. */
  bits: number | undefined;
  comment: string;
}

const EC_CURVES: Record<string, { crv: string; bits: number }> = {
  nistp256: { crv: 'P-256', bits: 256 },
  nistp384: { crv: 'P-384', bits: 384 },
  nistp521: { crv: 'P-521', bits: 521 },
};
/** Accepted by the installer (golang.org/x/crypto/ssh) but only checked for their wire shape here. */
const SHAPE_ONLY = new Set(['sk-ssh-ed25519@openssh.com', 'sk-ecdsa-sha2-nistp256@openssh.com', 'ssh-dss']);

/** Reads the length-prefixed strings of the SSH wire format. */
class WireReader {
  private offset = 0;
  private readonly data: Buffer;
  constructor(data: Buffer) {
    this.data = data;
  }
  next(): Buffer {
    if (this.offset + 4 > this.data.length) throw new Error('the key data ends early');
    const length = this.data.readUInt32BE(this.offset);
    const start = this.offset + 4;
    if (start + length > this.data.length) throw new Error('the key data ends early');
    this.offset = start + length;
    return this.data.subarray(start, start + length);
  }
}

/** An SSH mpint as unsigned big-endian bytes (without the sign byte), base64url for a JWK. */
function unsigned(mpint: Buffer): string {
  let start = 0;
  while (start < mpint.length - 1 && mpint[start] === 0) start++;
  return mpint.subarray(start).toString('base64url');
}

function keyFromJwk(jwk: JsonWebKey): ReturnType<typeof createPublicKey> {
  try {
    return createPublicKey({ key: jwk, format: 'jwk' });
  } catch {
    throw new Error('the key data is not a valid public key');
  }
}

/**
 * Parses one OpenSSH public key line, checking the key material itself (not just its look): the type inside the
 * base64 blob must be the type named in front, and RSA, ECDSA and Ed25519 keys must be valid keys. Throws an Error
 * whose message says what is wrong (never the key).
 */
export function parseSshPublicKey(line: string): SshPublicKey {
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(line)) {
    throw new Error('this is a PRIVATE key: use the public half (the .pub file)');
  }
  const match = /^(\S+) ([A-Za-z0-9+/]+={0,2})(?: (.*))?$/.exec(line.trim());
  if (!match) throw new Error('expected one line "<type> <base64 key> [comment]", like "ssh-ed25519 AAAA... me@host"');
  const [, type, base64, comment = ''] = match as unknown as [string, string, string, string | undefined];
  const blob = Buffer.from(base64, 'base64');
  const reader = new WireReader(blob);
  const inner = reader.next().toString('latin1');
  if (inner !== type) throw new Error(`the key data is of type "${inner.slice(0, 40)}", not "${type}"`);

  if (type === 'ssh-rsa') {
    const e = reader.next();
    const n = reader.next();
    const key = keyFromJwk({ kty: 'RSA', e: unsigned(e), n: unsigned(n) });
    return { type, bits: key.asymmetricKeyDetails?.modulusLength, comment };
  }
  if (type === 'ssh-ed25519') {
    const raw = reader.next();
    if (raw.length !== 32) throw new Error('the key data is not a valid Ed25519 key');
    keyFromJwk({ kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') });
    return { type, bits: 256, comment };
  }
  const ecdsa = /^ecdsa-sha2-(nistp\d+)$/.exec(type);
  if (ecdsa) {
    const curve = EC_CURVES[ecdsa[1]!];
    if (!curve) throw new Error(`unknown ECDSA curve ${ecdsa[1]!}`);
    if (reader.next().toString('latin1') !== ecdsa[1]) throw new Error('the curve inside the key does not match');
    const point = reader.next();
    const size = Math.ceil(curve.bits / 8);
    if (point.length !== 1 + 2 * size || point[0] !== 4) throw new Error('the key data is not a valid ECDSA key');
    keyFromJwk({
      kty: 'EC',
      crv: curve.crv,
      x: point.subarray(1, 1 + size).toString('base64url'),
      y: point.subarray(1 + size).toString('base64url'),
    });
    return { type, bits: curve.bits, comment };
  }
  if (SHAPE_ONLY.has(type)) return { type, bits: undefined, comment };
  throw new Error(`unsupported key type "${type}" (use ssh-ed25519, ssh-rsa or ecdsa-sha2-nistp256/384/521)`);
}

/** Everything wrong with the text of an SSH public key file (one key expected). */
export function sshKeyProblems(text: string, shown: string): string[] {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.some((l) => /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(l))) {
    return [`${shown} is a PRIVATE key: point secrets.ssh_public_key_file at the public half (the .pub file)`];
  }
  if (lines.length !== 1) {
    return [
      `${shown} holds ${lines.length} lines: expected exactly one SSH public key ("ssh-ed25519 AAAA... me@host")`,
    ];
  }
  try {
    parseSshPublicKey(lines[0]!);
    return [];
  } catch (error) {
    return [`${shown} is not a usable SSH public key: ${(error as Error).message}`];
  }
}

function sshKeyHowToGet(step: ClusterStep): string {
  const path = step.loaded.secretFiles.sshPublicKey;
  return (
    `Create one with \`ssh-keygen -t ed25519 -N '' -f ${step.show(path).replace(/\.pub$/, '')}\`, ` +
    'or point secrets.ssh_public_key_file at yours.'
  );
}

/** The SSH key file's problems, starting with a missing file (and how to make one). */
export function sshKeyFileProblems(step: ClusterStep): string[] {
  const path = step.loaded.secretFiles.sshPublicKey;
  if (!existsSync(path)) {
    return [`the SSH public key for the nodes is not at ${step.show(path)}. ${sshKeyHowToGet(step)}`];
  }
  return sshKeyProblems(readFileSync(path, 'utf8'), step.show(path));
}

/** The nodes' SSH public key, one line, checked to parse. */
export function readSshKey(step: ClusterStep): string {
  const problems = sshKeyFileProblems(step);
  if (problems.length) throw new UserError(problems.join('\n  '));
  return readFileSync(step.loaded.secretFiles.sshPublicKey, 'utf8').trim();
}
