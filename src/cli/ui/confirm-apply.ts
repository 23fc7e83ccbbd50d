import type { CliIo } from '../io.js';

/** Asks on the terminal, the way Terraform does; anything but yes keeps the cluster as it is. */
export async function confirmApply(io: CliIo, changes: number): Promise<boolean> {
  // Loaded only to ask: `apply --yes` and CI never pay for the prompt library.
  const { default: confirm } = await import('@inquirer/confirm');
  try {
    return await confirm(
      { message: `Apply these ${changes} changes?`, default: false },
      { input: io.stdin, output: io.stdout },
    );
  } catch (error) {
    // Ctrl-C or a closed stdin at the prompt: nothing has been done, so say no.
    if (error instanceof Error && error.name === 'ExitPromptError') return false;
    throw error;
  }
}
