import { parseIssuer, providerArnFor, subjectKey } from './url.ts';

describe('parseIssuer', () => {
  it("reads ccoctl's public-bucket issuer", () => {
    const issuer = parseIssuer('https://prod-x1-oidc.s3.eu-west-1.amazonaws.com')!;
    expect(issuer).toEqual({
      url: 'https://prod-x1-oidc.s3.eu-west-1.amazonaws.com',
      hostPath: 'prod-x1-oidc.s3.eu-west-1.amazonaws.com',
      host: 'prod-x1-oidc.s3.eu-west-1.amazonaws.com',
      source: { kind: 's3', bucket: 'prod-x1-oidc', region: 'eu-west-1' },
    });
    expect(providerArnFor('aws', '123456789012', issuer)).toBe(
      'arn:aws:iam::123456789012:oidc-provider/prod-x1-oidc.s3.eu-west-1.amazonaws.com',
    );
    expect(subjectKey(issuer)).toBe('prod-x1-oidc.s3.eu-west-1.amazonaws.com:sub');
  });

  it('reads GovCloud and China issuers', () => {
    expect(parseIssuer('https://gov-oidc.s3.us-gov-west-1.amazonaws.com')!.source).toEqual({
      kind: 's3',
      bucket: 'gov-oidc',
      region: 'us-gov-west-1',
    });
    const cn = parseIssuer('https://cn-oidc.s3.cn-north-1.amazonaws.com.cn')!;
    expect(cn.source).toEqual({ kind: 's3', bucket: 'cn-oidc', region: 'cn-north-1' });
    expect(providerArnFor('aws-cn', '123456789012', cn)).toBe(
      'arn:aws-cn:iam::123456789012:oidc-provider/cn-oidc.s3.cn-north-1.amazonaws.com.cn',
    );
  });

  it("reads the private bucket's CloudFront issuer", () => {
    expect(parseIssuer('https://d1a2b3c4d5e6f7.cloudfront.net')!.source).toEqual({
      kind: 'cloudfront',
      domain: 'd1a2b3c4d5e6f7.cloudfront.net',
    });
  });

  it('keeps a path (and drops a trailing slash); other hosts are of unknown source; non-https is refused', () => {
    const issuer = parseIssuer('https://issuer.example.com/clusters/prod/')!;
    expect(issuer.hostPath).toBe('issuer.example.com/clusters/prod');
    expect(issuer.url).toBe('https://issuer.example.com/clusters/prod');
    expect(issuer.source).toEqual({ kind: 'unknown' });
    expect(parseIssuer('http://prod-oidc.s3.us-east-1.amazonaws.com')).toBeUndefined();
    expect(parseIssuer('<enter_cloudfront_distribution_url_here>')).toBeUndefined();
  });
});
