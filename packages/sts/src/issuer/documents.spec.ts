import { keyIdsOf } from './documents.ts';

describe('keyIdsOf', () => {
  it('reads the kids of a key set, and none of anything else', () => {
    expect(keyIdsOf(JSON.stringify({ keys: [{ kid: 'a' }, { kid: 'b' }, { n: 'x' }] }))).toEqual(['a', 'b']);
    expect(keyIdsOf('<html>')).toEqual([]);
    expect(keyIdsOf('{"keys": 1}')).toEqual([]);
  });
});
