/**
 * NASWOT's kernel (Mellor et al., ICML 2021) from one ReLU's input: each image's binary code says which units are
 * active (x > 0); K[i, j] counts the units on which images i and j agree, D − Hamming(c_i, c_j). Codes are packed
 * 32 to a word and compared with XOR + popcount, which on wasm is far cheaper than a float matmul of the codes.
 */

function popcount32(v: number): number {
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * Add the agreement counts of one activation tensor (`images` rows of equal length, row-major) to `gram`
 * (images × images, row-major).
 */
export function addActivationAgreement(
  gram: Float64Array,
  activations: ArrayLike<number>,
  images: number,
): void {
  if (gram.length !== images * images) throw new Error(`gram must be ${images}×${images}`);
  if (activations.length % images !== 0) {
    throw new Error(`${activations.length} activations do not split into ${images} images`);
  }
  const d = activations.length / images;
  const words = Math.ceil(d / 32);
  const codes = new Uint32Array(images * words);
  for (let i = 0; i < images; i++) {
    const base = i * d;
    for (let u = 0; u < d; u++) if (activations[base + u] > 0) codes[i * words + (u >>> 5)] |= 1 << (u & 31);
  }
  for (let i = 0; i < images; i++) {
    gram[i * images + i] += d;
    for (let j = i + 1; j < images; j++) {
      let differ = 0;
      for (let w = 0; w < words; w++) differ += popcount32(codes[i * words + w] ^ codes[j * words + w]);
      gram[i * images + j] += d - differ;
      gram[j * images + i] += d - differ;
    }
  }
}
