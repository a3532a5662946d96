/*
 * Command-line flags the way cobra/pflag read them: `--flag value` and `--flag=value`, booleans as `--flag` or
 * `--flag=true|false`; errors as `Error: unknown flag: --x`, `Error: flag needs an argument: --x` and
 * `Error: required flag(s) "a", "b" not set`, followed by the usage, with exit code 1.
 */

export interface FlagSpec {
  name: string;
  type: 'string' | 'bool';
  usage: string;
  required?: boolean;
  default?: string;
}

export interface ParsedFlags {
  strings: Map<string, string>;
  bools: Map<string, boolean>;
  args: string[];
  help: boolean;
}

export class UsageError extends Error {}

export function parseFlags(argv: string[], specs: FlagSpec[]): ParsedFlags {
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  const strings = new Map<string, string>();
  const bools = new Map<string, boolean>();
  const args: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-h' || arg === '--help') {
      help = true;
      continue;
    }
    if (!arg.startsWith('--')) {
      if (arg.startsWith('-') && arg.length > 1)
        throw new UsageError(`unknown shorthand flag: '${arg[1] ?? ''}' in ${arg}`);
      args.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const spec = byName.get(name);
    if (!spec) throw new UsageError(`unknown flag: --${name}`);
    if (spec.type === 'bool') {
      const value = eq === -1 ? 'true' : arg.slice(eq + 1);
      if (!['true', 'false', '1', '0', 't', 'f', 'TRUE', 'FALSE', 'True', 'False'].includes(value)) {
        throw new UsageError(
          `invalid argument "${value}" for "--${name}" flag: strconv.ParseBool: parsing "${value}": invalid syntax`,
        );
      }
      bools.set(name, ['true', '1', 't', 'TRUE', 'True'].includes(value));
      continue;
    }
    if (eq !== -1) {
      strings.set(name, arg.slice(eq + 1));
    } else {
      if (i + 1 >= argv.length) throw new UsageError(`flag needs an argument: --${name}`);
      strings.set(name, argv[++i]!);
    }
  }
  if (!help) {
    const missing = specs
      .filter((spec) => spec.required && !strings.has(spec.name))
      .map((spec) => `"${spec.name}"`)
      .sort();
    if (missing.length > 0) throw new UsageError(`required flag(s) ${missing.join(', ')} not set`);
  }
  for (const spec of specs) {
    if (spec.type === 'string' && !strings.has(spec.name) && spec.default !== undefined) {
      strings.set(spec.name, spec.default);
    }
  }
  return { strings, bools, args, help };
}

export function usage(commandPath: string, short: string, specs: FlagSpec[]): string {
  const width = Math.max(...specs.map((spec) => spec.name.length + (spec.type === 'string' ? 7 : 0)), 4) + 2;
  const lines = specs.map((spec) => {
    const left = `--${spec.name}${spec.type === 'string' ? ' string' : ''}`;
    return `      ${left.padEnd(width + 2)}${spec.usage}`;
  });
  lines.push(`  -h, --help${' '.repeat(width - 4)}help for ${commandPath.split(' ').pop() ?? ''}`);
  return `${short}\n\nUsage:\n  ${commandPath} [flags]\n\nFlags:\n${lines.join('\n')}\n`;
}
