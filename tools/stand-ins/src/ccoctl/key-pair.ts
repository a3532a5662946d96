/*
 * The service-account signing key pair (ccoctl's provisioning.CreateKeys, shared by `create-key-pair` and
 * `create-all`), and its copy for the installer: an RSA-4096 key in `<out>/serviceaccount-signer.private` (PKCS#1 PEM)
 * and `<out>/serviceaccount-signer.public` (SPKI PEM), reused when the private file already exists; the private key
 * then copied to `<out>/tls/bound-service-account-signing-key.key` in every case (a deferred step in ccoctl).
 *
 * Modes as ccoctl's: the key pair is made with Go's os.Create (0666 less the umask, so 0644 under the usual 022: the
 * private key is NOT owner-only, whoever runs ccoctl must restrict it); the installer's copy is opened 0600.
 */
import { copyFileSync, chmodSync, existsSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { log } from './log.ts';

export const PRIVATE_KEY_FILE = 'serviceaccount-signer.private';
export const PUBLIC_KEY_FILE = 'serviceaccount-signer.public';
export const TLS_DIR = 'tls';
export const INSTALLER_KEY_FILE = 'bound-service-account-signing-key.key';
/** os.Create's mode; the process umask applies, as for Go. */
const CREATE_MODE = 0o666;

/** Makes (or reuses) the key pair, then copies the private key for the installer. */
export function createKeys(outputDir: string): void {
  const privateKeyPath = join(outputDir, PRIVATE_KEY_FILE);
  const publicKeyPath = join(outputDir, PUBLIC_KEY_FILE);
  if (existsSync(privateKeyPath)) {
    log(`Using existing RSA keypair found at ${privateKeyPath}`);
  } else {
    log('Generating RSA keypair');
    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 4096,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    });
    log(`Writing private key to ${privateKeyPath}`);
    writeFileSync(privateKeyPath, privateKey, { mode: CREATE_MODE });
    log(`Writing public key to ${publicKeyPath}`);
    writeFileSync(publicKeyPath, publicKey, { mode: CREATE_MODE });
  }
  copyPrivateKeyForInstaller(outputDir);
}

/** Copies the private key to `<out>/tls/` for `openshift-install` (the step the bash prototype this tool replaces forgot). */
function copyPrivateKeyForInstaller(outputDir: string): void {
  const target = join(outputDir, TLS_DIR, INSTALLER_KEY_FILE);
  log('Copying signing key for use by installer');
  copyFileSync(join(outputDir, PRIVATE_KEY_FILE), target);
  chmodSync(target, 0o600);
}
