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

  it('removes the kubeadmin password from the line as logrus quotes it in .openshift_install.log', () => {
    // The installer's log-file hook has no DisableQuote: the message is Go-quoted, its quotes escaped.
    const line =
      'time="2026-11-30T03:47:29Z" level=info msg="Login to the console with user: \\"kubeadmin\\", and password: \\"AbCdE-fGhIj-KlMnO-pQrSt\\""';
    expect(new Redactor().line(line)).toBe(
      `time="2026-11-30T03:47:29Z" level=info msg="Login to the console with user: \\"kubeadmin\\", and password: \\"${REDACTED}\\""`,
    );
    // Installers before the stderr hook's DisableQuote (logrus < 1.6) quoted stderr the same way, without a time.
    const stderr =
      'level=info msg="Login to the console with user: \\"kubeadmin\\", and password: \\"AbCdE-fGhIj-KlMnO-pQrSt\\""';
    expect(new Redactor().line(stderr)).not.toContain('AbCdE');
  });

  it('removes a password given as a JSON value, plain, or quoted twice', () => {
    const r = new Redactor();
    expect(r.line('{"user":"me","password":"s3cr3t-v4lue","x":1}')).toBe(
      `{"user":"me","password":"${REDACTED}","x":1}`,
    );
    expect(r.line('{ "password" : "s3cr3t v4lue" }')).toBe(`{ "password" : "${REDACTED}" }`);
    expect(r.line('password: s3cr3t-v4lue and more')).toBe(`password: ${REDACTED} and more`);
    expect(r.line('password=s3cr3t-v4lue next=1')).toBe(`password=${REDACTED} next=1`);
    expect(r.line("password: 's3cr3t v4lue'")).toBe(`password: '${REDACTED}'`);
    // JSON inside a logfmt-quoted value, and that quoted once more.
    expect(r.line('msg="body {\\"password\\":\\"s3cr3t-v4lue\\"}"')).toBe(
      `msg="body {\\"password\\":\\"${REDACTED}\\"}"`,
    );
    expect(r.line('a="b=\\"password: \\\\\\"s3cr3t-v4lue\\\\\\"\\""')).not.toContain('s3cr3t');
    // An escaped quote inside the value does not end it early.
    expect(r.line('{"password":"ab\\"cd-efgh-ijkl"}')).toBe(`{"password":"${REDACTED}"}`);
    // An unterminated quoted value is redacted to the end of the line.
    expect(r.line('password: "s3cr3t-v4lue')).toBe(`password: "${REDACTED}`);
    expect(r.line('kubeadmin-password file, and PasswordHash: kept')).toBe(
      'kubeadmin-password file, and PasswordHash: kept',
    );
  });

  it('keeps redacting a password it has seen after a key, wherever it shows up later', () => {
    const r = new Redactor();
    r.line('level=info msg=Login to the console with user: "kubeadmin", and password: "AbCdE-fGhIj-KlMnO-pQrSt"');
    expect(r.line('echo AbCdE-fGhIj-KlMnO-pQrSt')).toBe(`echo ${REDACTED}`);
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
    expect(new Redactor().line('msg="{\\"auths\\":{\\"x\\":{\\"auth\\":\\"c2VjcmV0OnNlY3JldA==\\"}}}"')).toBe(
      `msg="{\\"auths\\":{\\"x\\":{\\"auth\\":\\"${REDACTED}\\"}}}"`,
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
