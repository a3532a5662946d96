/*
 * The IAM OIDC provider for the issuer: it must exist (ARN arn:<partition>:iam::<account>:oidc-provider/<issuer
 * without https://>), with exactly the client ids (audiences) ccoctl gives it, `openshift` and `sts.amazonaws.com`.
 */
import { GetOpenIDConnectProviderCommand } from '@aws-sdk/client-iam';
import { isOwnedBy, ownedTagKey, type AwsReader } from '@ocp-sts/aws';
import { fixes, listText, type Findings } from './findings.ts';
import { providerArnFor, type Issuer } from '../issuer/index.ts';
import type { ClusterFacts } from './outputs.ts';
import { checkUserTags } from './user-tags.ts';

export const CLIENT_IDS = ['openshift', 'sts.amazonaws.com'];

export async function checkOidcProvider(
  aws: AwsReader,
  facts: ClusterFacts,
  issuer: Issuer,
  findings: Findings,
): Promise<void> {
  const arn = providerArnFor(facts.partition, facts.accountId, issuer);
  findings.checked('oidc-provider');
  const read = await aws.read('iam:GetOpenIDConnectProvider', (c) =>
    c.iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })),
  );
  if (!read.found) {
    findings.error(
      'oidc-provider',
      arn,
      `an IAM OIDC provider for ${issuer.url}`,
      `missing (${read.code}): AWS STS rejects every token of the cluster (InvalidIdentityToken)`,
      fixes.rerunCcoctl(facts.project),
    );
    return;
  }
  const clientIds = read.value.ClientIDList ?? [];
  findings.checked('oidc-provider');
  const missing = CLIENT_IDS.filter((id) => !clientIds.includes(id));
  const extra = clientIds.filter((id) => !CLIENT_IDS.includes(id));
  if (missing.length || extra.length) {
    const fix = [
      ...missing.map(
        (id) =>
          `aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn ${arn} --client-id ${id}`,
      ),
      ...extra.map(
        (id) =>
          `aws iam remove-client-id-from-open-id-connect-provider --open-id-connect-provider-arn ${arn} --client-id ${id}`,
      ),
    ].join(' && ');
    findings.error(
      'oidc-provider',
      arn,
      `client ids exactly ${listText(CLIENT_IDS)}`,
      `${listText(clientIds)}${missing.length ? ` (missing ${listText(missing)})` : ''}${extra.length ? ` (extra ${listText(extra)})` : ''}`,
      fix,
    );
  }
  findings.checked('oidc-provider');
  const tag = ownedTagKey(facts.stsName);
  if (!isOwnedBy(read.value.Tags, facts.stsName)) {
    findings.warning(
      'oidc-provider',
      arn,
      `tag ${tag}=owned`,
      "not tagged: ccoctl aws delete (and destroy's leftover check) will not find it",
      `aws iam tag-open-id-connect-provider --open-id-connect-provider-arn ${arn} --tags Key=${tag},Value=owned`,
    );
  }
  checkUserTags(facts, 'oidc-provider', arn, read.value.Tags, findings);
}
