/**
 * Command-line options for every project CLI: an unknown option, a missing value or a bad value
 * prints the usage and exits with status 2 (not a stack trace), as command-line tools do.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with strict checking; on a parse error: the problem and the usage on stderr, exit 2. */
export function parseCli<O extends Options>(options: O, usage: string, { positionals = false, argv = process.argv.slice(2) } = {}) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: positionals });
  } catch (error) {
    return exitWithUsage(usage, error instanceof Error ? error.message : String(error));
  }
}

export function exitWithUsage(usage: string, problem?: string): never {
  if (problem) console.error(problem);
  console.error(usage);
  process.exit(2);
}
