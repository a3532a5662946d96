/*
 * The sandbox's update service from the command line: the loopback graph of ./service.ts, detached, serving the
 * channels of the stand-ins' releases (tools/stand-ins/src/releases.ts) with their payloads by digest, so that an
 * `X.Y` openshift.version pins to a release the stand-ins know.
 *
 *   node tools/update-service/run.ts start    start it detached (or find the running one); prints its URL
 *   node tools/update-service/run.ts env      prints `export OCP_STS_UPDATE_SERVICE=<url>`
 *   node tools/update-service/run.ts status   prints the URL and exits 0 when running, else exits 1
 *   node tools/update-service/run.ts stop     stops it
 *
 * The state (pid, URL) and the service's log live in tools/update-service/.state/ (UPDATE_SERVICE_STATE_DIR).
 * These verbs are those of every background service of the sandbox (../detached/detached.ts).
 */
import { join } from 'node:path';
import { UPDATE_SERVICE_ENV } from '../../packages/installer/src/release/update-service.ts';
import { runServiceCli, startDetached, type BackgroundService, type ServiceState } from '../detached/detached.ts';
import { updateGraph } from '../stand-ins/src/releases.ts';
import { SERVICE_SCRIPT, type Channels } from './service.ts';

interface State extends ServiceState {
  url: string;
}

/**
 * Every channel of the stand-ins' releases with its update edges (releases.ts updateGraph), each release with the
 * payload by digest that the stand-ins resolve.
 */
export function standInChannels(): Channels {
  const channels: Channels = {};
  for (const [name, channel] of Object.entries(updateGraph())) {
    channels[name] = {
      releases: channel.releases.map((release) => ({ version: release.version, payload: release.digestPullSpec })),
      edges: channel.edges,
    };
  }
  return channels;
}

/** True when the graph answers at `url`, whatever it answers (a channel it does not serve: 404). */
async function isAnswering(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}?channel=none`, { signal: AbortSignal.timeout(2000) });
    await response.body?.cancel();
    return true;
  } catch {
    return false;
  }
}

const UPDATE_SERVICE: BackgroundService<State> = {
  name: 'update-service',
  stateDir: (env) => env.UPDATE_SERVICE_STATE_DIR ?? join(import.meta.dirname, '.state'),
  stateFile: 'update-service.json',
  logFile: 'update-service.log',
  commandMarker: SERVICE_SCRIPT,
  address: (state) => state.url,
  isAnswering,
  exports: (state) => ({ [UPDATE_SERVICE_ENV]: state.url }),
  details: () => `channels ${Object.keys(standInChannels()).join(', ')}`,
};

if (import.meta.filename === process.argv[1]) {
  runServiceCli({
    service: UPDATE_SERVICE,
    start: () =>
      startDetached(UPDATE_SERVICE, {
        program: 'the update service',
        command: process.execPath,
        args: ['--no-warnings', SERVICE_SCRIPT, JSON.stringify(standInChannels())],
        ready: (log) => /^listening on (\S+)\n/m.exec(log)?.[1],
        state: (base, url) => ({ ...base, url }),
      }),
  });
}
