/** The phases of `openshift-install create cluster`, recognised from its log lines, quoted by logrus or not. */
const PHASES: [RegExp, string][] = [
  [/Creating infrastructure resources/, 'creating infrastructure'],
  [/Waiting up to \S+ .*for the Kubernetes API/, 'waiting for the Kubernetes API'],
  [/Waiting up to \S+ .*for bootstrapping to complete/, 'bootstrapping'],
  [/Destroying the bootstrap resources/, 'destroying the bootstrap resources'],
  [/Waiting up to \S+ .*for the cluster .* to initialize/, 'waiting for the cluster to initialize'],
  [/Install complete!/, 'install complete'],
];

export function formatElapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s % 60}s`;
}

/** Turns installer lines into phase changes with the elapsed time, e.g. `[phase 3/6 +4m12s] bootstrapping`. */
export class InstallProgress {
  private readonly started: number;
  private current = -1;
  readonly consoleUrl: { value?: string } = {};

  constructor(now = Date.now()) {
    this.started = now;
  }

  /** The phase line to print for this installer line, if it starts a new phase. */
  line(text: string, now = Date.now()): string | undefined {
    // On stderr the message is never quoted; where logrus quotes it (.openshift_install.log, installers before
    // DisableQuote) the URL is followed by the message's closing quote. Neither form has quotes inside the URL.
    const url = /Access the OpenShift web-console here: (\S+)/.exec(text)?.[1];
    if (url) this.consoleUrl.value = url.replace(/"$/, '');
    const index = PHASES.findIndex(([re]) => re.test(text));
    if (index < 0 || index === this.current) return undefined;
    this.current = index;
    return `[phase ${index + 1}/${PHASES.length} +${formatElapsed(now - this.started)}] ${PHASES[index]![1]}`;
  }

  elapsed(now = Date.now()): string {
    return formatElapsed(now - this.started);
  }
}
