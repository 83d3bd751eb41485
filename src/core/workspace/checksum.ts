/**
 * Section checksums of a dataset file. WebCrypto has no incremental SHA-256, and a section may be
 * far larger than memory, so each line is digested on its own and the section's checksum is the
 * SHA-256 of its line digests concatenated in file order: any changed, added, dropped or
 * reordered line changes it, and only 32 bytes per line are held.
 */
import { RECORD_KINDS, type RecordKind, type SectionSummary } from './format';

const encoder = new TextEncoder();

async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  // Never a SharedArrayBuffer here (TextEncoder output or our own array), which is all digest minds.
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export class SectionHashes {
  private readonly digests = new Map<RecordKind, Uint8Array[]>(RECORD_KINDS.map((kind) => [kind, []]));

  /** Adds one line (its text without the newline) to its kind's section. */
  async add(kind: RecordKind, lineText: string): Promise<void> {
    const digest = await sha256(encoder.encode(lineText));
    (this.digests.get(kind) as Uint8Array[]).push(digest);
  }

  async summary(): Promise<Record<RecordKind, SectionSummary>> {
    const out = {} as Record<RecordKind, SectionSummary>;
    for (const kind of RECORD_KINDS) {
      const digests = this.digests.get(kind) as Uint8Array[];
      const joined = new Uint8Array(digests.length * 32);
      digests.forEach((digest, i) => joined.set(digest, i * 32));
      out[kind] = { records: digests.length, sha256: hex(await sha256(joined)) };
    }
    return out;
  }
}
