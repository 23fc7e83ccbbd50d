interface JudgedToken {
  id: string;
  description: string;
  permissions: unknown;
  revokedAt?: string | undefined;
}

export function judgeInvariants<T extends JudgedToken>(input: {
  tokens: readonly T[];
  sealedIds: ReadonlySet<string>;
  unmanagedBefore: readonly JudgedToken[];
  parseMarker: (description: string) => { name: string; retireAt?: string | undefined } | null;
}): {
  live: T[];
  duplicates: string[];
  unsealed: string[];
  touchedUnmanaged: string[];
  currentNames: Set<string>;
};
