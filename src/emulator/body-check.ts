/** A validated body, or the 400 message explaining what is wrong. */
export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

/** Thrown by the readers below a `check`: what is wrong with the body, for its 400. */
class BodyError extends Error {}

/** Stops reading a body: `message` is what the 400 says. */
export function fail(message: string): never {
  throw new BodyError(message);
}

/** Runs a body reader; a `fail` inside becomes the 400's message, any other error a bug. */
export function check<T>(read: () => T): Checked<T> {
  try {
    return { ok: true, value: read() };
  } catch (error) {
    if (error instanceof BodyError) return { ok: false, message: error.message };
    throw error;
  }
}
