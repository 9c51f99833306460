/** A one-line rendering of a JSON schema: a link for a `$ref`, else type, format, enum, pattern. */

type Schema = Record<string, unknown>;

const REF_PREFIX = '#/components/schemas/';

/** The anchor id of a component schema on the docs page. */
export function schemaAnchor(name: string): string {
  return `schema-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** `ReportSummary` (linked), `string, pattern ^…$`, `"full" | "summary"`, `array of Run`. */
export function SchemaLabel(props: { schema: unknown }) {
  const schema = (props.schema ?? {}) as Schema;
  const ref = typeof schema.$ref === 'string' ? schema.$ref : undefined;
  if (ref?.startsWith(REF_PREFIX)) {
    const name = ref.slice(REF_PREFIX.length);
    return <a href={`#${schemaAnchor(name)}`}>{name}</a>;
  }
  if (schema.type === 'array') {
    return (
      <>
        array of <SchemaLabel schema={schema.items} />
      </>
    );
  }
  return <>{describe(schema)}</>;
}

function describe(schema: Schema): string {
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  const parts = [String(schema.type ?? 'any')];
  if (schema.format) parts.push(`format ${String(schema.format)}`);
  if (schema.pattern) parts.push(`pattern ${String(schema.pattern)}`);
  if (schema.minimum !== undefined || schema.maximum !== undefined) {
    parts.push(`${String(schema.minimum ?? '…')}–${String(schema.maximum ?? '…')}`);
  }
  if (schema.maxLength !== undefined) parts.push(`max ${String(schema.maxLength)} chars`);
  if (schema.default !== undefined) parts.push(`default ${JSON.stringify(schema.default)}`);
  return parts.join(', ');
}
