/**
 * HTML labels over the technology space's canvas, which keep their screen size at any zoom: the
 * hovered, selected, nearest and map-picked codes, and the largest ones. Each label's
 * data-kind says why it is shown (styled by the view).
 */
import * as THREE from 'three';

/** Codes picked in the patent map that get a label, at most. */
const MARKED_LABELS = 30;

export interface LabelReasons {
  focus: number | null;
  hovered: number | null;
  selected: readonly number[];
  neighbours: readonly number[];
  marked: ReadonlySet<number>;
}

export class SceneLabels {
  private readonly labels = new Map<number, HTMLElement>();

  constructor(private readonly layer: HTMLElement | null, private readonly largest: number) {}

  clear(): void {
    for (const label of this.labels.values()) label.remove();
    this.labels.clear();
  }

  /** Decides which codes carry a label now. */
  refresh(codes: readonly string[], counts: readonly number[], why: LabelReasons): void {
    if (!this.layer) return;
    const wanted = new Set<number>();
    const largest = [...counts.keys()].sort((a, b) => counts[b] - counts[a] || a - b).slice(0, this.largest);
    for (const i of largest) wanted.add(i);
    for (const i of [...why.marked].slice(0, MARKED_LABELS)) wanted.add(i);
    for (const i of why.selected) wanted.add(i);
    for (const i of why.neighbours) wanted.add(i);
    if (why.focus !== null) wanted.add(why.focus);
    if (why.hovered !== null) wanted.add(why.hovered);
    for (const [i, label] of this.labels) {
      if (!wanted.has(i)) {
        label.remove();
        this.labels.delete(i);
      }
    }
    for (const i of wanted) {
      let label = this.labels.get(i);
      if (!label) {
        label = document.createElement('span');
        label.className = 'label';
        // textContent, never markup: codes come from imported files.
        label.textContent = codes[i] ?? '';
        this.layer.append(label);
        this.labels.set(i, label);
      }
      label.dataset.kind = i === why.focus ? 'focus' : i === why.hovered ? 'hover'
        : why.neighbours.includes(i) ? 'neighbour' : why.marked.has(i) ? 'marked' : 'large';
    }
  }

  /** Moves each label next to its code's projected position; hides those off screen. */
  place(world: Float32Array, camera: THREE.Camera, width: number, height: number): void {
    if (!this.layer || this.labels.size === 0) return;
    const v = new THREE.Vector3();
    for (const [i, label] of this.labels) {
      v.set(world[i * 3], world[i * 3 + 1], world[i * 3 + 2]).project(camera);
      const visible = v.z < 1 && Math.abs(v.x) <= 1.05 && Math.abs(v.y) <= 1.05;
      label.style.display = visible ? '' : 'none';
      if (visible) label.style.transform = `translate(${((v.x + 1) / 2) * width + 6}px, ${((1 - v.y) / 2) * height - 8}px)`;
    }
  }
}
