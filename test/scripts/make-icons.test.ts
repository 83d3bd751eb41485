/** The PNG writer makes files a decoder accepts, and the committed icons are what the script draws. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 as zlibCrc32, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FAVICON_FILE, ICON_FILES, makeIcons } from '../../scripts/make-icons';
import { drawMark, placedMark, SAFE_RADIUS } from '../../scripts/icons/mark';
import { crc32, encodePng, type RgbaImage } from '../../scripts/icons/png';

interface Chunk { type: string; data: Buffer; crc: number }

/** An independent PNG reader for the subset the writer makes: chunks, IHDR, filter-0 rows. */
function decodePng(file: Buffer): { chunks: Chunk[]; image: RgbaImage; bitDepth: number; colourType: number } {
  expect([...file.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const chunks: Chunk[] = [];
  for (let at = 8; at < file.length;) {
    const length = file.readUInt32BE(at);
    const type = file.toString('latin1', at + 4, at + 8);
    const data = file.subarray(at + 8, at + 8 + length);
    chunks.push({ type, data, crc: file.readUInt32BE(at + 8 + length) });
    at += 12 + length;
  }
  const header = chunks[0].data;
  const width = header.readUInt32BE(0), height = header.readUInt32BE(4);
  const raw = inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));
  const rowBytes = width * 4;
  expect(raw.length).toBe((rowBytes + 1) * height);
  const pixels = new Uint8Array(rowBytes * height);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (rowBytes + 1)]).toBe(0);
    pixels.set(raw.subarray(y * (rowBytes + 1) + 1, (y + 1) * (rowBytes + 1)), y * rowBytes);
  }
  return { chunks, image: { width, height, pixels }, bitDepth: header[8], colourType: header[9] };
}

function randomImage(width: number, height: number): RgbaImage {
  const pixels = new Uint8Array(width * height * 4);
  let seed = 12345;
  for (let i = 0; i < pixels.length; i++) { seed = (seed * 1103515245 + 12345) >>> 0; pixels[i] = seed >>> 24; }
  return { width, height, pixels };
}

describe('the PNG writer', () => {
  it('computes the CRC-32 that zlib computes', () => {
    for (const text of ['', 'IEND', 'IHDR and some data', 'The quick brown fox']) {
      const bytes = Buffer.from(text);
      expect(crc32(bytes)).toBe(zlibCrc32(bytes));
    }
  });

  it('writes signature, IHDR, IDAT and IEND with correct CRCs, and the pixels read back unchanged', () => {
    const image = randomImage(7, 3);
    const { chunks, image: decoded, bitDepth, colourType } = decodePng(encodePng(image));
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(chunks[0].data.length).toBe(13);
    for (const c of chunks) expect(c.crc).toBe(zlibCrc32(Buffer.concat([Buffer.from(c.type, 'latin1'), c.data])));
    expect({ bitDepth, colourType }).toEqual({ bitDepth: 8, colourType: 6 });
    expect([decoded.width, decoded.height]).toEqual([7, 3]);
    expect(Buffer.from(decoded.pixels).equals(Buffer.from(image.pixels))).toBe(true);
  });

  it('refuses pixels that do not fit the size', () => {
    expect(() => encodePng({ width: 2, height: 2, pixels: new Uint8Array(15) })).toThrow(/16 bytes/);
    expect(() => encodePng({ width: 0, height: 2, pixels: new Uint8Array(0) })).toThrow(/size/);
  });
});

describe('the icons', () => {
  const made = makeIcons();

  it('the committed public/icons/ are what the script draws, at the declared sizes', () => {
    for (const icon of ICON_FILES) {
      const committed = decodePng(readFileSync(join('public/icons', icon.file)));
      const fresh = decodePng(made.get(icon.file)!);
      expect([committed.image.width, committed.image.height]).toEqual([icon.size, icon.size]);
      expect(Buffer.from(committed.image.pixels).equals(Buffer.from(fresh.image.pixels)), icon.file).toBe(true);
    }
    expect(readFileSync(join('public/icons', FAVICON_FILE), 'utf8')).toBe(made.get(FAVICON_FILE)!.toString('utf8'));
  });

  it('the plain icon has transparent corners; the maskable one is opaque everywhere and keeps the mark in the safe zone', () => {
    const size = 128;
    const plain = drawMark({ size, maskable: false });
    expect(plain.pixels[3]).toBe(0);
    expect(plain.pixels[((size / 2) * size + size / 2) * 4 + 3]).toBe(255);
    const maskable = drawMark({ size, maskable: true });
    let inkOutsideSafeZone = 0, inkPixels = 0;
    for (let i = 0; i < size * size; i++) {
      expect(maskable.pixels[i * 4 + 3]).toBe(255);
      // Ink is the light pixels (the accent background is darker in every channel but blue).
      if (maskable.pixels[i * 4] < 200) continue;
      inkPixels++;
      const x = (i % size + 0.5) / size - 0.5, y = (Math.floor(i / size) + 0.5) / size - 0.5;
      if (Math.hypot(x, y) > SAFE_RADIUS) inkOutsideSafeZone++;
    }
    expect(inkPixels).toBeGreaterThan(0);
    expect(inkOutsideSafeZone).toBe(0);
    // The geometry itself, not only the pixels, stays inside the circle.
    for (const d of placedMark(true).dots) expect(Math.hypot(d.x - 0.5, d.y - 0.5) + d.r).toBeLessThan(SAFE_RADIUS);
  });
});
