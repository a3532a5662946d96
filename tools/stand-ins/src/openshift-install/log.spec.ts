/*
 * The installer stand-in's logging against logrus as cmd/openshift-install configures it: stderr unquoted and split
 * at newlines, .openshift_install.log with a time and every value quoted as logrus quotes it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../spec-helpers.ts';
import { goQuote, Logger, logfmtValue, rfc3339 } from './log.ts';

describe('goQuote', () => {
  it('quotes as Go strconv.Quote does', () => {
    // The example of Go's strconv.Quote documentation.
    expect(goQuote('"Fran & Freddie\'s Diner\t☺"')).toBe('"\\"Fran & Freddie\'s Diner\\t☺\\""');
    expect(goQuote('a\\b\nc\r\x07\x01\x7f')).toBe('"a\\\\b\\nc\\r\\a\\x01\\x7f"');
    expect(goQuote('\u00a0\u2028é😀')).toBe('"\\u00a0\\u2028é😀"');
    expect(goQuote('')).toBe('""');
  });
});

describe('logfmtValue', () => {
  it('leaves values of [A-Za-z0-9-._/@^+] bare and quotes any other', () => {
    expect(logfmtValue('info')).toBe('info');
    expect(logfmtValue('a-b.c_d/e@f^g+h')).toBe('a-b.c_d/e@f^g+h');
    expect(logfmtValue('Install complete!')).toBe('"Install complete!"');
    expect(logfmtValue('x:y')).toBe('"x:y"');
    expect(logfmtValue('Login to the console with user: "kubeadmin", and password: "AbCdE-fGhIj-KlMnO-pQrSt"')).toBe(
      '"Login to the console with user: \\"kubeadmin\\", and password: \\"AbCdE-fGhIj-KlMnO-pQrSt\\""',
    );
  });
});

describe('rfc3339', () => {
  it('is Go time.RFC3339: seconds, and Z or the local offset', () => {
    const text = rfc3339(new Date('2026-11-30T03:47:29.123Z'));
    expect(text).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:Z|[+-]\d\d:\d\d)$/);
    if (new Date().getTimezoneOffset() === 0) expect(text).toBe('2026-11-30T03:47:29Z');
  });
});

describe('Logger', () => {
  let scratch: ReturnType<typeof tempDir>;
  beforeAll(() => {
    scratch = tempDir('installer-log-');
  });
  afterAll(() => {
    scratch.remove();
  });

  function captureStderr(body: () => void): string {
    const write = process.stderr.write.bind(process.stderr);
    let text = '';
    process.stderr.write = (chunk: string) => {
      text += chunk;
      return true;
    };
    try {
      body();
    } finally {
      process.stderr.write = write;
    }
    return text;
  }

  it('writes stderr unquoted, a line per line of the message, and the log file quoted with a time', () => {
    const log = new Logger('info');
    log.attach(scratch.path);
    const stderr = captureStderr(() => {
      log.debug('only in the file');
      log.info('Install complete!');
      log.info('Login to the console with user: "kubeadmin", and password: "AbCdE-fGhIj-KlMnO-pQrSt"');
      log.info("To access the cluster as the system:admin user when using 'oc', run\n    export KUBECONFIG=/x");
      log.warn('');
    });
    expect(stderr).toBe(
      [
        'level=info msg=Install complete!',
        'level=info msg=Login to the console with user: "kubeadmin", and password: "AbCdE-fGhIj-KlMnO-pQrSt"',
        "level=info msg=To access the cluster as the system:admin user when using 'oc', run",
        'level=info msg=    export KUBECONFIG=/x',
        'level=warning',
        '',
      ].join('\n'),
    );
    const lines = readFileSync(join(scratch.path, '.openshift_install.log'), 'utf8').trimEnd().split('\n');
    const time = /^time="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:Z|[+-]\d\d:\d\d)" /;
    for (const line of lines) expect(line).toMatch(time);
    expect(lines.map((line) => line.replace(time, ''))).toEqual([
      'level=debug msg="only in the file"',
      'level=info msg="Install complete!"',
      'level=info msg="Login to the console with user: \\"kubeadmin\\", and password: \\"AbCdE-fGhIj-KlMnO-pQrSt\\""',
      'level=info msg="To access the cluster as the system:admin user when using \'oc\', run\\n    export KUBECONFIG=/x"',
      'level=warning',
    ]);
  });
});
