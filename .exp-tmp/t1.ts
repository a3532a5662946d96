import { S3Client, CreateBucketCommand, HeadBucketCommand, GetBucketTaggingCommand, ListBucketsCommand, PutBucketTaggingCommand } from '@aws-sdk/client-s3';
import { CloudFrontClient, ListCloudFrontOriginAccessIdentitiesCommand, ListOriginAccessControlsCommand } from '@aws-sdk/client-cloudfront';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
const endpoint = process.env.EP!;
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const mk = (acct?: string) => {
  const s3 = new S3Client({ region: 'eu-west-1', endpoint, credentials, forcePathStyle: true });
  if (acct) s3.middlewareStack.add((next) => (args: any) => { args.request.headers['x-moto-account-id'] = acct; return next(args); }, { step: 'build' });
  return s3;
};
const other = mk('111111111111'); const me = mk();
const show = (e: any) => ({ name: e.name, code: e.Code, msg: e.message, status: e.$metadata?.httpStatusCode, fault: e.$fault, ctor: e.constructor?.name, hdr: e.$response?.headers });
await other.send(new CreateBucketCommand({ Bucket: 'theirs-oidc', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
try { console.log('head other', await me.send(new HeadBucketCommand({ Bucket: 'theirs-oidc' }))); } catch (e) { console.log('head other err', show(e)); }
try { console.log('tag other', await me.send(new GetBucketTaggingCommand({ Bucket: 'theirs-oidc' }))); } catch (e) { console.log('tag other err', show(e)); }
try { await me.send(new HeadBucketCommand({ Bucket: 'nope-zz-oidc' })); } catch (e) { console.log('head none', show(e)); }
await me.send(new CreateBucketCommand({ Bucket: 'mine-oidc', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
try { await me.send(new GetBucketTaggingCommand({ Bucket: 'mine-oidc' })); } catch (e) { console.log('tag none', show(e)); }
const us = new S3Client({ region: 'us-east-1', endpoint, credentials, forcePathStyle: true });
try { console.log('head wrong region', (await us.send(new HeadBucketCommand({ Bucket: 'mine-oidc' }))).BucketRegion); } catch (e) { console.log('head wrong region err', show(e)); }
const lb = await me.send(new ListBucketsCommand({}));
console.log('list', JSON.stringify(lb.Buckets));
try { const lb2 = await me.send(new ListBucketsCommand({ BucketRegion: 'us-east-1' })); console.log('list filtered', JSON.stringify(lb2.Buckets)); } catch (e) { console.log('lbr err', show(e)); }
const cf = new CloudFrontClient({ region: 'us-east-1', endpoint, credentials, maxAttempts: 1 });
try { console.log(await cf.send(new ListCloudFrontOriginAccessIdentitiesCommand({}))); } catch (e) { console.log('oai err', show(e)); }
console.log((await cf.send(new ListOriginAccessControlsCommand({}))).OriginAccessControlList);
const sts = new STSClient({ region: 'us-east-1', endpoint, credentials });
console.log(await sts.send(new GetCallerIdentityCommand({})));
