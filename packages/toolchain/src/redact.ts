/*
 * Every line a tool prints passes through a Redactor before it reaches the terminal (which Nx caches) or a log file.
 */

export const REDACTED = '[REDACTED]';

const PEM_BEGIN = /-----BEGIN [A-Z0-9 ]+-----/;
const PEM_END = /-----END [A-Z0-9 ]+-----/;
/** openshift-install prints `Login to the console with user: "kubeadmin", and password: "xxxxx-xxxxx-xxxxx-xxxxx"`. */
const PASSWORD = /(password"?\s*[:=]\s*"?)[^"\s]{4,}/gi;
/** A docker auth entry (`"auth": "base64"`) anywhere: a pull secret or a piece of one. */
const AUTH_FIELD = /("auth"\s*:\s*")[^"]+(")/g;

export class Redactor {
  private readonly secrets: string[] = [];
  private inPem = false;

  constructor(secrets: Iterable<string> = []) {
    for (const s of secrets) this.add(s);
  }

  /** Adds a secret value, and the forms in which tools print it (base64, and each line of a multi-line one). */
  add(secret: string | undefined): this {
    if (!secret) return this;
    const forms = [secret, secret.trim(), Buffer.from(secret).toString('base64'), ...secret.split('\n')];
    for (const form of forms) {
      // Very short fragments (a `{` line of a JSON file) are not secrets and would shred the output.
      if (form.trim().length >= 8 && !this.secrets.includes(form)) this.secrets.push(form);
    }
    // Longest first, so that a secret is not half-replaced by a shorter one it contains.
    this.secrets.sort((a, b) => b.length - a.length);
    return this;
  }

  /** Adds a pull secret: the whole text, and every registry auth in it. */
  addPullSecret(text: string | undefined): this {
    if (!text) return this;
    this.add(text);
    try {
      const parsed = JSON.parse(text) as { auths?: Record<string, { auth?: string; password?: string }> };
      for (const entry of Object.values(parsed.auths ?? {})) {
        this.add(entry.auth);
        this.add(entry.password);
      }
    } catch {
      // Not JSON: the whole text is already redacted.
    }
    return this;
  }

  /** One line of output, redacted. Stateful: lines inside a PEM block are dropped until its END line. */
  line(text: string): string {
    if (this.inPem) {
      if (PEM_END.test(text)) this.inPem = false;
      return REDACTED;
    }
    if (PEM_BEGIN.test(text)) {
      if (!PEM_END.test(text.slice(text.search(PEM_BEGIN)))) this.inPem = true;
      return text.replace(/-----BEGIN [\s\S]*$/, `${REDACTED} (PEM block)`);
    }
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join(REDACTED);
    return out.replace(PASSWORD, `$1${REDACTED}`).replace(AUTH_FIELD, `$1${REDACTED}$2`);
  }

  /** A whole text, line by line. */
  text(text: string): string {
    return text
      .split('\n')
      .map((l) => this.line(l))
      .join('\n');
  }
}
