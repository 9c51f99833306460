/**
 * Reads items concurrently but consumes their results strictly in order, with at most
 * `window` items read ahead of the one being consumed. The first failure anywhere fails the
 * whole walk at once, instead of when its turn comes.
 *
 * Not `Promise.race([result, failed])` with one long-lived `failed` promise: every race leaves
 * a reaction on `failed` that keeps the race's settled promise, and so its result, reachable
 * until `failed` settles, i.e. every result of the run would stay in memory.
 */
export async function forEachInOrder<T, R>(
  items: readonly T[],
  window: number,
  read: (item: T) => Promise<R>,
  consume: (result: R) => Promise<void>,
): Promise<void> {
  let failure: { error: unknown } | undefined;
  let interrupt: (error: unknown) => void = () => {};
  const reading: Promise<R>[] = [];
  const start = (index: number) => {
    const item = items[index];
    if (item === undefined) return;
    const result = read(item);
    result.catch((error: unknown) => {
      failure ??= { error };
      interrupt(failure.error);
    });
    reading[index] = result;
  };
  const ahead = Math.max(1, window);
  for (let index = 0; index < ahead; index++) start(index);
  for (let index = 0; index < items.length; index++) {
    const result = await new Promise<R>((resolve, reject) => {
      if (failure) return reject(failure.error);
      interrupt = reject;
      reading[index]!.then(resolve, reject);
    });
    interrupt = () => {};
    delete reading[index];
    start(index + ahead);
    await consume(result);
  }
}
