/**
 * integ-runner's entry for the end-to-end test on AWS (`npm run test:aws`): synthesizes the
 * app of integ-app.ts. integ-runner deploys it, runs the assertions, and destroys it.
 */
import { buildIntegApp } from './integ-app';

buildIntegApp().app.synth();
