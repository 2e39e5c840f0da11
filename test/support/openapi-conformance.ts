/** A small OpenAPI 3 schema check for tests: does a reply's body have exactly the documented shape? */
export type OpenApiDocument = { components: { schemas: Record<string, any> }; paths: Record<string, any> };

/** Problems of `value` against `schema` (properties, required, types, nullable, enums, arrays, $ref, allOf, oneOf). */
export function schemaProblems(doc: OpenApiDocument, schema: any, value: unknown, path = '$'): string[] {
  if (!schema) return [];
  // A nullable $ref comes out as { allOf: [{ $ref }], nullable: true }: null is allowed before the parts are checked.
  if (value === null && schema.nullable) return [];
  if (schema.$ref)
    return schemaProblems(doc, doc.components.schemas[schema.$ref.split('/').pop()], value, path);
  // A nullable reference is written `{allOf: [{$ref}], nullable: true}`: null is allowed before the parts are checked.
  if (value === null && schema.nullable) return [];
  if (schema.allOf) return schema.allOf.flatMap((s: any) => schemaProblems(doc, s, value, path));
  if (schema.oneOf) {
    return schema.oneOf.some((s: any) => schemaProblems(doc, s, value, path).length === 0)
      ? []
      : [`${path}: matches none of oneOf`];
  }
  if (value === null) return schema.nullable ? [] : [`${path}: null but not nullable`];
  if (schema.enum && !schema.enum.includes(value)) return [`${path}: ${JSON.stringify(value)} not in enum`];
  const type = schema.type ?? (schema.properties ? 'object' : undefined);
  switch (type) {
    case 'string':
      return typeof value === 'string' ? [] : [`${path}: not a string`];
    case 'number':
      return typeof value === 'number' ? [] : [`${path}: not a number`];
    case 'integer':
      return Number.isInteger(value) ? [] : [`${path}: not an integer`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path}: not a boolean`];
    case 'array':
      return Array.isArray(value)
        ? value.flatMap((v, i) => schemaProblems(doc, schema.items, v, `${path}[${i}]`))
        : [`${path}: not an array`];
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return [`${path}: not an object`];
      const record = value as Record<string, unknown>;
      if (!schema.properties) return [];
      const problems = Object.keys(record)
        .filter((k) => !(k in schema.properties))
        .map((k) => `${path}.${k}: not documented`);
      for (const k of schema.required ?? []) if (!(k in record)) problems.push(`${path}.${k}: missing`);
      for (const [k, s] of Object.entries(schema.properties))
        if (k in record) problems.push(...schemaProblems(doc, s, record[k], `${path}.${k}`));
      return problems;
    }
    default:
      return [];
  }
}

/** The documented schema of a route's success reply. `template` is the OpenAPI path, e.g. /v1/assets/{id}. */
export function responseSchema(doc: OpenApiDocument, method: string, template: string, status: number): any {
  const op = doc.paths[template]?.[method.toLowerCase()];
  if (!op) throw new Error(`${method} ${template} is not in the OpenAPI document`);
  const media = op.responses[String(status)]?.content?.['application/json'];
  if (!media) throw new Error(`${method} ${template} documents no ${status} JSON reply`);
  return media.schema;
}
