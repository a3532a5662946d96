import { UserError } from './errors.ts';
import type { ToolName } from './resolve.ts';

/** The levels of the `logLevel` option, openshift-install's names for them. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
/** The level for every step that runs a tool; the executor option wins over it. */
export const LOG_LEVEL_ENV = 'OCP_STS_LOG_LEVEL';

/** The `logLevel` option of every executor that runs a tool. */
export interface LogLevelOption {
  logLevel?: LogLevel;
}

function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

/**
 * The level the tools run at: debug under `nx run … --verbose` (Nx sets NX_VERBOSE_LOGGING for the task), else the
 * option, else OCP_STS_LOG_LEVEL, else undefined (each step's own choice). --verbose wins because it is what the
 * user typed for this run, while an option usually sits in nx.json or project configuration.
 */
export function logLevelOf(option: string | undefined, env: NodeJS.ProcessEnv = process.env): LogLevel | undefined {
  if (env['NX_VERBOSE_LOGGING'] === 'true') return 'debug';
  const [source, value] = option !== undefined ? ['logLevel', option] : [LOG_LEVEL_ENV, env[LOG_LEVEL_ENV]];
  if (value === undefined || value === '') return undefined;
  if (!isLogLevel(value)) throw new UserError(`${source} is "${value}": expected one of ${LOG_LEVELS.join(', ')}`);
  return value;
}

/**
 * `args` with the level passed to the tool, where the tool has such a flag: openshift-install's `--log-level`
 * replaces the one a step wrote. ccoctl has no log-level flag, and oc's `-v`/`--loglevel` is a klog verbosity
 * number (at the high end it prints API requests and responses), not a level, so neither gets one.
 */
export function withLogLevel(tool: ToolName, args: readonly string[], level: LogLevel | undefined): string[] {
  if (tool !== 'openshift-install' || !level) return [...args];
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--log-level') i++;
    else if (!args[i]!.startsWith('--log-level=')) kept.push(args[i]!);
  }
  return [...kept, '--log-level', level];
}
