import { Redactor, REDACTED } from './redact.ts';

const pullSecret = JSON.stringify({
  auths: {
    'quay.io': { auth: 'cXVheXVzZXI6cXVheXBhc3N3b3Jk', email: 'me@example.com' },
    'registry.redhat.io': { auth: 'cmh1c2VyOnJocGFzc3dvcmQxMjM=' },
  },
});

describe('Redactor', () => {
  it('removes a pull secret, its base64 form and every auth in it', () => {
    const r = new Redactor().addPullSecret(pullSecret);
    expect(r.line(`pullSecret: '${pullSecret}'`)).toBe(`pullSecret: '${REDACTED}'`);
    expect(r.line(`data: ${Buffer.from(pullSecret).toString('base64')}`)).toBe(`data: ${REDACTED}`);
    expect(r.line('token cXVheXVzZXI6cXVheXBhc3N3b3Jk seen')).toBe(`token ${REDACTED} seen`);
  });

  it('removes the kubeadmin password from the installer line', () => {
    const line = 'level=info msg=Login to the console with user: "kubeadmin", and password: "AbCdE-fGhIj-KlMnO-pQrSt"';
    expect(new Redactor().line(line)).toBe(
      `level=info msg=Login to the console with user: "kubeadmin", and password: "${REDACTED}"`,
    );
  });

  it('drops whole PEM blocks across lines, and one-line PEM text', () => {
    const r = new Redactor();
    const lines = [
      'key follows',
      '-----BEGIN RSA PRIVATE KEY-----',
      'MIIEpAIBAAKCAQEA',
      'abcd',
      '-----END RSA PRIVATE KEY-----',
      'after',
    ];
    const out = lines.map((l) => r.line(l));
    expect(out.join('\n')).not.toMatch(/MIIE|abcd/);
    expect(out[0]).toBe('key follows');
    expect(out[5]).toBe('after');
    expect(r.line('x -----BEGIN PRIVATE KEY-----MIIB-----END PRIVATE KEY----- y')).not.toContain('MIIB');
    expect(r.line('next line')).toBe('next line');
  });

  it('redacts "auth" fields of pull secrets it was not told about', () => {
    expect(new Redactor().line('{"auths":{"x":{"auth":"c2VjcmV0OnNlY3JldA=="}}}')).toBe(
      `{"auths":{"x":{"auth":"${REDACTED}"}}}`,
    );
  });

  it('leaves ordinary lines and short fragments alone', () => {
    const r = new Redactor().add('{\n  "x": 1\n}');
    expect(r.line('level=info msg=Consuming Install Config from target directory')).toBe(
      'level=info msg=Consuming Install Config from target directory',
    );
    expect(r.line('{')).toBe('{');
  });
});
