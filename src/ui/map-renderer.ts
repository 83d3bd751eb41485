/**
 * WebGL2 point renderer for the patent map: every patent is one round point from three vertex
 * buffers (position f32×2, colour u8×4, state u8), uploaded when the layout or the styling
 * changes; a frame sends a few uniforms and draw calls. The state picks size, dimming, a ring
 * (selected / search hit) and depth, so highlighted points lie on top without sorting.
 * preserveDrawingBuffer keeps the last frame readable for PNG export and tests.
 *
 * The buffers hold the points in draw order (src/core/layout/draw-order.ts): nested random
 * levels of detail, each sorted by grid cell. A frame draws only the cells in view, one range per
 * grid row, so a zoomed-in frame costs what it shows. With `maxPoints` (for frames during a drag
 * or zoom on a software renderer, where every submitted point costs ~0.2 µs) it draws the deepest
 * levels that fit, a uniform sample of the view, and the selected or highlighted points of the
 * left-out levels as far as the budget goes, so a search's hits and a selection stay denser than the rest.
 * Colours and states upload separately: a search or a selection re-sends one byte per point.
 */
import { drawOrder, levelForBudget, toSlotOrder, visibleRanges, type DrawOrder } from '../core/layout/draw-order';
import type { MapViewport } from './map-geometry';
import { MAP_CANVASES, type MapCanvasTheme } from './theme/palette';

const VERTEX_SHADER = `#version 300 es
in vec2 a_position;
in vec4 a_colour;
in float a_state;
uniform vec2 u_centre;
uniform float u_scale;
uniform vec2 u_viewport;
uniform float u_pointSize;
uniform vec3 u_dim;
out vec3 v_colour;
flat out int v_state;
void main() {
  int state = int(a_state + 0.5);
  v_state = state;
  if (state == 4) {
    gl_Position = vec4(2.0, 2.0, 2.0, 1.0);
    gl_PointSize = 0.0;
    return;
  }
  vec2 px = (a_position - u_centre) * u_scale;
  float depth = state == 1 ? 0.6 : state == 0 ? 0.4 : state == 2 ? 0.2 : 0.0;
  gl_Position = vec4(px / (u_viewport * 0.5), depth, 1.0);
  float grow = state == 2 || state == 3 ? 1.7 : state == 1 ? 0.85 : 1.0;
  gl_PointSize = max(1.0, u_pointSize * grow);
  v_colour = state == 1 ? mix(a_colour.rgb, u_dim, 0.72) : a_colour.rgb;
}`;

const FRAGMENT_SHADER = `#version 300 es
precision mediump float;
in vec3 v_colour;
flat in int v_state;
uniform vec3 u_ring;
out vec4 outColour;
void main() {
  vec2 d = gl_PointCoord * 2.0 - 1.0;
  float r2 = dot(d, d);
  if (r2 > 1.0) discard;
  vec3 colour = v_colour;
  if ((v_state == 2 || v_state == 3) && r2 > 0.5) colour = v_state == 3 ? u_ring : vec3(0.95, 0.55, 0.0);
  outColour = vec4(colour, 1.0);
}`;

export interface DrawStats {
  /** Points passed to the draw calls. */
  points: number;
  /** Draw calls issued. */
  calls: number;
  /** Deepest level of detail drawn, of `levels` (levels − 1 when nothing was left out). */
  level: number;
  levels: number;
  /** CPU time of the draw call's submission (ms); the GPU work is asynchronous. */
  submitMs: number;
}

export interface DrawOptions {
  /** Most points to submit (plus selected / highlighted ones); the full view when absent. */
  maxPoints?: number;
}

function unit([r, g, b]: readonly [number, number, number]): [number, number, number] {
  return [r / 255, g / 255, b / 255];
}

/** Highlighted (2) and selected (3) points have a ring; a reduced frame adds them beyond its sample. */
function emphasised(state: number): boolean {
  return state === 2 || state === 3;
}

export class MapRenderer {
  private readonly gl: WebGL2RenderingContext;
  private program: WebGLProgram | null = null;
  private vao: WebGLVertexArrayObject | null = null;
  private positions: WebGLBuffer | null = null;
  private colours: WebGLBuffer | null = null;
  private states: WebGLBuffer | null = null;
  private uniforms: Record<'centre' | 'scale' | 'viewport' | 'pointSize' | 'dim' | 'ring', WebGLUniformLocation | null> = {
    centre: null, scale: null, viewport: null, pointSize: null, dim: null, ring: null,
  };
  /** Background, dimmed-point and ring colours of the page's scheme. */
  private theme: MapCanvasTheme = MAP_CANVASES.light;
  private emphasised: WebGLBuffer | null = null;
  /** Slots of the highlighted and selected points, ascending (also in the element buffer). */
  private emphasisedSlots = new Uint32Array(0);
  private count = 0;
  private order: DrawOrder | null = null;
  /** Last data (point order), re-uploaded after a lost context is restored or new positions. */
  private data: { positions: Float32Array | null; colours: Uint8Array | null; states: Uint8Array | null } = { positions: null, colours: null, states: null };

  /** Throws when the browser has no WebGL2. */
  constructor(private readonly canvas: HTMLCanvasElement) {
    const gl = canvas.getContext('webgl2', { antialias: false, preserveDrawingBuffer: true, premultipliedAlpha: false, alpha: false, depth: true });
    if (!gl) throw new Error('WebGL2 is not available in this browser: the map cannot be drawn.');
    this.gl = gl;
    this.init();
  }

  /** The scheme's colours for the next frame. */
  setTheme(theme: MapCanvasTheme): void {
    this.theme = theme;
  }

  get contextLost(): boolean {
    return this.gl.isContextLost();
  }

  /** Builds program and buffers (again after webglcontextrestored) and re-uploads the last data. */
  init(): void {
    const gl = this.gl;
    const program = link(gl, compile(gl, gl.VERTEX_SHADER, VERTEX_SHADER), compile(gl, gl.FRAGMENT_SHADER, FRAGMENT_SHADER));
    this.program = program;
    this.uniforms = {
      centre: gl.getUniformLocation(program, 'u_centre'),
      scale: gl.getUniformLocation(program, 'u_scale'),
      viewport: gl.getUniformLocation(program, 'u_viewport'),
      pointSize: gl.getUniformLocation(program, 'u_pointSize'),
      dim: gl.getUniformLocation(program, 'u_dim'),
      ring: gl.getUniformLocation(program, 'u_ring'),
    };
    this.vao = gl.createVertexArray();
    gl.bindVertexArray(this.vao);
    this.positions = attribute(gl, program, 'a_position', 2, gl.FLOAT, false);
    this.colours = attribute(gl, program, 'a_colour', 4, gl.UNSIGNED_BYTE, true);
    this.states = attribute(gl, program, 'a_state', 1, gl.UNSIGNED_BYTE, false);
    this.emphasised = gl.createBuffer();
    gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, this.emphasised);
    gl.bindVertexArray(null);
    gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, null);
    if (this.data.positions) this.setPositions(this.data.positions);
  }

  /** True on a software rasteriser (SwiftShader, llvmpipe), where frames should pass maxPoints. */
  get software(): boolean {
    const gl = this.gl;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const name = String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
    return /swiftshader|llvmpipe|software|softpipe/i.test(name);
  }

  /** n×2 layout coordinates; styling already given is kept (re-sent in the new order). */
  setPositions(coordinates: Float32Array): void {
    this.data.positions = coordinates;
    this.count = coordinates.length / 2;
    this.order = drawOrder(coordinates, this.count);
    upload(this.gl, this.positions, toSlotOrder(this.order, coordinates, 2));
    const { colours, states } = this.data;
    if (colours && colours.length === this.count * 4) this.setColours(colours);
    if (states && states.length === this.count) this.setStates(states);
  }

  /** RGBA8 and one state byte per point (see POINT_STATE). */
  setStyle(colours: Uint8Array, states: Uint8Array): void {
    this.setColours(colours);
    this.setStates(states);
  }

  /** RGBA8 per point (a colour mode change). */
  setColours(colours: Uint8Array): void {
    this.data.colours = colours;
    if (this.order && colours.length === this.count * 4) upload(this.gl, this.colours, toSlotOrder(this.order, colours, 4));
  }

  /** One state byte per point (a search or a selection): one byte per point goes to the GPU. */
  setStates(states: Uint8Array): void {
    this.data.states = states;
    if (!this.order || states.length !== this.count) return;
    const slotted = toSlotOrder(this.order, states, 1);
    upload(this.gl, this.states, slotted);
    let count = 0;
    for (let s = 0; s < slotted.length; s++) if (emphasised(slotted[s])) count++;
    const slots = new Uint32Array(count);
    for (let s = 0, k = 0; s < slotted.length; s++) if (emphasised(slotted[s])) slots[k++] = s;
    this.emphasisedSlots = slots;
    const gl = this.gl;
    gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, this.emphasised);
    gl.bufferData(gl.ELEMENT_ARRAY_BUFFER, slots, gl.DYNAMIC_DRAW);
    gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, null);
  }

  /** Draws the points in view; sizes are CSS pixels, scaled by devicePixelRatio here. */
  draw(view: MapViewport, pixelRatio: number, pointSize: number, options: DrawOptions = {}): DrawStats {
    const gl = this.gl;
    const started = performance.now();
    const width = Math.max(1, Math.round(view.width * pixelRatio));
    const height = Math.max(1, Math.round(view.height * pixelRatio));
    if (this.canvas.width !== width) this.canvas.width = width;
    if (this.canvas.height !== height) this.canvas.height = height;
    gl.viewport(0, 0, width, height);
    const [br, bg, bb] = this.theme.background;
    gl.clearColor(br / 255, bg / 255, bb / 255, 1);
    gl.clearDepth(1);
    gl.enable(gl.DEPTH_TEST);
    gl.depthFunc(gl.LEQUAL);
    gl.clear(gl.COLOR_BUFFER_BIT | gl.DEPTH_BUFFER_BIT);
    const order = this.order;
    if (!this.program || !order || this.count === 0 || !this.data.colours) return { points: 0, calls: 0, level: 0, levels: 0, submitMs: performance.now() - started };
    gl.useProgram(this.program);
    gl.uniform2f(this.uniforms.centre, view.cx, view.cy);
    gl.uniform1f(this.uniforms.scale, view.scale * pixelRatio);
    gl.uniform2f(this.uniforms.viewport, width, height);
    gl.uniform1f(this.uniforms.pointSize, pointSize * pixelRatio);
    gl.uniform3f(this.uniforms.dim, ...unit(this.theme.dim));
    gl.uniform3f(this.uniforms.ring, ...unit(this.theme.ring));
    // The view in layout units, widened by the largest point's radius so edge points are kept.
    const margin = (pointSize * 1.7) / 2 / view.scale;
    const halfWidth = view.width / 2 / view.scale + margin, halfHeight = view.height / 2 / view.scale + margin;
    const [x0, x1, y0, y1] = [view.cx - halfWidth, view.cx + halfWidth, view.cy - halfHeight, view.cy + halfHeight];
    const level = levelForBudget(order, x0, y0, x1, y1, options.maxPoints ?? Infinity);
    const { ranges, points } = visibleRanges(order, x0, y0, x1, y1, level);
    gl.bindVertexArray(this.vao);
    for (const range of ranges) gl.drawArrays(gl.POINTS, range.start, range.count);
    let drawn = points;
    let calls = ranges.length;
    if (level < order.levels - 1 && this.emphasisedSlots.length > 0) {
      // Selected and highlighted points of the levels left out (slots are sorted, levels are slot
      // ranges), up to the budget: the first ones in slot order are again a uniform sample.
      const first = lowerBound(this.emphasisedSlots, order.levelStarts[level + 1]);
      const count = Math.min(this.emphasisedSlots.length - first, Math.max(0, (options.maxPoints ?? Infinity) - points));
      if (count > 0) {
        gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, this.emphasised);
        gl.drawElements(gl.POINTS, count, gl.UNSIGNED_INT, first * 4);
        drawn += count;
        calls++;
      }
    }
    gl.bindVertexArray(null);
    return { points: drawn, calls, level, levels: order.levels, submitMs: performance.now() - started };
  }

  destroy(): void {
    const gl = this.gl;
    gl.deleteBuffer(this.positions);
    gl.deleteBuffer(this.colours);
    gl.deleteBuffer(this.states);
    gl.deleteBuffer(this.emphasised);
    gl.deleteVertexArray(this.vao);
    gl.deleteProgram(this.program);
    this.program = null;
  }
}

function compile(gl: WebGL2RenderingContext, type: number, source: string): WebGLShader {
  const shader = gl.createShader(type);
  if (!shader) throw new Error('WebGL could not create a shader');
  gl.shaderSource(shader, source);
  gl.compileShader(shader);
  if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS) && !gl.isContextLost()) {
    throw new Error(`map shader did not compile: ${gl.getShaderInfoLog(shader) ?? ''}`);
  }
  return shader;
}

function link(gl: WebGL2RenderingContext, vertex: WebGLShader, fragment: WebGLShader): WebGLProgram {
  const program = gl.createProgram();
  if (!program) throw new Error('WebGL could not create a program');
  gl.attachShader(program, vertex);
  gl.attachShader(program, fragment);
  gl.linkProgram(program);
  if (!gl.getProgramParameter(program, gl.LINK_STATUS) && !gl.isContextLost()) {
    throw new Error(`map shaders did not link: ${gl.getProgramInfoLog(program) ?? ''}`);
  }
  gl.deleteShader(vertex);
  gl.deleteShader(fragment);
  return program;
}

function attribute(gl: WebGL2RenderingContext, program: WebGLProgram, name: string, size: number, type: number, normalised: boolean): WebGLBuffer | null {
  const buffer = gl.createBuffer();
  const location = gl.getAttribLocation(program, name);
  gl.bindBuffer(gl.ARRAY_BUFFER, buffer);
  if (location >= 0) {
    gl.enableVertexAttribArray(location);
    gl.vertexAttribPointer(location, size, type, normalised, 0, 0);
  }
  gl.bindBuffer(gl.ARRAY_BUFFER, null);
  return buffer;
}

/** First position in ascending `values` holding at least `target`. */
function lowerBound(values: Uint32Array, target: number): number {
  let low = 0, high = values.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (values[mid] < target) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Bytes held by each buffer, so same-sized data replaces a store in place (no GL query, which may stall). */
const bufferBytes = new WeakMap<WebGLBuffer, number>();

function upload(gl: WebGL2RenderingContext, buffer: WebGLBuffer | null, data: ArrayBufferView): void {
  gl.bindBuffer(gl.ARRAY_BUFFER, buffer);
  if (buffer && bufferBytes.get(buffer) === data.byteLength) gl.bufferSubData(gl.ARRAY_BUFFER, 0, data);
  else {
    gl.bufferData(gl.ARRAY_BUFFER, data, gl.STATIC_DRAW);
    if (buffer) bufferBytes.set(buffer, data.byteLength);
  }
  gl.bindBuffer(gl.ARRAY_BUFFER, null);
}
