/**
 * Which API a local run talks to, decided in one place for the CLI and `npm start`: with no
 * URL and no key configured, the embedded emulator (a demo that needs nothing); with a key, the
 * configured API; a URL without a key is a mistake, refused before anything starts.
 */
import { type Config, ConfigError, EU_API_URL } from './config';

export type ApiChoice = { kind: 'embedded' } | { kind: 'remote'; url: string; apiKey: string };

/**
 * `urlOverride` is a URL given another way than DEEPSET_API_URL (the CLI's --api-url);
 * `urlSource` names where the URL came from, for the message.
 */
export function chooseApi(config: Config, urlOverride: string | undefined, urlSource: string): ApiChoice {
  const url = urlOverride ?? config.apiUrl;
  if (url === undefined && config.apiKey === undefined) return { kind: 'embedded' };
  if (config.apiKey === undefined) {
    throw new ConfigError(`DEEPSET_API_KEY is not set: it is needed to call the API at ${urlSource}`);
  }
  return { kind: 'remote', url: url ?? EU_API_URL, apiKey: config.apiKey };
}
