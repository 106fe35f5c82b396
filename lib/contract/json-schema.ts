import * as z from 'zod/mini';

/** A JSON Schema as plain data. */
export type JsonSchema = Record<string, unknown>;

/**
 * `schema` as JSON Schema 2020-12, the dialect of OpenAPI 3.1: the input side (what a client
 * sends: a default makes a field optional, a transform's input is what travels), or the output
 * side (query parameters, whose parsed types, integers, are what a client should generate).
 */
export function documentSchema(schema: z.ZodMiniType, io: 'input' | 'output' = 'input'): JsonSchema {
  const { $schema: _, ...json } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'throw' }) as JsonSchema;
  return json;
}

/**
 * The keywords of JSON Schema draft 4 that API Gateway's request validator applies
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/models-mappings-models.html).
 * Anything else in a model would be ignored there, or refused at deploy: a request the function
 * would refuse would then pass the gateway, or the stack would not deploy.
 */
const DRAFT4_KEYWORDS = new Set([
  '$schema',
  'title',
  'description',
  'default',
  'type',
  'enum',
  'properties',
  'required',
  'additionalProperties',
  'patternProperties',
  'minProperties',
  'maxProperties',
  'items',
  'additionalItems',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'anyOf',
  'oneOf',
  'allOf',
  'not',
]);

/** Keywords whose value is a schema, or a map or list of schemas: the walk goes into these only. */
const SUBSCHEMA_KEYWORDS = new Set([
  'properties',
  'patternProperties',
  'additionalProperties',
  'items',
  'additionalItems',
  'anyOf',
  'oneOf',
  'allOf',
  'not',
]);

export class UnsupportedByGatewayError extends Error {
  override readonly name = 'UnsupportedByGatewayError';
}

/**
 * `schema` as an API Gateway model: JSON Schema draft 4, the input side (what the client sends),
 * everything inline, titled `title`. What draft 4 cannot say is converted where the meaning is
 * kept (`const` → a one-value `enum`, a numeric `exclusiveMinimum` → `minimum` with the boolean
 * form, an empty `required` dropped), and dropped where the function checks it anyway (`format`:
 * API Gateway's validator reads formats its own way, and a value zod accepts must not be refused
 * before the function could tell the client why; `examples`, draft 6+). Anything else throws: the
 * model would not mean what the schema means.
 *
 * Refinements (`z.refine`) are not representable in any JSON Schema; the functions keep checking
 * them (the gateway refuses what is malformed, the function what is wrong).
 */
export function gatewayModel(schema: z.ZodMiniType, title: string): JsonSchema {
  const json = z.toJSONSchema(schema, { target: 'draft-4', io: 'input', unrepresentable: 'throw' }) as JsonSchema;
  return { ...toDraft4(json, '#'), $schema: 'http://json-schema.org/draft-04/schema#', title };
}

/** Converts a draft-4-ish schema node (and its subschemas) to what API Gateway applies; see gatewayModel. */
export function toDraft4(node: JsonSchema, where: string): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'format' || key === 'examples') continue;
    if (key === 'const') {
      out.enum = [value];
      continue;
    }
    if ((key === 'exclusiveMinimum' || key === 'exclusiveMaximum') && typeof value === 'number') {
      out[key === 'exclusiveMinimum' ? 'minimum' : 'maximum'] = value;
      out[key] = true;
      continue;
    }
    if (key === 'required' && Array.isArray(value) && value.length === 0) continue;
    if (!DRAFT4_KEYWORDS.has(key))
      throw new UnsupportedByGatewayError(`${where}: "${key}" is not a JSON Schema draft 4 keyword API Gateway applies`);
    out[key] = SUBSCHEMA_KEYWORDS.has(key) ? subschemas(key, value, `${where}/${key}`) : value;
  }
  return out;
}

function subschemas(key: string, value: unknown, where: string): unknown {
  if (typeof value === 'boolean') {
    if (key === 'additionalProperties' || key === 'additionalItems') return value;
    throw new UnsupportedByGatewayError(`${where}: a boolean schema is not draft 4`);
  }
  if (Array.isArray(value)) return value.map((v, i) => toDraft4(v as JsonSchema, `${where}/${i}`));
  if (key === 'properties' || key === 'patternProperties') {
    return Object.fromEntries(Object.entries(value as JsonSchema).map(([k, v]) => [k, toDraft4(v as JsonSchema, `${where}/${k}`)]));
  }
  return toDraft4(value as JsonSchema, where);
}

type Path = ReadonlyArray<string | number>;

/** Rebuilds `node` bottom-up, letting `visit` replace each schema node (objects that are subschemas). */
export function walk(node: JsonSchema, visit: (node: JsonSchema, path: Path) => JsonSchema, path: Path = []): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = walkValue(key, value, visit, [...path, key]);
  }
  return visit(out, path);
}

function walkValue(key: string, value: unknown, visit: (node: JsonSchema, path: Path) => JsonSchema, path: Path): unknown {
  const schemaHolder = SUBSCHEMA_KEYWORDS.has(key) || key === 'prefixItems' || key === '$defs' || key === 'propertyNames';
  if (!schemaHolder || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((v, i) => (isObject(v) ? walk(v, visit, [...path, i]) : v));
  if (key === 'properties' || key === 'patternProperties' || key === '$defs') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isObject(v) ? walk(v, visit, [...path, k]) : v]));
  }
  return walk(value as JsonSchema, visit, path);
}

const isObject = (v: unknown): v is JsonSchema => typeof v === 'object' && v !== null && !Array.isArray(v);
