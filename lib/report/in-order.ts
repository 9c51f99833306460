/**
 * Reads items concurrently but consumes their results strictly in order, with at most
 * `window` items read ahead of the one being consumed. The first failure anywhere fails the
 * whole walk at once, instead of when its turn comes.
 */
export async function forEachInOrder<T, R>(
  items: readonly T[],
  window: number,
  read: (item: T) => Promise<R>,
  consume: (result: R) => Promise<void>,
): Promise<void> {
  let fail: (error: unknown) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  failed.catch(() => {});
  const reading: Promise<R>[] = [];
  const start = (index: number) => {
    const item = items[index];
    if (item === undefined) return;
    const result = read(item);
    result.catch(fail);
    reading[index] = result;
  };
  const ahead = Math.max(1, window);
  for (let index = 0; index < ahead; index++) start(index);
  for (let index = 0; index < items.length; index++) {
    const result = await Promise.race([reading[index]!, failed]);
    delete reading[index];
    start(index + ahead);
    await consume(result);
  }
}
