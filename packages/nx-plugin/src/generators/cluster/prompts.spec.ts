import { jest } from '@jest/globals';
import { logger, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { parse } from 'yaml';
import { clusterGenerator, optionProblems } from './generator.ts';
import { checkAnswer, completeOptions, QUESTIONS, type Ask, type Question } from './prompts.ts';
import type { ClusterGeneratorSchema } from './schema.d.ts';

const question = (option: Question['option']): Question => QUESTIONS.find((q) => q.option === option)!;

/** An Ask that types the scripted answers of each question in turn, and records what each answer was told. */
function scripted(answers: Partial<Record<Question['option'], string[]>>) {
  const transcript: string[] = [];
  const ask: Ask = (q, check) => {
    for (const answer of answers[q.option] ?? []) {
      const problem = check(answer);
      transcript.push(`${q.option}=${answer}${problem ? ` -> ${problem}` : ''}`);
      if (!problem) return Promise.resolve(answer);
    }
    return Promise.reject(new Error(`no accepted answer scripted for ${q.option}`));
  };
  return { ask, transcript };
}

describe('cluster generator prompts', () => {
  let tree: Tree;
  let problems: (o: ClusterGeneratorSchema) => ReturnType<typeof optionProblems>;
  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
    problems = (o) => optionProblems(tree, o);
  });

  it('asks for the cco mode and zones too, in order, after the five required options', () => {
    expect(QUESTIONS.map((q) => q.option)).toEqual([
      'name',
      'region',
      'baseDomain',
      'accountId',
      'openshiftVersion',
      'ccoMode',
      'zones',
    ]);
    expect(question('ccoMode').choices).toEqual(expect.arrayContaining(['manual-sts', 'mint']));
  });

  it('checks each answer on its own, with the generator rules', () => {
    expect(checkAnswer(question('name'), 'Demo_2', {}, problems)).toMatch(/"Demo_2" is not a valid cluster name/);
    expect(checkAnswer(question('name'), 'demo2', {}, problems)).toBeUndefined();
    expect(checkAnswer(question('region'), 'us-moon-1', { name: 'demo2' }, problems)).toMatch(
      /us-moon-1 is not a region of the AWS partition aws \(did you mean/,
    );
    expect(checkAnswer(question('region'), 'us-east1', {}, problems)).toMatch(/expected an AWS region/);
    expect(checkAnswer(question('baseDomain'), 'nodot', {}, problems)).toMatch(/expected a DNS domain/);
    expect(checkAnswer(question('accountId'), '12345', {}, problems)).toMatch(/12-digit/);
    expect(checkAnswer(question('openshiftVersion'), 'latest', {}, problems)).toMatch(/OpenShift version/);
    expect(checkAnswer(question('ccoMode'), 'sts', {}, problems)).toMatch(/expected one of .*manual-sts/);
    expect(checkAnswer(question('ccoMode'), 'mint', {}, problems)).toBeUndefined();
    // Zones are checked against the region answered before them.
    expect(checkAnswer(question('zones'), 'us-west-2a', { region: 'eu-west-1' }, problems)).toMatch(
      /expected a zone of region eu-west-1/,
    );
    expect(checkAnswer(question('zones'), 'eu-west-1a,eu-west-1b', { region: 'eu-west-1' }, problems)).toBeUndefined();
    expect(checkAnswer(question('zones'), '', {}, problems)).toBeUndefined();
    expect(checkAnswer(question('region'), '', {}, problems)).toBe('an answer is needed');
  });

  it('reports an existing cluster at the name question', () => {
    tree.write('clusters/taken/cluster.yaml', 'name: taken\n');
    expect(checkAnswer(question('name'), 'taken', {}, problems)).toMatch(/already exists/);
  });

  it('reports a bad name at its own prompt, before asking anything else', async () => {
    const { ask, transcript } = scripted({
      name: ['Bad_Name', 'good-name'],
      region: ['us-moon-1', 'us-east-1'],
      baseDomain: ['example.com'],
      accountId: ['123456789012'],
      openshiftVersion: ['4.16.3'],
      ccoMode: ['manual'],
      zones: ['us-east-1a'],
    });
    const options = await completeOptions({}, ask, problems);
    expect(transcript[0]).toMatch(/^name=Bad_Name -> "Bad_Name" is not a valid cluster name/);
    expect(transcript[1]).toBe('name=good-name');
    expect(transcript[2]).toMatch(/^region=us-moon-1 -> us-moon-1 is not a region/);
    expect(transcript.slice(3)).toEqual([
      'region=us-east-1',
      'baseDomain=example.com',
      'accountId=123456789012',
      'openshiftVersion=4.16.3',
      'ccoMode=manual',
      'zones=us-east-1a',
    ]);
    expect(options).toMatchObject({ name: 'good-name', region: 'us-east-1', ccoMode: 'manual', zones: 'us-east-1a' });
  });

  it('does not ask what the command line gave, and writes the answers', async () => {
    const info = jest.spyOn(logger, 'info').mockImplementation(() => undefined);
    try {
      const { ask, transcript } = scripted({ accountId: ['123456789012'], zones: [''] });
      const given = { name: 'demo2', region: 'us-east-1', baseDomain: 'example.com', openshiftVersion: '4.16.3' };
      await clusterGenerator(tree, { ...given, ccoMode: 'mint', skipFormat: true }, ask);
      expect(transcript).toEqual(['accountId=123456789012', 'zones=']);
      const written = parse(tree.read('clusters/demo2/cluster.yaml', 'utf-8')!) as {
        platform: Record<string, unknown>;
        credentials: Record<string, unknown>;
      };
      expect(written.platform).toEqual({ type: 'aws', account_id: '123456789012', region: 'us-east-1' });
      expect(written.credentials).toEqual({ cco_mode: 'mint' });
    } finally {
      info.mockRestore();
    }
  });
});
