/*
 * Fault injection shared by the stand-ins, so that tests can make any step of any tool fail or be slow:
 *
 *   STANDIN_FAIL="openshift-install:create-manifests:3,ccoctl:create-all"   exit code (default 1) at that step
 *   STANDIN_SLOW="openshift-install:create-cluster:5000"                    sleep that many ms first
 *
 * A step name is the subcommand with spaces as hyphens (`create-manifests`, `release-extract`, `create-all`).
 * STANDIN_FAIL may also name a lasting condition (injectedCondition), e.g. `oc:update-stall`.
 */

export type Tool = 'openshift-install' | 'oc' | 'ccoctl';

interface Fault {
  tool: string;
  step: string;
  value: number | undefined;
}

function parseFaults(spec: string | undefined): Fault[] {
  return (spec ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [tool = '', step = '', value] = entry.split(':');
      return { tool, step, value: value === undefined ? undefined : Number(value) };
    });
}

function find(spec: string | undefined, tool: Tool, step: string): Fault | undefined {
  return parseFaults(spec).find((f) => f.tool === tool && (f.step === step || f.step === '*'));
}

/** The exit code a test asked this step to fail with, if any. */
export function injectedFailure(tool: Tool, step: string, env = process.env): number | undefined {
  const fault = find(env.STANDIN_FAIL, tool, step);
  if (!fault) return undefined;
  return fault.value === undefined || Number.isNaN(fault.value) ? 1 : fault.value;
}

/**
 * Whether STANDIN_FAIL names this condition of a tool exactly (`tool:name`, any code ignored): a lasting state
 * rather than a failing step, such as `oc:update-stall` (the sandbox cluster's update stalls). `*` does not match
 * it, so a test that fails every step of a tool does not also change what the tool finds.
 */
export function injectedCondition(tool: Tool, name: string, env = process.env): boolean {
  return parseFaults(env.STANDIN_FAIL).some((f) => f.tool === tool && f.step === name);
}

/** The delay in ms a test asked this step to take, if any. */
export function injectedDelay(tool: Tool, step: string, env = process.env): number {
  const fault = find(env.STANDIN_SLOW, tool, step);
  return fault?.value && !Number.isNaN(fault.value) ? fault.value : 0;
}

/**
 * Applies the faults for a step: waits when asked to be slow, then, when asked to fail, calls `fail` with the exit
 * code (the tool prints its own kind of fatal line and exits).
 */
export async function applyFaults(tool: Tool, step: string, fail: (code: number) => never): Promise<void> {
  const delay = injectedDelay(tool, step);
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  const code = injectedFailure(tool, step);
  if (code !== undefined) fail(code);
}
