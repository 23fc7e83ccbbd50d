const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

/**
 * Decodes a bech32 string (BIP 173, without its 90-character limit, as age uses it) into
 * its lower-cased prefix and bytes; throws on a bad character, checksum or padding. age
 * keys are bech32: `age1…` recipients and `AGE-SECRET-KEY-1…` identities.
 */
export function decodeBech32(text: string): { prefix: string; bytes: Uint8Array } {
  const lower = text.toLowerCase();
  if (text !== lower && text !== text.toUpperCase()) throw new Error('bech32: mixed case');
  const separator = lower.lastIndexOf('1');
  if (separator < 1 || lower.length - separator < 7) throw new Error('bech32: malformed');
  const prefix = lower.slice(0, separator);
  const data = [...lower.slice(separator + 1)].map((char) => {
    const value = CHARSET.indexOf(char);
    if (value === -1) throw new Error('bech32: bad character');
    return value;
  });
  const expanded = [...prefix].map((c) => c.charCodeAt(0) >> 5);
  expanded.push(0, ...[...prefix].map((c) => c.charCodeAt(0) & 31));
  if (polymod([...expanded, ...data]) !== 1) throw new Error('bech32: bad checksum');
  return { prefix, bytes: fiveToEight(data.slice(0, -6)) };
}

function polymod(values: number[]): number {
  let checksum = 1;
  for (const value of values) {
    const top = checksum >>> 25;
    checksum = ((checksum & 0x1ffffff) << 5) ^ value;
    GENERATOR.forEach((g, i) => {
      if ((top >>> i) & 1) checksum ^= g;
    });
  }
  return checksum;
}

function fiveToEight(words: number[]): Uint8Array {
  const out: number[] = [];
  let accumulator = 0;
  let bits = 0;
  for (const word of words) {
    accumulator = ((accumulator << 5) | word) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((accumulator >> bits) & 0xff);
    }
  }
  if (bits >= 5 || ((accumulator << (8 - bits)) & 0xff) !== 0) {
    throw new Error('bech32: bad padding');
  }
  return Uint8Array.from(out);
}
