/**
 * Majority vote of proxies (Abdelfattah et al.'s "vote"): architecture a beats b when more than half of the
 * proxies score a above b. As one score per architecture: how many others it beats (a Copeland count), so that
 * ranking by it follows the pairwise majority wherever that is transitive. O(n² · proxies); NaN scores never win.
 */
export function majorityVoteScores(scores: readonly ArrayLike<number>[]): Float64Array {
  if (scores.length === 0) throw new Error('majorityVoteScores: no proxies');
  const n = scores[0].length;
  for (const s of scores) {
    if (s.length !== n)
      throw new Error(`majorityVoteScores: proxies score ${n} and ${s.length} architectures`);
  }
  const need = Math.floor(scores.length / 2) + 1;
  const wins = new Float64Array(n);
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      let forA = 0;
      let forB = 0;
      for (const s of scores) {
        if (s[a] > s[b]) forA++;
        else if (s[b] > s[a]) forB++;
      }
      if (forA >= need) wins[a]++;
      else if (forB >= need) wins[b]++;
    }
  }
  return wins;
}
