/*
 * Stand-in for `openshift-install` (openshift/installer; AWS, manual-STS flow): version, create manifests, create
 * cluster, wait-for bootstrap-complete / install-complete, destroy cluster, with the real installer's files,
 * formats, exit codes and key log lines; nothing is provisioned and nothing waits unless STANDIN_SLOW asks. This file
 * parses the command line; one module per subcommand under openshift-install/: version.ts, create-manifests.ts,
 * create-cluster.ts, wait-for.ts, destroy.ts (with log.ts, state.ts and steps.ts shared by them). What it imitates
 * and where it deviates: tools/stand-ins/README.md.
 */
import { normalize } from 'node:path';
import { parseArgs } from 'node:util';
import { createCluster } from './openshift-install/create-cluster.ts';
import { createManifests } from './openshift-install/create-manifests.ts';
import { destroyCluster } from './openshift-install/destroy.ts';
import { EXIT, Exit, Logger } from './openshift-install/log.ts';
import { step } from './openshift-install/steps.ts';
import { builtRelease, version } from './openshift-install/version.ts';
import { waitForBootstrapComplete, waitForInstallComplete } from './openshift-install/wait-for.ts';

const USAGE = `Creates OpenShift clusters

Usage:
  openshift-install [command]

Available Commands:
  create      Create part of an OpenShift cluster
  destroy     Destroy part of an OpenShift cluster
  version     Print version information
  wait-for    Wait for install-time events

Flags:
      --dir string         assets directory (default ".")
      --log-level string   log level (e.g. "debug | info | warn | error") (default "info")
`;

function usageError(message: string): never {
  process.stderr.write(`Error: ${message}\nRun 'openshift-install --help' for usage.\n`);
  throw new Exit(EXIT.fatal);
}

async function main(argv: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        dir: { type: 'string', default: '.' },
        'log-level': { type: 'string', default: 'info' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return usageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const command = positionals.join(' ');
  if (values.help || command === '' || command === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  const log = new Logger(values['log-level']);
  const release = builtRelease(log);
  if (command === 'version') {
    await step(log, 'version', EXIT.fatal, () => 'failed to print the version');
    version(release);
    return;
  }
  const known = [
    'create manifests',
    'create cluster',
    'wait-for install-complete',
    'wait-for bootstrap-complete',
    'destroy cluster',
  ];
  if (!known.includes(command)) return usageError(`unknown command "${command}" for "openshift-install"`);

  const dir = normalize(values.dir);
  log.attach(dir);
  log.debug(`OpenShift Installer ${release.version}`);
  log.debug(`Built from commit ${release.installerCommit}`);
  // SIGINT/SIGTERM end the run with the installer's "interrupted" exit code (a second signal changes nothing).
  const interrupted = () => {
    try {
      log.error('Received interrupt signal');
      log.fatal('interrupted', EXIT.interrupted);
    } catch (error) {
      process.exit(error instanceof Exit ? error.code : EXIT.fatal);
    }
  };
  process.on('SIGINT', interrupted);
  process.on('SIGTERM', interrupted);

  switch (command) {
    case 'create manifests':
      return createManifests(dir, log, release);
    case 'create cluster':
      return createCluster(dir, log, release);
    case 'wait-for install-complete':
      return waitForInstallComplete(dir, log);
    case 'wait-for bootstrap-complete':
      return waitForBootstrapComplete(dir, log);
    case 'destroy cluster':
      return destroyCluster(dir, log);
  }
}

try {
  await main(process.argv.slice(2));
  process.exit(0);
} catch (error) {
  if (error instanceof Exit) process.exit(error.code);
  process.stderr.write(`level=fatal msg=${(error as Error).stack ?? String(error)}\n`);
  process.exit(EXIT.fatal);
}
