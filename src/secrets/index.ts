// The secrets module's surface: seal, index, read and export the encrypted secrets file.
export { openSecretsWriter } from './open-secrets-writer.js';
export { readSecretsIndex, indexSecretsFile } from './read-secrets-index.js';
export type { ReadSecretsIndexOptions } from './read-secrets-index.js';
export { readSecrets } from './read-secrets.js';
export { decryptSecrets } from './decrypt-secrets.js';
export { checkSecretsFileSafe } from './check-secrets-file-safe.js';
export { exportSecrets, envVariableName } from './export-secrets.js';
export { presentRecords } from './present-records.js';
export type { ExportFormat } from './export-secrets.js';
export { loadIdentities } from './load-identities.js';
export type { LoadIdentitiesOptions } from './load-identities.js';
export {
  keysForWriting,
  checkRecipients,
  normalizeRecipients,
  recipientsFromEnv,
} from './keys-for-writing.js';
export type { KeysForWritingOptions } from './keys-for-writing.js';
export type * from './types.js';
export { writePrivateFile } from './write-private-file.js';
export { openDeliveryLog } from './open-delivery-log.js';
export type { DeliveryLog } from './open-delivery-log.js';
export { deliveredPairs, deliveryKey } from './read-deliveries.js';
export { readSecretsFile } from './read-secrets-file.js';
export type { DeliveredLine, ParsedSecretsFile } from './parse-secrets-file.js';
export { resealSecretsFile } from './reseal-secrets-file.js';
export type { ResealResult, ResealStage } from './reseal-secrets-file.js';
export { checkSecretsFileKeys } from './check-writing-keys.js';
export type { IndexedSecret, SecretRecord, SecretsWriter, WritingKeys } from './types.js';
