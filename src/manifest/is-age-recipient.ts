const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
const SHAPE = /^age1[02-9ac-hj-np-z]{58}$/;

/**
 * Whether the text is an age X25519 recipient: `age1`, then 52 bech32 characters holding
 * 32 bytes, then a valid 6-character bech32 checksum. The checksum catches a mistyped or
 * truncated key at validation time instead of at the first apply. (Checked here rather than
 * by loading age-encryption, which would slow every start of the CLI.)
 */
export function isAgeRecipient(text: string): boolean {
  if (!SHAPE.test(text)) return false;
  const data = [...text.slice(4)].map((char) => CHARSET.indexOf(char));
  // 32 bytes are 256 bits; the 52nd 5-bit group carries 4 bits of padding, which are zero.
  if ((data[51]! & 0b1111) !== 0) return false;
  return polymod([...expandPrefix('age'), ...data]) === 1;
}

function expandPrefix(prefix: string): number[] {
  const codes = [...prefix].map((char) => char.charCodeAt(0));
  return [...codes.map((code) => code >> 5), 0, ...codes.map((code) => code & 31)];
}

function polymod(values: readonly number[]): number {
  let checksum = 1;
  for (const value of values) {
    const top = checksum >>> 25;
    checksum = ((checksum & 0x1ffffff) << 5) ^ value;
    GENERATOR.forEach((generator, bit) => {
      if ((top >>> bit) & 1) checksum ^= generator;
    });
  }
  return checksum;
}
