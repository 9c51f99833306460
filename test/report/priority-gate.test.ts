import { describe, expect, it } from 'vitest';
import { PriorityGate } from '../../lib/report/priority-gate';

/** A task that finishes when the test says so. */
function deferred() {
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return { done, finish };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('PriorityGate', () => {
  it('runs at most `capacity` tasks, then admits the lowest priority first, FIFO among equals', async () => {
    const gate = new PriorityGate(() => 2);
    const started: string[] = [];
    const tasks = new Map<string, ReturnType<typeof deferred>>();
    const run = (name: string, priority: number) => {
      const task = deferred();
      tasks.set(name, task);
      return gate.run(priority, async () => {
        started.push(name);
        await task.done;
        return name;
      });
    };
    const results = [run('a', 5), run('b', 5), run('c', 3), run('d', 1), run('e', 3), run('f', 1)];
    await tick();
    expect(started).toEqual(['a', 'b']);
    tasks.get('a')!.finish();
    await tick();
    expect(started).toEqual(['a', 'b', 'd']);
    for (const name of ['b', 'd', 'f', 'c', 'e']) {
      tasks.get(name)!.finish();
      await tick();
    }
    expect(started).toEqual(['a', 'b', 'd', 'f', 'c', 'e']);
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('follows a capacity that changes, and frees the slot of a task that fails', async () => {
    let capacity = 1;
    const gate = new PriorityGate(() => capacity);
    let running = 0;
    let most = 0;
    const task = (fail: boolean) =>
      gate.run(0, async () => {
        running++;
        most = Math.max(most, running);
        await tick();
        running--;
        if (fail) throw new Error('boom');
      });
    const first = [task(true), task(false), task(false)];
    await expect(first[0]).rejects.toThrow('boom');
    await Promise.all(first.slice(1));
    expect(most).toBe(1);
    capacity = 3;
    await Promise.all([task(false), task(false), task(false), task(false)]);
    expect(most).toBe(3);
  });
});
