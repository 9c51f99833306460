/**
 * Builds the report CLI into dist/: `node build/build-cli.js` (run by `npm ci` and `npm install`
 * through the `prepare` script, and by the launcher when the sources changed since). esbuild
 * bundles functions/cli/main.ts for plain `node`, with the settings the Lambda bundles use (ESM,
 * `module` before `main`, minified with names kept, source maps pointing at the .ts files), and
 * splits what a run may not need (the AWS SDK, the embedded emulator) into chunks loaded on
 * first use. Each build goes to its own folder, named by its inputs, and dist/cli.json (written
 * last) says which one to run and what it was built from (see ./freshness.js).
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { hashFiles, STAMP_FILE } from './freshness.js';

/** The repository root. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Files that shape every build besides the sources esbuild reads. */
const BUILD_INPUTS = ['package-lock.json', 'tsconfig.json', 'build/build-cli.js'];

/** Builds older than this are removed; younger ones may still be running (chunks load lazily). */
const KEEP_OLD_BUILDS_MS = 60 * 60 * 1000;

/**
 * Bundles the CLI under `root`/dist and writes the stamp; returns it.
 * @param {string} [root]
 * @returns {Promise<import('./freshness.js').Stamp>}
 */
export async function buildCli(root = PROJECT_ROOT) {
  const result = await build({
    absWorkingDir: root,
    entryPoints: { cli: 'functions/cli/main.ts' },
    outdir: 'dist/build',
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    mainFields: ['module', 'main'],
    minify: true,
    // Class and function names stay readable where the code reports them.
    keepNames: true,
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    write: false,
    logLevel: 'error',
    plugins: [englishOnlyZodLocales],
    // CommonJS dependencies call require(), which ESM lacks.
    banner: {
      js: "import { createRequire as topLevelCreateRequire } from 'node:module'; const require = topLevelCreateRequire(import.meta.url);",
    },
  });
  const sources = Object.keys(result.metafile.inputs).filter((file) => !file.includes('node_modules/'));
  const inputs = await hashFiles(root, [...sources.sort(), ...BUILD_INPUTS]);
  const id = createHash('sha256').update(JSON.stringify(inputs)).digest('hex').slice(0, 12);
  const folder = `cli-${id}`;
  const built = join(root, 'dist/build');
  for (const file of result.outputFiles) {
    await writeAtomically(join(root, 'dist', folder, relative(built, file.path)), file.contents);
  }
  await writeAtomically(join(root, 'dist', folder, 'metafile.json'), JSON.stringify(result.metafile));
  const stamp = { entry: `${folder}/cli.js`, inputs };
  await writeAtomically(join(root, STAMP_FILE), `${JSON.stringify(stamp, null, 1)}\n`);
  await removeOldBuilds(join(root, 'dist'), folder);
  return stamp;
}

/**
 * zod's `z` namespace carries every locale's error messages (about half of the bundle's start-up
 * code, parsed on every run). The CLI never switches zod's locale, and zod registers English
 * itself, so `z.locales` holds English only here: `z.locales.de()` would be a TypeError.
 * @type {import('esbuild').Plugin}
 */
const englishOnlyZodLocales = {
  name: 'english-only-zod-locales',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      args.importer.includes('/node_modules/zod/')
        ? { path: args.path, namespace: 'zod-locales' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, () => ({
      contents: "export { default as en } from 'zod/v4/locales/en.js';",
      resolveDir: build.initialOptions.absWorkingDir,
    }));
  },
};

/**
 * Two builds may run at once (two launchers after an edit): each file appears whole or not at all.
 * @param {string} path
 * @param {string | Uint8Array} contents
 */
async function writeAtomically(path, contents) {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, contents);
  await rename(temporary, path);
}

/**
 * @param {string} dist
 * @param {string} current
 */
async function removeOldBuilds(dist, current) {
  for (const name of await readdir(dist)) {
    if (!name.startsWith('cli-') || name === current) continue;
    const folder = join(dist, name);
    const age = Date.now() - (await stat(folder)).mtimeMs;
    if (age > KEEP_OLD_BUILDS_MS) await rm(folder, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildCli();
}
