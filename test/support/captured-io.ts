/** The CLI's stdout and stderr as strings, for tests that run it in-process with `runCli`. */
import { Writable } from 'node:stream';

export function capturedCliIo() {
  const text = { out: '', err: '' };
  const sink = (key: 'out' | 'err') =>
    new Writable({
      write(chunk, _encoding, done) {
        text[key] += String(chunk);
        done();
      },
    });
  return { text, io: { stdout: sink('out'), stderr: sink('err') } };
}
