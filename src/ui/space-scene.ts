/**
 * The three.js side of the technology space: every code is one instance of ONE InstancedMesh (one
 * draw call), sized by its patent count and coloured by its IPC section (theme/palette.ts); lines
 * to a code's nearest codes, optional trails, HTML labels (space/scene-labels.ts), orbit controls
 * with keyboard and picking (space/scene-input.ts) and camera flights (space/scene-camera.ts).
 * Renders on demand only (no idle frame loop). Loaded lazily by ps-space-view.
 */
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import type { Camera } from '../core/url/view-state';
import { SceneCamera } from './space/scene-camera';
import { SceneInput } from './space/scene-input';
import { SceneLabels } from './space/scene-labels';
import { currentScheme } from './theme/media';
import { CANVAS_THEMES, numberColour, sectionColour, unitColour, type CanvasTheme, type ColourScheme } from './theme/palette';

/** The all-years layout is scaled to this radius in world units. */
const WORLD_RADIUS = 10;
/** Above these many codes, spheres get fewer facets and a smaller minimum size. */
const COARSE_MESH_CODES = 5_000;
const TINY_POINTS_CODES = 20_000;
/** A dimmed code keeps this share of its colour, the rest is the background. */
const DIMMED_KEEP = 0.3;

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
  /** Told after a frame whose camera moved (an orbit, a zoom, a flight's frames): the link follows it. */
  onCameraMove: ((camera: Camera) => void) | null = null;
  private lastCamera = '';
  private readonly scene = new THREE.Scene();
  private readonly camera = new THREE.PerspectiveCamera(50, 1, 0.05, 500);
  private readonly controls: OrbitControls;
  private readonly flights: SceneCamera;
  private readonly input: SceneInput;
  private readonly labels: SceneLabels;
  private readonly raycaster = new THREE.Raycaster();
  private mesh: THREE.InstancedMesh | null = null;
  private readonly neighbourLines: THREE.LineSegments;
  private readonly trailLines: THREE.LineSegments;
  private theme: CanvasTheme;
  private codes: readonly string[] = [];
  private counts: readonly number[] = [];
  private world: Float32Array = new Float32Array(0);
  private radii: Float32Array = new Float32Array(0);
  private scales: Float32Array = new Float32Array(0);
  private baseColours: Float32Array = new Float32Array(0);
  private centre = new THREE.Vector3();
  private scale = 1;
  private highlight: SceneHighlight = { selected: [], focus: null, neighbours: [], marked: new Set() };
  private frameRequested = false;
  private readonly resizeObserver: ResizeObserver;
  /** Frames rendered so far (for tests and the benchmark). */
  framesRendered = 0;
  onPick: ((index: number | null, additive: boolean) => void) | null = null;
  onHover: ((index: number | null) => void) | null = null;

  constructor(private readonly canvas: HTMLCanvasElement, labelLayer: HTMLElement | null, options: { largestLabels?: number; scheme?: ColourScheme } = {}) {
    this.labels = new SceneLabels(labelLayer, options.largestLabels ?? 10);
    this.theme = CANVAS_THEMES[options.scheme ?? currentScheme()];
    this.renderer = new THREE.WebGLRenderer({ canvas, antialias: true, preserveDrawingBuffer: true, powerPreference: 'high-performance' });
    this.renderer.setPixelRatio(Math.min(globalThis.devicePixelRatio || 1, 2));
    this.scene.background = new THREE.Color(numberColour(this.theme.background));
    this.scene.add(new THREE.AmbientLight(0xffffff, 1.6));
    const light = new THREE.DirectionalLight(0xffffff, 1.8);
    light.position.set(1, 2, 3);
    this.camera.add(light);
    this.scene.add(this.camera);
    this.camera.position.set(0, 0, WORLD_RADIUS * 2.6);
    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.enableDamping = false;
    this.controls.addEventListener('change', () => this.requestRender());
    this.flights = new SceneCamera(this.camera, this.controls);
    this.neighbourLines = new THREE.LineSegments(new THREE.BufferGeometry(), new THREE.LineBasicMaterial({ color: numberColour(this.theme.ink), transparent: true, opacity: 0.7 }));
    this.trailLines = new THREE.LineSegments(new THREE.BufferGeometry(), new THREE.LineBasicMaterial({ color: numberColour(this.theme.faint), transparent: true, opacity: 0.45 }));
    this.neighbourLines.frustumCulled = false;
    this.trailLines.frustumCulled = false;
    this.scene.add(this.neighbourLines, this.trailLines);
    this.input = new SceneInput(canvas, {
      pick: (event) => this.pick(event),
      count: () => this.mesh?.count ?? 0,
      hover: (index) => { this.onHover?.(index); this.refreshLabels(); },
      click: (index, additive) => this.onPick?.(index, additive),
      orbit: (azimuth, polar) => this.orbit(azimuth, polar),
      zoom: (factor) => this.zoom(factor),
    });
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(canvas);
    this.resize();
  }

  get instanceCount(): number {
    return this.mesh?.count ?? 0;
  }

  /** Background, lines and dimming for the light or dark scheme. */
  setScheme(scheme: ColourScheme): void {
    this.theme = CANVAS_THEMES[scheme];
    this.scene.background = new THREE.Color(numberColour(this.theme.background));
    (this.neighbourLines.material as THREE.LineBasicMaterial).color.set(numberColour(this.theme.ink));
    (this.trailLines.material as THREE.LineBasicMaterial).color.set(numberColour(this.theme.faint));
    this.applyColours();
    this.requestRender();
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
    const minRadius = n > TINY_POINTS_CODES ? 0.03 : 0.1;
    this.radii = Float32Array.from(input.counts, (count) => minRadius + 0.4 * Math.sqrt(count / maxCount));
    this.scales = new Float32Array(n).fill(1);
    this.baseColours = new Float32Array(n * 3);
    input.sections.forEach((section, i) => this.baseColours.set(unitColour(sectionColour(section)), i * 3));

    if (this.mesh) {
      this.scene.remove(this.mesh);
      this.mesh.geometry.dispose();
      (this.mesh.material as THREE.Material).dispose();
      this.mesh.dispose();
    }
    const geometry = new THREE.IcosahedronGeometry(1, n > COARSE_MESH_CODES ? 0 : 2);
    this.mesh = new THREE.InstancedMesh(geometry, new THREE.MeshLambertMaterial({ color: 0xffffff }), n);
    this.mesh.instanceMatrix.setUsage(THREE.DynamicDrawUsage);
    this.mesh.instanceColor = new THREE.InstancedBufferAttribute(new Float32Array(n * 3), 3);
    this.mesh.frustumCulled = false;
    this.scene.add(this.mesh);
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
    setLinePositions(this.trailLines, segments);
    this.requestRender();
  }

  /** Flies the orbit target to a code and the camera to a close view of it (a jump with reduced motion). */
  flyTo(index: number): void {
    if (index < 0 || index * 3 >= this.world.length) return;
    this.flights.flyTo(new THREE.Vector3(this.world[index * 3], this.world[index * 3 + 1], this.world[index * 3 + 2]), WORLD_RADIUS * 1.6);
    this.requestRender();
  }

  get cameraView(): Camera {
    return this.flights.view();
  }

  setCameraView(camera: Camera): void {
    this.flights.jumpTo(camera);
    this.lastCamera = JSON.stringify(this.flights.view());
    this.requestRender();
  }

  orbit(azimuth: number, polar: number): void {
    this.flights.orbit(azimuth, polar);
    this.requestRender();
  }

  zoom(factor: number): void {
    this.flights.zoom(factor);
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
    if (this.flights.step(performance.now())) this.requestRender();
    this.renderer.render(this.scene, this.camera);
    this.framesRendered++;
    this.labels.place(this.world, this.camera, this.canvas.clientWidth, this.canvas.clientHeight);
    const camera = this.flights.view();
    const key = JSON.stringify(camera);
    if (key !== this.lastCamera) {
      this.lastCamera = key;
      this.onCameraMove?.(camera);
    }
  }

  /** Renders now and encodes the canvas (the drawing buffer is preserved). */
  toPngBlob(): Promise<Blob> {
    this.render();
    return new Promise((resolve, reject) => this.canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the canvas could not be encoded'))), 'image/png'));
  }

  dispose(): void {
    this.resizeObserver.disconnect();
    this.input.dispose();
    this.controls.dispose();
    this.mesh?.geometry.dispose();
    this.mesh?.dispose();
    this.neighbourLines.geometry.dispose();
    this.trailLines.geometry.dispose();
    this.labels.clear();
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
    for (let i = 0; i < mesh.count; i++) {
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

  /** Section colours; with anything emphasised, the other codes fade towards the background. */
  private applyColours(): void {
    const mesh = this.mesh;
    const colours = mesh?.instanceColor;
    if (!mesh || !colours) return;
    const { focus, neighbours, selected, marked } = this.highlight;
    const emphasised = new Set<number>([...neighbours, ...selected, ...marked]);
    if (focus !== null) emphasised.add(focus);
    const dim = emphasised.size > 0;
    const background = unitColour(this.theme.background);
    const array = colours.array as Float32Array;
    for (let i = 0; i < mesh.count; i++) {
      const keep = !dim || emphasised.has(i);
      for (let c = 0; c < 3; c++) {
        const base = this.baseColours[i * 3 + c];
        array[i * 3 + c] = keep ? base : base * DIMMED_KEEP + background[c] * (1 - DIMMED_KEEP);
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
    setLinePositions(this.neighbourLines, segments);
  }

  private refreshLabels(): void {
    const { focus, selected, neighbours, marked } = this.highlight;
    this.labels.refresh(this.codes, this.counts, { focus, selected, neighbours, marked, hovered: this.input.hoveredIndex });
    this.requestRender();
  }

  private pick(event: PointerEvent): number | null {
    if (!this.mesh) return null;
    const rect = this.canvas.getBoundingClientRect();
    const pointer = new THREE.Vector2(((event.clientX - rect.left) / rect.width) * 2 - 1, -((event.clientY - rect.top) / rect.height) * 2 + 1);
    this.raycaster.setFromCamera(pointer, this.camera);
    const hit = this.raycaster.intersectObject(this.mesh, false)[0];
    return hit?.instanceId ?? null;
  }
}

function setLinePositions(lines: THREE.LineSegments, segments: number[]): void {
  lines.geometry.dispose();
  lines.geometry = new THREE.BufferGeometry();
  lines.geometry.setAttribute('position', new THREE.Float32BufferAttribute(segments, 3));
}
