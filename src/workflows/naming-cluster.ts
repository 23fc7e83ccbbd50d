/**
 * Runs one cluster's step; an error from it names the cluster (`staging: GET … failed`),
 * as it is printed: with several clusters, a URL alone does not say which one failed.
 */
export async function namingCluster<T>(cluster: string | null, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (cluster !== null && error instanceof Error && !error.message.startsWith(`${cluster}: `)) {
      error.message = `${cluster}: ${error.message}`;
    }
    throw error;
  }
}
