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
 * start, stop, status and env are those of every background service of the sandbox (../detached/detached.ts).
 */
import { runServiceCli } from '../detached/detached.ts';
import { EMULATOR_SERVICE, ensureMotoServer, resetEmulator, startDetached } from './emulator.ts';

runServiceCli({
  service: EMULATOR_SERVICE,
  start: () => startDetached(),
  verbs: {
    reset: async (running) => {
      await resetEmulator((await running()).endpoint);
      process.stderr.write('aws-emulator: state cleared\n');
    },
    install: async () => {
      const binary = await ensureMotoServer();
      process.stdout.write(`${binary.path}\n`);
    },
  },
});
