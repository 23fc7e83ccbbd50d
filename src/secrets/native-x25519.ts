import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { bech32 } from '@scure/base';
import { Stanza, type Identity, type Recipient } from 'age-encryption';
import { hkdfSha256 } from './hkdf-sha256.js';

// age's X25519 recipient stanza (age-encryption.org/v1, "X25519 recipient type") done with
// Node's native X25519: age-encryption's own goes through WebCrypto key imports that cost
// ~1.5 ms per record, which a 1,000-token apply would pay on its event loop. The header MAC
// and payload stay age-encryption's; tests prove both directions interoperate with it and
// with the age CLI.
const LABEL = Buffer.from('age-encryption.org/v1/X25519');
const SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');
const PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const ZERO_NONCE = Buffer.alloc(12);
// X25519's base point (u = 9): X25519(k, 9) is k's public key. Deriving the ephemeral share
// with it costs less than exporting the generated public key (an OpenSSL encoder per call).
const BASE_POINT = createPublicKey({
  key: Buffer.concat([SPKI_PREFIX, Buffer.from([9]), Buffer.alloc(31)]),
  format: 'der',
  type: 'spki',
});

/** Encrypts file keys to one X25519 recipient (`age1…`). */
export class NativeX25519Recipient implements Recipient {
  private readonly recipient: Buffer;
  private readonly key: KeyObject;

  constructor(recipient: string) {
    this.recipient = decodeKey(recipient, 'age');
    this.key = createPublicKey({
      key: der(SPKI_PREFIX, this.recipient),
      format: 'der',
      type: 'spki',
    });
  }

  wrapFileKey(fileKey: Uint8Array): Stanza[] {
    const { privateKey } = generateKeyPairSync('x25519');
    const share = diffieHellman({ privateKey, publicKey: BASE_POINT });
    const secret = diffieHellman({ privateKey, publicKey: this.key });
    assertContributory(secret);
    const cipher = createCipheriv(
      'chacha20-poly1305',
      wrapKey(secret, share, this.recipient),
      ZERO_NONCE,
      {
        authTagLength: 16,
      },
    );
    const body = Buffer.concat([cipher.update(fileKey), cipher.final(), cipher.getAuthTag()]);
    return [new Stanza(['X25519', share.toString('base64').replace(/=+$/, '')], body)];
  }
}

/** Decrypts file keys sealed to one X25519 identity (`AGE-SECRET-KEY-1…`). */
export class NativeX25519Identity implements Identity {
  private readonly key: KeyObject;
  private readonly recipient: Buffer;

  constructor(identity: string) {
    const secret = decodeKey(identity, 'age-secret-key-');
    this.key = createPrivateKey({ key: der(PKCS8_PREFIX, secret), format: 'der', type: 'pkcs8' });
    this.recipient = createPublicKey(this.key).export({ format: 'der', type: 'spki' }).subarray(12);
  }

  unwrapFileKey(stanzas: Stanza[]): Uint8Array | null {
    for (const stanza of stanzas) {
      if (stanza.args[0] !== 'X25519') continue;
      const encoded = stanza.args[1] ?? '';
      const share = Buffer.from(encoded, 'base64');
      const canonical = share.toString('base64').replace(/=+$/, '') === encoded;
      if (
        stanza.args.length !== 2 ||
        !canonical ||
        share.length !== 32 ||
        stanza.body.length !== 32
      ) {
        throw new Error('invalid X25519 stanza');
      }
      const publicKey = createPublicKey({
        key: der(SPKI_PREFIX, share),
        format: 'der',
        type: 'spki',
      });
      const secret = diffieHellman({ privateKey: this.key, publicKey });
      assertContributory(secret);
      const key = wrapKey(secret, share, this.recipient);
      const decipher = createDecipheriv('chacha20-poly1305', key, ZERO_NONCE, {
        authTagLength: 16,
      });
      decipher.setAuthTag(stanza.body.subarray(16));
      try {
        return Buffer.concat([decipher.update(stanza.body.subarray(0, 16)), decipher.final()]);
      } catch {
        continue; // sealed to another recipient
      }
    }
    return null;
  }
}

function decodeKey(text: string, prefix: string): Buffer {
  const decoded = bech32.decodeToBytes(text);
  if (decoded.prefix.toLowerCase() !== prefix || decoded.bytes.length !== 32) {
    throw new Error('invalid age key');
  }
  return Buffer.from(decoded.bytes);
}

function der(prefix: Buffer, key: Buffer): Buffer {
  return Buffer.concat([prefix, key]);
}

function wrapKey(secret: Buffer, share: Buffer, recipient: Buffer): Buffer {
  return hkdfSha256(secret, Buffer.concat([share, recipient]), LABEL, 32);
}

// age aborts on an all-zero shared secret (a low-order point).
function assertContributory(secret: Buffer): void {
  if (secret.every((byte) => byte === 0)) throw new Error('X25519 shared secret is all zero');
}
