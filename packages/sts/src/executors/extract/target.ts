import { TARGET_OUTPUTS } from '@ocp-sts/cluster-config/layout';
import { fromDependencies, type TargetDeclaration } from '@ocp-sts/toolchain/target-declaration';

export const target = {
  name: 'extract',
  executor: '@ocp-sts/sts:extract',
  dependsOn: ['render'],
  cache: true,
  // Only what oc --included reads (release, platform, feature set, topology): more compute replicas do not re-run it.
  inputs: ({ pluginInputs }) => [fromDependencies('**/slices/extract.json'), ...pluginInputs],
  output: TARGET_OUTPUTS.extract,
  metadata: {
    description: 'oc adm release extract --credentials-requests --included: the AWS CredentialsRequests',
    technologies: ['openshift', 'aws'],
  },
  runsTools: true,
} as const satisfies TargetDeclaration;
