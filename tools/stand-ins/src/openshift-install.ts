/*
 * Stand-in for `openshift-install` (AWS, manual-STS flow): version, create manifests, create cluster,
 * wait-for bootstrap-complete / install-complete, destroy cluster. Follows contracts/upstream-tools.md: same files,
 * formats, exit codes and key log lines; nothing is provisioned and nothing waits unless STANDIN_SLOW asks.
 * See tools/stand-ins/README.md.
 */
import { createHash, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import {
  appendFileSync,
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, normalize, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { applyFaults } from './faults.ts';
import {
  adminKubeconfig,
  clusterFacts,
  clusterMetadata,
  generateClusterID,
  generateKubeadminPassword,
  manifestFiles,
  type ClusterID,
  type KubeadminPassword,
} from './installer-assets.ts';
import {
  asObject,
  defaultInstallConfig,
  formatFieldErrors,
  InstallConfigParseError,
  parseInstallConfig,
  text,
  unknownFields,
  validateInstallConfig,
  withoutUnknownFields,
  type JsonObject,
} from './install-config.ts';
import { parseDocuments, toKubeYaml } from './kube-yaml.ts';
import { ARCHITECTURE, defaultRelease, resolveRelease, type Release } from './releases.ts';

const TOOL = 'openshift-install';
const STATE_FILE = '.openshift_install_state.json';
const LOG_FILE = '.openshift_install.log';
const SIGNING_KEY = 'tls/bound-service-account-signing-key.key';

/** Exit codes of cmd/openshift-install. */
const EXIT = { fatal: 1, installConfig: 3, infrastructure: 4, bootstrap: 5, install: 6, operators: 7, interrupted: 8 };

class Exit extends Error {
  readonly code: number;
  constructor(code: number) {
    super(`exit ${code}`);
    this.code = code;
  }
}

// --- logging --------------------------------------------------------------------------------------------------

const LEVELS = ['debug', 'info', 'warning', 'error', 'fatal'] as const;
type Level = (typeof LEVELS)[number];

class Logger {
  private readonly threshold: number;
  private logFile: string | undefined;

  constructor(level: string) {
    const normalised = level === 'warn' ? 'warning' : level;
    const index = LEVELS.indexOf(normalised as Level);
    if (index < 0) {
      process.stderr.write(`level=fatal msg=invalid log-level: not a valid logrus Level: "${level}"\n`);
      throw new Exit(EXIT.fatal);
    }
    this.threshold = index;
  }

  /** From now on every line is also appended to <dir>/.openshift_install.log (all levels, with a time). */
  attach(dir: string): void {
    mkdirSync(dir, { recursive: true });
    this.logFile = join(dir, LOG_FILE);
  }

  log(level: Level, message: string): void {
    const line = `level=${level} msg=${message}`;
    if (LEVELS.indexOf(level) >= this.threshold) process.stderr.write(`${line}\n`);
    if (this.logFile) appendFileSync(this.logFile, `time="${new Date().toISOString()}" ${line}\n`);
  }

  debug(message: string): void {
    this.log('debug', message);
  }
  info(message: string): void {
    this.log('info', message);
  }
  warn(message: string): void {
    this.log('warning', message);
  }
  error(message: string): void {
    this.log('error', message);
  }
  fatal(message: string, code: number = EXIT.fatal): never {
    this.log('fatal', message);
    throw new Exit(code);
  }
}

// --- the release this binary was "built" for ------------------------------------------------------------------

function builtRelease(log: Logger): Release {
  const image = process.env.STANDIN_RELEASE_IMAGE;
  if (!image) return defaultRelease();
  const release = resolveRelease(image);
  if (!release) return log.fatal(`STANDIN_RELEASE_IMAGE ${image} is not a release in the stand-in catalogue`);
  return release;
}

// --- state ----------------------------------------------------------------------------------------------------

interface AssetFile {
  Filename: string;
  Data: string;
}

interface StandInRecord {
  /** How create cluster got the service-account signing key: from tls/ or generated (the silent failure). */
  serviceAccountSigningKey?: 'consumed' | 'generated';
  serviceAccountSigningKeySha256?: string;
  serviceAccountIssuer?: string;
  manifestSecrets?: string[];
  consumedManifests?: string[];
  installPhase?: string;
}

interface State {
  '*installconfig.InstallConfig'?: { config: JsonObject; File: AssetFile };
  '*installconfig.ClusterID'?: ClusterID;
  '*password.KubeadminPassword'?: KubeadminPassword & { File: AssetFile };
  '*releaseimage.Image'?: { PullSpec: string };
  '*tls.BoundSASigningKey'?: { Generated: boolean; File: AssetFile };
  standIn?: StandInRecord;
}

function readState(dir: string): State {
  const file = join(dir, STATE_FILE);
  if (!existsSync(file)) return {};
  return JSON.parse(readFileSync(file, 'utf8')) as State;
}

function writeState(dir: string, state: State): void {
  writeFileSync(join(dir, STATE_FILE), JSON.stringify(state, null, 4), { mode: 0o640 });
}

function b64(text: string): string {
  return Buffer.from(text).toString('base64');
}

// --- helpers --------------------------------------------------------------------------------------------------

/** Whether STANDIN_FAIL names an exit code for this step (`tool:step:code`) rather than just the step. */
function explicitCode(name: string): boolean {
  const entry = (process.env.STANDIN_FAIL ?? '')
    .split(',')
    .map((e) => e.trim().split(':'))
    .find(([tool, stepName]) => tool === TOOL && (stepName === name || stepName === '*'));
  return entry?.[2] !== undefined;
}

/**
 * A fault-injection point (faults.ts): fails with the code STANDIN_FAIL gives, or with the code the real installer
 * uses for a failure at this step when it gives none.
 */
async function step(log: Logger, name: string, realCode: number, message: () => string): Promise<void> {
  await applyFaults(TOOL, name, (code) =>
    log.fatal(`${message()} (injected by STANDIN_FAIL)`, explicitCode(name) ? code : realCode),
  );
}

/** Go's time.Kitchen plus zone, as the installer prints the end of a wait. */
function until(minutes: number): string {
  const end = new Date(Date.now() + minutes * 60_000);
  const hours = end.getUTCHours();
  const h12 = hours % 12 === 0 ? 12 : hours % 12;
  return `${h12}:${String(end.getUTCMinutes()).padStart(2, '0')}${hours < 12 ? 'AM' : 'PM'} UTC`;
}

function elapsed(start: number): string {
  const seconds = Math.round((Date.now() - start) / 1000);
  return seconds >= 60 ? `${Math.floor(seconds / 60)}m${seconds % 60}s` : `${seconds}s`;
}

function writeFile(dir: string, relative: string, content: string, mode = 0o640): void {
  const file = join(dir, relative);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, content, { mode });
  chmodSync(file, mode);
}

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.(?:ya?ml|json)$/.test(name) && statSync(join(dir, name)).isFile())
    .sort();
}

// --- create manifests -----------------------------------------------------------------------------------------

interface Assets {
  state: State;
  config: JsonObject;
  clusterID: ClusterID;
}

/**
 * Loads the install-config (from the dir, else from the state), validates it, and writes manifests/, openshift/,
 * cluster-api/ and the state; deletes install-config.yaml. Shared by `create manifests` and `create cluster`.
 */
function generateManifests(dir: string, log: Logger, release: Release): Assets {
  const state = readState(dir);
  const file = join(dir, 'install-config.yaml');
  let config: JsonObject;
  let clusterID = state['*installconfig.ClusterID'];
  let password = state['*password.KubeadminPassword'];
  let installConfigFile = state['*installconfig.InstallConfig']?.File;
  const consumed = existsSync(file);
  if (consumed) {
    const text = readFileSync(file, 'utf8');
    const prefix = 'failed to fetch Master Machines: failed to load asset "Install Config"';
    let raw: JsonObject;
    try {
      raw = parseInstallConfig(text);
    } catch (error) {
      if (!(error instanceof InstallConfigParseError)) throw error;
      return log.fatal(
        `${prefix}: failed to create install config: failed to unmarshal install-config.yaml: ${error.message}`,
        EXIT.installConfig,
      );
    }
    const unknown = unknownFields(raw);
    if (unknown.length > 0) {
      log.warn(
        `failed to parse first occurrence of unknown field: failed to unmarshal install-config.yaml: error unmarshaling JSON: while decoding JSON: json: unknown field "${unknown[0] ?? ''}"`,
      );
      log.info('Attempting to unmarshal while ignoring unknown keys because strict unmarshaling failed');
    }
    const errors = validateInstallConfig(raw);
    if (errors.length > 0) {
      return log.fatal(
        `${prefix}: failed to create install config: invalid "install-config.yaml" file: ${formatFieldErrors(errors)}`,
        EXIT.installConfig,
      );
    }
    log.info('Consuming Install Config from target directory');
    config = defaultInstallConfig(withoutUnknownFields(raw));
    // An install-config that differs from the one in the state regenerates everything that depends on it.
    if (installConfigFile?.Data !== b64(text)) {
      clusterID = undefined;
      password = undefined;
    }
    installConfigFile = { Filename: 'install-config.yaml', Data: b64(text) };
  } else if (state['*installconfig.InstallConfig']) {
    config = state['*installconfig.InstallConfig'].config;
  } else {
    return log.fatal(
      'failed to fetch Master Machines: failed to fetch dependency of "Master Machines": failed to generate asset "Install Config": ' +
        `no install-config.yaml in ${dir} and no terminal to prompt on`,
    );
  }
  clusterID ??= generateClusterID(config);
  password ??= { ...generateKubeadminPassword(), File: { Filename: 'auth/kubeadmin-password', Data: '' } };
  password.File.Data = b64(password.Password);

  const files = manifestFiles({
    config,
    clusterID,
    password,
    release,
    awsCredentials: {
      accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'AKIASTANDINEXAMPLE00',
      secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'stand-in-secret-access-key',
    },
  });
  for (const [relative, object] of files) writeFile(dir, relative, toKubeYaml(object));

  state['*installconfig.InstallConfig'] = {
    config,
    File: installConfigFile ?? { Filename: 'install-config.yaml', Data: '' },
  };
  state['*installconfig.ClusterID'] = clusterID;
  state['*password.KubeadminPassword'] = password;
  state['*releaseimage.Image'] = { PullSpec: release.digestPullSpec };
  writeState(dir, state);
  if (consumed) unlinkSync(file);
  return { state, config, clusterID };
}

async function createManifests(dir: string, log: Logger, release: Release): Promise<void> {
  await step(log, 'create-manifests', EXIT.fatal, () => 'failed to fetch Master Machines');
  generateManifests(dir, log, release);
  log.info(
    `Manifests created in: ${join(dir, 'cluster-api')}, ${join(dir, 'manifests')} and ${join(dir, 'openshift')}`,
  );
}

// --- create cluster -------------------------------------------------------------------------------------------

interface Consumed {
  files: string[];
  secrets: string[];
  issuer: string | undefined;
}

/** Reads (and, like the installer's asset store, removes) the manifests the cluster is made from. */
function consumeManifests(dir: string, log: Logger): Consumed {
  const consumed: Consumed = { files: [], secrets: [], issuer: undefined };
  const groups: [string, string][] = [
    ['openshift', 'Openshift Manifests'],
    ['manifests', 'Common Manifests'],
    ['cluster-api', 'Cluster API Manifests'],
  ];
  for (const [folder, name] of groups) {
    const files = yamlFiles(join(dir, folder));
    if (files.length === 0) continue;
    log.info(`Consuming ${name} from target directory`);
    for (const relative of files) {
      const path = join(dir, folder, relative);
      consumed.files.push(`${folder}/${relative}`);
      let documents: unknown[] = [];
      try {
        documents = parseDocuments(readFileSync(path, 'utf8'));
      } catch (error) {
        log.fatal(
          `failed to fetch Cluster: failed to load asset "${name}": failed to unmarshal ${folder}/${relative}: ${(error as Error).message}`,
        );
      }
      for (const doc of documents) {
        const object = asObject(doc);
        const metadata = asObject(object?.metadata);
        if (object?.kind === 'Secret' && metadata && folder === 'manifests') {
          consumed.secrets.push(`${text(metadata.namespace)}/${text(metadata.name)}`);
        }
        if (object?.kind === 'Authentication') {
          const issuer = asObject(object.spec)?.serviceAccountIssuer;
          if (typeof issuer === 'string' && issuer) consumed.issuer = issuer;
        }
      }
    }
    rmSync(join(dir, folder), { recursive: true, force: true });
  }
  return consumed;
}

/**
 * The bound service-account signing key: the one in tls/ (from ccoctl), else the one an earlier run recorded in the
 * state, else a new one, which is the silent failure.
 */
function signingKey(dir: string, log: Logger, state: State): { generated: boolean; pem: string } {
  const file = join(dir, SIGNING_KEY);
  const recorded = state['*tls.BoundSASigningKey'];
  if (existsSync(file)) {
    log.info('Consuming Bound Service Account Signing Key from target directory');
    const pem = readFileSync(file, 'utf8');
    try {
      createPrivateKey(pem);
    } catch (error) {
      log.fatal(
        `failed to fetch Cluster: failed to load asset "Bound Service Account Signing Key": failed to parse ${SIGNING_KEY}: ${(error as Error).message}`,
      );
    }
    rmSync(file);
    if (readdirSync(join(dir, 'tls')).length === 0) rmSync(join(dir, 'tls'), { recursive: true });
    return { generated: false, pem };
  }
  if (recorded) return { generated: recorded.Generated, pem: Buffer.from(recorded.File.Data, 'base64').toString() };
  log.warn(
    `${SIGNING_KEY} not found: generating a new service-account signing key. Tokens signed with it will not ` +
      'validate against an OIDC provider created by ccoctl (the install would fail with InvalidIdentityToken); ' +
      "copy ccoctl's tls/ into the installer directory before create cluster",
  );
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { generated: true, pem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString() };
}

function logComplete(dir: string, log: Logger, config: JsonObject, password: string | undefined): void {
  const facts = clusterFacts(config);
  log.info('Checking to see if there is a route at openshift-console/console...');
  log.info('Install complete!');
  log.info(
    `To access the cluster as the system:admin user when using 'oc', run 'export KUBECONFIG=${resolve(dir, 'auth', 'kubeconfig')}'`,
  );
  log.info(`Access the OpenShift web-console here: ${facts.consoleURL}`);
  // Yes, the real installer prints the password (and writes it to .openshift_install.log): callers must redact it.
  if (password !== undefined) log.info(`Login to the console with user: "kubeadmin", and password: "${password}"`);
}

async function waitForCluster(log: Logger, config: JsonObject): Promise<void> {
  const facts = clusterFacts(config);
  log.info(`Waiting up to 40m0s (until ${until(40)}) for the cluster at ${facts.apiURL} to initialize...`);
  await step(log, 'install-complete', EXIT.install, () => {
    log.error(
      'Cluster operator authentication Degraded is True with OAuthServerRouteEndpointAccessibleController_SyncError',
    );
    log.error('Cluster initialization failed because one or more operators are not functioning properly.');
    return 'failed to initialize the cluster: Cluster operators authentication, console are not available';
  });
  await step(
    log,
    'operators-stable',
    EXIT.operators,
    () => 'failed to wait for operators to become stable: Cluster operators are not stable',
  );
}

async function createCluster(dir: string, log: Logger, release: Release): Promise<void> {
  const start = Date.now();
  await step(log, 'create-cluster', EXIT.fatal, () => 'failed to fetch Cluster');
  let state = readState(dir);
  if (!state['*installconfig.ClusterID'] || existsSync(join(dir, 'install-config.yaml'))) {
    if (!state['*installconfig.ClusterID'] && !existsSync(join(dir, 'install-config.yaml'))) {
      log.fatal(
        'failed to fetch Cluster: failed to fetch dependency of "Cluster": failed to generate asset "Install Config": ' +
          `no install-config.yaml and no installer state in ${dir} and no terminal to prompt on`,
      );
    }
    state = generateManifests(dir, log, release).state;
  }
  const config = state['*installconfig.InstallConfig']!.config;
  const clusterID = state['*installconfig.ClusterID']!;
  const password = state['*password.KubeadminPassword'];
  const facts = clusterFacts(config);

  const consumed = consumeManifests(dir, log);
  const key = signingKey(dir, log, state);
  const record: StandInRecord = {
    serviceAccountSigningKey: key.generated ? 'generated' : 'consumed',
    serviceAccountSigningKeySha256: createHash('sha256').update(key.pem).digest('hex'),
    ...(consumed.issuer ? { serviceAccountIssuer: consumed.issuer } : {}),
    manifestSecrets: consumed.secrets,
    consumedManifests: consumed.files,
    installPhase: 'infrastructure',
  };
  state['*tls.BoundSASigningKey'] = { Generated: key.generated, File: { Filename: SIGNING_KEY, Data: b64(key.pem) } };
  state.standIn = record;
  writeState(dir, state);

  // Written before provisioning, as the installer does, so that destroy works after a failed install.
  writeFile(dir, 'metadata.json', clusterMetadata(config, clusterID));
  writeFile(dir, 'auth/kubeconfig', toKubeYaml(adminKubeconfig(config, clusterID)), 0o600);
  if (password) writeFile(dir, 'auth/kubeadmin-password', password.Password, 0o600);

  const phase = (name: string) => {
    record.installPhase = name;
    writeState(dir, state);
  };
  log.info('Creating infrastructure resources...');
  await step(log, 'infrastructure', EXIT.infrastructure, () => {
    log.error(
      `failed to fetch Cluster: failed to generate asset "Cluster": failed to create cluster: failed provisioning resources for ${clusterID.InfraID}`,
    );
    return 'failed to create infrastructure';
  });
  log.info(`Waiting up to 20m0s (until ${until(20)}) for the Kubernetes API at ${facts.apiURL}...`);
  log.info('API v1.29.6+aba1e8d up');
  phase('bootstrap');
  log.info(`Waiting up to 30m0s (until ${until(30)}) for bootstrapping to complete...`);
  await step(log, 'bootstrap', EXIT.bootstrap, () => {
    log.error('Bootstrap failed to complete: timed out waiting for the condition');
    log.info(`Bootstrap gather logs captured here "${resolve(dir, 'log-bundle-standin.tar.gz')}"`);
    return 'Bootstrap failed to complete';
  });
  log.info('Destroying the bootstrap resources...');
  phase('install-complete');
  await waitForCluster(log, config);
  phase('complete');
  logComplete(dir, log, config, password?.Password);
  log.info(`Time elapsed: ${elapsed(start)}`);
}

// --- wait-for -------------------------------------------------------------------------------------------------

interface Kubeconfig {
  server: string;
}

function readKubeconfig(dir: string, log: Logger): Kubeconfig {
  const file = join(dir, 'auth', 'kubeconfig');
  if (!existsSync(file)) log.fatal(`loading kubeconfig: stat ${file}: no such file or directory`);
  const doc = asObject(parseDocuments(readFileSync(file, 'utf8'))[0]);
  const clusters = doc?.clusters;
  const server = Array.isArray(clusters) ? asObject(asObject(clusters[0])?.cluster)?.server : undefined;
  if (typeof server !== 'string') return log.fatal(`loading kubeconfig: ${file} has no cluster server`);
  return { server };
}

/** The install-config facts behind a kubeconfig's server URL (https://api.<name>.<baseDomain>:6443). */
function configFromServer(server: string): JsonObject {
  const host = new URL(server).hostname.replace(/^api\./, '');
  const [name = '', ...domain] = host.split('.');
  return { metadata: { name }, baseDomain: domain.join('.'), platform: { aws: { region: '' } } };
}

async function waitForInstallComplete(dir: string, log: Logger): Promise<void> {
  const start = Date.now();
  const { server } = readKubeconfig(dir, log);
  await step(log, 'wait-for-install-complete', EXIT.install, () => 'failed to initialize the cluster');
  const config = readState(dir)['*installconfig.InstallConfig']?.config ?? configFromServer(server);
  await waitForCluster(log, config);
  const passwordFile = join(dir, 'auth', 'kubeadmin-password');
  const password = existsSync(passwordFile) ? readFileSync(passwordFile, 'utf8') : undefined;
  if (password === undefined) log.warn(`Cluster is initialized but ${passwordFile} is missing`);
  logComplete(dir, log, config, password);
  log.info(`Time elapsed: ${elapsed(start)}`);
}

async function waitForBootstrapComplete(dir: string, log: Logger): Promise<void> {
  const { server } = readKubeconfig(dir, log);
  await step(log, 'wait-for-bootstrap-complete', EXIT.bootstrap, () => 'Bootstrap failed to complete');
  log.info(`Waiting up to 20m0s (until ${until(20)}) for the Kubernetes API at ${server}...`);
  log.info('API v1.29.6+aba1e8d up');
  log.info(`Waiting up to 30m0s (until ${until(30)}) for bootstrapping to complete...`);
  await step(log, 'bootstrap', EXIT.bootstrap, () => 'Bootstrap failed to complete');
  log.info('It is now safe to remove the bootstrap resources');
}

// --- destroy cluster ------------------------------------------------------------------------------------------

async function destroyCluster(dir: string, log: Logger): Promise<void> {
  const start = Date.now();
  const file = join(dir, 'metadata.json');
  if (!existsSync(file)) {
    log.fatal(`Failed while preparing to destroy cluster: open ${file}: no such file or directory`);
  }
  let metadata: JsonObject | undefined;
  try {
    metadata = asObject(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    log.fatal(`Failed while preparing to destroy cluster: ${(error as Error).message}`);
  }
  const infraID = text(metadata?.infraID);
  const region = text(asObject(metadata?.aws)?.region);
  if (!infraID || !region)
    log.fatal('Failed while preparing to destroy cluster: no AWS platform configured in metadata');
  await step(log, 'destroy-cluster', EXIT.fatal, () => 'Failed to destroy cluster');
  const arn = `arn:aws:ec2:${region}:123456789012`;
  log.info(
    `Deleted id=i-0standin${createHash('sha1').update(infraID).digest('hex').slice(0, 9)} resourceType=instance arn=${arn}:instance`,
  );
  log.info(
    `Deleted arn=arn:aws:elasticloadbalancing:${region}:123456789012:loadbalancer/net/${infraID}-ext id=net/${infraID}-ext`,
  );
  log.info(`Deleted id=vpc-0standin resourceType=vpc arn=${arn}:vpc/vpc-0standin`);
  for (const path of ['metadata.json', 'auth', STATE_FILE]) rmSync(join(dir, path), { recursive: true, force: true });
  log.info(`Time elapsed: ${elapsed(start)}`);
  log.info('Uninstallation complete!');
}

// --- version and main -----------------------------------------------------------------------------------------

function version(release: Release): void {
  process.stdout.write(
    `${TOOL} ${release.version}\n` +
      `built from commit ${release.installerCommit}\n` +
      `release image ${release.digestPullSpec}\n` +
      `release architecture ${ARCHITECTURE}\n`,
  );
}

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
