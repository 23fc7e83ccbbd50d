/** `path` as the user would type it: relative to `cwd` when inside it, else as it is. */
export function displayPath(cwd: string, path: string): string {
  return path.startsWith(`${cwd}/`) ? path.slice(cwd.length + 1) : path;
}
