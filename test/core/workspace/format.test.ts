/** The dataset file's value codec and whole-file check, without a database. */
import { describe, expect, it } from 'vitest';
import { bytesToBase64, base64ToBytes, decodeValue, encodeValue, type EncodedValue } from '../../../src/core/workspace/format';
import { verifyWorkspaceFile, WorkspaceFileError } from '../../../src/core/workspace/reader';
import { SectionHashes } from '../../../src/core/workspace/checksum';

function roundTrip(value: unknown): unknown {
  return decodeValue(JSON.parse(JSON.stringify(encodeValue(value))) as EncodedValue);
}

async function fileOf(lines: { kind: 'patent'; value: unknown }[], change?: (text: string[]) => void): Promise<Blob> {
  const hashes = new SectionHashes();
  const texts = lines.map((line) => JSON.stringify({ kind: line.kind, value: encodeValue(line.value) }));
  for (const text of texts) await hashes.add('patent', text);
  const manifest = { format: 'patent-space-dataset', version: 1, appVersion: 't', exportedAt: 0, dataset: { id: 'd', name: 'D' }, sections: await hashes.summary() };
  const all = [JSON.stringify(manifest), ...texts];
  change?.(all);
  return new Blob([all.join('\n')]);
}

describe('dataset file format', () => {
  it('keeps typed arrays with their type, special numbers, and plain JSON as it is', () => {
    const value = {
      f32: new Float32Array([0.1, -2, Number.NaN]), i32: new Int32Array([-1, 7]), u8: new Uint8Array([0, 255]),
      n: [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0.5], text: 'x', nested: { a: [true, null] },
    };
    const back = roundTrip(value) as typeof value;
    expect(back).toEqual(value);
    expect(back.f32).toBeInstanceOf(Float32Array);
    expect(back.i32).toBeInstanceOf(Int32Array);
  });

  it('base64-encodes more bytes than one block and reads them back', () => {
    const bytes = Uint8Array.from({ length: 100_001 }, (_, i) => (i * 31) % 256);
    expect(base64ToBytes(bytesToBase64(bytes))).toEqual(bytes);
  });

  it('refuses an unknown tag and typed data of broken length', () => {
    expect(() => decodeValue({ $ps: 'Blob', base64: '' })).toThrow(/unknown tag/);
    expect(() => decodeValue({ $ps: 'Float32Array', base64: bytesToBase64(new Uint8Array(3)) })).toThrow(/whole elements/);
  });

  it('accepts a file as written and refuses one with a line dropped', async () => {
    const patents = [0, 1, 2].map((i) => ({ kind: 'patent' as const, value: { id: `p${i}`, year: 2000, title: 't', codes: [] } }));
    await expect(verifyWorkspaceFile((await fileOf(patents)).stream())).resolves.toMatchObject({ dataset: { name: 'D' } });
    const dropped = await fileOf(patents, (lines) => lines.splice(2, 1));
    const error = (await verifyWorkspaceFile(dropped.stream()).catch((e: unknown) => e)) as WorkspaceFileError;
    expect(error).toBeInstanceOf(WorkspaceFileError);
    expect(error.errors).toEqual([{ line: 1, reason: 'the manifest lists 3 patent records but the file has 2' }]);
    const swapped = await fileOf(patents, (lines) => { [lines[1], lines[2]] = [lines[2], lines[1]]; });
    await expect(verifyWorkspaceFile(swapped.stream())).rejects.toThrow(/checksum of the patent records/);
  });
});
