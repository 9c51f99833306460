/** CDK entry point (`cdk.json`: `npx tsx infra/app.ts`). */

import { buildApp } from './build-app';
import { InfraConfigError } from './config';

try {
  buildApp().app.synth();
} catch (error) {
  // A bad context value is the operator's to fix: one clear line, not a stack trace.
  if (!(error instanceof InfraConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
