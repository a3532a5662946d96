import { UserError } from './errors.ts';
import { LOG_LEVEL_ENV, logLevelOf, withLogLevel } from './log-level.ts';

describe('logLevelOf', () => {
  it('takes --verbose, then the option, then OCP_STS_LOG_LEVEL, else leaves it to the step', () => {
    expect(logLevelOf(undefined, {})).toBeUndefined();
    expect(logLevelOf(undefined, { [LOG_LEVEL_ENV]: 'warn' })).toBe('warn');
    expect(logLevelOf('error', { [LOG_LEVEL_ENV]: 'warn' })).toBe('error');
    expect(logLevelOf('error', { [LOG_LEVEL_ENV]: 'warn', NX_VERBOSE_LOGGING: 'true' })).toBe('debug');
    expect(logLevelOf(undefined, { NX_VERBOSE_LOGGING: 'false' })).toBeUndefined();
  });

  it('refuses an unknown level, naming where it came from', () => {
    expect(() => logLevelOf(undefined, { [LOG_LEVEL_ENV]: 'trace' })).toThrow(
      new UserError('OCP_STS_LOG_LEVEL is "trace": expected one of debug, info, warn, error'),
    );
    expect(() => logLevelOf('loud', {})).toThrow(/^logLevel is "loud"/);
  });
});

describe('withLogLevel', () => {
  it("replaces openshift-install's --log-level in either spelling, or adds one", () => {
    expect(
      withLogLevel('openshift-install', ['create', 'cluster', '--log-level', 'info', '--dir', 'd'], 'warn'),
    ).toEqual(['create', 'cluster', '--dir', 'd', '--log-level', 'warn']);
    expect(withLogLevel('openshift-install', ['version', '--log-level=info'], 'debug')).toEqual([
      'version',
      '--log-level',
      'debug',
    ]);
    expect(withLogLevel('openshift-install', ['version'], undefined)).toEqual(['version']);
  });

  it('leaves ccoctl and oc alone', () => {
    expect(withLogLevel('ccoctl', ['aws', 'create-all'], 'debug')).toEqual(['aws', 'create-all']);
    expect(withLogLevel('oc', ['get', 'co'], 'debug')).toEqual(['get', 'co']);
  });
});
