/*
 * The stand-in release payload (tools/stand-ins/payload/release-4.16/) holds the CredentialsRequests of the real
 * OpenShift 4.16 payload, fact for fact. The facts are written down here, read from the real manifests (the
 * CredentialsRequests of the 4.16 release image, from the operators' repositories), so that this test needs nothing
 * outside the project: file names (the payload names, not the operator repositories' names), every request in every file in
 * order (AWS and the non-AWS neighbours), and for each request a sha256 of its canonical JSON (keys sorted) as
 * computed from the real manifest, which pins every statement, permission, policy and boolean condition.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { goYamlKeyCompare } from './kube-yaml.ts';
import {
  annotationsOf,
  enabledCapabilities,
  isCredentialsRequest,
  isIncluded,
  PAYLOAD_ROOT,
  payloadFiles,
  providerSpecKind,
  type Inclusion,
} from './payload.ts';
import { defaultRelease, RELEASES } from './releases.ts';

interface Fact {
  name: string;
  namespace: string;
  secretRef: string;
  serviceAccounts: string[];
  kind: string;
  /** cap=<capability>, inc:shha|snd|icm|hs (include...: "true"), exc:ioh, fs=<feature set>; sorted by key. */
  annotations: string;
  labels: string;
  sha256: string;
}

function cr(
  name: string,
  namespace: string,
  secretRef: string,
  serviceAccounts: string[],
  kind: string,
  annotations: string,
  labels: string,
  sha256: string,
): Fact {
  return { name, namespace, secretRef, serviceAccounts, kind, annotations, labels, sha256 };
}

/** Every payload file that holds a CredentialsRequest (OpenShift 4.16, AWS focus), by payload name. */
const FACTS: Record<string, Fact[]> = {
  '0000_30_cluster-api_01_credentials-request.yaml': [
    cr(
      'openshift-cluster-api-aws',
      'openshift-cloud-credential-operator',
      'openshift-cluster-api/capa-manager-bootstrap-credentials',
      ['cluster-capi-operator'],
      'AWSProviderSpec',
      'cap=CloudCredential exc:ioh inc:shha fs=TechPreviewNoUpgrade',
      '',
      'c7253eebd444e3f3d00350afea0c7634f9430dffe785a8cee8704d40efed32a4',
    ),
    cr(
      'openshift-cluster-api-azure',
      'openshift-cloud-credential-operator',
      'openshift-cluster-api/capz-manager-bootstrap-credentials',
      ['cluster-capi-operator'],
      'AzureProviderSpec',
      'cap=CloudCredential exc:ioh inc:shha fs=TechPreviewNoUpgrade',
      '',
      'd44d4783de7c7a84a4c610125472df2d9ff30e8ee4a4abd16981d5b05ff5e1b2',
    ),
    cr(
      'openshift-cluster-api-gcp',
      'openshift-cloud-credential-operator',
      'openshift-cluster-api/capg-manager-bootstrap-credentials',
      ['cluster-capi-operator'],
      'GCPProviderSpec',
      'cap=CloudCredential exc:ioh inc:shha fs=TechPreviewNoUpgrade',
      '',
      'b9fb489c85648b21ffc578964c71127f2a7fc801a4b91edd08f1844731bd532c',
    ),
    cr(
      'openshift-cluster-api-powervs',
      'openshift-cloud-credential-operator',
      'openshift-cluster-api/capi-ibmcloud-manager-bootstrap-credentials',
      [],
      'IBMCloudPowerVSProviderSpec',
      'cap=CloudCredential exc:ioh inc:shha fs=TechPreviewNoUpgrade',
      '',
      '4127344f361be731c6d371f11babfc1db8a865d2447fc52dc153585b1bc05232',
    ),
    cr(
      'openshift-cluster-api-vsphere',
      'openshift-cloud-credential-operator',
      'openshift-cluster-api/capv-manager-bootstrap-credentials',
      [],
      'VSphereProviderSpec',
      'exc:ioh inc:shha fs=TechPreviewNoUpgrade',
      '',
      '7b76f8959f725c0f91dc1d46e0785c7a5e2cd10114304c5ea4204422e6aa9c7c',
    ),
  ],
  '0000_30_machine-api-operator_00_credentials-request.yaml': [
    cr(
      'openshift-machine-api-aws',
      'openshift-cloud-credential-operator',
      'openshift-machine-api/aws-cloud-credentials',
      ['machine-api-controllers'],
      'AWSProviderSpec',
      'cap=MachineAPI+CloudCredential exc:ioh inc:shha',
      'controller-tools.k8s.io=1.0',
      'b7c4db21158ef2922067f9fcd89262f49bee3e2ce8bbd13c3f35b39680cf7acf',
    ),
    cr(
      'openshift-machine-api-azure',
      'openshift-cloud-credential-operator',
      'openshift-machine-api/azure-cloud-credentials',
      ['machine-api-controllers'],
      'AzureProviderSpec',
      'cap=MachineAPI+CloudCredential exc:ioh inc:shha',
      'controller-tools.k8s.io=1.0',
      '6600fbea41e66f2a1d6cd2121320436c11e7f599f78a28f53dd44054b961560b',
    ),
    cr(
      'openshift-machine-api-openstack',
      'openshift-cloud-credential-operator',
      'openshift-machine-api/openstack-cloud-credentials',
      [],
      'OpenStackProviderSpec',
      'cap=MachineAPI+CloudCredential exc:ioh inc:shha',
      'controller-tools.k8s.io=1.0',
      '3d511d6abb3f48664cf3381e2ea3c164acbb827a1a6b14857d8f925809ea90bc',
    ),
    cr(
      'openshift-machine-api-gcp',
      'openshift-cloud-credential-operator',
      'openshift-machine-api/gcp-cloud-credentials',
      ['machine-api-controllers'],
      'GCPProviderSpec',
      'cap=MachineAPI+CloudCredential exc:ioh inc:shha',
      'controller-tools.k8s.io=1.0',
      '1b26177451797606af96e9a798de788492025606e706ef655ee930298785c477',
    ),
    cr(
      'openshift-machine-api-vsphere',
      'openshift-cloud-credential-operator',
      'openshift-machine-api/vsphere-cloud-credentials',
      [],
      'VSphereProviderSpec',
      'cap=MachineAPI+CloudCredential inc:shha',
      'controller-tools.k8s.io=1.0',
      'e6e4c4298289c0e9ec639e5cb96e39043795685e9ba81344dbb8da97d5e03a91',
    ),
    cr(
      'openshift-machine-api-ibmcloud',
      'openshift-cloud-credential-operator',
      'openshift-machine-api/ibmcloud-credentials',
      [],
      'IBMCloudProviderSpec',
      'cap=MachineAPI+CloudCredential inc:shha',
      'controller-tools.k8s.io=1.0',
      'f1cc7b602325391db863cc201640f62470db2c286746d81598ff91a3fe8d99ce',
    ),
    cr(
      'openshift-machine-api-powervs',
      'openshift-cloud-credential-operator',
      'openshift-machine-api/powervs-credentials',
      [],
      'IBMCloudPowerVSProviderSpec',
      'cap=MachineAPI+CloudCredential inc:shha',
      'controller-tools.k8s.io=1.0',
      '35ac40cd8d15029189befad0b827d383dcb3468af0e8d3ada6fc8d57c4584964',
    ),
    cr(
      'openshift-machine-api-alibabacloud',
      'openshift-cloud-credential-operator',
      'openshift-machine-api/alibabacloud-credentials',
      [],
      'AlibabaCloudProviderSpec',
      'cap=MachineAPI+CloudCredential',
      '',
      'db2ecdcec74a81b48816e70a093c7d1277ba2484e84ee6479f0e70e746bfca54',
    ),
    cr(
      'openshift-machine-api-nutanix',
      'openshift-cloud-credential-operator',
      'openshift-machine-api/nutanix-credentials',
      [],
      'NutanixProviderSpec',
      'cap=MachineAPI+CloudCredential inc:shha',
      'controller-tools.k8s.io=1.0',
      'bcf54cb8d6aa4528a0599459b11cdf3dc1aac419e4dbee75bedde248568f7483',
    ),
  ],
  '0000_50_cloud-credential-operator_05-gcp-ro-credentialsrequest.yaml': [
    cr(
      'cloud-credential-operator-gcp-ro-creds',
      'openshift-cloud-credential-operator',
      'openshift-cloud-credential-operator/cloud-credential-operator-gcp-ro-creds',
      ['cloud-credential-operator'],
      'GCPProviderSpec',
      'cap=CloudCredential exc:ioh inc:shha',
      '',
      '6bc77744243820bfa06af818892c473b71e8cf477a7e95ee042d08f52cb93a14',
    ),
  ],
  '0000_50_cloud-credential-operator_05-iam-ro-credentialsrequest.yaml': [
    cr(
      'cloud-credential-operator-iam-ro',
      'openshift-cloud-credential-operator',
      'openshift-cloud-credential-operator/cloud-credential-operator-iam-ro-creds',
      ['cloud-credential-operator'],
      'AWSProviderSpec',
      'cap=CloudCredential exc:ioh inc:shha',
      '',
      '1b0d6c76545159a8bf59a1c91adff0774bd99a98a883e758d019b7a4e0bff43e',
    ),
  ],
  '0000_50_cluster-image-registry-operator_01-registry-credentials-request-azure.yaml': [
    cr(
      'openshift-image-registry-azure',
      'openshift-cloud-credential-operator',
      'openshift-image-registry/installer-cloud-credentials',
      ['cluster-image-registry-operator', 'registry'],
      'AzureProviderSpec',
      'cap=ImageRegistry+CloudCredential inc:hs inc:icm inc:shha inc:snd',
      'controller-tools.k8s.io=1.0',
      'dbea267f41f1d9f689d39e8381db42def4900f22f4ed1b287a41e8d9eb56c303',
    ),
  ],
  '0000_50_cluster-image-registry-operator_01-registry-credentials-request.yaml': [
    cr(
      'openshift-image-registry',
      'openshift-cloud-credential-operator',
      'openshift-image-registry/installer-cloud-credentials',
      ['cluster-image-registry-operator', 'registry'],
      'AWSProviderSpec',
      'cap=ImageRegistry+CloudCredential inc:hs inc:icm inc:shha inc:snd',
      'controller-tools.k8s.io=1.0',
      '3f32f6366bc0161f6f5e61cbbd1b4494de199a836b6f1173502ee74fb91bcd06',
    ),
  ],
  '0000_50_cluster-ingress-operator_00-ingress-credentials-request.yaml': [
    cr(
      'openshift-ingress',
      'openshift-cloud-credential-operator',
      'openshift-ingress-operator/cloud-credentials',
      ['ingress-operator'],
      'AWSProviderSpec',
      'cap=CloudCredential+Ingress inc:icm inc:shha inc:snd',
      'controller-tools.k8s.io=1.0',
      '7db41d6eaba56d8ddfebf4441c797bd5b588d87a459012ca476ac75e2e5f6c6c',
    ),
    cr(
      'openshift-ingress-azure',
      'openshift-cloud-credential-operator',
      'openshift-ingress-operator/cloud-credentials',
      ['ingress-operator'],
      'AzureProviderSpec',
      'cap=CloudCredential+Ingress inc:icm inc:shha inc:snd',
      'controller-tools.k8s.io=1.0',
      '80cc55325ce320b76f81a3fe41a8b2896c405151ddb49e602761399f75de4c56',
    ),
    cr(
      'openshift-ingress-gcp',
      'openshift-cloud-credential-operator',
      'openshift-ingress-operator/cloud-credentials',
      ['ingress-operator'],
      'GCPProviderSpec',
      'cap=CloudCredential+Ingress inc:icm inc:shha inc:snd',
      'controller-tools.k8s.io=1.0',
      '96f3cf0056fda069a767ae95df2422bc6302621c0460ab12c71e6657734fe40f',
    ),
    cr(
      'openshift-ingress-ibmcloud',
      'openshift-cloud-credential-operator',
      'openshift-ingress-operator/cloud-credentials',
      [],
      'IBMCloudProviderSpec',
      'cap=CloudCredential+Ingress',
      '',
      '789ad75ee335e06ed1f134bccd256191d8be6b3e9a27fcfdd698aeb6a0aecc34',
    ),
    cr(
      'openshift-ingress-powervs',
      'openshift-cloud-credential-operator',
      'openshift-ingress-operator/cloud-credentials',
      [],
      'IBMCloudPowerVSProviderSpec',
      'cap=CloudCredential+Ingress',
      '',
      '2601bd6abf961f7536fd1bd948e7ad4ec58e5e4d9c97d78bfb7138c79fff699f',
    ),
    cr(
      'openshift-ingress-alibabacloud',
      'openshift-ingress-operator',
      'openshift-ingress-operator/cloud-credentials',
      [],
      'AlibabaCloudProviderSpec',
      'cap=CloudCredential+Ingress',
      '',
      '26163080e4e746184c0f09d05631cbfa22d5b3357e883c2088d8109fa23abe42',
    ),
  ],
  '0000_50_cluster-network-operator_02-cncc-credentials.yaml': [
    cr(
      'openshift-cloud-network-config-controller-gcp',
      'openshift-cloud-credential-operator',
      'openshift-cloud-network-config-controller/cloud-credentials',
      ['cloud-network-config-controller'],
      'GCPProviderSpec',
      'cap=CloudCredential inc:icm inc:shha inc:snd',
      '',
      '66718e1c3fb01bf1640c25536098c7d8aff516739fef2878b15b569157e3a6a0',
    ),
    cr(
      'openshift-cloud-network-config-controller-aws',
      'openshift-cloud-credential-operator',
      'openshift-cloud-network-config-controller/cloud-credentials',
      ['cloud-network-config-controller'],
      'AWSProviderSpec',
      'cap=CloudCredential inc:icm inc:shha inc:snd',
      '',
      '6b8f68a36d007144a30844bdeec8b6aeceb25c0db68b7a1c8bf4f0c2ddab592b',
    ),
    cr(
      'openshift-cloud-network-config-controller-azure',
      'openshift-cloud-credential-operator',
      'openshift-cloud-network-config-controller/cloud-credentials',
      ['cloud-network-config-controller'],
      'AzureProviderSpec',
      'cap=CloudCredential inc:icm inc:shha inc:snd',
      '',
      'b592405e49b5e626048e0d964e309842e9b77b7286d55f14122806c02daa2167',
    ),
    cr(
      'openshift-cloud-network-config-controller-openstack',
      'openshift-cloud-credential-operator',
      'openshift-cloud-network-config-controller/cloud-credentials',
      ['cloud-network-config-controller'],
      'OpenStackProviderSpec',
      'cap=CloudCredential inc:icm inc:shha inc:snd',
      '',
      'e057200a3ff31e621b767f8d8e55febdb870fb22af168bf364e1e0bb2ab7ba87',
    ),
  ],
  '0000_50_cluster-storage-operator_03_credentials_request_aws.yaml': [
    cr(
      'aws-ebs-csi-driver-operator',
      'openshift-cloud-credential-operator',
      'openshift-cluster-csi-drivers/ebs-cloud-credentials',
      ['aws-ebs-csi-driver-operator', 'aws-ebs-csi-driver-controller-sa'],
      'AWSProviderSpec',
      'cap=Storage+CloudCredential inc:shha inc:snd',
      '',
      'd6dd4a5e8554714043e0be9ac26ed01602572d5a811208cfd2fb04b3e41c697d',
    ),
  ],
  '0000_50_cluster-storage-operator_03_credentials_request_azure.yaml': [
    cr(
      'azure-disk-csi-driver-operator',
      'openshift-cloud-credential-operator',
      'openshift-cluster-csi-drivers/azure-disk-credentials',
      ['azure-disk-csi-driver-operator', 'azure-disk-csi-driver-controller-sa'],
      'AzureProviderSpec',
      'cap=Storage+CloudCredential inc:shha inc:snd',
      '',
      '354178640a842354a11a171e417295fc1bb7140207677bbe4b44fbba792848c1',
    ),
  ],
  '0000_70_cluster-network-operator_01_credentialsrequest.yaml': [
    cr(
      'openshift-network',
      'openshift-cloud-credential-operator',
      'openshift-network-operator/installer-cloud-credentials',
      [],
      'OpenStackProviderSpec',
      'cap=CloudCredential inc:shha inc:snd',
      'controller-tools.k8s.io=1.0',
      'b4df8bf44caff483bd98bb7f1a0279f82cb7a87f8048a6ef9fea243fc68ac5b1',
    ),
  ],
};

const SHORT: Record<string, string> = {
  'include.release.openshift.io/self-managed-high-availability': 'inc:shha',
  'include.release.openshift.io/single-node-developer': 'inc:snd',
  'include.release.openshift.io/ibm-cloud-managed': 'inc:icm',
  'include.release.openshift.io/hypershift': 'inc:hs',
  'exclude.release.openshift.io/internal-openshift-hosted': 'exc:ioh',
};

function shorthand(annotations: Record<string, string>): string {
  return Object.keys(annotations)
    .sort()
    .map((key) => {
      const value = annotations[key]!;
      if (key === 'capability.openshift.io/name') return `cap=${value}`;
      if (key === 'release.openshift.io/feature-set') return `fs=${value}`;
      return `${SHORT[key] ?? key}${value === 'true' ? '' : `=${value}`}`;
    })
    .join(' ');
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(record)
        .sort()
        .map((key) => [key, canonical(record[key])]),
    );
  }
  return value;
}

interface Spec {
  secretRef: { namespace: string; name: string };
  serviceAccountNames?: string[];
  providerSpec: {
    kind: string;
    statementEntries?: { effect: string; action: string[]; resource: string; policyCondition?: unknown }[];
  };
}
interface Metadata {
  name: string;
  namespace: string;
  labels?: Record<string, string>;
}

const release = defaultRelease();
const payload = payloadFiles(release);
const requests = payload.flatMap((file) =>
  file.documents.map((doc) => ({
    file: file.name,
    doc,
    metadata: doc.metadata as Metadata,
    spec: doc.spec as Spec,
  })),
);
const aws = requests.filter((r) => providerSpecKind(r.doc) === 'AWSProviderSpec');

describe('the stand-in payload of CredentialsRequests', () => {
  it('has the 11 payload files, 7 of them with an AWS request', () => {
    expect(payload.map((f) => f.name)).toEqual(Object.keys(FACTS).sort());
    expect(payload).toHaveLength(11);
    expect(new Set(aws.map((r) => r.file)).size).toBe(7);
    expect(requests.every((r) => isCredentialsRequest(r.doc))).toBe(true);
  });

  it('holds every request of every file, in order, with its names, secret, service accounts, kind and annotations', () => {
    for (const file of payload) {
      const actual = file.documents.map((doc) => {
        const metadata = doc.metadata as Metadata;
        const spec = doc.spec as Spec;
        return cr(
          metadata.name,
          metadata.namespace,
          `${spec.secretRef.namespace}/${spec.secretRef.name}`,
          spec.serviceAccountNames ?? [],
          spec.providerSpec.kind,
          shorthand(annotationsOf(doc)),
          Object.entries(metadata.labels ?? {})
            .map(([k, v]) => `${k}=${v}`)
            .join(','),
          createHash('sha256')
            .update(JSON.stringify(canonical(doc)))
            .digest('hex'),
        );
      });
      expect({ file: file.name, requests: actual }).toEqual({ file: file.name, requests: FACTS[file.name] });
    }
  });

  it('counts: 31 requests, 27 in the 7 files with AWS requests (20 of those not AWS), 7 AWS', () => {
    expect(requests).toHaveLength(31);
    const awsFiles = new Set(aws.map((r) => r.file));
    const inAwsFiles = requests.filter((r) => awsFiles.has(r.file));
    expect(inAwsFiles).toHaveLength(27);
    expect(inAwsFiles.filter((r) => providerSpecKind(r.doc) !== 'AWSProviderSpec')).toHaveLength(20);
    expect(aws).toHaveLength(7);
  });

  it('the AWS requests: names, secrets, service accounts, unique secrets, and 6 in the Default feature set', () => {
    const table = aws.map((r) => [
      r.metadata.name,
      `${r.spec.secretRef.namespace}/${r.spec.secretRef.name}`,
      (r.spec.serviceAccountNames ?? []).join(','),
    ]);
    expect(table).toEqual([
      [
        'openshift-cluster-api-aws',
        'openshift-cluster-api/capa-manager-bootstrap-credentials',
        'cluster-capi-operator',
      ],
      ['openshift-machine-api-aws', 'openshift-machine-api/aws-cloud-credentials', 'machine-api-controllers'],
      [
        'cloud-credential-operator-iam-ro',
        'openshift-cloud-credential-operator/cloud-credential-operator-iam-ro-creds',
        'cloud-credential-operator',
      ],
      [
        'openshift-image-registry',
        'openshift-image-registry/installer-cloud-credentials',
        'cluster-image-registry-operator,registry',
      ],
      ['openshift-ingress', 'openshift-ingress-operator/cloud-credentials', 'ingress-operator'],
      [
        'openshift-cloud-network-config-controller-aws',
        'openshift-cloud-network-config-controller/cloud-credentials',
        'cloud-network-config-controller',
      ],
      [
        'aws-ebs-csi-driver-operator',
        'openshift-cluster-csi-drivers/ebs-cloud-credentials',
        'aws-ebs-csi-driver-operator,aws-ebs-csi-driver-controller-sa',
      ],
    ]);
    expect(new Set(table.map((row) => row[1])).size).toBe(7);
    expect(aws.every((r) => r.metadata.namespace === 'openshift-cloud-credential-operator')).toBe(true);
    const techPreview = aws.filter((r) => annotationsOf(r.doc)['release.openshift.io/feature-set'] !== undefined);
    expect(techPreview.map((r) => r.metadata.name)).toEqual(['openshift-cluster-api-aws']);
    expect(annotationsOf(techPreview[0]!.doc)['release.openshift.io/feature-set']).toBe('TechPreviewNoUpgrade');
    expect(aws.length - techPreview.length).toBe(6);
  });

  it('the AWS statements: counts, first and last actions, resource "*" and the boolean kms condition', () => {
    const statements = Object.fromEntries(
      aws.map((r) => [
        r.metadata.name,
        (r.spec.providerSpec.statementEntries ?? []).map((s) => [
          s.effect,
          s.action.length,
          s.resource,
          s.policyCondition ?? null,
          s.action[0],
          s.action.at(-1),
        ]),
      ]),
    );
    const kms = { Bool: { 'kms:GrantIsForAWSResource': true } };
    expect(statements).toEqual({
      'openshift-machine-api-aws': [
        ['Allow', 21, '*', null, 'ec2:CreateTags', 'iam:CreateServiceLinkedRole'],
        ['Allow', 5, '*', null, 'kms:Decrypt', 'kms:DescribeKey'],
        ['Allow', 3, '*', kms, 'kms:RevokeGrant', 'kms:ListGrants'],
      ],
      'openshift-cluster-api-aws': [
        ['Allow', 22, '*', null, 'ec2:CreateTags', 'iam:CreateServiceLinkedRole'],
        ['Allow', 5, '*', null, 'kms:Decrypt', 'kms:DescribeKey'],
        ['Allow', 3, '*', kms, 'kms:RevokeGrant', 'kms:ListGrants'],
      ],
      'cloud-credential-operator-iam-ro': [['Allow', 3, '*', null, 'iam:GetUser', 'iam:ListAccessKeys']],
      'openshift-image-registry': [['Allow', 18, '*', null, 's3:CreateBucket', 's3:ListMultipartUploadParts']],
      'openshift-ingress': [['Allow', 6, '*', null, 'elasticloadbalancing:DescribeLoadBalancers', 'sts:AssumeRole']],
      'openshift-cloud-network-config-controller-aws': [
        ['Allow', 9, '*', null, 'ec2:DescribeInstances', 'ec2:DescribeNetworkInterfaces'],
      ],
      'aws-ebs-csi-driver-operator': [
        ['Allow', 16, '*', null, 'ec2:AttachVolume', 'ec2:EnableFastSnapshotRestores'],
        ['Allow', 6, '*', null, 'kms:ReEncrypt*', 'kms:DescribeKey'],
        ['Allow', 3, '*', kms, 'kms:RevokeGrant', 'kms:ListGrants'],
      ],
    });
  });

  it('what --included keeps of the AWS requests: 6 by default, 7 with TechPreviewNoUpgrade', () => {
    const standard: Inclusion = {
      capabilities: undefined,
      featureSet: 'Default',
      profile: 'self-managed-high-availability',
    };
    expect(aws.filter((r) => isIncluded(r.doc, standard))).toHaveLength(6);
    expect(aws.filter((r) => isIncluded(r.doc, { ...standard, featureSet: 'TechPreviewNoUpgrade' }))).toHaveLength(7);
    // Among the neighbours, the ingress ibmcloud/powervs/alibabacloud and MAO alibabacloud requests lack inc:shha.
    const withoutProfile = requests.filter(
      (r) => !isIncluded(r.doc, { ...standard, featureSet: 'TechPreviewNoUpgrade' }),
    );
    expect(withoutProfile.map((r) => r.metadata.name).sort()).toEqual([
      'openshift-ingress-alibabacloud',
      'openshift-ingress-ibmcloud',
      'openshift-ingress-powervs',
      'openshift-machine-api-alibabacloud',
    ]);
  });

  it('what --included keeps with a capability set: v4.11 to v4.13 include MachineAPI, as in oc 4.16', () => {
    const machineApi = aws.find((r) => r.metadata.name === 'openshift-machine-api-aws')!;
    const keeps = (baseline: string) =>
      isIncluded(machineApi.doc, {
        capabilities: enabledCapabilities(baseline, ['CloudCredential']),
        featureSet: 'Default',
        profile: 'self-managed-high-availability',
      });
    for (const baseline of ['v4.11', 'v4.12', 'v4.13', 'v4.14', 'v4.16', 'vCurrent'])
      expect(keeps(baseline)).toBe(true);
    expect(keeps('None')).toBe(false);
    // A capabilities stanza without baselineCapabilitySet is the set "", which oc does not know.
    expect(() => enabledCapabilities('', [])).toThrow('unrecognized baselineCapabilitySet ""');
  });

  it('is written in our own serialisation: keys sorted, a header of ours, no upstream comments', () => {
    const sorted = (value: unknown): boolean => {
      if (Array.isArray(value)) return value.every(sorted);
      if (value === null || typeof value !== 'object') return true;
      const keys = Object.keys(value);
      const inOrder = keys.every((key, i) => i === 0 || goYamlKeyCompare(keys[i - 1]!, key) < 0);
      return inOrder && Object.values(value).every(sorted);
    };
    for (const file of payload) {
      const text = readFileSync(join(PAYLOAD_ROOT, release.payload, file.name), 'utf8');
      expect(text).toMatch(/^# Stand-in release payload, OpenShift 4\.16/);
      expect(text.split('\n').filter((line) => line.includes('#'))).toHaveLength(2);
      expect(file.documents.every(sorted)).toBe(true);
      expect(text).not.toContain('"Bool":');
    }
  });

  it('is the payload of every 4.16 release of the catalogue', () => {
    expect(RELEASES.filter((r) => r.version.startsWith('4.16.')).every((r) => r.payload === 'release-4.16')).toBe(true);
  });
});

/**
 * The payloads of 4.17 and 4.18 (release-4.17/, release-4.18/) as changes to the 4.16 facts above, read from the real
 * manifests of those branches: 4.17 drops the Alibaba Cloud request of the machine-api file and changes two Azure
 * requests (no AWS request changes); 4.18 adds `kms:ReEncrypt*` in front of the 2nd statement of
 * openshift-machine-api-aws (a z-stream change of release-4.18, 2026-03-20) and changes nothing else.
 */
const CHANGED: Record<string, Record<string, string>> = {
  'release-4.17': {
    'openshift-machine-api-azure': '0514e6d3ce4a7074ee73001df2734c071dc4ba113f31428a2a7846c490a5a63e',
    'openshift-image-registry-azure': 'f6eae083fbc76126f05bbeb579af4210265d7ac39a463577cd6f409b92d69031',
  },
  'release-4.18': {
    'openshift-machine-api-azure': '0514e6d3ce4a7074ee73001df2734c071dc4ba113f31428a2a7846c490a5a63e',
    'openshift-image-registry-azure': 'f6eae083fbc76126f05bbeb579af4210265d7ac39a463577cd6f409b92d69031',
    'openshift-machine-api-aws': 'e69314c8d94e1a18ab5ab6950106e9bbc0edd2fc66648efd9667a7a2811d50de',
  },
};

function requestsOf(version: string) {
  const release = RELEASES.find((r) => r.version === version)!;
  return payloadFiles(release).flatMap((file) =>
    file.documents.map((doc) => ({
      file: file.name,
      name: (doc.metadata as Metadata).name,
      doc,
      sha256: createHash('sha256')
        .update(JSON.stringify(canonical(doc)))
        .digest('hex'),
    })),
  );
}

describe('the payloads of 4.17 and 4.18', () => {
  it('serves release-4.17 for 4.17.z and 4.18.6, release-4.18 for 4.18.40', () => {
    const payloadOf = (version: string) => RELEASES.find((r) => r.version === version)?.payload;
    expect(['4.17.0', '4.17.9', '4.18.6', '4.18.40'].map(payloadOf)).toEqual([
      'release-4.17',
      'release-4.17',
      'release-4.17',
      'release-4.18',
    ]);
  });

  for (const [folder, version] of [
    ['release-4.17', '4.17.9'],
    ['release-4.18', '4.18.40'],
  ] as const) {
    it(`${folder}: the 4.16 requests in the same files and order, without Alibaba in machine-api, changed as listed`, () => {
      const facts = Object.entries(FACTS).flatMap(([file, list]) =>
        list
          .filter((fact) => fact.name !== 'openshift-machine-api-alibabacloud')
          .map((fact) => ({ file, name: fact.name, sha256: CHANGED[folder]![fact.name] ?? fact.sha256 })),
      );
      const actual = requestsOf(version).map(({ file, name, sha256 }) => ({ file, name, sha256 }));
      expect(actual).toEqual(facts);
      const text = readFileSync(
        join(PAYLOAD_ROOT, folder, '0000_30_machine-api-operator_00_credentials-request.yaml'),
        'utf8',
      );
      expect(text).toMatch(
        new RegExp(`^# Stand-in release payload, OpenShift ${version.split('.').slice(0, 2).join('\\.')}:`),
      );
    });
  }

  it('the one AWS change: kms:ReEncrypt* first in the 2nd statement of openshift-machine-api-aws, in 4.18.40 only', () => {
    const statements = (version: string) => {
      const request = requestsOf(version).find((r) => r.name === 'openshift-machine-api-aws')!;
      return (request.doc.spec as Spec).providerSpec.statementEntries!.map((s) => s.action);
    };
    const before = statements('4.18.6');
    const after = statements('4.18.40');
    expect(before).toEqual(statements('4.16.3'));
    expect(after[1]).toEqual(['kms:ReEncrypt*', ...before[1]!]);
    expect([after[0], after[2]]).toEqual([before[0], before[2]]);
    const aws = (version: string) =>
      requestsOf(version)
        .filter((r) => providerSpecKind(r.doc) === 'AWSProviderSpec')
        .map((r) => [r.name, r.sha256]);
    expect(aws('4.17.9')).toEqual(aws('4.16.3'));
    expect(aws('4.18.40').filter(([name]) => name !== 'openshift-machine-api-aws')).toEqual(
      aws('4.16.3').filter(([name]) => name !== 'openshift-machine-api-aws'),
    );
  });
});
