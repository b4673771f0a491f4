/**
 * PREVIEW ONLY: a deterministic, non-cryptographic text hash (FNV-1a, 64 bits as hex) for the
 * consent records of the in-browser preview. The server hashes with SHA-256; preview records
 * are thrown away and never stored.
 */
export function previewHashText(text: string): string {
  let high = 0xcbf29ce4;
  let low = 0x84222325;
  for (let index = 0; index < text.length; index++) {
    low ^= text.charCodeAt(index);
    // 64-bit multiply by the FNV prime 0x100000001b3, in two 32-bit halves.
    const lowProduct = low * 0x1b3;
    const carry = Math.floor(lowProduct / 0x100000000);
    high = (high * 0x1b3 + low * 0x100 + carry) >>> 0;
    low = lowProduct >>> 0;
  }
  return `preview-${high.toString(16).padStart(8, "0")}${low.toString(16).padStart(8, "0")}`;
}
