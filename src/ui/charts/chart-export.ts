/**
 * Charts as files: the SVG a chart drew, standalone (its computed colours and font written into
 * it, so it looks the same outside the page), and a PNG rasterised from that SVG at 2× for print.
 */
import { downloadBlob } from '../download';

const SVG_NS = 'http://www.w3.org/2000/svg';
/** Presentation properties Plot styles through CSS that a standalone SVG must carry itself. */
const INLINED = ['fill', 'stroke', 'stroke-width', 'stroke-opacity', 'fill-opacity', 'opacity', 'font-family', 'font-size', 'font-weight', 'font-variant', 'text-anchor'] as const;

/** A standalone copy of `svg` with the computed styles of every element inlined. */
export function standaloneSvg(svg: SVGSVGElement, background: string): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const originals = [svg, ...svg.querySelectorAll('*')];
  const copies = [copy, ...copy.querySelectorAll('*')];
  originals.forEach((element, i) => {
    const style = getComputedStyle(element);
    const target = copies[i] as SVGElement;
    for (const property of INLINED) {
      const value = style.getPropertyValue(property);
      if (value) target.style.setProperty(property, value);
    }
  });
  copy.setAttribute('xmlns', SVG_NS);
  const { width, height } = svg.getBoundingClientRect();
  copy.setAttribute('width', String(Math.ceil(width)));
  copy.setAttribute('height', String(Math.ceil(height)));
  const rect = document.createElementNS(SVG_NS, 'rect');
  rect.setAttribute('width', '100%');
  rect.setAttribute('height', '100%');
  rect.setAttribute('fill', background);
  copy.insertBefore(rect, copy.firstChild);
  return new XMLSerializer().serializeToString(copy);
}

export function downloadSvg(filename: string, svg: SVGSVGElement, background: string): void {
  downloadBlob(filename, new Blob([standaloneSvg(svg, background)], { type: 'image/svg+xml' }));
}

/** Rasterises the chart at `scale` × its size on screen. */
export async function downloadPng(filename: string, svg: SVGSVGElement, background: string, scale = 2): Promise<void> {
  const text = standaloneSvg(svg, background);
  const { width, height } = svg.getBoundingClientRect();
  const image = new Image();
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  try {
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(width * scale);
    canvas.height = Math.ceil(height * scale);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('this browser gives no 2D canvas to draw the PNG');
    context.scale(scale, scale);
    context.drawImage(image, 0, 0, width, height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) throw new Error('the chart could not be encoded as PNG');
    downloadBlob(filename, blob);
  } finally {
    URL.revokeObjectURL(url);
  }
}
