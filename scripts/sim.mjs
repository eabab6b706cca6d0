/**
 * `npm run sim`: runs the command line from its bundle (see cliBundle.mjs), building it first
 * when it is missing or a file it was built from has changed, so that an edit under src/ is
 * never run stale.
 */
import { pathToFileURL } from 'node:url';
import { buildCli, CLI_BUNDLE, isStale } from './cliBundle.mjs';

if (isStale()) await buildCli();
// Run the bundle as if Node had been started on it: it calls its own main() when it is the
// entry point, with the exit codes and error reporting of src/cli.ts.
process.argv[1] = CLI_BUNDLE;
await import(pathToFileURL(CLI_BUNDLE).href);
