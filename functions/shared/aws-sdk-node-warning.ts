/**
 * Imported by the local tools' entry points (the CLI, `npm start`) so that the AWS SDK does not
 * print its NodeVersionSupportWarning there. The SDK warns on Node below 22 because its releases after
 * early January 2027 will require Node 22. The Lambda functions run on Node 22, where it never
 * warns; the local tools also run on Node 20 (package.json `engines`), with the SDK versions
 * pinned in package-lock.json, which support it. The warning concerns upgrading the SDK, which
 * is a change to package.json, and whoever makes it must raise `engines` to 22: it says nothing a
 * user of the CLI could act on, and it breaks the CLI's promise of one line per failure.
 *
 * The switch is the SDK's own (AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED, read by
 * @aws-sdk/core when a client is created). It silences this warning only; a value already set
 * is kept.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
