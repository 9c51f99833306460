/** Lambda entry of the HTTP function; the wiring is in ./lambda-handler. */
import { lambdaTelemetry } from '../shared/powertools';
import { createHttpLambdaHandler, HTTP_SERVICE } from './lambda-handler';

export const handler = createHttpLambdaHandler(lambdaTelemetry(HTTP_SERVICE));
