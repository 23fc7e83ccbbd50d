/**
 * The CI workflow `provision init` writes: the same bytes as `examples/ci/github-actions.yml`
 * (a test keeps them equal), inlined because an installed package ships no examples/.
 */
// Both jobs start the same way: the repository, Node, and provision built from source.
const SETUP_STEPS = `      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with: { node-version: 20 }
      - uses: actions/checkout@v4 # the provision tool itself, built from source
        with: { repository: your-org/provision, path: .provision }
      - run: cd .provision && npm ci && npm run build && npm link
`;

export const CI_WORKFLOW = `# Plan on pull requests (the plan is posted as a sticky comment, the full plan uploaded as an
# artifact), apply on the main branch. Copy to .github/workflows/tokens.yml (\`provision init\`
# writes it). Secrets to set in the repository:
#   INFLUX_MANAGEMENT_TOKEN   a Cloud Dedicated management token
# Variables: INFLUX_ACCOUNT_ID, INFLUX_CLUSTER_ID (or put them in tokens.yaml).
# Recipients of the sealed token strings come from tokens.yaml (outputs.recipients).
name: database tokens

on:
  pull_request:
    paths: [tokens.yaml]
  push:
    branches: [main]
    paths: [tokens.yaml]
  schedule:
    - cron: '17 3 * * *' # nightly: rotate what is due or expiring soon

permissions:
  contents: read
  pull-requests: write

concurrency:
  group: database-tokens # one apply at a time per cluster
  cancel-in-progress: false

env:
  INFLUX_ACCOUNT_ID: \${{ vars.INFLUX_ACCOUNT_ID }}
  INFLUX_CLUSTER_ID: \${{ vars.INFLUX_CLUSTER_ID }}
  INFLUX_MANAGEMENT_TOKEN: \${{ secrets.INFLUX_MANAGEMENT_TOKEN }}

jobs:
  plan:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    steps:
${SETUP_STEPS}      - run: provision validate -f tokens.yaml
      - id: plan
        # 0 = no changes, 2 = changes, 1 = error (fails the job). plan.json is the full plan,
        # plan.txt every change in words; plan.md fits a comment (condensed when it is long).
        run: |
          set +e
          provision plan -f tokens.yaml --detailed-exitcode --out plan.json --format markdown > plan.md
          code=$?
          set -e
          [ "$code" -eq 1 ] && exit 1
          provision plan -f tokens.yaml --verbose > plan.txt
          echo "changes=$([ "$code" -eq 2 ] && echo true || echo false)" >> "$GITHUB_OUTPUT"
      - uses: actions/upload-artifact@v4
        with:
          name: provision-plan
          path: |
            plan.json
            plan.txt
            plan.md
          retention-days: 30
      # The comment starts with <!-- provision-plan -->; the action replaces its own comment.
      - uses: marocchino/sticky-pull-request-comment@v2
        with:
          header: provision-plan
          path: plan.md

  apply:
    if: github.event_name != 'pull_request'
    runs-on: ubuntu-latest
    environment: production # require a reviewer before tokens change
    steps:
${SETUP_STEPS}      # The secrets files are append-only: fetch the previous run's so new strings join them.
      - uses: dawidd6/action-download-artifact@v6
        with: { name: sealed-tokens, path: secrets, if_no_artifact_found: ignore }
      - name: apply
        # A plan that revokes or replaces more than half of the managed tokens is refused
        # (exit 1) unless --allow-mass-revoke is added here on purpose, for one run.
        run: |
          extra=""
          [ "\${{ github.event_name }}" = schedule ] && extra="--expiring-within 14d"
          provision apply -f tokens.yaml --yes --format json $extra | tee apply.jsonl
      # Encrypted to the manifest's recipients: only they can open it.
      - uses: actions/upload-artifact@v4
        if: always()
        with:
          name: sealed-tokens
          path: secrets/
          retention-days: 90
`;
