/**
 * The environment a delivery command gets: provision's, so the store's own settings reach it
 * (PATH, HOME, VAULT_ADDR, AWS_PROFILE, GNUPGHOME, PASSWORD_STORE_DIR, KUBECONFIG, …), minus
 * provision's own secrets and knobs: the management token, the passphrase, the identity's
 * path and every `PROVISION_*` variable. The token string is never put in it.
 */
export function deliveryEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (key === 'INFLUX_MANAGEMENT_TOKEN' || key.startsWith('PROVISION_')) continue;
    out[key] = value;
  }
  return out;
}
