/*
 * Throwaway secrets for sandbox clusters: a pull secret shaped like Red Hat's (auths for quay.io and
 * registry.redhat.io, random credentials that work nowhere) and an ed25519 SSH public key. Existing files are
 * kept. Usage: node tools/sandbox/secrets.ts <workspace root> <cluster> [<cluster> ...]
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function sshString(data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  return Buffer.concat([length, data]);
}

/** An OpenSSH `ssh-ed25519 AAAA... comment` line for a fresh key (the private half is thrown away). */
export function sandboxSshPublicKey(comment: string): string {
  const { publicKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const blob = Buffer.concat([sshString(Buffer.from('ssh-ed25519')), sshString(raw)]);
  return `ssh-ed25519 ${blob.toString('base64')} ${comment}\n`;
}

export function sandboxPullSecret(): string {
  const auth = () => Buffer.from(`sandbox:${randomBytes(24).toString('hex')}`).toString('base64');
  const auths = Object.fromEntries(
    ['cloud.openshift.com', 'quay.io', 'registry.connect.redhat.com', 'registry.redhat.io'].map((registry) => [
      registry,
      { auth: auth(), email: 'sandbox@example.com' },
    ]),
  );
  return `${JSON.stringify({ auths })}\n`;
}

/** Writes the secrets of `cluster` that are missing; returns the files written. */
export function ensureSandboxSecrets(workspaceRoot: string, cluster: string): string[] {
  const dir = join(workspaceRoot, 'secrets', cluster);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files: [string, () => string][] = [
    ['pull-secret.json', sandboxPullSecret],
    ['ssh.pub', () => sandboxSshPublicKey(`sandbox@${cluster}`)],
  ];
  const written: string[] = [];
  for (const [name, make] of files) {
    const file = join(dir, name);
    if (existsSync(file)) continue;
    writeFileSync(file, make(), { mode: 0o600 });
    written.push(file);
  }
  return written;
}

if (import.meta.filename === process.argv[1]) {
  const [root, ...clusters] = process.argv.slice(2);
  if (!root || clusters.length === 0) {
    console.error('usage: node tools/sandbox/secrets.ts <workspace root> <cluster> [<cluster> ...]');
    process.exit(2);
  }
  for (const cluster of clusters) {
    for (const file of ensureSandboxSecrets(root, cluster)) console.error(`sandbox: wrote throwaway ${file}`);
  }
}
