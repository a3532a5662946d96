/*
 * Every line a tool prints passes through a Redactor before it reaches the terminal (which Nx caches) or a log file.
 * It works on one line at a time, as the lines stream in: secrets it was given, PEM blocks, and values after a
 * password or auth key, which it then also treats as given.
 */

export const REDACTED = '[REDACTED]';

const PEM_BEGIN = /-----BEGIN [A-Z0-9 ]+-----/;
const PEM_END = /-----END [A-Z0-9 ]+-----/;
/**
 * Secret values that follow a key: group 1 is the key and its separator, group 2 the value's opening quote if it has
 * one. A quote may come with the backslashes that escape it inside a quoted string, because the same text appears
 * quoted once more: openshift-install prints `Login to the console with user: "kubeadmin", and password: "x"` on
 * stderr, and its `.openshift_install.log` holds it Go-quoted by logrus as `msg="… password: \"x\""`. JSON
 * (`"password":"x"`), YAML and logfmt (`password: x`, `password=x`) take the same path.
 */
const SECRET_KEYS = [
  /(password(?:\\*["'])?\s*[:=]\s*)(\\*["'])?/gi,
  // A docker auth entry (`"auth": "base64"`) anywhere: a pull secret or a piece of one. Only as a quoted JSON key:
  // a bare `auth` is in too many ordinary lines (auth/kubeconfig).
  /(\\*"auth\\*"\s*:\s*)(\\*")?/g,
];
/** Where an unquoted value ends. */
const UNQUOTED_VALUE = /^[^\s"',;{}[\]]*/;

/** Where a value opened by `quote` ends: at the same quote not escaped once more, else at the end of the line. */
function closingQuote(text: string, from: number, quote: string): number {
  for (let at = text.indexOf(quote, from); at >= 0; at = text.indexOf(quote, at + 1)) {
    if (text[at - 1] !== '\\') return at;
  }
  return text.length;
}

/** `text` with the value after each match of `key` redacted; `seen` is told each value. */
function redactValues(text: string, key: RegExp, seen: (value: string) => void): string {
  let out = '';
  let from = 0;
  for (const match of text.matchAll(key)) {
    if (match.index < from) continue; // inside a value already redacted
    const start = match.index + match[0].length;
    const quote = match[2];
    const end = quote ? closingQuote(text, start, quote) : start + UNQUOTED_VALUE.exec(text.slice(start))![0].length;
    if (end === start) continue;
    seen(text.slice(start, end));
    out += text.slice(from, start) + REDACTED;
    from = end;
  }
  return out + text.slice(from);
}

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
    // A value seen after a key is a secret from now on, in whatever line it shows up next.
    const learn = (value: string) => {
      if (!value.includes(REDACTED)) this.add(value);
    };
    for (const key of SECRET_KEYS) out = redactValues(out, key, learn);
    return out;
  }

  /** A whole text, line by line. */
  text(text: string): string {
    return text
      .split('\n')
      .map((l) => this.line(l))
      .join('\n');
  }
}
