import { InstallProgress } from './progress.ts';

/** `create cluster` on stderr (the hook's DisableQuote: unquoted), as the 4.16 installer prints it. */
const STDERR = [
  'level=info msg=Consuming Install Config from target directory',
  'level=info msg=Creating infrastructure resources...',
  'level=info msg=Waiting up to 20m0s (until 4:07AM UTC) for the Kubernetes API at https://api.c.example.com:6443...',
  'level=info msg=API v1.29.6+aba1e8d up',
  'level=info msg=Waiting up to 30m0s (until 4:17AM UTC) for bootstrapping to complete...',
  'level=info msg=Destroying the bootstrap resources...',
  'level=info msg=Waiting up to 40m0s (until 4:37AM UTC) for the cluster at https://api.c.example.com:6443 to initialize...',
  'level=info msg=Checking to see if there is a route at openshift-console/console...',
  'level=info msg=Install complete!',
  "level=info msg=To access the cluster as the system:admin user when using 'oc', run",
  'level=info msg=    export KUBECONFIG=/w/auth/kubeconfig',
  'level=info msg=Access the OpenShift web-console here: https://console-openshift-console.apps.c.example.com',
  'level=info msg=Login to the console with user: "kubeadmin", and password: "[REDACTED]"',
  'level=info msg=Time elapsed: 35m12s',
];

/** The same run as logrus quotes it: in .openshift_install.log, and on the stderr of installers before DisableQuote. */
function quoted(line: string): string {
  const [, level, message] = /^level=(\w+) msg=(.*)$/.exec(line)!;
  return `time="2026-11-30T03:47:29Z" level=${level} msg=${JSON.stringify(message)}`;
}

const PHASES = [
  '[phase 1/6 +1s] creating infrastructure',
  '[phase 2/6 +2s] waiting for the Kubernetes API',
  '[phase 3/6 +4s] bootstrapping',
  '[phase 4/6 +5s] destroying the bootstrap resources',
  '[phase 5/6 +6s] waiting for the cluster to initialize',
  '[phase 6/6 +8s] install complete',
];

function replay(lines: string[]): { phases: string[]; consoleUrl?: string } {
  const progress = new InstallProgress(0);
  const phases = lines.flatMap((line, i) => progress.line(line, i * 1000) ?? []);
  return { phases, consoleUrl: progress.consoleUrl.value };
}

describe('InstallProgress', () => {
  it('reads the phases and the console URL from the installer stderr', () => {
    expect(replay(STDERR)).toEqual({
      phases: PHASES,
      consoleUrl: 'https://console-openshift-console.apps.c.example.com',
    });
  });

  it('reads them as well from lines logrus quoted (no closing quote kept in the URL)', () => {
    const lines = STDERR.map(quoted);
    expect(lines[12]).toBe(
      'time="2026-11-30T03:47:29Z" level=info msg="Login to the console with user: \\"kubeadmin\\", and password: \\"[REDACTED]\\""',
    );
    expect(replay(lines)).toEqual({
      phases: PHASES,
      consoleUrl: 'https://console-openshift-console.apps.c.example.com',
    });
  });

  it('reports a phase once, and nothing for other lines', () => {
    const progress = new InstallProgress(0);
    expect(progress.line('level=info msg=Creating infrastructure resources...', 0)).toBeDefined();
    expect(progress.line('level=info msg=Creating infrastructure resources...', 0)).toBeUndefined();
    expect(progress.line('level=debug msg="Install complete is not said here"', 0)).toBeUndefined();
    expect(progress.consoleUrl.value).toBeUndefined();
  });
});
