/*
 * The cluster generator's questions, asked here rather than through schema.json's x-prompt: Nx asks every x-prompt
 * first and checks an answer only against its JSON Schema property, so a name that is not a DNS label, or a region
 * that does not exist, was reported after the last question, with none of the model's messages. Here each answer is
 * checked when it is given, by the generator's own validation (optionProblems), and asked again until it holds.
 */
import { createInterface } from 'node:readline/promises';
import { CCO_MODES } from '@ocp-sts/cluster-config';
import type { ClusterGeneratorSchema, OptionProblem } from './schema.d.ts';

type Answerable = 'name' | 'region' | 'baseDomain' | 'accountId' | 'openshiftVersion' | 'ccoMode' | 'zones';

export interface Question {
  option: Answerable;
  /** How problems name the option (see OPTION_OF_KEY in generator.ts). */
  flag: string;
  message: string;
  choices?: readonly string[];
  /** The answer an empty line gives. */
  initial?: string;
  /** An empty answer leaves the option out (then the installer or the model's default decides). */
  optional?: boolean;
}

/** Asks one question until `check` accepts the answer (it returns the problem, or undefined). */
export type Ask = (question: Question, check: (answer: string) => string | undefined) => Promise<string>;

/** In the order they are asked; the command line's values are not asked again. */
export const QUESTIONS: readonly Question[] = [
  { option: 'name', flag: 'name', message: 'Cluster name (lowercase letters, digits and hyphens)?' },
  { option: 'region', flag: '--region', message: 'AWS region (e.g. us-east-1)?' },
  { option: 'baseDomain', flag: '--baseDomain', message: 'Base DNS domain (e.g. example.com)?' },
  { option: 'accountId', flag: '--accountId', message: 'AWS account id (12 digits)?' },
  { option: 'openshiftVersion', flag: '--openshiftVersion', message: 'OpenShift version (e.g. 4.16.3)?' },
  {
    option: 'ccoMode',
    flag: '--ccoMode',
    message: 'Cloud Credential Operator mode?',
    choices: CCO_MODES,
    initial: 'manual-sts',
  },
  {
    option: 'zones',
    flag: '--zones',
    message: 'Availability zones, comma-separated (empty: the installer picks)?',
    optional: true,
  },
];

/** Valid stand-ins for the options not answered yet, so that a problem of the answer at hand is all that shows. */
const PLACEHOLDERS: ClusterGeneratorSchema = {
  name: 'new-cluster',
  region: 'us-east-1',
  baseDomain: 'example.com',
  accountId: '123456789012',
  openshiftVersion: '4.16.3',
};

/**
 * The problem with `answer` to `question`, given the answers so far, or undefined when it holds. Pure apart from
 * `problems`, which is the generator's validation of a complete set of options.
 */
export function checkAnswer(
  question: Question,
  answer: string,
  answered: Partial<ClusterGeneratorSchema>,
  problems: (options: ClusterGeneratorSchema) => OptionProblem[],
): string | undefined {
  const value = answer.trim();
  if (!value && !question.optional) return 'an answer is needed';
  if (question.choices && !question.choices.includes(value)) return `expected one of ${question.choices.join(', ')}`;
  const candidate = { ...PLACEHOLDERS, ...answered, [question.option]: value || undefined };
  const found = problems(candidate).filter((p) => p.option === question.flag);
  return found.length ? found.map((p) => p.message).join('; ') : undefined;
}

/**
 * The options with what the command line left out asked for, each answer checked as it is given; without a terminal
 * (`ask` undefined) a missing required option is one error naming every missing flag.
 */
export async function completeOptions(
  given: Partial<ClusterGeneratorSchema>,
  ask: Ask | undefined,
  problems: (options: ClusterGeneratorSchema) => OptionProblem[],
): Promise<ClusterGeneratorSchema> {
  const answered: Partial<ClusterGeneratorSchema> = { ...given };
  const missing = QUESTIONS.filter((q) => answered[q.option] === undefined);
  if (!ask) {
    const required = missing.filter((q) => !q.optional && q.initial === undefined);
    if (required.length) {
      throw new Error(
        `missing ${required.map((q) => (q.option === 'name' ? 'the cluster name' : q.flag)).join(', ')}: ` +
          'give them on the command line, or run the generator at a terminal to be asked',
      );
    }
    return answered as ClusterGeneratorSchema;
  }
  for (const question of missing) {
    const answer = (await ask(question, (a) => checkAnswer(question, a, answered, problems))).trim();
    if (answer) Object.assign(answered, { [question.option]: answer });
  }
  return answered as ClusterGeneratorSchema;
}

/** Whether this process may ask: a terminal both ways, not CI, and not `--no-interactive`. */
function interactive(argv: readonly string[] = process.argv): boolean {
  if (!process.stdin.isTTY || !process.stdout.isTTY) return false;
  if (process.env['CI'] && process.env['CI'] !== 'false') return false;
  return !argv.some((a) => a === '--no-interactive' || a === '--interactive=false');
}

/** Asks on the terminal, one line per answer, saying what is wrong and asking again until the answer holds. */
export function terminalAsk(): Ask | undefined {
  if (!interactive()) return undefined;
  return async (question, check) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    try {
      const choices = question.choices ? ` (${question.choices.join(', ')})` : '';
      const initial = question.initial ? ` [${question.initial}]` : '';
      for (;;) {
        const answer = (await rl.question(`${question.message}${choices}${initial} `)).trim() || question.initial || '';
        const problem = check(answer);
        if (!problem) return answer;
        process.stdout.write(`  ${problem}\n`);
      }
    } finally {
      rl.close();
    }
  };
}
