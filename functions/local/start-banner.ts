/** What `npm start` prints once everything runs: where the API, S3, report and pages are. */
import { relative } from 'node:path';
import { SCRIPT_CLIENT_ID, SCRIPT_GROUPS } from '../../emulator/oidc/users';
import type { LocalServer } from './local-server';

/** The banner text (ends with a newline). */
export function startBanner(local: LocalServer, dataDir: string): string {
  const { url, workspace } = local;
  const lines = [
    '',
    'ingestion-reports is running',
    `  upstream API   ${local.api.url}${local.api.embedded ? ' (embedded emulator)' : ''}`,
    `  S3             ${local.s3.endpoint} (s3rver), data in ${relative(process.cwd(), dataDir) || '.'}/s3`,
    `  reports        ${local.storeLocation}`,
    ...reportLines(local),
    ...signInLines(local),
    '',
    ...(workspace
      ? [
          `  Home           ${url}/`,
          `  Dashboard      ${url}/workspaces/${workspace}/dashboard`,
          `  Runs (JSON)    ${url}/workspaces/${workspace}/reports`,
          `  Latest run     ${url}/workspaces/${workspace}/reports/latest`,
          `  Run one now    curl -X POST ${url}/workspaces/${workspace}/reports`,
        ]
      : ['  (set DEEPSET_WORKSPACES to run a first report)']),
    `  API docs       ${url}/docs  (OpenAPI: ${url}/openapi.json)`,
    '',
    'Ctrl-C stops everything.',
    '',
  ];
  return `${lines.join('\n')}\n`;
}

function signInLines(local: LocalServer): string[] {
  const { auth, oidc } = local;
  if (auth.mode !== 'oidc')
    return ['  sign-in        OFF: open to anyone on this machine (127.0.0.1 only; --auth oidc turns it on)'];
  if (!oidc) return [`  sign-in        OpenID, issuer ${auth.issuer}`];
  return [
    `  sign-in        local OpenID provider ${oidc.issuer} (emulator/oidc)`,
    ...oidc.users.map((user) => `                 ${user.username.padEnd(9)} ${user.groups.join(', ')}`),
    `                 password: ${oidc.password}`,
    `  script token   curl -su ${SCRIPT_CLIENT_ID}:${oidc.scriptSecret} -d grant_type=client_credentials ${oidc.issuer}/token`,
    `                 (a bearer token in ${SCRIPT_GROUPS.join(', ')}: curl -H "Authorization: Bearer $TOKEN" ${local.url}/workspaces)`,
  ];
}

function reportLines(local: LocalServer): string[] {
  const report = local.firstReport;
  if (!report) return [];
  if ('error' in report) return [`  first report   FAILED: ${report.error}`];
  const { summary, prefix } = report;
  const n = (value: number) => value.toLocaleString('en-US');
  return [
    `  first report   ${summary.workspace} ${summary.run_id}: ${n(summary.sessions.total)} sessions, ` +
      `${n(summary.files.total)} files (${n(summary.files.by_ingestion_status.FAILED ?? 0)} failed)`,
    `                 -> ${local.storeLocation}${prefix}`,
  ];
}
