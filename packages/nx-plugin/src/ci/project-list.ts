import { UserError } from '@ocp-sts/toolchain';

/**
 * A list of project names as `nx show projects --json` prints it (the deploy plan reads it on stdin, the drift table
 * in --expect). Anything else is the workflow's mistake, said in one line.
 */
export function parseProjectList(text: string, from: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) {
    const shown = text.trim().length > 60 ? `${text.trim().slice(0, 57)}...` : text.trim();
    throw new UserError(
      `${from}: expected a JSON list of project names, as nx show projects --json prints it; got ${JSON.stringify(shown)}`,
    );
  }
  return value;
}
