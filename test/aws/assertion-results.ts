/**
 * Reads the assertions' results from the deployed stacks' outputs, as integ-runner does: every
 * output named `AssertionResults...` holds `{"status": "success"}` or `{"status": "fail",
 * "message": ...}`. An assertion that could not run at all fails its stack's deployment instead.
 */

/** `cdk deploy --outputs-file`: output values by stack name and output name. */
export type StackOutputs = Record<string, Record<string, string>>;

/** The passed assertions' names, and the failed ones with their messages. */
export function failedAssertions(outputs: StackOutputs): {
  passed: string[];
  failed: Array<{ name: string; message: string }>;
} {
  const passed: string[] = [];
  const failed: Array<{ name: string; message: string }> = [];
  for (const stackOutputs of Object.values(outputs)) {
    for (const [name, value] of Object.entries(stackOutputs)) {
      if (!name.startsWith('AssertionResults')) continue;
      const result = parseResult(value);
      if (result.status === 'success') passed.push(name);
      else failed.push({ name, message: result.message ?? `unexpected result ${value}` });
    }
  }
  return { passed, failed };
}

function parseResult(value: string): { status?: unknown; message?: string } {
  try {
    return JSON.parse(value) as { status?: unknown; message?: string };
  } catch {
    return { message: `not JSON: ${value}` };
  }
}
