import { processIo } from './io.js';
import { main } from './main.js';

// `provision plan | head`: a reader that goes away is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

// The binary's entry: set the exit code rather than exiting, so output is never cut.
process.exitCode = await main(process.argv.slice(2), processIo());
