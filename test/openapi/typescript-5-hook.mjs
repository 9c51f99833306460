/**
 * openapi-typescript builds its output with TypeScript's compiler API, which TypeScript 7 (this
 * project's tsc, a native binary) no longer ships. Loaded with `node --import`, this hook hands
 * openapi-typescript, and only it, the `typescript-5` package (an alias of TypeScript 5) instead.
 */
import { register } from 'node:module';

/**
 * Node module hook: `typescript` imported from inside openapi-typescript resolves to TypeScript 5.
 * @type {import('node:module').ResolveHook}
 */
export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'typescript' && context.parentURL?.includes('/node_modules/openapi-typescript/')) {
    return nextResolve('typescript-5', context);
  }
  return nextResolve(specifier, context);
}

if (!process.env.TYPESCRIPT_5_HOOK_REGISTERED) {
  process.env.TYPESCRIPT_5_HOOK_REGISTERED = '1';
  register(import.meta.url);
}
