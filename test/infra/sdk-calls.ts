/**
 * What a Lambda's code can ask of AWS, read from the source: every AWS SDK command (and the
 * helpers that send commands: lib-storage's Upload, the presigner, Powertools' getSecret)
 * imported as a value by any file its entry reaches, and the IAM actions each one needs. The
 * role tests then check that the function's role grants exactly what its code calls for.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type FileImports, importGraph } from '../architecture/import-graph';

/** An IAM action a call needs, and on what: the report objects, the bucket, or a named resource. */
export interface Need {
  action: string;
  on:
    | 'report-objects'
    | 'report-bucket'
    | 'state-machine'
    | 'api-key-secret'
    | 'run-function'
    | 'alerts-topic';
}

const objects = (...actions: string[]): Need[] => actions.map((action) => ({ action, on: 'report-objects' }));

/**
 * The IAM actions behind each call the code makes (AWS's "actions, resources and condition keys"
 * pages). A call missing here fails the test, so a new SDK command gets its actions written down.
 */
export const NEEDS_OF_CALL: Record<string, Need[]> = {
  // @aws-sdk/client-s3
  GetObjectCommand: objects('s3:GetObject'),
  HeadObjectCommand: objects('s3:GetObject'),
  PutObjectCommand: objects('s3:PutObject'),
  DeleteObjectsCommand: objects('s3:DeleteObject'),
  CreateMultipartUploadCommand: objects('s3:PutObject'),
  UploadPartCommand: objects('s3:PutObject'),
  CompleteMultipartUploadCommand: objects('s3:PutObject'),
  AbortMultipartUploadCommand: objects('s3:AbortMultipartUpload'),
  // Reads the source part, writes the target part.
  UploadPartCopyCommand: objects('s3:GetObject', 's3:PutObject'),
  ListObjectsV2Command: [{ action: 's3:ListBucket', on: 'report-bucket' }],
  paginateListObjectsV2: [{ action: 's3:ListBucket', on: 'report-bucket' }],
  // @aws-sdk/lib-storage: PutObject or a multipart upload, aborted on failure.
  Upload: objects('s3:PutObject', 's3:AbortMultipartUpload'),
  // @aws-sdk/s3-request-presigner: a presigned GET is allowed only if the signer may GetObject.
  getSignedUrl: objects('s3:GetObject'),
  // @aws-sdk/client-sfn
  StartExecutionCommand: [{ action: 'states:StartExecution', on: 'state-machine' }],
  // @aws-sdk/client-lambda: the HTTP function hands a run to the run function.
  InvokeCommand: [{ action: 'lambda:InvokeFunction', on: 'run-function' }],
  // @aws-sdk/client-sns: an alert after a complete run.
  PublishCommand: [{ action: 'sns:Publish', on: 'alerts-topic' }],
  // @aws-lambda-powertools/parameters/secrets
  getSecret: [{ action: 'secretsmanager:GetSecretValue', on: 'api-key-secret' }],
};

/** Packages whose value imports are calls to AWS (clients and config types are not calls). */
const AWS_PACKAGES =
  /^(@aws-sdk\/(client-[\w-]+|lib-storage|s3-request-presigner)|@aws-lambda-powertools\/parameters\/[\w-]+)$/;
const NOT_CALLS = /^([A-Z]\w*Client|\w+Exception|NoSuchKey|NotFound)$/;
const IMPORT = /\bimport\s+(type\s+)?\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/g;

const root = process.cwd();
let graph: Map<string, FileImports> | undefined;

/** Every project file `entry` reaches through imports, itself included. */
export function reachableFiles(entry: string): string[] {
  graph ??= importGraph(root, ['lib', 'functions', 'emulator']);
  if (!graph.has(entry)) throw new Error(`no source file ${entry}: the function's entry moved?`);
  const seen = new Set<string>([entry]);
  for (const file of seen) for (const next of graph.get(file)?.files ?? []) seen.add(next);
  return [...seen].sort();
}

/** The AWS calls imported (as values) by `file`, as `[name, package]`. */
export function awsCallsIn(file: string): Array<[string, string]> {
  const text = readFileSync(join(root, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  const calls: Array<[string, string]> = [];
  for (const [, typeOnly, names, from] of text.matchAll(IMPORT)) {
    if (typeOnly || !AWS_PACKAGES.test(from!)) continue;
    for (const raw of names!.split(',')) {
      const name = raw.trim().split(/\s+as\s+/)[0]!;
      if (name && !name.startsWith('type ') && !NOT_CALLS.test(name)) calls.push([name, from!]);
    }
  }
  return calls;
}

/** The AWS calls the code of the function at `entry` can make: name -> the files importing it. */
export function awsCallsOf(entry: string): Map<string, string[]> {
  const calls = new Map<string, string[]>();
  for (const file of reachableFiles(entry)) {
    for (const [name] of awsCallsIn(file)) calls.set(name, [...(calls.get(name) ?? []), file]);
  }
  return calls;
}

/** The IAM needs of a function's code; a call without an entry in NEEDS_OF_CALL throws. */
export function needsOf(entry: string): Need[] {
  const needs = new Map<string, Need>();
  for (const [call, files] of awsCallsOf(entry)) {
    const known = NEEDS_OF_CALL[call];
    if (!known)
      throw new Error(`${call} (imported by ${files.join(', ')}) has no IAM actions in NEEDS_OF_CALL`);
    for (const need of known) needs.set(`${need.action} ${need.on}`, need);
  }
  return [...needs.values()];
}
