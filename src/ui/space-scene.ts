/**
 * The three.js side of the technology space: every code is one instance of ONE InstancedMesh (one
 * draw call), sized by its patent count and coloured by its IPC section; lines to a code's nearest
 * codes, optional trails, HTML labels that keep their screen size at any zoom, orbit controls
 * (mouse, trackpad, touch; arrow keys when the canvas has focus) and an animated camera flight.
 * Renders on demand only (no idle frame loop). Loaded lazily by ps-space-view.
 */
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';

export const SECTION_COLOURS: Record<string, string> = {
  A: '#d62728', B: '#ff7f0e', C: '#b59a00', D: '#2ca02c', E: '#17becf', F: '#1f5fd6', G: '#9467bd', H: '#e377c2', Y: '#8c564b',
};
export const OTHER_COLOUR = '#7f7f7f';
export const SECTION_NAMES: Record<string, string> = {
  A: 'Human necessities', B: 'Performing operations; transporting', C: 'Chemistry; metallurgy', D: 'Textiles; paper',
  E: 'Fixed constructions', F: 'Mechanical engineering; lighting; heating; weapons', G: 'Physics', H: 'Electricity',
  Y: 'New technologies (CPC Y)',
};
export const BACKGROUND = '#f7f7f9';
/** The all-years layout is scaled to this radius in world units. */
const WORLD_RADIUS = 10;
const FLY_MS = 700;

export interface SceneHighlight {
  /** Codes (instance indices) the user selected here; `focus` is the last one. */
  selected: readonly number[];
  focus: number | null;
  neighbours: readonly number[];
  /** Codes picked in the patent map. */
  marked: ReadonlySet<number>;
}

export interface SpacePointsInput {
  codes: readonly string[];
  sections: readonly string[];
  counts: readonly number[];
  /** n × 3 layout coordinates (any scale); fixes the world transform. */
  positions: Float32Array;
}

export class SpaceScene {
  readonly renderer: THREE.WebGLRenderer;
  private readonly scene = new THREE.Scene();
  private readonly camera = new THREE.PerspectiveCamera(50, 1, 0.05, 500);
  private readonly controls: OrbitControls;
  private readonly raycaster = new THREE.Raycaster();
  private mesh: THREE.InstancedMesh | null = null;
  private readonly neighbourLines: THREE.LineSegments;
  private readonly trailLines: THREE.LineSegments;
  private codes: readonly string[] = [];
  private counts: readonly number[] = [];
  private world: Float32Array = new Float32Array(0);
  private radii: Float32Array = new Float32Array(0);
  private scales: Float32Array = new Float32Array(0);
  private baseColours: Float32Array = new Float32Array(0);
  private centre = new THREE.Vector3();
  private scale = 1;
  private highlight: SceneHighlight = { selected: [], focus: null, neighbours: [], marked: new Set() };
  private hovered: number | null = null;
  private readonly labels = new Map<number, HTMLElement>();
  private frameRequested = false;
  private flight: { from: THREE.Vector3; to: THREE.Vector3; camFrom: THREE.Vector3; camTo: THREE.Vector3; start: number } | null = null;
  private readonly resizeObserver: ResizeObserver;
  private pointerDown: { x: number; y: number } | null = null;
  /** Frames rendered so far (for tests and the benchmark). */
  framesRendered = 0;
  onPick: ((index: number | null, additive: boolean) => void) | null = null;
  onHover: ((index: number | null) => void) | null = null;

  constructor(private readonly canvas: HTMLCanvasElement, private readonly labelLayer: HTMLElement | null, options: { largestLabels?: number } = {}) {
    this.largestLabels = options.largestLabels ?? 10;
    this.renderer = new THREE.WebGLRenderer({ canvas, antialias: true, preserveDrawingBuffer: true, powerPreference: 'high-performance' });
    this.renderer.setPixelRatio(Math.min(globalThis.devicePixelRatio || 1, 2));
    this.scene.background = new THREE.Color(BACKGROUND);
    this.scene.add(new THREE.AmbientLight(0xffffff, 1.6));
    const light = new THREE.DirectionalLight(0xffffff, 1.8);
    light.position.set(1, 2, 3);
    this.camera.add(light);
    this.scene.add(this.camera);
    this.camera.position.set(0, 0, WORLD_RADIUS * 2.6);
    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.enableDamping = false;
    this.controls.addEventListener('change', () => this.requestRender());
    this.neighbourLines = new THREE.LineSegments(new THREE.BufferGeometry(), new THREE.LineBasicMaterial({ color: 0x222222, transparent: true, opacity: 0.7 }));
    this.trailLines = new THREE.LineSegments(new THREE.BufferGeometry(), new THREE.LineBasicMaterial({ color: 0x555555, transparent: true, opacity: 0.45 }));
    this.neighbourLines.frustumCulled = false;
    this.trailLines.frustumCulled = false;
    this.scene.add(this.neighbourLines, this.trailLines);

    canvas.addEventListener('pointermove', this.onPointerMove);
    canvas.addEventListener('pointerdown', this.onPointerDownEvent);
    canvas.addEventListener('pointerup', this.onPointerUp);
    canvas.addEventListener('pointerleave', this.onPointerLeave);
    canvas.addEventListener('keydown', this.onKeyDown);
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(canvas);
    this.resize();
  }

  private readonly largestLabels: number;

  get instanceCount(): number {
    return this.mesh?.count ?? 0;
  }

  setPoints(input: SpacePointsInput): void {
    const n = input.codes.length;
    this.codes = input.codes;
    this.counts = input.counts;
    // World transform from the all-years layout: centred, farthest code at WORLD_RADIUS.
    const c = [0, 0, 0];
    for (let i = 0; i < n; i++) for (let d = 0; d < 3; d++) c[d] += input.positions[i * 3 + d] / Math.max(n, 1);
    this.centre.set(c[0], c[1], c[2]);
    let far = 0;
    for (let i = 0; i < n; i++) far = Math.max(far, Math.hypot(input.positions[i * 3] - c[0], input.positions[i * 3 + 1] - c[1], input.positions[i * 3 + 2] - c[2]));
    this.scale = far > 0 ? WORLD_RADIUS / far : 1;

    const maxCount = Math.max(1, ...input.counts);
    const minRadius = n > 20_000 ? 0.03 : 0.1;
    this.radii = Float32Array.from(input.counts, (count) => minRadius + 0.4 * Math.sqrt(count / maxCount));
    this.scales = new Float32Array(n).fill(1);
    this.baseColours = new Float32Array(n * 3);
    const colour = new THREE.Color();
    input.sections.forEach((section, i) => {
      colour.set(SECTION_COLOURS[section] ?? OTHER_COLOUR);
      this.baseColours.set([colour.r, colour.g, colour.b], i * 3);
    });

    if (this.mesh) {
      this.scene.remove(this.mesh);
      this.mesh.geometry.dispose();
      (this.mesh.material as THREE.Material).dispose();
      this.mesh.dispose();
    }
    const geometry = new THREE.IcosahedronGeometry(1, n > 5_000 ? 0 : 2);
    this.mesh = new THREE.InstancedMesh(geometry, new THREE.MeshLambertMaterial({ color: 0xffffff }), n);
    this.mesh.instanceMatrix.setUsage(THREE.DynamicDrawUsage);
    this.mesh.instanceColor = new THREE.InstancedBufferAttribute(new Float32Array(n * 3), 3);
    this.mesh.frustumCulled = false;
    this.scene.add(this.mesh);
    for (const label of this.labels.values()) label.remove();
    this.labels.clear();
    this.setPositions(input.positions);
    this.applyColours();
    this.refreshLabels();
  }

  /** Layout coordinates → world coordinates (the all-years transform). */
  toWorld(positions: Float32Array): Float32Array {
    const out = new Float32Array(positions.length);
    for (let i = 0; i < positions.length; i += 3) {
      out[i] = (positions[i] - this.centre.x) * this.scale;
      out[i + 1] = (positions[i + 1] - this.centre.y) * this.scale;
      out[i + 2] = (positions[i + 2] - this.centre.z) * this.scale;
    }
    return out;
  }

  /** New layout coordinates (n × 3) and optional per-code size factors (e.g. presence in a window). */
  setPositions(positions: Float32Array, sizeFactors?: Float32Array): void {
    if (!this.mesh) return;
    this.world = this.toWorld(positions);
    if (sizeFactors) this.scales = sizeFactors;
    this.writeMatrices();
    this.updateNeighbourLines();
    this.requestRender();
  }

  setHighlight(highlight: SceneHighlight): void {
    this.highlight = highlight;
    this.applyColours();
    this.writeMatrices();
    this.updateNeighbourLines();
    this.refreshLabels();
    this.requestRender();
  }

  /** Trails: a list of polylines in layout coordinates (each k × 3), or null for none. */
  setTrails(paths: Float32Array[] | null): void {
    const segments: number[] = [];
    for (const path of paths ?? []) {
      const world = this.toWorld(path);
      for (let p = 0; p + 5 < world.length; p += 3) segments.push(...world.subarray(p, p + 6));
    }
    this.trailLines.geometry.dispose();
    this.trailLines.geometry = new THREE.BufferGeometry();
    this.trailLines.geometry.setAttribute('position', new THREE.Float32BufferAttribute(segments, 3));
    this.requestRender();
  }

  /** Animates the orbit target to a code and the camera to a close view of it. */
  flyTo(index: number): void {
    if (index < 0 || index * 3 >= this.world.length) return;
    const to = new THREE.Vector3(this.world[index * 3], this.world[index * 3 + 1], this.world[index * 3 + 2]);
    const direction = this.camera.position.clone().sub(this.controls.target).normalize();
    const camTo = to.clone().add(direction.multiplyScalar(WORLD_RADIUS * 1.6));
    this.flight = { from: this.controls.target.clone(), to, camFrom: this.camera.position.clone(), camTo, start: performance.now() };
    this.requestRender();
  }

  orbit(azimuth: number, polar: number): void {
    const offset = this.camera.position.clone().sub(this.controls.target);
    const spherical = new THREE.Spherical().setFromVector3(offset);
    spherical.theta += azimuth;
    spherical.phi = Math.min(Math.PI - 0.05, Math.max(0.05, spherical.phi + polar));
    this.camera.position.copy(this.controls.target).add(new THREE.Vector3().setFromSpherical(spherical));
    this.controls.update();
    this.requestRender();
  }

  zoom(factor: number): void {
    const offset = this.camera.position.clone().sub(this.controls.target).multiplyScalar(factor);
    this.camera.position.copy(this.controls.target).add(offset);
    this.controls.update();
    this.requestRender();
  }

  requestRender(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      this.render();
    });
  }

  render(): void {
    if (this.flight) {
      const w = Math.min(1, (performance.now() - this.flight.start) / FLY_MS);
      const ease = w < 0.5 ? 2 * w * w : 1 - (-2 * w + 2) ** 2 / 2;
      this.controls.target.lerpVectors(this.flight.from, this.flight.to, ease);
      this.camera.position.lerpVectors(this.flight.camFrom, this.flight.camTo, ease);
      this.camera.lookAt(this.controls.target);
      if (w >= 1) this.flight = null;
      else this.requestRender();
    }
    this.renderer.render(this.scene, this.camera);
    this.framesRendered++;
    this.placeLabels();
  }

  /** Renders now and encodes the canvas (the drawing buffer is preserved). */
  toPngBlob(): Promise<Blob> {
    this.render();
    return new Promise((resolve, reject) => this.canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the canvas could not be encoded'))), 'image/png'));
  }

  dispose(): void {
    this.resizeObserver.disconnect();
    this.canvas.removeEventListener('pointermove', this.onPointerMove);
    this.canvas.removeEventListener('pointerdown', this.onPointerDownEvent);
    this.canvas.removeEventListener('pointerup', this.onPointerUp);
    this.canvas.removeEventListener('pointerleave', this.onPointerLeave);
    this.canvas.removeEventListener('keydown', this.onKeyDown);
    this.controls.dispose();
    this.mesh?.geometry.dispose();
    this.mesh?.dispose();
    this.neighbourLines.geometry.dispose();
    this.trailLines.geometry.dispose();
    for (const label of this.labels.values()) label.remove();
    this.renderer.dispose();
    this.renderer.forceContextLoss();
  }

  resize(): void {
    const width = this.canvas.clientWidth || 640;
    const height = this.canvas.clientHeight || 480;
    this.renderer.setSize(width, height, false);
    this.camera.aspect = width / height;
    this.camera.updateProjectionMatrix();
    this.requestRender();
  }

  private writeMatrices(): void {
    const mesh = this.mesh;
    if (!mesh) return;
    const { focus, neighbours } = this.highlight;
    const near = new Set(neighbours);
    const matrix = new THREE.Matrix4();
    const n = mesh.count;
    for (let i = 0; i < n; i++) {
      const grow = i === focus ? 1.5 : near.has(i) ? 1.2 : 1;
      const r = this.radii[i] * (this.scales[i] ?? 1) * grow;
      matrix.makeScale(r, r, r);
      matrix.setPosition(this.world[i * 3], this.world[i * 3 + 1], this.world[i * 3 + 2]);
      mesh.setMatrixAt(i, matrix);
    }
    mesh.instanceMatrix.needsUpdate = true;
    mesh.boundingSphere = null;
    mesh.boundingBox = null;
  }

  private applyColours(): void {
    const mesh = this.mesh;
    const colours = mesh?.instanceColor;
    if (!mesh || !colours) return;
    const { focus, neighbours, selected, marked } = this.highlight;
    const emphasised = new Set<number>([...neighbours, ...selected, ...marked]);
    if (focus !== null) emphasised.add(focus);
    const dim = emphasised.size > 0;
    const fade = new THREE.Color(BACKGROUND);
    const array = colours.array as Float32Array;
    for (let i = 0; i < mesh.count; i++) {
      const keep = !dim || emphasised.has(i);
      for (let c = 0; c < 3; c++) {
        const base = this.baseColours[i * 3 + c];
        const bg = c === 0 ? fade.r : c === 1 ? fade.g : fade.b;
        array[i * 3 + c] = keep ? base : base * 0.3 + bg * 0.7;
      }
    }
    colours.needsUpdate = true;
  }

  private updateNeighbourLines(): void {
    const { focus, neighbours } = this.highlight;
    const segments: number[] = [];
    if (focus !== null) {
      for (const j of neighbours) segments.push(...this.world.subarray(focus * 3, focus * 3 + 3), ...this.world.subarray(j * 3, j * 3 + 3));
    }
    this.neighbourLines.geometry.dispose();
    this.neighbourLines.geometry = new THREE.BufferGeometry();
    this.neighbourLines.geometry.setAttribute('position', new THREE.Float32BufferAttribute(segments, 3));
  }

  /** Which codes carry a label: hovered, selected, nearest, picked in the map, and the largest. */
  private refreshLabels(): void {
    if (!this.labelLayer) return;
    const wanted = new Set<number>();
    const largest = [...this.counts.keys()].sort((a, b) => this.counts[b] - this.counts[a] || a - b).slice(0, this.largestLabels);
    for (const i of largest) wanted.add(i);
    for (const i of [...this.highlight.marked].slice(0, 30)) wanted.add(i);
    for (const i of this.highlight.selected) wanted.add(i);
    for (const i of this.highlight.neighbours) wanted.add(i);
    if (this.highlight.focus !== null) wanted.add(this.highlight.focus);
    if (this.hovered !== null) wanted.add(this.hovered);
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
        label.textContent = this.codes[i] ?? '';
        this.labelLayer.append(label);
        this.labels.set(i, label);
      }
      label.dataset.kind = i === this.highlight.focus ? 'focus' : i === this.hovered ? 'hover'
        : this.highlight.neighbours.includes(i) ? 'neighbour' : this.highlight.marked.has(i) ? 'marked' : 'large';
    }
    this.requestRender();
  }

  private placeLabels(): void {
    if (!this.labelLayer || this.labels.size === 0) return;
    const width = this.canvas.clientWidth;
    const height = this.canvas.clientHeight;
    const v = new THREE.Vector3();
    for (const [i, label] of this.labels) {
      v.set(this.world[i * 3], this.world[i * 3 + 1], this.world[i * 3 + 2]).project(this.camera);
      const visible = v.z < 1 && Math.abs(v.x) <= 1.05 && Math.abs(v.y) <= 1.05;
      label.style.display = visible ? '' : 'none';
      if (visible) label.style.transform = `translate(${((v.x + 1) / 2) * width + 6}px, ${((1 - v.y) / 2) * height - 8}px)`;
    }
  }

  private pick(event: PointerEvent): number | null {
    if (!this.mesh) return null;
    const rect = this.canvas.getBoundingClientRect();
    const pointer = new THREE.Vector2(((event.clientX - rect.left) / rect.width) * 2 - 1, -((event.clientY - rect.top) / rect.height) * 2 + 1);
    this.raycaster.setFromCamera(pointer, this.camera);
    const hit = this.raycaster.intersectObject(this.mesh, false)[0];
    return hit?.instanceId ?? null;
  }

  private readonly onPointerMove = (event: PointerEvent) => {
    if (event.buttons !== 0 || (this.mesh?.count ?? 0) > 20_000) return;
    const index = this.pick(event);
    if (index === this.hovered) return;
    this.hovered = index;
    this.canvas.style.cursor = index === null ? '' : 'pointer';
    this.onHover?.(index);
    this.refreshLabels();
  };

  private readonly onPointerDownEvent = (event: PointerEvent) => {
    this.pointerDown = { x: event.clientX, y: event.clientY };
  };

  private readonly onPointerUp = (event: PointerEvent) => {
    const down = this.pointerDown;
    this.pointerDown = null;
    if (!down || Math.hypot(event.clientX - down.x, event.clientY - down.y) > 5) return;
    this.onPick?.(this.pick(event), event.shiftKey || event.ctrlKey || event.metaKey);
  };

  private readonly onPointerLeave = () => {
    if (this.hovered === null) return;
    this.hovered = null;
    this.refreshLabels();
  };

  private readonly onKeyDown = (event: KeyboardEvent) => {
    const step = event.shiftKey ? 0.3 : 0.1;
    switch (event.key) {
      case 'ArrowLeft': this.orbit(-step, 0); break;
      case 'ArrowRight': this.orbit(step, 0); break;
      case 'ArrowUp': this.orbit(0, -step); break;
      case 'ArrowDown': this.orbit(0, step); break;
      case '+': case '=': this.zoom(0.85); break;
      case '-': case '_': this.zoom(1 / 0.85); break;
      default: return;
    }
    event.preventDefault();
  };
}
