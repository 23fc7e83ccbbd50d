import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import type { Product } from '../../src/model/index.js';

/** `../shared/reference/` next to the repository: present in the workspace, absent in a clone. */
const REFERENCE = resolve(import.meta.dirname, '../../../shared/reference');

/** Each product's own spec file. */
export const SPEC_PATHS: Record<Product, string> = {
  dedicated: resolve(REFERENCE, 'management-openapi.yml'),
  clustered: resolve(REFERENCE, 'clustered-management-openapi.yml'),
};

const SPEC_ID = 'https://provision.test/management-openapi';

type Json = Record<string, unknown>;

/** Validators for one operation of the spec. */
export interface SpecOperation {
  /** `GET /accounts/{accountId}/clusters/{clusterId}/tokens`. */
  key: string;
  match: RegExp;
  method: string;
  request: ValidateFunction | undefined;
  /** Per documented status: a body validator, or null when the status has no body (204). */
  responses: Map<number, ValidateFunction | null>;
}

/** The spec's operations, plus the generic `Error` schema for statuses it does not list. */
export interface LoadedSpec {
  operations: SpecOperation[];
  errorBody: ValidateFunction;
  find(method: string, path: string): SpecOperation | undefined;
}

/** Points every `#/components/…` reference at the registered components document. */
function rebase(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rebase);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      key === '$ref' && typeof inner === 'string' && inner.startsWith('#/')
        ? `${SPEC_ID}${inner}`
        : rebase(inner),
    ]),
  );
}

/**
 * An object schema written inline in an operation admits no field it does not declare:
 * the specs never say `additionalProperties: false`, but a field they do not define (an
 * account id in a Clustered body) is not faithful either.
 */
function closed(schema: unknown): unknown {
  if (typeof schema !== 'object' || schema === null) return schema;
  const object = schema as Json;
  if (object.type === 'array') return { ...object, items: closed(object.items) };
  if (object.type === 'object' && object.properties !== undefined) {
    return { ...object, unevaluatedProperties: false };
  }
  return schema;
}

export function specAvailable(product: Product): boolean {
  return existsSync(SPEC_PATHS[product]);
}

export function loadSpec(product: Product): LoadedSpec {
  const spec = parse(readFileSync(SPEC_PATHS[product], 'utf8')) as {
    paths: Json;
    components: Json;
  };
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
  addFormats(ajv);
  ajv.addFormat('int32', {
    type: 'number',
    validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 31,
  });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  ajv.addSchema({ $id: SPEC_ID, components: rebase(spec.components) });
  const components = spec.components as { responses: Record<string, Json> };
  const compile = (schema: unknown): ValidateFunction => ajv.compile(rebase(schema) as Json);
  const bodySchema = (entry: Json): unknown =>
    ((entry.content as Json | undefined)?.['application/json'] as Json | undefined)?.schema;

  const operations: SpecOperation[] = [];
  for (const [template, item] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(item as Json)) {
      const op = operation as { requestBody?: Json; responses: Record<string, Json> };
      const responses = new Map<number, ValidateFunction | null>();
      for (const [status, declared] of Object.entries(op.responses)) {
        const ref = declared.$ref;
        const entry =
          typeof ref === 'string' ? components.responses[ref.split('/').pop()!]! : declared;
        const schema = bodySchema(entry);
        responses.set(Number(status), schema === undefined ? null : compile(closed(schema)));
      }
      const requestSchema = op.requestBody === undefined ? undefined : bodySchema(op.requestBody);
      operations.push({
        key: `${method.toUpperCase()} ${template}`,
        match: new RegExp(`^/api/v0${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
        method: method.toUpperCase(),
        request: requestSchema === undefined ? undefined : compile(closed(requestSchema)),
        responses,
      });
    }
  }
  const errorBody = compile({ $ref: '#/components/schemas/Error' });
  return {
    operations,
    errorBody,
    find: (method, path) => operations.find((o) => o.method === method && o.match.test(path)),
  };
}
