/** A response body that does not have the shape the spec gives it; the message names the first problem. */
export class ShapeError extends Error {}
