/**
 * The environment variables of the bash script this tool replaces (CCO_DRY_RUN, ALLOW_INSTALLER_REUSE, ...) keep
 * working as compatibility variables: an executor option, when given, wins over its variable. `1`, `true` and `yes`
 * turn one on.
 */
export function compatibilityVariable(option: boolean | undefined, variable: string, env = process.env): boolean {
  if (option !== undefined) return option;
  return ['1', 'true', 'yes'].includes((env[variable] ?? '').toLowerCase());
}
