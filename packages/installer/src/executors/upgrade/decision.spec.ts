import { upgradeDecision, type EdgeAnswer } from './decision.ts';

const at = (version: string | null, image = `quay.io/openshift-release-dev/ocp-release:${version ?? 'x'}-x86_64`) => ({
  version,
  image,
});
const listed: EdgeAnswer = { kind: 'listed' };
const missing: EdgeAnswer = { kind: 'missing', channel: 'stable-4.18' };

describe('upgradeDecision', () => {
  it('goes along an update edge, a minor or a patch', () => {
    expect(upgradeDecision(at('4.16.3'), at('4.17.9'), listed, false)).toEqual({
      kind: 'go',
      update: 'minor',
      overridden: [],
    });
    expect(upgradeDecision(at('4.18.6'), at('4.18.40'), listed, false)).toMatchObject({ kind: 'go', update: 'patch' });
  });

  it('is a no-op at the target', () => {
    expect(upgradeDecision(at('4.18.40'), at('4.18.40'), listed, false)).toEqual({ kind: 'at-target' });
  });

  it('refuses a downgrade, a skipped minor and a missing edge, naming each, unless forced', () => {
    expect(upgradeDecision(at('4.17.9'), at('4.16.3'), missing, false)).toEqual({
      kind: 'refused',
      reason:
        '4.17.9 -> 4.16.3 is a downgrade; the update service has no update from 4.17.9 to 4.16.3 in stable-4.18. ' +
        'Nothing was changed; --force overrides this',
    });
    expect(upgradeDecision(at('4.16.3'), at('4.18.40'), missing, false)).toMatchObject({
      kind: 'refused',
      reason: expect.stringContaining('4.16.3 -> 4.18.40 skips a minor release') as unknown,
    });
    expect(upgradeDecision(at('4.16.3'), at('4.18.40'), missing, true)).toEqual({
      kind: 'go',
      update: 'skip',
      overridden: [
        '4.16.3 -> 4.18.40 skips a minor release: update one minor at a time',
        'the update service has no update from 4.16.3 to 4.18.40 in stable-4.18',
      ],
    });
  });

  it('refuses when the update service cannot be asked, unless forced', () => {
    const unknown: EdgeAnswer = { kind: 'unknown', why: 'HTTP 503' };
    expect(upgradeDecision(at('4.17.9'), at('4.18.6'), unknown, false)).toMatchObject({ kind: 'refused' });
    expect(upgradeDecision(at('4.17.9'), at('4.18.6'), unknown, true)).toMatchObject({ kind: 'go', update: 'minor' });
  });

  it('needs versions on both sides, and one image per version', () => {
    expect(upgradeDecision(at('4.17.9'), at(null, 'quay.io/x@sha256:ab'), listed, false)).toMatchObject({
      kind: 'refused',
      reason: expect.stringContaining('has no X.Y.Z version: set openshift.version') as unknown,
    });
    expect(upgradeDecision(at('4.17.9'), at('4.17.9', 'quay.io/x@sha256:ab'), listed, true)).toMatchObject({
      kind: 'refused',
    });
  });
});
