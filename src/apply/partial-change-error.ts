/**
 * A change that failed after its new token was created and its string sealed (a replace
 * whose old token could not be retired, a token that never became active): the result
 * still names the new token and the file that holds its string.
 */
export class PartialChangeError extends Error {
  constructor(
    readonly tokenId: string,
    readonly secretsFile: string,
    message: string,
  ) {
    super(message);
  }
}
