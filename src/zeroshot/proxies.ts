/**
 * Zero-shot (training-free) estimators (SPEC §6): scores of an untrained network from one batch of images, BN in
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
  grasp: '−Σ W ⊙ (H·∂L/∂W), the Hessian-gradient product by a central difference of gradients',
  fisher: 'Σ over convolution outputs a and channels c of ½·mean over images of (Σ_hw a·∂L/∂a)²',
  plain: 'Σ W ⊙ ∂L/∂W',
  jacob_cov:
    '−Σ_i log(λ_i + 1e-5) + 1/(λ_i + 1e-5), λ the eigenvalues of the correlation of the per-image input gradients',
  synflow:
    'Σ |W ⊙ ∂R/∂W| with |W|, BN removed, an all-ones input, R = Σ logits (computed exactly with rescaling)',
  relu_logdet:
    "log det K, K[i, j] = number of ReLUs on which images i and j agree (NASWOT's activation codes)",
};

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
