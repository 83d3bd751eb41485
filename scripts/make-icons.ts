/**
 * Writes the app's icons into public/icons/ (committed; the web app manifest and index.html
 * link them): 192 and 512 px PNGs, a maskable 512 px PNG and an SVG favicon, all drawn from the
 * one mark in scripts/icons/mark.ts. Deterministic: the same code gives the same bytes.
 * usage: npm run icons  (npx tsx scripts/make-icons.ts [--out public/icons])
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { drawMark, markSvg } from './icons/mark';
import { encodePng } from './icons/png';

/** The icon files, by name: what the manifest (vite.config.ts) and index.html refer to. */
export const ICON_FILES = [
  { file: 'icon-192.png', size: 192, maskable: false },
  { file: 'icon-512.png', size: 512, maskable: false },
  { file: 'icon-maskable-512.png', size: 512, maskable: true },
] as const;
export const FAVICON_FILE = 'favicon.svg';

/** Every icon's bytes, by file name. */
export function makeIcons(): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const icon of ICON_FILES) out.set(icon.file, encodePng(drawMark(icon)));
  out.set(FAVICON_FILE, Buffer.from(markSvg(), 'utf8'));
  return out;
}

function main(): void {
  const outIndex = process.argv.indexOf('--out');
  const dir = outIndex >= 0 ? process.argv[outIndex + 1] : 'public/icons';
  mkdirSync(dir, { recursive: true });
  for (const [file, bytes] of makeIcons()) {
    writeFileSync(join(dir, file), bytes);
    console.log(`${join(dir, file)}: ${bytes.length} bytes`);
  }
}

if (process.argv[1] && /make-icons\.ts$/.test(process.argv[1])) main();
