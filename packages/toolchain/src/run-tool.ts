import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { UserError } from './errors.ts';
import { exitMeaning } from './exit-codes.ts';
import { withLogLevel, type LogLevel } from './log-level.ts';
import { Redactor } from './redact.ts';
import { resolveTool, type ToolName } from './resolve.ts';

export interface RunToolOptions {
  tool: ToolName;
  args: string[];
  /** The Nx target this runs for, named in errors (`manifests`, `ccoctl`, ...). */
  target: string;
  /** Absolute path of the step's log, `.work/logs/<target>.log`; appended to, redacted. */
  logFile: string;
  /** Workspace root, to show paths relative to it. */
  workspaceRoot: string;
  redactor: Redactor;
  cwd?: string;
  /** Added to the inherited environment; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** Folders to look for the tool in before PATH. */
  binDirs?: (string | undefined)[];
  /** Print the tool's output on the terminal as it comes (default true). */
  echo?: boolean;
  /** Passed to the tool where it has a log-level flag (see log-level.ts); undefined: the step's own choice. */
  logLevel?: LogLevel;
  /** Sees every redacted line, e.g. to report progress. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

export interface ToolResult {
  /** Redacted. */
  stdout: string;
  /** Redacted. */
  stderr: string;
}

/** A tool that exited non-zero: names the target, the command, the exit code and its meaning, and the log. */
export class ToolFailedError extends UserError {
  readonly target: string;
  readonly exitCode: number | undefined;
  constructor(message: string, target: string, exitCode: number | undefined) {
    super(message);
    this.name = 'ToolFailedError';
    this.target = target;
    this.exitCode = exitCode;
  }
}

const TAIL_LINES = 8;

/**
 * Runs openshift-install, oc or ccoctl. Output is streamed line by line through the redactor to the terminal and to
 * the step's log; a non-zero exit becomes a ToolFailedError. Secrets never leave this function unredacted.
 */
export async function runTool(options: RunToolOptions): Promise<ToolResult> {
  const { tool, target, logFile, redactor, echo = true } = options;
  const args = withLogLevel(tool, options.args, options.logLevel);
  const binary = resolveTool(tool, options.binDirs);
  mkdirSync(dirname(logFile), { recursive: true });
  const log = (text: string) => {
    appendFileSync(logFile, text, { mode: 0o600 });
  };
  // Paths inside the workspace are shown relative to it: shorter, and the same on every machine.
  const shown = `${tool} ${args.join(' ')}`.split(`${options.workspaceRoot}/`).join('');
  log(`\n# ${new Date().toISOString()} ${redactor.line(shown)}\n`);
  if (echo) process.stderr.write(`$ ${redactor.line(shown)}\n`);

  // Loaded here rather than at the top: an executor that runs no tool (render) then never loads execa, and Nx's
  // require() of executor modules never races an import() of this ESM-only package.
  const { execa } = await import('execa');
  const child = execa(binary, args, {
    cwd: options.cwd ?? options.workspaceRoot,
    env: options.env,
    extendEnv: true,
    stdin: 'ignore',
    buffer: false,
    reject: false,
    // The child gets Ctrl-C from the terminal itself; if it ignores SIGTERM from us, it is killed after 10 s.
    forceKillAfterDelay: 10_000,
  });

  const collected = { stdout: [] as string[], stderr: [] as string[] };
  const pump = (stream: NodeJS.ReadableStream | null, name: 'stdout' | 'stderr') =>
    new Promise<void>((resolve) => {
      if (!stream) {
        resolve();
        return;
      }
      const lines = createInterface({ input: stream, crlfDelay: Infinity });
      lines.on('line', (raw) => {
        const line = redactor.line(raw);
        collected[name].push(line);
        log(`${line}\n`);
        if (echo) (name === 'stdout' ? process.stdout : process.stderr).write(`${line}\n`);
        options.onLine?.(line, name);
      });
      lines.on('close', () => {
        resolve();
      });
    });
  await Promise.all([pump(child.stdout, 'stdout'), pump(child.stderr, 'stderr')]);
  const result = await child;

  if (result.failed) {
    const code = result.exitCode;
    const meaning = exitMeaning(tool, code, result.signal);
    const tail = collected.stderr.slice(-TAIL_LINES).join('\n  ');
    const logShown = relative(options.workspaceRoot, logFile);
    const firstFlag = args.findIndex((a) => a.startsWith('-'));
    const command = [tool, ...args.slice(0, firstFlag < 0 ? args.length : firstFlag)].join(' ');
    log(`# exited ${code ?? result.signal ?? '?'}: ${meaning}\n`);
    throw new ToolFailedError(
      `\`${command}\` exited ${code ?? result.signal ?? '?'} (${meaning}).` +
        (tail ? `\n  ${tail}` : '') +
        `\nFull log: ${logShown}`,
      target,
      code,
    );
  }
  return { stdout: collected.stdout.join('\n'), stderr: collected.stderr.join('\n') };
}
