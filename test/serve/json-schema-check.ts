/**
 * A small JSON Schema (2020-12) checker for the subset the service's OpenAPI document uses, so
 * the contract test checks answers against the document itself, not against the zod schemas it
 * came from. A keyword outside the subset throws: a schema it cannot read never passes silently.
 */
type Schema = Record<string, unknown> | boolean;

/** Keywords that say nothing about validity. */
const ANNOTATIONS = new Set(['description', 'title', 'default', 'examples', 'format', '$comment', 'deprecated', 'readOnly', 'writeOnly']);

const typeOf = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
};

const matchesType = (value: unknown, type: string): boolean => {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
};

/**
 * The problems of `value` against `schema` (empty when it conforms), each with its JSON path.
 * `refs` resolves `$ref` values (`#/components/schemas/Error`) to schemas.
 */
export function checkJsonSchema(schema: Schema, value: unknown, refs: (ref: string) => Schema, at = '$'): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${at}: no value is allowed here`];
  const problems: string[] = [];
  const fail = (what: string) => problems.push(`${at}: ${what}`);
  for (const [keyword, arg] of Object.entries(schema)) {
    if (ANNOTATIONS.has(keyword)) continue;
    switch (keyword) {
      case '$ref':
        problems.push(...checkJsonSchema(refs(arg as string), value, refs, at));
        break;
      case 'type': {
        const types = Array.isArray(arg) ? (arg as string[]) : [arg as string];
        if (!types.some((t) => matchesType(value, t))) fail(`expected ${types.join(' or ')}, got ${typeOf(value)}`);
        break;
      }
      case 'const':
        if (JSON.stringify(value) !== JSON.stringify(arg)) fail(`expected ${JSON.stringify(arg)}`);
        break;
      case 'enum':
        if (!(arg as unknown[]).some((e) => JSON.stringify(e) === JSON.stringify(value))) fail(`expected one of ${JSON.stringify(arg)}`);
        break;
      case 'anyOf':
      case 'oneOf': {
        const passing = (arg as Schema[]).filter((s) => checkJsonSchema(s, value, refs, at).length === 0).length;
        if (keyword === 'anyOf' ? passing === 0 : passing !== 1) fail(`${keyword}: ${passing} of ${(arg as Schema[]).length} alternatives match`);
        break;
      }
      case 'allOf':
        for (const s of arg as Schema[]) problems.push(...checkJsonSchema(s, value, refs, at));
        break;
      case 'properties':
        if (typeOf(value) === 'object') {
          for (const [name, s] of Object.entries(arg as Record<string, Schema>)) {
            if (Object.hasOwn(value as object, name)) problems.push(...checkJsonSchema(s, (value as Record<string, unknown>)[name], refs, `${at}.${name}`));
          }
        }
        break;
      case 'required':
        if (typeOf(value) === 'object') for (const name of arg as string[]) if (!Object.hasOwn(value as object, name)) fail(`missing "${name}"`);
        break;
      case 'additionalProperties':
        if (typeOf(value) === 'object') {
          const known = new Set(Object.keys((schema['properties'] ?? {}) as object));
          for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
            if (!known.has(name)) problems.push(...checkJsonSchema(arg as Schema, v, refs, `${at}.${name}`));
          }
        }
        break;
      case 'propertyNames':
        if (typeOf(value) === 'object')
          for (const name of Object.keys(value as object)) problems.push(...checkJsonSchema(arg as Schema, name, refs, `${at}[key]`));
        break;
      case 'items':
        if (Array.isArray(value)) value.forEach((v, i) => problems.push(...checkJsonSchema(arg as Schema, v, refs, `${at}[${i}]`)));
        break;
      case 'minItems':
      case 'maxItems':
        if (Array.isArray(value) && (keyword === 'minItems' ? value.length < (arg as number) : value.length > (arg as number)))
          fail(`${keyword} ${String(arg)}`);
        break;
      case 'minLength':
      case 'maxLength':
        if (typeof value === 'string' && (keyword === 'minLength' ? [...value].length < (arg as number) : [...value].length > (arg as number)))
          fail(`${keyword} ${String(arg)}`);
        break;
      case 'pattern':
        if (typeof value === 'string' && !new RegExp(arg as string, 'u').test(value)) fail(`does not match ${String(arg)}`);
        break;
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum': {
        if (typeof value !== 'number') break;
        const n = arg as number;
        const ok = keyword === 'minimum' ? value >= n : keyword === 'maximum' ? value <= n : keyword === 'exclusiveMinimum' ? value > n : value < n;
        if (!ok) fail(`${keyword} ${n}`);
        break;
      }
      default:
        throw new Error(`checkJsonSchema: keyword "${keyword}" at ${at} is outside the supported subset`);
    }
  }
  return problems;
}
