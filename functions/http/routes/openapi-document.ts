/**
 * The OpenAPI document `/openapi.json` serves: the routes' zod definitions, what this API is and
 * under which terms, where it is served, and who may call it in the running mode.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AuthConfig } from '../auth/auth-config';
import type { HttpEnv } from '../env';
import { describeAccess, registerSecurity } from './openapi-security';

const DESCRIPTION =
  'Reports on document ingestion in deepset AI Platform workspaces: run a report, list and read runs, ' +
  'download the CSVs, and look at the dashboard. Errors are JSON `{ "error": { "code", "message" } }`.';

const INFO = {
  title: 'Ingestion reports',
  version: '0.1.0',
  // The package is private: no license is granted to anyone outside the team that runs it.
  license: {
    name: 'UNLICENSED (proprietary, internal use only)',
    url: 'https://docs.npmjs.com/cli/v11/configuring-npm/package-json#license',
  },
  contact: { name: 'Ingestion reports team' },
};

export type OpenApiDocument = ReturnType<OpenAPIHono<HttpEnv>['getOpenAPI31Document']>;

/** Registers the mode's security schemes once; returns the document for a request's origin. */
export function openApiDocument(
  app: OpenAPIHono<HttpEnv>,
  auth: AuthConfig,
): (origin: string) => OpenApiDocument {
  const { security, note } = registerSecurity(app, auth);
  const info = { ...INFO, description: `${DESCRIPTION}\n\n${note}` };
  return (origin) =>
    describeAccess(
      app.getOpenAPI31Document({
        openapi: '3.1.0',
        info,
        servers: [{ url: origin }],
        ...(security ? { security } : {}),
      }),
      auth,
    );
}
