import { processIo } from './io.js';
import { main } from './main.js';

// The binary's entry: set the exit code rather than exiting, so output is never cut.
process.exitCode = await main(process.argv.slice(2), processIo());
