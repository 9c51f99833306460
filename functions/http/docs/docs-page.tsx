/**
 * `/docs`: the OpenAPI document as a readable, self-contained page (no Swagger UI: that would
 * load scripts, and the page must work with no network). Every route with its parameters and
 * responses, then every schema.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { HtmlPage } from '../html-page';
import { SchemaLabel, schemaAnchor } from './schema-label';
import { DOCS_CSS } from './styles';

/** The OpenAPI 3.1 document the app generates from its route definitions. */
export type OpenApiDocument = ReturnType<OpenAPIHono['getOpenAPI31Document']>;
type Operation = {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: unknown }[];
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
};

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** The docs page of `doc`. */
export function DocsPage(props: { doc: OpenApiDocument }) {
  const { doc } = props;
  const operations = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    METHODS.filter((method) => (item as Record<string, unknown>)[method]).map((method) => ({
      path,
      method,
      op: (item as Record<string, Operation>)[method]!,
    })),
  );
  return (
    <HtmlPage title={`${doc.info.title} · API`} css={DOCS_CSS}>
      <main>
        <h1>{doc.info.title}</h1>
        <p>{doc.info.description}</p>
        <p>
          Version {doc.info.version} · OpenAPI {doc.openapi} · <a href="openapi.json">openapi.json</a>
        </p>
        <nav aria-label="Routes">
          <ul>
            {operations.map(({ path, method, op }) => (
              <li>
                <a href={`#${anchor(method, path)}`}>
                  <code>
                    {method.toUpperCase()} {path}
                  </code>
                </a>{' '}
                {op.summary}
              </li>
            ))}
          </ul>
        </nav>
        {operations.map((operation) => (
          <OperationSection {...operation} />
        ))}
        <h2>Schemas</h2>
        {Object.entries(doc.components?.schemas ?? {}).map(([name, schema]) => (
          <section id={schemaAnchor(name)}>
            <h3>{name}</h3>
            <pre>{JSON.stringify(schema, null, 2)}</pre>
          </section>
        ))}
      </main>
    </HtmlPage>
  );
}

function anchor(method: string, path: string): string {
  return `${method}-${path.replace(/[^A-Za-z0-9]+/g, '-')}`;
}

function OperationSection(props: { path: string; method: string; op: Operation }) {
  const { op } = props;
  return (
    <section class="operation" id={anchor(props.method, props.path)}>
      <h2>
        <span class={`method ${props.method}`}>{props.method.toUpperCase()}</span> <code>{props.path}</code>
      </h2>
      <p>
        <strong>{op.summary}</strong>
      </p>
      {op.description && <p>{op.description}</p>}
      {op.parameters?.length ? <Parameters parameters={op.parameters} /> : <p>No parameters.</p>}
      <Responses responses={op.responses ?? {}} />
    </section>
  );
}

function Parameters(props: { parameters: NonNullable<Operation['parameters']> }) {
  return (
    <table>
      <caption>Parameters</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">In</th>
          <th scope="col">Required</th>
          <th scope="col">Schema</th>
          <th scope="col">Description</th>
        </tr>
      </thead>
      <tbody>
        {props.parameters.map((p) => (
          <tr>
            <th scope="row">
              <code>{p.name}</code>
            </th>
            <td>{p.in}</td>
            <td>{p.required ? 'yes' : 'no'}</td>
            <td>
              <SchemaLabel schema={p.schema} />
            </td>
            <td>{p.description ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Responses(props: { responses: NonNullable<Operation['responses']> }) {
  return (
    <table>
      <caption>Responses</caption>
      <thead>
        <tr>
          <th scope="col">Status</th>
          <th scope="col">Description</th>
          <th scope="col">Body</th>
        </tr>
      </thead>
      <tbody>
        {Object.entries(props.responses).map(([status, response]) => (
          <tr>
            <th scope="row">{status}</th>
            <td>{response.description ?? ''}</td>
            <td>
              {Object.entries(response.content ?? {}).map(([type, media]) => (
                <div>
                  <code>{type}</code>: <SchemaLabel schema={media.schema} />
                </div>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
