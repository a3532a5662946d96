/*
 * Ctrl-C while a step runs: the child tool gets the signal from the terminal too (same process group) and execa
 * kills it if it lingers; what is registered here removes the step's half-written output before we exit, so that
 * no later run (nor Nx's cache) can take it for finished.
 */

type Cleanup = () => void;

const cleanups = new Set<Cleanup>();
let installed = false;

function onSignal(signal: NodeJS.Signals): void {
  for (const cleanup of [...cleanups].reverse()) {
    try {
      cleanup();
    } catch {
      // Best effort: keep cleaning up the rest.
    }
  }
  process.stderr.write(`\ninterrupted (${signal}); removed the unfinished output of this step\n`);
  process.exit(signal === 'SIGINT' ? 130 : 143);
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
