import { InternalError } from '../../errors.js';
import type { CliIo } from '../io.js';

// Placeholder while the command is being built; replaced by its issue's work.
export function secretsListCommand(_options: Record<string, unknown>, _io: CliIo): Promise<number> {
  return Promise.reject(new InternalError('provision secrets is not built yet'));
}
export const secretsDecryptCommand = secretsListCommand;
export const secretsExportCommand = secretsListCommand;
