/**
 * Size caps for every file provision reads. Each is far above what a real run produces and
 * far below what would exhaust memory, so `/dev/zero`, a huge file or a hostile one costs a
 * clear error instead of the machine. Documented in the README ("Bounds").
 */
export const READ_LIMITS = {
  /** tokens.yaml. A 10,000-token manifest is about 1.5 MiB. */
  manifestBytes: 5 * 1024 * 1024,
  /** A saved plan. 10,000 changes are about 6 MiB of JSON. */
  planBytes: 64 * 1024 * 1024,
  /** `--management-token-file`. A management token is about 100 bytes. */
  managementTokenBytes: 64 * 1024,
  /** An age identity file (`-i`, `PROVISION_AGE_IDENTITY`). */
  identityBytes: 1024 * 1024,
  /** The encrypted secrets file: about 1 KiB per sealed token, so room for 200,000. */
  secretsBytes: 256 * 1024 * 1024,
  /** The emulator's `--state` file. */
  emulatorStateBytes: 256 * 1024 * 1024,
} as const;
