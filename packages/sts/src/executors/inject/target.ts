import { TARGET_OUTPUTS } from '@ocp-sts/cluster-config/layout';
import { fromDependencies, type TargetDeclaration } from '@ocp-sts/toolchain/target-declaration';

export const target = {
  name: 'inject',
  executor: '@ocp-sts/sts:inject',
  dependsOn: ['manifests', 'ccoctl'],
  cache: true,
  inputs: ({ pluginInputs }) => [fromDependencies('**/*'), ...pluginInputs],
  output: TARGET_OUTPUTS.inject,
  metadata: {
    description: "Stage the installer dir: manifests plus ccoctl's manifests/ and tls/ (refuses dry-run output)",
    technologies: ['openshift'],
  },
  runsTools: false,
} as const satisfies TargetDeclaration;
