/*
 * The service-account signing key pair (ccoctl's createKeys), and its copy for the installer: an RSA-4096 key in
 * `<out>/serviceaccount-signer.private` (PKCS#1 PEM) and `<out>/serviceaccount-signer.public` (SPKI PEM), reused when
 * the private file already exists; the private key copied to `<out>/tls/bound-service-account-signing-key.key`.
 * Private key files are written 0600.
 */
import { chmodSync, copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { log } from './log.ts';

export const PRIVATE_KEY_FILE = 'serviceaccount-signer.private';
export const PUBLIC_KEY_FILE = 'serviceaccount-signer.public';
export const TLS_DIR = 'tls';
export const INSTALLER_KEY_FILE = 'bound-service-account-signing-key.key';

export function createKeys(outputDir: string): void {
  const privateKeyPath = join(outputDir, PRIVATE_KEY_FILE);
  const publicKeyPath = join(outputDir, PUBLIC_KEY_FILE);
  if (existsSync(privateKeyPath)) {
    log(`Using existing RSA keypair found at ${privateKeyPath}`);
    return;
  }
  log('Generating RSA keypair');
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 4096,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  log(`Writing private key to ${privateKeyPath}`);
  writeFileSync(privateKeyPath, privateKey, { mode: 0o600 });
  log(`Writing public key to ${publicKeyPath}`);
  writeFileSync(publicKeyPath, publicKey, { mode: 0o644 });
}

/** Copies the private key to `<out>/tls/` for `openshift-install` (the step the seed's prototype forgot). */
export function copyPrivateKeyForInstaller(outputDir: string): void {
  const target = join(outputDir, TLS_DIR, INSTALLER_KEY_FILE);
  log(`Copying signing key for use by installer to ${target}`);
  copyFileSync(join(outputDir, PRIVATE_KEY_FILE), target);
  chmodSync(target, 0o600);
}
