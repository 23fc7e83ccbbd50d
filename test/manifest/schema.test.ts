import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { PATTERN_MESSAGES } from '../../src/manifest/pattern-messages.js';
import { getManifestSchema, getManifestValidator } from '../../src/manifest/schema-validator.js';
import type {
  ClusterSpec,
  NamedClusterSpec,
  DatabaseSettingsSpec,
  DatabaseSpec,
  TeamDatabaseSpec,
  DefaultsSpec,
  ManifestDocument,
  OutputsSpec,
  DeliveryTargetSpec,
  PermissionSetSpec,
  PolicySpec,
  TeamSpec,
  TemplateSpec,
  TokenSpec,
} from '../../src/manifest/types.js';

type Schema = Record<string, unknown> & {
  properties?: Record<string, Schema>;
  $defs?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: boolean | Schema;
};

const schema = getManifestSchema() as Schema;
const defs = schema.$defs!;

/** Every object schema in the document, with a readable location. */
function objectSchemas(
  node: Schema,
  where: string,
  found: [string, Schema][] = [],
): [string, Schema][] {
  if (node.type === 'object') found.push([where, node]);
  for (const [key, child] of Object.entries(node.properties ?? {}))
    objectSchemas(child, `${where}.${key}`, found);
  if (node.items !== undefined) objectSchemas(node.items, `${where}[]`, found);
  if (typeof node.additionalProperties === 'object')
    objectSchemas(node.additionalProperties, `${where}.*`, found);
  return found;
}

const allObjects = [
  ...objectSchemas(schema, '(root)'),
  ...Object.entries(defs).flatMap(([name, def]) => objectSchemas(def, `$defs.${name}`)),
];

describe('schema/tokens.schema.json', () => {
  it('is a JSON Schema 2020-12 document with an $id that ajv compiles in strict mode', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(typeof schema.$id).toBe('string');
    expect(typeof getManifestValidator()).toBe('function');
  });

  it('is what the generated validator was compiled from (run node scripts/compile-manifest-schema.js)', async () => {
    // A plain-JS script (it runs before any build): imported by a path TypeScript does not follow.
    const script = '../../scripts/compile-manifest-schema.js';
    const { GENERATED, manifestValidatorSource } = (await import(script)) as {
      GENERATED: URL;
      manifestValidatorSource: () => string;
    };
    expect(readFileSync(GENERATED, 'utf8')).toBe(manifestValidatorSource());
  });

  it('closes every object: additionalProperties is false (or a schema, for named sets)', () => {
    for (const [where, node] of allObjects) {
      const closed = node.additionalProperties === false || node.propertyNames !== undefined;
      expect(closed, where).toBe(true);
    }
  });

  it('documents every property and every definition with a title, a description and examples', () => {
    const documented: [string, Schema][] = [
      ...allObjects.flatMap(([where, node]) =>
        Object.entries(node.properties ?? {}).map(([key, child]): [string, Schema] => [
          `${where}.${key}`,
          child,
        ]),
      ),
      ...Object.entries(defs).map(([name, def]): [string, Schema] => [`$defs.${name}`, def]),
    ];
    expect(documented.length).toBeGreaterThan(60);
    for (const [where, node] of documented) {
      expect(typeof node.title, `${where} title`).toBe('string');
      expect(typeof node.description, `${where} description`).toBe('string');
      expect(Array.isArray(node.examples) && node.examples.length > 0, `${where} examples`).toBe(
        true,
      );
    }
  });

  it('accepts its own examples', () => {
    const ajv = new Ajv2020({ strict: true, strictRequired: false });
    (addFormatsModule as unknown as typeof addFormatsModule.default)(ajv, ['date-time', 'uri']);
    ajv.addSchema(schema, 'tokens');
    const check = (pointer: string, examples: unknown[]): void => {
      const validate = ajv.getSchema(`tokens#${pointer}`)!;
      for (const example of examples)
        expect(validate(example), `${pointer}: ${JSON.stringify(example)}`).toBe(true);
    };
    for (const [name, def] of Object.entries(defs))
      check(`/$defs/${name}`, def.examples as unknown[]);
    for (const [key, property] of Object.entries(schema.properties!)) {
      check(`/properties/${key}`, property.examples as unknown[]);
    }
    check('', schema.examples as unknown[]);
  });

  it('has a plain-words message for every pattern and format it checks', () => {
    const checked = Object.entries(defs)
      .filter(([, def]) => def.pattern !== undefined || def.format !== undefined)
      .map(([name]) => name)
      .sort();
    expect(Object.keys(PATTERN_MESSAGES).sort()).toEqual(checked);
  });

  it('matches the TypeScript types key for key', () => {
    // `satisfies Record<keyof T, true>` fails to compile when a key is missing or extra.
    const keysOf = (node: Schema | undefined): string[] =>
      Object.keys(node?.properties ?? {}).sort();
    const props = schema.properties!;
    const tables: [string[], Record<string, true>][] = [
      [
        keysOf(schema),
        {
          version: true,
          cluster: true,
          clusters: true,
          defaults: true,
          policy: true,
          permissionSets: true,
          databases: true,
          tokens: true,
          teams: true,
          templates: true,
          outputs: true,
        } satisfies Record<keyof ManifestDocument, true>,
      ],
      [
        keysOf(props.cluster),
        {
          product: true,
          accountId: true,
          clusterId: true,
          url: true,
        } satisfies Record<keyof ClusterSpec, true>,
      ],
      [
        keysOf(props.defaults),
        {
          expiresIn: true,
          descriptionPrefix: true,
          rotateAfter: true,
          overlap: true,
          database: true,
        } satisfies Record<keyof DefaultsSpec, true>,
      ],
      [
        keysOf(props.policy),
        {
          forbidWildcardWrite: true,
          forbidWildcardRead: true,
          requireExpiry: true,
          maxExpiry: true,
          maxTokens: true,
          maxRevokes: true,
        } satisfies Record<keyof PolicySpec, true>,
      ],
      [
        keysOf(props.outputs),
        {
          secretsFile: true,
          recipients: true,
          teamSecretsFile: true,
          deliver: true,
        } satisfies Record<keyof OutputsSpec, true>,
      ],
      [
        keysOf(defs.deliveryTarget),
        {
          name: true,
          clusters: true,
          command: true,
          format: true,
          teams: true,
          timeout: true,
          concurrency: true,
        } satisfies Record<keyof DeliveryTargetSpec, true>,
      ],
      [
        keysOf(defs.namedCluster),
        {
          product: true,
          accountId: true,
          clusterId: true,
          url: true,
          concurrency: true,
        } satisfies Record<keyof NamedClusterSpec, true>,
      ],
      [
        keysOf(defs.permissionSet),
        { description: true, include: true, read: true, write: true } satisfies Record<
          keyof PermissionSetSpec,
          true
        >,
      ],
      [
        keysOf(defs.team),
        {
          name: true,
          clusters: true,
          description: true,
          databases: true,
          recipients: true,
        } satisfies Record<keyof TeamSpec, true>,
      ],
    ];
    const settingsKeys = {
      retentionPeriod: true,
      maxTables: true,
      maxColumnsPerTable: true,
      partitionTemplate: true,
    } satisfies Record<keyof DatabaseSettingsSpec, true>;
    tables.push([keysOf(defs.databaseSettings), settingsKeys]);
    tables.push([
      keysOf(defs.database),
      { ...settingsKeys, name: true, clusters: true, teams: true } satisfies Record<
        keyof DatabaseSpec,
        true
      >,
    ]);
    tables.push([
      keysOf(defs.teamDatabase),
      { ...settingsKeys, name: true } satisfies Record<keyof TeamDatabaseSpec, true>,
    ]);
    const tokenKeys = {
      name: true,
      clusters: true,
      description: true,
      sets: true,
      read: true,
      write: true,
      expiresIn: true,
      expiresAt: true,
      rotateAfter: true,
      overlap: true,
      protect: true,
      previousNames: true,
    } satisfies Record<keyof TokenSpec, true>;
    tables.push([keysOf(defs.token), tokenKeys]);
    tables.push([
      keysOf(defs.template),
      { ...tokenKeys, per: true, teams: true } satisfies Record<keyof TemplateSpec, true>,
    ]);
    for (const [schemaKeys, typeKeys] of tables)
      expect(schemaKeys).toEqual(Object.keys(typeKeys).sort());
  });
});
