import type { DeliveryTarget } from '../model/index.js';
import type { SecretRecord } from '../secrets/index.js';

/** One token to hand to one target. Holds the string: keep it in memory only. */
export interface DeliveryJob {
  target: DeliveryTarget;
  record: SecretRecord;
  /** The secrets file holding the record (absolute): where the delivery is recorded. */
  secretsFile: string;
}

/** How one delivery ended. Never holds the token string (stderr is redacted). */
export interface DeliveryOutcome {
  target: string;
  name: string;
  team: string | null;
  tokenId: string;
  ok: boolean;
  /** `exit 0`, `exit 1`, `killed by SIGSEGV`, `timed out after 5s`, `not started: …`. */
  status: string;
  /** The last lines of the command's stderr, with the token string redacted. */
  stderr: string[];
  /** Where the file said so, or why it could not (`null`: recorded). */
  recordError: string | null;
}

/** Where a delivery's command runs and what it may see of provision's process. */
export interface DeliveryContext {
  /** The manifest's folder: relative programs and the commands' working directory. */
  cwd: string;
  /** provision's environment; the commands get it without provision's own secrets. */
  env: NodeJS.ProcessEnv;
}
