import type { ClientEvent, ManagementApi } from '../api/index.js';
import type { ValidationIssue } from '../manifest/index.js';
import type { ManagementTarget } from '../model/index.js';

/**
 * Where to reach the Management API and how to authenticate: a Cloud Dedicated cluster by
 * its account and cluster ids, a Clustered one by its URL alone.
 */
export type Connection = ManagementTarget & { managementToken: string };

/**
 * Makes a Management API client for a connection; `onEvent` sees its answers and retries.
 * A factory rather than a client, so each workflow step that needs the client's events (the
 * executor counts retries) subscribes by making its own, and nothing is rewired afterwards.
 */
export type ClientFactory = (
  connection: Connection,
  onEvent?: (event: ClientEvent) => void,
) => ManagementApi;

/** What a workflow reports while it runs, besides what it returns. */
export interface WorkflowReporter {
  /** A manifest problem or warning, in file order, as soon as the manifest is read. */
  issue(issue: ValidationIssue): void;
  /** Something the user should fix that does not stop the run (a readable token file). */
  warning(message: string): void;
  /** A secret this process now holds (the management token): the error edge redacts it. */
  secret(value: string): void;
}

/**
 * Everything a workflow may know of the process it runs in, passed in rather than looked
 * up, so a library caller or a test supplies its own: the folder relative paths start from,
 * the environment (recipients, identities, the management token), the clock, and a reporter.
 */
export interface WorkflowContext {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  now: () => Date;
  report: WorkflowReporter;
}
