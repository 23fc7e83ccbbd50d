import type { PartitionTemplatePart } from '../model/index.js';

const NS_PER_S = 1e9;
const UNITS = [
  ['d', 86_400],
  ['h', 3_600],
  ['m', 60],
  ['s', 1],
] as const;

/** `infinite`, `30d`, `1d12h`, or `1500ns` for what no duration of the manifest can write. */
export function describeRetention(ns: number): string {
  if (ns === 0) return 'infinite';
  if (ns % NS_PER_S !== 0) return `${ns}ns`;
  let seconds = ns / NS_PER_S;
  let text = '';
  for (const [unit, size] of UNITS) {
    const n = Math.floor(seconds / size);
    if (n > 0) text += `${n}${unit}`;
    seconds -= n * size;
  }
  return text;
}

/** `time %Y-%m-%d | tag region | bucket host (10)`, or `the default (by day)` for none. */
export function describeTemplate(parts: readonly PartitionTemplatePart[] | undefined): string {
  if (parts === undefined) return 'the default (by day)';
  return parts
    .map((part) =>
      part.type === 'bucket'
        ? `bucket ${JSON.stringify(part.value.tagName)} (${part.value.numberOfBuckets})`
        : `${part.type} ${JSON.stringify(part.value)}`,
    )
    .join(' | ');
}
