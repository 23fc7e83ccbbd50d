import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { drawFaults } from './draw-faults.js';
import type { Product } from '../model/index.js';
import type { EmulatorStore } from './emulator-store.js';
import { errorReply, parseJson, readBody, writeReply, type Reply } from './http-io.js';
import { dataPlaneOperation, routeDataPlane } from './route-data-plane.js';
import { isMutation, managementOperation, routeManagement } from './route-management.js';
import type { Exchange, FaultSettings } from './types.js';

/** Everything the request handler shares across requests. */
export interface HandlerContext {
  store: EmulatorStore;
  /** Which product's paths and bodies are served. */
  product: Product;
  managementToken: string;
  faults: FaultSettings;
  random: () => number;
  persist: (() => Promise<void>) | undefined;
  onExchange: ((exchange: Exchange) => void) | undefined;
  inflight: number;
}

/**
 * One request's life: count it, apply the fault knobs in the order a real service would
 * meet them (overload and rate limits before any work, latency, a 5xx before anything is
 * done), route it, make a mutation durable, then answer — or, for the ambiguous fault,
 * commit and drop the connection without a response.
 */
export async function handleRequest(
  context: HandlerContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const { store, faults } = context;
  const url = new URL(request.url ?? '/', 'http://emulator.invalid');
  const method = request.method ?? 'GET';
  const isManagement = url.pathname.startsWith('/api/v0/');
  const operation = isManagement
    ? managementOperation(context.product, method, url.pathname)
    : (dataPlaneOperation(url.pathname) ?? 'unknown');
  store.countOperation(operation);
  const draw = drawFaults(faults, context.random);
  const retryAfter = { 'retry-after': String(faults.retryAfterSeconds) };

  if (!isManagement) {
    const bodyText = (await readBody(request)) ?? '';
    if (draw.delayMs > 0) await delay(draw.delayMs);
    const authorization = request.headers.authorization;
    writeReply(
      response,
      routeDataPlane(store, faults.activationDelayMs, { method, url, authorization, bodyText }),
    );
    return;
  }

  context.inflight += 1;
  response.once('close', () => {
    context.inflight -= 1;
  });
  const bodyText = await readBody(request);
  const requestBody =
    bodyText === undefined || bodyText === ''
      ? undefined
      : ((p) => (p.ok ? p.value : bodyText))(parseJson(bodyText));
  const answer = (reply: Reply | undefined): void => {
    if (reply === undefined) response.destroy();
    else writeReply(response, reply);
    context.onExchange?.({
      method,
      path: url.pathname,
      operation,
      requestBody,
      status: reply?.status,
      responseBody: reply?.body,
    });
  };

  if (faults.maxInflight > 0 && context.inflight > faults.maxInflight) {
    store.counters.faults.overloaded += 1;
    answer(errorReply(429, 'too many requests in flight', retryAfter));
    return;
  }
  if (draw.delayMs > 0) await delay(draw.delayMs);
  if (draw.rateLimited) {
    store.counters.faults.rateLimited += 1;
    answer(errorReply(429, 'rate limit exceeded', retryAfter));
    return;
  }
  if (draw.serverError !== undefined) {
    store.counters.faults.serverErrors += 1;
    const message = draw.serverError === 500 ? 'internal server error' : 'service unavailable';
    answer(
      errorReply(draw.serverError, message, draw.serverError === 503 ? retryAfter : undefined),
    );
    return;
  }

  const reply = routeManagement(store, context.product, context.managementToken, faults.listLagMs, {
    method,
    pathname: url.pathname,
    authorization: request.headers.authorization,
    bodyText,
  });
  if (reply.committed === true && context.persist !== undefined) {
    try {
      await context.persist();
    } catch {
      answer(errorReply(500, 'internal server error: the emulator could not write its state file'));
      return;
    }
  }
  if (reply.committed === true && isMutation(operation) && draw.ambiguous) {
    store.counters.faults.ambiguous += 1;
    answer(undefined);
    return;
  }
  answer(reply);
}
