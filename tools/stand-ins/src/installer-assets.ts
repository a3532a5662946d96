/*
 * What the `openshift-install` stand-in writes: the manifests of `create manifests` (AWS, 4.16 layout), the
 * state file's asset records, the cluster id, the kubeadmin password, the kubeconfig and metadata.json. Pure
 * functions of their inputs (randomness only in the generators), so the command module stays about the flow.
 */
import { clusterExtension } from './cluster/kubeconfig.ts';
import { randomBytes, randomInt, randomUUID, scryptSync } from 'node:crypto';
import { asObject, awsRegion, clusterName, text, type Json, type JsonObject } from './install-config.ts';
import { toKubeYaml } from './kube-yaml.ts';
import type { Release } from './releases.ts';

// --- ids and secrets ------------------------------------------------------------------------------------------

/** k8s.io/apimachinery utilrand's alphabet (lowercase alphanumerics without vowels and look-alikes). */
const INFRA_ID_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * The installer's infrastructure id: every character outside [A-Za-z0-9-] becomes `-`, runs of `-` collapse,
 * the result is cut to 21 characters and trailing `-` trimmed, then `-` and 5 random characters are appended.
 */
export function generateInfraID(name: string, random: () => string = () => randomString(5)): string {
  let base = name.replace(/[^A-Za-z0-9-]/g, '-').replace(/-{2,}/g, '-');
  if (base.length > 21) base = base.slice(0, 21);
  base = base.replace(/-+$/, '');
  return `${base}-${random()}`;
}

function randomString(length: number, alphabet = INFRA_ID_ALPHABET): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet.charAt(randomInt(alphabet.length));
  return out;
}

export interface ClusterID {
  UUID: string;
  InfraID: string;
}

export function generateClusterID(config: JsonObject): ClusterID {
  return { UUID: randomUUID(), InfraID: generateInfraID(clusterName(config)) };
}

const PASSWORD_ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHIJKLMNPQRSTUVWXYZ23456789';

export interface KubeadminPassword {
  Password: string;
  /** base64 of the hash that goes into the kube-system/kubeadmin Secret. */
  PasswordHash: string;
}

/** A kubeadmin password like the installer's (four groups of five, 23 characters) and a salted hash of it. */
export function generateKubeadminPassword(): KubeadminPassword {
  const password = [0, 1, 2, 3].map(() => randomString(5, PASSWORD_ALPHABET)).join('-');
  const salt = randomBytes(16);
  // The real installer uses bcrypt; node:crypto has scrypt, which serves the same purpose here.
  const hash = `$scrypt$${salt.toString('base64')}$${scryptSync(password, salt, 32).toString('base64')}`;
  return { Password: password, PasswordHash: Buffer.from(hash).toString('base64') };
}

function fakePem(kind: string, seed: string): string {
  const body = Buffer.from(`stand-in ${kind} ${seed}`).toString('base64');
  return `-----BEGIN ${kind}-----\n${body}\n-----END ${kind}-----\n`;
}

function b64(text: string): string {
  return Buffer.from(text).toString('base64');
}

// --- cluster facts --------------------------------------------------------------------------------------------

export interface ClusterFacts {
  name: string;
  baseDomain: string;
  clusterDomain: string;
  region: string;
  apiURL: string;
  apiInternalURL: string;
  consoleURL: string;
  zones: string[];
}

function poolZones(pool: Json | undefined): string[] {
  const zones = asObject(asObject(asObject(pool)?.platform)?.aws)?.zones;
  return Array.isArray(zones) ? zones.map(String) : [];
}

export function clusterFacts(config: JsonObject): ClusterFacts {
  const name = clusterName(config);
  const baseDomain = text(config.baseDomain);
  const clusterDomain = `${name}.${baseDomain}`;
  const region = awsRegion(config);
  const compute = Array.isArray(config.compute) ? config.compute[0] : undefined;
  const zones = [poolZones(config.controlPlane), poolZones(compute)].find((z) => z.length > 0) ?? [
    `${region}a`,
    `${region}b`,
    `${region}c`,
  ];
  return {
    name,
    baseDomain,
    clusterDomain,
    region,
    apiURL: `https://api.${clusterDomain}:6443`,
    apiInternalURL: `https://api-int.${clusterDomain}:6443`,
    consoleURL: `https://console-openshift-console.apps.${clusterDomain}`,
    zones,
  };
}

// --- manifests ------------------------------------------------------------------------------------------------

export interface ManifestInputs {
  /** The defaulted install-config, pull secret included. */
  config: JsonObject;
  clusterID: ClusterID;
  password: KubeadminPassword;
  release: Release;
  /** AWS credentials for 99_cloud-creds-secret.yaml (not Manual mode only). */
  awsCredentials: { accessKeyId: string; secretAccessKey: string };
}

function replicasOf(pool: Json | undefined, fallback: number): number {
  const replicas = asObject(pool)?.replicas;
  return typeof replicas === 'number' ? replicas : fallback;
}

function instanceType(pool: Json | undefined): string {
  const type = asObject(asObject(asObject(pool)?.platform)?.aws)?.type;
  return typeof type === 'string' ? type : 'm6i.xlarge';
}

function awsMachineProviderSpec(facts: ClusterFacts, infraID: string, role: string, zone: string, type: string) {
  return {
    apiVersion: 'machine.openshift.io/v1beta1',
    kind: 'AWSMachineProviderConfig',
    ami: { id: 'ami-0standin0rhcos0416' },
    credentialsSecret: { name: 'aws-cloud-credentials' },
    iamInstanceProfile: { id: `${infraID}-${role}-profile` },
    instanceType: type,
    placement: { availabilityZone: zone, region: facts.region },
    securityGroups: [{ filters: [{ name: 'tag:Name', values: [`${infraID}-node`] }] }],
    subnet: { filters: [{ name: 'tag:Name', values: [`${infraID}-subnet-private-${zone}`] }] },
    tags: [{ name: `kubernetes.io/cluster/${infraID}`, value: 'owned' }],
    userDataSecret: { name: `${role}-user-data` },
  };
}

/** The files `create manifests` writes, relative to the install dir, as objects to serialise. */
export function manifestFiles(inputs: ManifestInputs): Map<string, unknown> {
  const { config, clusterID, password, release } = inputs;
  const facts = clusterFacts(config);
  const infraID = clusterID.InfraID;
  const files = new Map<string, unknown>();
  const networking = asObject(config.networking) ?? {};
  const computePools = Array.isArray(config.compute) ? config.compute : [];
  const workerReplicas = computePools.reduce<number>((sum, pool) => sum + replicasOf(pool, 0), 0);
  const masterReplicas = replicasOf(config.controlPlane, 3);
  const topology = masterReplicas < 3 ? 'SingleReplica' : 'HighlyAvailable';
  const manual = config.credentialsMode === 'Manual';

  // manifests/
  files.set('manifests/cluster-config.yaml', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { creationTimestamp: null, name: 'cluster-config-v1', namespace: 'kube-system' },
    data: { 'install-config': toKubeYaml(installConfigForCluster(config)) },
  });
  files.set('manifests/cluster-dns-02-config.yml', {
    apiVersion: 'config.openshift.io/v1',
    kind: 'DNS',
    metadata: { creationTimestamp: null, name: 'cluster' },
    spec: {
      baseDomain: facts.clusterDomain,
      platform: { aws: null, type: '' },
      privateZone: { tags: { Name: `${infraID}-int`, [`kubernetes.io/cluster/${infraID}`]: 'owned' } },
      publicZone: {
        id: `Z0STANDIN${b64(facts.baseDomain)
          .replace(/[^A-Z0-9]/g, '')
          .slice(0, 12)}`,
      },
    },
    status: {},
  });
  files.set('manifests/cluster-infrastructure-02-config.yml', {
    apiVersion: 'config.openshift.io/v1',
    kind: 'Infrastructure',
    metadata: { creationTimestamp: null, name: 'cluster' },
    spec: { cloudConfig: { name: '' }, platformSpec: { aws: {}, type: 'AWS' } },
    status: {
      apiServerInternalURI: facts.apiInternalURL,
      apiServerURL: facts.apiURL,
      controlPlaneTopology: topology,
      cpuPartitioning: 'None',
      etcdDiscoveryDomain: '',
      infrastructureName: infraID,
      infrastructureTopology: workerReplicas === 0 && masterReplicas < 3 ? 'SingleReplica' : 'HighlyAvailable',
      platform: 'AWS',
      platformStatus: { aws: { region: facts.region }, type: 'AWS' },
    },
  });
  files.set('manifests/cluster-ingress-02-config.yml', {
    apiVersion: 'config.openshift.io/v1',
    kind: 'Ingress',
    metadata: { creationTimestamp: null, name: 'cluster' },
    spec: { domain: `apps.${facts.clusterDomain}`, loadBalancer: { platform: { aws: { type: 'NLB' }, type: 'AWS' } } },
    status: { defaultPlacement: workerReplicas === 0 ? 'ControlPlane' : 'Workers' },
  });
  files.set('manifests/cluster-network-02-config.yml', {
    apiVersion: 'config.openshift.io/v1',
    kind: 'Network',
    metadata: { creationTimestamp: null, name: 'cluster' },
    spec: {
      clusterNetwork: networking.clusterNetwork ?? [],
      externalIP: { policy: {} },
      networkType: networking.networkType ?? 'OVNKubernetes',
      serviceNetwork: networking.serviceNetwork ?? [],
    },
    status: {},
  });
  files.set('manifests/cluster-proxy-01-config.yaml', {
    apiVersion: 'config.openshift.io/v1',
    kind: 'Proxy',
    metadata: { creationTimestamp: null, name: 'cluster' },
    spec: { trustedCA: { name: '' } },
    status: {},
  });
  files.set('manifests/cluster-scheduler-02-config.yml', {
    apiVersion: 'config.openshift.io/v1',
    kind: 'Scheduler',
    metadata: { creationTimestamp: null, name: 'cluster' },
    spec: { mastersSchedulable: workerReplicas === 0, policy: { name: '' } },
    status: {},
  });
  const capabilities = asObject(config.capabilities);
  files.set('manifests/cvo-overrides.yaml', {
    apiVersion: 'config.openshift.io/v1',
    kind: 'ClusterVersion',
    metadata: { name: 'version', namespace: 'openshift-cluster-version' },
    spec: {
      channel: release.channel,
      clusterID: clusterID.UUID,
      ...(capabilities ? { capabilities } : {}),
    },
  });
  files.set('manifests/kube-cloud-config.yaml', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { creationTimestamp: null, name: 'kube-cloud-config', namespace: 'kube-system' },
    data: { 'cloud.conf': '' },
  });
  files.set('manifests/kube-system-configmap-root-ca.yaml', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { creationTimestamp: null, name: 'root-ca', namespace: 'kube-system' },
    data: { 'ca.crt': fakePem('CERTIFICATE', `root-ca ${clusterID.UUID}`) },
  });
  files.set('manifests/machine-config-server-tls-secret.yaml', {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      creationTimestamp: null,
      name: 'machine-config-server-tls',
      namespace: 'openshift-machine-config-operator',
    },
    type: 'kubernetes.io/tls',
    data: {
      'tls.crt': b64(fakePem('CERTIFICATE', `mcs ${clusterID.UUID}`)),
      'tls.key': b64(fakePem('RSA PRIVATE KEY', `mcs ${clusterID.UUID}`)),
    },
  });
  files.set('manifests/openshift-config-secret-pull-secret.yaml', {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { creationTimestamp: null, name: 'pull-secret', namespace: 'openshift-config' },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': b64(text(config.pullSecret)) },
  });

  // openshift/
  files.set('openshift/99_feature-gate.yaml', {
    apiVersion: 'config.openshift.io/v1',
    kind: 'FeatureGate',
    metadata: { creationTimestamp: null, name: 'cluster' },
    spec: { featureSet: config.featureSet ?? '' },
  });
  files.set('openshift/99_kubeadmin-password-secret.yaml', {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { creationTimestamp: null, name: 'kubeadmin', namespace: 'kube-system' },
    type: 'Opaque',
    data: { kubeadmin: password.PasswordHash },
  });
  if (!manual) {
    files.set('openshift/99_cloud-creds-secret.yaml', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { creationTimestamp: null, name: 'aws-creds', namespace: 'kube-system' },
      type: 'Opaque',
      data: {
        aws_access_key_id: b64(inputs.awsCredentials.accessKeyId),
        aws_secret_access_key: b64(inputs.awsCredentials.secretAccessKey),
      },
    });
  }
  files.set('openshift/99_role-cloud-creds-secret-reader.yaml', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { creationTimestamp: null, name: 'aws-creds-secret-reader', namespace: 'kube-system' },
    rules: [{ apiGroups: [''], resourceNames: ['aws-creds'], resources: ['secrets'], verbs: ['get'] }],
  });
  const sshKey = typeof config.sshKey === 'string' ? config.sshKey.trim() : '';
  if (sshKey) {
    for (const role of ['master', 'worker']) {
      files.set(`openshift/99_openshift-machineconfig_99-${role}-ssh.yaml`, {
        apiVersion: 'machineconfiguration.openshift.io/v1',
        kind: 'MachineConfig',
        metadata: {
          creationTimestamp: null,
          labels: { 'machineconfiguration.openshift.io/role': role },
          name: `99-${role}-ssh`,
        },
        spec: {
          baseOSExtensionsContainerImage: '',
          config: {
            ignition: { version: '3.2.0' },
            passwd: { users: [{ name: 'core', sshAuthorizedKeys: sshKey.split('\n').filter(Boolean) }] },
          },
          extensions: null,
          fips: false,
          kernelArguments: null,
          kernelType: '',
          osImageURL: '',
        },
      });
    }
  }
  const masterType = instanceType(config.controlPlane);
  for (let i = 0; i < masterReplicas; i++) {
    const zone = facts.zones[i % facts.zones.length]!;
    files.set(`openshift/99_openshift-cluster-api_master-machines-${i}.yaml`, {
      apiVersion: 'machine.openshift.io/v1beta1',
      kind: 'Machine',
      metadata: {
        creationTimestamp: null,
        labels: {
          'machine.openshift.io/cluster-api-cluster': infraID,
          'machine.openshift.io/cluster-api-machine-role': 'master',
          'machine.openshift.io/cluster-api-machine-type': 'master',
        },
        name: `${infraID}-master-${i}`,
        namespace: 'openshift-machine-api',
      },
      spec: {
        lifecycleHooks: {},
        metadata: {},
        providerSpec: { value: awsMachineProviderSpec(facts, infraID, 'master', zone, masterType) },
      },
      status: {},
    });
  }
  if (masterReplicas > 1) {
    files.set('openshift/99_openshift-machine-api_master-control-plane-machine-set.yaml', {
      apiVersion: 'machine.openshift.io/v1',
      kind: 'ControlPlaneMachineSet',
      metadata: { creationTimestamp: null, name: 'cluster', namespace: 'openshift-machine-api' },
      spec: {
        replicas: masterReplicas,
        selector: {
          matchLabels: {
            'machine.openshift.io/cluster-api-cluster': infraID,
            'machine.openshift.io/cluster-api-machine-role': 'master',
            'machine.openshift.io/cluster-api-machine-type': 'master',
          },
        },
        state: 'Active',
        strategy: { type: 'RollingUpdate' },
        template: {
          machineType: 'machines_v1beta1_machine_openshift_io',
          machines_v1beta1_machine_openshift_io: {
            failureDomains: {
              aws: facts.zones.map((zone) => ({ placement: { availabilityZone: zone } })),
              platform: 'AWS',
            },
            spec: { providerSpec: { value: awsMachineProviderSpec(facts, infraID, 'master', '', masterType) } },
          },
        },
      },
    });
  }
  const workerType = instanceType(computePools[0]);
  facts.zones.forEach((zone, i) => {
    const replicas =
      Math.floor(workerReplicas / facts.zones.length) + (i < workerReplicas % facts.zones.length ? 1 : 0);
    files.set(`openshift/99_openshift-cluster-api_worker-machineset-${i}.yaml`, {
      apiVersion: 'machine.openshift.io/v1beta1',
      kind: 'MachineSet',
      metadata: {
        creationTimestamp: null,
        labels: { 'machine.openshift.io/cluster-api-cluster': infraID },
        name: `${infraID}-worker-${zone}`,
        namespace: 'openshift-machine-api',
      },
      spec: {
        replicas,
        selector: {
          matchLabels: {
            'machine.openshift.io/cluster-api-cluster': infraID,
            'machine.openshift.io/cluster-api-machineset': `${infraID}-worker-${zone}`,
          },
        },
        template: {
          metadata: {
            labels: {
              'machine.openshift.io/cluster-api-cluster': infraID,
              'machine.openshift.io/cluster-api-machine-role': 'worker',
              'machine.openshift.io/cluster-api-machine-type': 'worker',
              'machine.openshift.io/cluster-api-machineset': `${infraID}-worker-${zone}`,
            },
          },
          spec: { providerSpec: { value: awsMachineProviderSpec(facts, infraID, 'worker', zone, workerType) } },
        },
      },
      status: { replicas: 0 },
    });
  });
  files.set('openshift/openshift-install-manifests.yaml', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { creationTimestamp: null, name: 'openshift-install-manifests', namespace: 'openshift-config' },
    data: { invoker: 'user', version: `v${release.version}` },
  });

  // cluster-api/ (CAPI provisions AWS from 4.16): the namespace, the Cluster and the AWSCluster.
  files.set('cluster-api/000_capi-namespace.yaml', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { creationTimestamp: null, name: 'openshift-cluster-api-guests' },
    spec: {},
    status: {},
  });
  files.set('cluster-api/01_capi-cluster.yaml', {
    apiVersion: 'cluster.x-k8s.io/v1beta1',
    kind: 'Cluster',
    metadata: { creationTimestamp: null, name: infraID, namespace: 'openshift-cluster-api-guests' },
    spec: {
      clusterNetwork: { apiServerPort: 6443 },
      controlPlaneEndpoint: { host: '', port: 0 },
      infrastructureRef: { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2', kind: 'AWSCluster', name: infraID },
    },
    status: { controlPlaneReady: false, infrastructureReady: false },
  });
  files.set('cluster-api/02_infra-cluster.yaml', {
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
    kind: 'AWSCluster',
    metadata: { creationTimestamp: null, name: infraID, namespace: 'openshift-cluster-api-guests' },
    spec: {
      additionalTags: { [`kubernetes.io/cluster/${infraID}`]: 'owned' },
      controlPlaneEndpoint: { host: `api.${facts.clusterDomain}`, port: 6443 },
      region: facts.region,
    },
    status: { ready: false },
  });
  return files;
}

/** The install-config as the cluster keeps it (in cluster-config-v1): defaulted, pull secret emptied. */
function installConfigForCluster(config: JsonObject): JsonObject {
  return { ...config, pullSecret: '' };
}

// --- create cluster outputs -----------------------------------------------------------------------------------

/** metadata.json for AWS, keys in the installer's order. */
export function clusterMetadata(config: JsonObject, clusterID: ClusterID): string {
  const facts = clusterFacts(config);
  return JSON.stringify({
    clusterName: facts.name,
    clusterID: clusterID.UUID,
    infraID: clusterID.InfraID,
    aws: {
      region: facts.region,
      identifier: [{ [`kubernetes.io/cluster/${clusterID.InfraID}`]: 'owned' }, { openshiftClusterID: clusterID.UUID }],
      clusterDomain: facts.clusterDomain,
    },
  });
}

/** The admin kubeconfig (fake certificates) pointing at the cluster's API. */
export function adminKubeconfig(config: JsonObject, clusterID: ClusterID): unknown {
  const facts = clusterFacts(config);
  return {
    apiVersion: 'v1',
    clusters: [
      {
        cluster: {
          'certificate-authority-data': b64(fakePem('CERTIFICATE', `admin-kubeconfig-signer ${clusterID.UUID}`)),
          // Which stand-in cluster this is (cluster/kubeconfig.ts): any copy of this file reaches the same one.
          extensions: [clusterExtension({ infraID: clusterID.InfraID, region: facts.region })],
          server: facts.apiURL,
        },
        name: facts.name,
      },
    ],
    contexts: [{ context: { cluster: facts.name, user: 'admin' }, name: 'admin' }],
    'current-context': 'admin',
    kind: 'Config',
    preferences: {},
    users: [
      {
        name: 'admin',
        user: {
          'client-certificate-data': b64(fakePem('CERTIFICATE', `system:admin ${clusterID.UUID}`)),
          'client-key-data': b64(fakePem('RSA PRIVATE KEY', `system:admin ${clusterID.UUID}`)),
        },
      },
    ],
  };
}
