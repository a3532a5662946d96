/*
 * The installer's logging (logrus, non-terminal form): `level=<level> msg=<message>` on stderr from the chosen
 * level up, and every line, with a time, appended to <dir>/.openshift_install.log. Fatal ends the run with an exit
 * code of cmd/openshift-install.
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
    const line = `level=${level} msg=${message}`;
    if (LEVELS.indexOf(level) >= this.threshold) process.stderr.write(`${line}\n`);
    if (this.logFile) appendFileSync(this.logFile, `time="${new Date().toISOString()}" ${line}\n`);
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
