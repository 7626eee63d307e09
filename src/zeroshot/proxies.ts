/**
 * Zero-shot (training-free) estimators (method §6): scores of an untrained network from one batch of images, BN in
 * train mode. The registry names what each proxy computes; {@link scoreArchitecture} computes them.
 *
 * "Weights" below are the convolution filters and the classifier matrix (not BN parameters or biases), as in the
 * zero-cost-proxy literature (Abdelfattah et al., ICLR 2021; Mellor et al., ICML 2021; Tanaka et al., NeurIPS 2020).
 * Higher = better is how each proxy is used as an evaluator; whether that holds is what the surgery measures.
 */
export const ZEROSHOT_PROXIES = [
  'grad_norm',
  'snip',
  'grasp',
  'fisher',
  'plain',
  'jacob_cov',
  'synflow',
  'relu_logdet',
] as const;

export type ZeroShotProxy = (typeof ZEROSHOT_PROXIES)[number];

export const PROXY_DESCRIPTIONS: Record<ZeroShotProxy, string> = {
  grad_norm: 'Σ over weight tensors of ‖∂L/∂W‖₂ (L: cross-entropy on the batch)',
  snip: 'Σ |W ⊙ ∂L/∂W|',
  grasp: '−Σ W ⊙ (H·∂L/∂W), H the Hessian of L (an exact Hessian-vector product)',
  fisher:
    'Σ over convolution and classifier outputs a and units c of fan-in · ½·mean over images of (Σ_hw a·∂L/∂a)²',
  plain: '−Σ W ⊙ ∂L/∂W (sign flipped, as the paper orients it: zero-cost-nas reports +Σ W ⊙ ∂L/∂W)',
  jacob_cov:
    '−Σ_i log(λ_i + 1e-5) + 1/(λ_i + 1e-5), λ the eigenvalues of the correlation of the per-image input gradients',
  synflow:
    'Σ |W ⊙ ∂R/∂W| with |W|, BN removed, an all-ones input, R = Σ logits (computed exactly with rescaling)',
  relu_logdet:
    "log det K, K[i, j] = number of ReLUs on which images i and j agree (NASWOT's activation codes)",
};

/**
 * How each proxy is oriented: the score reported is this sign times the proxy's defining formula in zero-cost-nas
 * (Abdelfattah et al.). Only plain is flipped, as Ning et al. (NeurIPS 2021) use it: higher = better for every
 * column then.
 */
export const PROXY_SIGN: Record<ZeroShotProxy, 1 | -1> = {
  grad_norm: 1,
  snip: 1,
  grasp: 1,
  fisher: 1,
  plain: -1,
  jacob_cov: 1,
  synflow: 1,
  relu_logdet: 1,
};

/**
 * Named majority votes of three proxies: `paper`, the NB201 vote of Ning et al. (NeurIPS 2021); `zc`, the vote of
 * Abdelfattah et al. (ICLR 2021).
 */
export const VOTE_PRESETS: Readonly<Record<string, readonly ZeroShotProxy[]>> = {
  paper: ['relu_logdet', 'jacob_cov', 'synflow'],
  zc: ['synflow', 'jacob_cov', 'snip'],
};

export interface ZeroShotVote {
  /** Column name: `vote_<preset>`, or `vote_<a>+<b>+<c>` for a custom triple. */
  name: string;
  proxies: ZeroShotProxy[];
}

/**
 * `none`, or a comma list whose entries are preset names ({@link VOTE_PRESETS}) or three proxies joined by `+`
 * (e.g. `synflow+snip+fisher`); throws on anything else.
 */
export function parseVoteList(raw: string): ZeroShotVote[] {
  if (raw.trim() === 'none') return [];
  const votes: ZeroShotVote[] = [];
  for (const entry of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const preset = VOTE_PRESETS[entry];
    const proxies = preset ? [...preset] : parseProxyList(entry.split('+').join(','));
    if (proxies.length !== 3 || new Set(proxies).size !== 3) {
      throw new Error(
        `'${entry}' is not a vote: give a preset (${Object.keys(VOTE_PRESETS).join(', ')}) or three ` +
          `different proxies joined by +`,
      );
    }
    const name = `vote_${preset ? entry : proxies.join('+')}`;
    if (!votes.some((v) => v.name === name)) votes.push({ name, proxies });
  }
  if (votes.length === 0) throw new Error('no vote given (use none for no vote)');
  return votes;
}

export function isZeroShotProxy(name: string): name is ZeroShotProxy {
  return (ZEROSHOT_PROXIES as readonly string[]).includes(name);
}

/** `all`, or a comma list of proxy names; throws on an unknown name. */
export function parseProxyList(raw: string): ZeroShotProxy[] {
  if (raw.trim() === 'all') return [...ZEROSHOT_PROXIES];
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names) {
    if (!isZeroShotProxy(n)) {
      throw new Error(`unknown zero-shot proxy '${n}' (known: ${ZEROSHOT_PROXIES.join(', ')}, or all)`);
    }
  }
  if (names.length === 0) throw new Error('no zero-shot proxy given');
  return [...new Set(names)] as ZeroShotProxy[];
}
