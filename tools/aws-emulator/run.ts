/*
 * The AWS emulator from the command line (on the workspace's pinned Node):
 *
 *   node tools/aws-emulator/run.ts start     start moto detached (or find the running one); prints the endpoint
 *   node tools/aws-emulator/run.ts env       prints shell exports for it:  eval "$(node tools/aws-emulator/run.ts env)"
 *   node tools/aws-emulator/run.ts status    prints the endpoint and exits 0 when running, else exits 1
 *   node tools/aws-emulator/run.ts reset     clears all of its state (POST /moto-api/reset)
 *   node tools/aws-emulator/run.ts stop      stops it
 *   node tools/aws-emulator/run.ts install   only creates the pinned virtualenv (e.g. to warm a CI machine)
 *
 * The state (pid, endpoint) and the server's log live in tools/aws-emulator/.state/ (AWS_EMULATOR_STATE_DIR).
 */
import {
  emulatorEnv,
  ensureMotoServer,
  isAnswering,
  isMotoProcess,
  readState,
  resetEmulator,
  startDetached,
  stopDetached,
  type DetachedState,
} from './emulator.ts';

const USAGE = 'usage: run.ts start | stop | status | env | reset | install';

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

async function running(): Promise<DetachedState | undefined> {
  const state = readState();
  if (state && isMotoProcess(state.pid) && (await isAnswering(state.endpoint))) return state;
  return undefined;
}

function notRunning(): never {
  process.stderr.write('aws-emulator: not running (start it with: node tools/aws-emulator/run.ts start)\n');
  process.exit(1);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (rest.length > 0) throw new Error(USAGE);
  switch (command) {
    case 'start': {
      const { state, alreadyRunning } = await startDetached();
      process.stderr.write(
        `aws-emulator: ${alreadyRunning ? 'already running' : 'started'} (pid ${state.pid}, ${state.motoServer}${state.originAccessIdentities ? ' with CloudFront origin access identities' : ' WITHOUT CloudFront origin access identities'}, log ${state.log})\n`,
      );
      process.stdout.write(`${state.endpoint}\n`);
      return;
    }
    case 'stop': {
      const stopped = await stopDetached();
      process.stderr.write(
        stopped ? `aws-emulator: stopped (pid ${stopped.pid})\n` : 'aws-emulator: was not running\n',
      );
      return;
    }
    case 'status': {
      const state = await running();
      if (!state) notRunning();
      process.stdout.write(`${state.endpoint}\n`);
      return;
    }
    case 'env': {
      const state = await running();
      if (!state) notRunning();
      for (const [key, value] of Object.entries(emulatorEnv(state.endpoint))) {
        process.stdout.write(`export ${key}=${shellQuote(value)}\n`);
      }
      return;
    }
    case 'reset': {
      const state = await running();
      if (!state) notRunning();
      await resetEmulator(state.endpoint);
      process.stderr.write('aws-emulator: state cleared\n');
      return;
    }
    case 'install': {
      const binary = await ensureMotoServer();
      process.stdout.write(`${binary.path}\n`);
      return;
    }
    default:
      throw new Error(USAGE);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`aws-emulator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
