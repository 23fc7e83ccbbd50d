/**
 * The `tokens.yaml` that `provision init` writes: valid as it stands, with the editor's
 * `$schema` line, the platform team as the recipient of every sealed string, and comments
 * that say where the cluster ids come from.
 */
export function starterManifest(options: { schemaRef: string; recipient: string }): string {
  return `# yaml-language-server: $schema=${options.schemaRef}
# The database tokens this cluster should have. \`provision plan\` shows what \`provision apply\`
# would change; nothing here is secret.
version: 1
# cluster: # or INFLUX_ACCOUNT_ID / INFLUX_CLUSTER_ID; both ids are in \`influxctl cluster list\`
#   accountId: 00000000-0000-4000-8000-000000000000
#   clusterId: 00000000-0000-4000-8000-000000000000
defaults:
  expiresIn: 90d
  rotateAfter: 60d
  overlap: 7d
policy:
  forbidWildcardWrite: true
  requireExpiry: true
  maxExpiry: 365d
permissionSets:
  example-reader:
    read: [example]
tokens:
  - name: example-reader
    description: Reads the example database
    sets: [example-reader]
outputs:
  secretsFile: secrets/tokens.sealed
  recipients:
    - ${options.recipient} # the platform team; its private key is never committed
`;
}
