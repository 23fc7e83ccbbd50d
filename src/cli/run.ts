import { tuneHeap } from './tune-heap.js';
import { VERSION } from './version.js';

const argv = process.argv.slice(2);
// `provision --version` is what scripts and install checks run: answered before commander
// and the commands load, it costs little more than starting Node. Same text as commander's.
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`${VERSION}\n`);
} else {
  tuneHeap();
  const [{ processIo }, { main }] = await Promise.all([import('./io.js'), import('./main.js')]);
  // `provision plan | head`: a reader that goes away is not an error worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
  // The binary's entry: set the exit code rather than exiting, so output is never cut.
  process.exitCode = await main(argv, processIo());
}
