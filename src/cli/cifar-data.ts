/** The CIFAR-10 training data and its split, as the data-using commands read them (heavy modules load on use). */
export async function loadData(dir: string, splitRaw: string) {
  const data = await import('../data/index.js');
  const cifar = data.readCifar10Train(dir);
  const split = data.resolveSplit(cifar.n, data.parseSplitChoice(splitRaw));
  if (split.fallback) process.stderr.write(`nas-surgery: ${split.fallback}\n`);
  return { data, cifar, split };
}
