/*
 * Ctrl-C while a step runs: the child tool gets the signal from the terminal too (same process group) and execa
 * kills it if it lingers; what is registered here removes the step's half-written output before we exit, so that
 * no later run (nor Nx's cache) can take it for finished.
 */

/** Synchronous, or a promise the exit waits for (at most CLEANUP_WAIT_MS): releasing a lock in S3 is a request. */
type Cleanup = () => unknown;

const CLEANUP_WAIT_MS = 5000;

const cleanups = new Set<Cleanup>();
let installed = false;

function onSignal(signal: NodeJS.Signals): void {
  const pending: Promise<unknown>[] = [];
  for (const cleanup of [...cleanups].reverse()) {
    try {
      const done = cleanup();
      // Best effort: a cleanup that fails does not keep the process from exiting.
      if (done instanceof Promise) pending.push(done.catch(() => undefined));
    } catch {
      // Best effort: keep cleaning up the rest.
    }
  }
  process.stderr.write(`\ninterrupted (${signal}); removed the unfinished output of this step\n`);
  const exit = () => process.exit(signal === 'SIGINT' ? 130 : 143);
  if (!pending.length) exit();
  const timeout = new Promise((resolve) => setTimeout(resolve, CLEANUP_WAIT_MS));
  void Promise.race([Promise.all(pending), timeout]).then(exit);
}

/** Runs `cleanup` if the process is interrupted before `release()` is called. */
export function onInterrupt(cleanup: Cleanup): () => void {
  if (!installed) {
    installed = true;
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
  };
}
