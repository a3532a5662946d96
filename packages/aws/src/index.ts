// The AWS layer: SDK clients and their settings, call counting, a concurrency limit, ccoctl's tags, the error wording.
export { countCalls, s3ClientConfig, type AwsTarget } from './client-config.ts';
export { awsClients, clusterAwsTarget, totalCalls, type AwsClients } from './clients.ts';
export {
  awsAnsweredCode,
  awsCall,
  AwsCallError,
  awsErrorCode,
  awsStatus,
  explainAwsError,
  isNotFound,
} from './errors.ts';
export { createLimiter } from './limiter.ts';
export { awsReader, valueOf, type AwsReader, type Read } from './reader.ts';
export {
  CCO_TAG_PREFIX,
  isOwnedBy,
  NAME_TAG,
  oidcBucketName,
  originAccessIdentityOf,
  OWNED,
  ownedTagKey,
  ownerStsNames,
  s3BucketOfHost,
  stsNameOfOidcBucket,
  type TagLike,
} from './tags.ts';
