/**
 * The one Powertools set-up of every Lambda function (HTTP, nightly, fan-out): a structured
 * JSON logger and an EMF metrics emitter, both under the function's service name, and the
 * wrapper that attaches each invocation's Lambda context to them, so every log line carries the
 * request ID and the cold-start flag and a cold-start metric would name the function.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';

/** The CloudWatch namespace of every metric the functions emit (the stack's alarms read it). */
export const METRICS_NAMESPACE = 'IngestionReports';

export interface LambdaTelemetry {
  logger: Logger;
  metrics: Metrics;
}

/**
 * A function's logger and metrics; created once per container, in its `handler.ts`.
 * Without `serviceName`, Powertools takes POWERTOOLS_SERVICE_NAME, which the stack sets.
 */
export function lambdaTelemetry(serviceName?: string): LambdaTelemetry {
  return {
    logger: new Logger({ serviceName }),
    metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName }),
  };
}

/** `handler`, with each invocation's context attached to the logger and metrics first. */
export function withLambdaContext<Event, Result, Ctx extends Context = Context>(
  telemetry: Partial<LambdaTelemetry>,
  handler: (event: Event, context?: Ctx) => Promise<Result>,
): (event: Event, context?: Ctx) => Promise<Result> {
  return (event, context) => {
    if (context) {
      telemetry.logger?.addContext(context);
      telemetry.metrics?.setFunctionName(context.functionName);
    }
    return handler(event, context);
  };
}

/** A log taking a message and its fields, as the HTTP app, the run function and the alerts log. */
export interface MessageLog {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** A Powertools logger as a MessageLog (its fields as structured keys). */
export function messageLogOf(logger: Logger): MessageLog {
  return {
    info: (message, fields = {}) => logger.info(message, fields),
    error: (message, fields = {}) => logger.error(message, fields),
  };
}
