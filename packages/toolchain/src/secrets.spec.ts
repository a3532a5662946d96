import { generateKeyPairSync } from 'node:crypto';
import { parseSshPublicKey, pullSecretProblems, RED_HAT_REGISTRIES, sshKeyProblems } from './secrets.ts';

function sshString(data: Buffer | string): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** An mpint: big-endian, with a leading zero when the top bit is set. */
function mpint(base64url: string): Buffer {
  const raw = Buffer.from(base64url, 'base64url');
  return sshString(raw[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), raw]) : raw);
}

function line(type: string, parts: Buffer[], comment = 'me@host'): string {
  return `${type} ${Buffer.concat([sshString(type), ...parts]).toString('base64')} ${comment}`;
}

function ed25519Line(): string {
  const { publicKey } = generateKeyPairSync('ed25519');
  return line('ssh-ed25519', [sshString(publicKey.export({ format: 'der', type: 'spki' }).subarray(-32))]);
}

function rsaLine(bits = 2048): string {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const jwk = publicKey.export({ format: 'jwk' });
  return line('ssh-rsa', [mpint(jwk.e!), mpint(jwk.n!)]);
}

function ecdsaLine(): string {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
  return line('ecdsa-sha2-nistp256', [sshString('nistp256'), sshString(point)]);
}

describe('parseSshPublicKey', () => {
  it('reads ed25519, RSA and ECDSA keys with their size and comment', () => {
    expect(parseSshPublicKey(ed25519Line())).toEqual({ type: 'ssh-ed25519', bits: 256, comment: 'me@host' });
    expect(parseSshPublicKey(rsaLine())).toEqual({ type: 'ssh-rsa', bits: 2048, comment: 'me@host' });
    expect(parseSshPublicKey(ecdsaLine())).toEqual({ type: 'ecdsa-sha2-nistp256', bits: 256, comment: 'me@host' });
  });

  it('refuses a key whose blob is of another type than it says', () => {
    const [, blob] = ed25519Line().split(' ');
    expect(() => parseSshPublicKey(`ssh-rsa ${blob!}`)).toThrow('the key data is of type "ssh-ed25519", not "ssh-rsa"');
  });

  it('refuses a cut key, garbage, a private key and an unknown type', () => {
    const [type, blob] = rsaLine().split(' ');
    expect(() => parseSshPublicKey(`${type!} ${blob!.slice(0, 100)}`)).toThrow(/ends early|not a valid/);
    expect(() => parseSshPublicKey('hello world')).toThrow(/ends early|of type/);
    expect(() => parseSshPublicKey('not-a-key')).toThrow('expected one line');
    expect(() => parseSshPublicKey('-----BEGIN OPENSSH PRIVATE KEY-----')).toThrow('PRIVATE key');
    expect(() => parseSshPublicKey(line('ssh-foo', [sshString('x')]))).toThrow('unsupported key type "ssh-foo"');
  });

  it('refuses an Ed25519 key of the wrong length', () => {
    expect(() => parseSshPublicKey(line('ssh-ed25519', [sshString(Buffer.alloc(31))]))).toThrow(
      'not a valid Ed25519 key',
    );
  });
});

describe('sshKeyProblems', () => {
  it('accepts one key with a trailing newline', () => {
    expect(sshKeyProblems(`${ed25519Line()}\n`, 'secrets/x/ssh.pub')).toEqual([]);
  });

  it('names the file and never prints the key', () => {
    const [first] = sshKeyProblems(`${ed25519Line()}\n${rsaLine()}\n`, 'secrets/x/ssh.pub');
    expect(first).toBe(
      'secrets/x/ssh.pub holds 2 lines: expected exactly one SSH public key ("ssh-ed25519 AAAA... me@host")',
    );
    const privateKey =
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n';
    const [problem] = sshKeyProblems(privateKey, 'secrets/x/ssh.pub');
    expect(problem).toContain('is a PRIVATE key');
    expect(problem).not.toContain('b3BlbnNz');
    expect(sshKeyProblems('', 'k.pub')).toEqual([
      'k.pub holds 0 lines: expected exactly one SSH public key ("ssh-ed25519 AAAA... me@host")',
    ]);
  });
});

describe('pullSecretProblems', () => {
  const secret = (auths: unknown) => JSON.stringify({ auths });
  const full = { 'quay.io': { auth: 'c2VjcmV0OjE=' }, 'registry.redhat.io': { auth: 'c2VjcmV0OjI=' } };
  const check = { requiredRegistries: RED_HAT_REGISTRIES };

  it('accepts a pull secret with auths for quay.io and registry.redhat.io', () => {
    expect(pullSecretProblems(secret(full), 'ps.json', check)).toEqual([]);
  });

  it('without required registries only asks for JSON with auths (a mirror registry is enough)', () => {
    expect(pullSecretProblems(secret({ 'mirror.example.com:5000': { auth: 'eDp5' } }), 'ps.json')).toEqual([]);
  });

  it('names each missing registry and an entry without a token, never the content', () => {
    const problems = pullSecretProblems(secret({ 'quay.io': { email: 'c2VjcmV0OjE=' } }), 'ps.json', check);
    expect(problems).toEqual([
      'ps.json: the "auths" entry for quay.io has no "auth" token: it must be the pull secret exactly as downloaded from console.redhat.com',
      'ps.json has no credentials for registry.redhat.io in "auths": it must be the pull secret exactly as downloaded from console.redhat.com',
    ]);
    expect(problems.join()).not.toContain('c2VjcmV0');
  });

  it('refuses text that is not JSON, and JSON without auths', () => {
    expect(pullSecretProblems('{"auths": {"quay.io": c2VjcmV0', 'ps.json', check)).toEqual([
      'ps.json is not JSON: it must be the pull secret exactly as downloaded from console.redhat.com',
    ]);
    expect(pullSecretProblems('[]', 'ps.json')).toEqual([
      'ps.json has no "auths" object: it must be the pull secret exactly as downloaded from console.redhat.com',
    ]);
  });
});
