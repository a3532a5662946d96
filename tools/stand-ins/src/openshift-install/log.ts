/*
 * The installer's logging, as cmd/openshift-install sets up logrus (TextFormatter, stderr not a terminal):
 * - stderr, from the chosen level up: `level=<level> msg=<message>`, never quoted (the hook sets DisableQuote), one
 *   line per line of a multi-line message (the hook splits at newlines), no `msg=` for an empty one;
 * - <dir>/.openshift_install.log, every level: `time="<RFC 3339>" level=<level> msg=<message>`, each value quoted as
 *   logrus quotes it (Go's strconv.Quote as soon as it holds a byte outside [A-Za-z0-9-._/@^+]), one line per message.
 * Fatal ends the run with an exit code of cmd/openshift-install.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const LOG_FILE = '.openshift_install.log';

/** Exit codes of cmd/openshift-install. */
export const EXIT = {
  fatal: 1,
  installConfig: 3,
  infrastructure: 4,
  bootstrap: 5,
  install: 6,
  operators: 7,
  interrupted: 8,
};

export class Exit extends Error {
  readonly code: number;
  constructor(code: number) {
    super(`exit ${code}`);
    this.code = code;
  }
}

/** Bytes logrus writes unquoted; any other makes it quote the whole value. */
const BARE_VALUE = /^[A-Za-z0-9\-._/@^+]*$/;
/** What Go's strconv.IsPrint lets through unescaped: letters, marks, numbers, punctuation, symbols, ASCII space. */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
const SHORT_ESCAPES: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
};

/** Go's strconv.Quote. */
export function goQuote(text: string): string {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    // A lone surrogate is written to the file as U+FFFD, which is what Go would then see (and print as is).
    if (char === '"' || char === '\\') out += `\\${char}`;
    else if (code >= 0xd800 && code <= 0xdfff) out += '\ufffd';
    else if (PRINTABLE.test(char)) out += char;
    else if (SHORT_ESCAPES[char]) out += SHORT_ESCAPES[char];
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/** A value as logrus' TextFormatter writes it when quoting is not disabled. */
export function logfmtValue(text: string): string {
  return BARE_VALUE.test(text) ? text : goQuote(text);
}

/** Go's time.RFC3339 in local time, logrus' default timestamp: no fraction, `Z` or the zone offset. */
export function rfc3339(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const offset = -date.getTimezoneOffset();
  const zone =
    offset === 0
      ? 'Z'
      : `${offset > 0 ? '+' : '-'}${two(Math.floor(Math.abs(offset) / 60))}:${two(Math.abs(offset) % 60)}`;
  return (
    `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}` +
    `T${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}${zone}`
  );
}

/** `level=… msg=…`, without `msg=` when the message is empty (as logrus does). */
function entry(level: Level, message: string, value: (text: string) => string): string {
  return message === '' ? `level=${level}` : `level=${level} msg=${value(message)}`;
}

const LEVELS = ['debug', 'info', 'warning', 'error', 'fatal'] as const;
type Level = (typeof LEVELS)[number];

export class Logger {
  private readonly threshold: number;
  private logFile: string | undefined;

  constructor(level: string) {
    const normalised = level === 'warn' ? 'warning' : level;
    const index = LEVELS.indexOf(normalised as Level);
    if (index < 0) {
      process.stderr.write(`level=fatal msg=invalid log-level: not a valid logrus Level: "${level}"\n`);
      throw new Exit(EXIT.fatal);
    }
    this.threshold = index;
  }

  /** From now on every line is also appended to <dir>/.openshift_install.log (all levels, with a time). */
  attach(dir: string): void {
    mkdirSync(dir, { recursive: true });
    this.logFile = join(dir, LOG_FILE);
  }

  log(level: Level, message: string): void {
    if (LEVELS.indexOf(level) >= this.threshold) {
      process.stderr.write(
        message
          .split('\n')
          .map((part) => `${entry(level, part, (v) => v)}\n`)
          .join(''),
      );
    }
    if (this.logFile) {
      appendFileSync(this.logFile, `time=${logfmtValue(rfc3339(new Date()))} ${entry(level, message, logfmtValue)}\n`);
    }
  }

  debug(message: string): void {
    this.log('debug', message);
  }
  info(message: string): void {
    this.log('info', message);
  }
  warn(message: string): void {
    this.log('warning', message);
  }
  error(message: string): void {
    this.log('error', message);
  }
  fatal(message: string, code: number = EXIT.fatal): never {
    this.log('fatal', message);
    throw new Exit(code);
  }
}
