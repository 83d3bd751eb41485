import type { Patent } from '../types';
import type { PatentSink } from './engine';

/** Keeps imported patents in a Map: the CLI, tests and benchmarks use it in place of IndexedDB. */
export class MemorySink implements PatentSink {
  readonly patents = new Map<string, Patent>();
  writes = 0;

  async write(patents: Patent[]): Promise<void> {
    this.writes++;
    for (const patent of patents) this.patents.set(patent.id, patent);
  }

  async read(ids: string[]): Promise<Patent[]> {
    return ids.map((id) => this.patents.get(id)).filter((p): p is Patent => p !== undefined);
  }
}

/** Counts without keeping anything, for throughput benchmarks of huge files. */
export class CountingSink implements PatentSink {
  count = 0;

  async write(patents: Patent[]): Promise<void> {
    this.count += patents.length;
  }

  async read(): Promise<Patent[]> {
    return [];
  }
}
