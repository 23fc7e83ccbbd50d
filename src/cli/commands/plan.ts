import { InternalError } from '../../errors.js';
import type { CliIo } from '../io.js';

// Placeholder while the command is being built; replaced by its issue's work.
export function planCommand(_options: Record<string, unknown>, _io: CliIo): Promise<number> {
  return Promise.reject(new InternalError('provision plan is not built yet'));
}
