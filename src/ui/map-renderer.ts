/**
 * WebGL2 point renderer for the patent map: every patent is one round point, drawn in ONE
 * drawArrays(POINTS) call from three vertex buffers (position f32×2, colour u8×4, state u8), so
 * 50,000 points cost one upload when the layout or the styling changes and nothing per frame but
 * a few uniforms. The state picks size, dimming, a dark ring (selected / search hit) and depth, so
 * highlighted points lie on top without sorting. preserveDrawingBuffer keeps the last frame
 * readable for PNG export and tests.
 */
import type { MapViewport } from './map-geometry';

const VERTEX_SHADER = `#version 300 es
in vec2 a_position;
in vec4 a_colour;
in float a_state;
uniform vec2 u_centre;
uniform float u_scale;
uniform vec2 u_viewport;
uniform float u_pointSize;
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
  v_colour = state == 1 ? mix(a_colour.rgb, vec3(0.93), 0.72) : a_colour.rgb;
}`;

const FRAGMENT_SHADER = `#version 300 es
precision mediump float;
in vec3 v_colour;
flat in int v_state;
out vec4 outColour;
void main() {
  vec2 d = gl_PointCoord * 2.0 - 1.0;
  float r2 = dot(d, d);
  if (r2 > 1.0) discard;
  vec3 colour = v_colour;
  if ((v_state == 2 || v_state == 3) && r2 > 0.5) colour = v_state == 3 ? vec3(0.08) : vec3(0.95, 0.55, 0.0);
  outColour = vec4(colour, 1.0);
}`;

export interface DrawStats {
  /** Points passed to the one draw call. */
  points: number;
  /** CPU time of the draw call's submission (ms); the GPU work is asynchronous. */
  submitMs: number;
}

export class MapRenderer {
  private readonly gl: WebGL2RenderingContext;
  private program: WebGLProgram | null = null;
  private vao: WebGLVertexArrayObject | null = null;
  private positions: WebGLBuffer | null = null;
  private colours: WebGLBuffer | null = null;
  private states: WebGLBuffer | null = null;
  private uniforms: Record<'centre' | 'scale' | 'viewport' | 'pointSize', WebGLUniformLocation | null> = { centre: null, scale: null, viewport: null, pointSize: null };
  private count = 0;
  /** Last uploaded data, re-uploaded after a lost context is restored. */
  private data: { positions: Float32Array | null; colours: Uint8Array | null; states: Uint8Array | null } = { positions: null, colours: null, states: null };

  /** Throws when the browser has no WebGL2. */
  constructor(private readonly canvas: HTMLCanvasElement) {
    const gl = canvas.getContext('webgl2', { antialias: false, preserveDrawingBuffer: true, premultipliedAlpha: false, alpha: false, depth: true });
    if (!gl) throw new Error('WebGL2 is not available in this browser: the map cannot be drawn.');
    this.gl = gl;
    this.init();
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
    };
    this.vao = gl.createVertexArray();
    gl.bindVertexArray(this.vao);
    this.positions = attribute(gl, program, 'a_position', 2, gl.FLOAT, false);
    this.colours = attribute(gl, program, 'a_colour', 4, gl.UNSIGNED_BYTE, true);
    this.states = attribute(gl, program, 'a_state', 1, gl.UNSIGNED_BYTE, false);
    gl.bindVertexArray(null);
    if (this.data.positions) this.setPositions(this.data.positions);
    if (this.data.colours && this.data.states) this.setStyle(this.data.colours, this.data.states);
  }

  /** n×2 layout coordinates. */
  setPositions(coordinates: Float32Array): void {
    this.data.positions = coordinates;
    this.count = coordinates.length / 2;
    upload(this.gl, this.positions, coordinates);
  }

  /** RGBA8 and one state byte per point (see POINT_STATE). */
  setStyle(colours: Uint8Array, states: Uint8Array): void {
    this.data.colours = colours;
    this.data.states = states;
    upload(this.gl, this.colours, colours);
    upload(this.gl, this.states, states);
  }

  /** Draws every point in one call; sizes are CSS pixels, scaled by devicePixelRatio here. */
  draw(view: MapViewport, pixelRatio: number, pointSize: number): DrawStats {
    const gl = this.gl;
    const started = performance.now();
    const width = Math.max(1, Math.round(view.width * pixelRatio));
    const height = Math.max(1, Math.round(view.height * pixelRatio));
    if (this.canvas.width !== width) this.canvas.width = width;
    if (this.canvas.height !== height) this.canvas.height = height;
    gl.viewport(0, 0, width, height);
    gl.clearColor(1, 1, 1, 1);
    gl.clearDepth(1);
    gl.enable(gl.DEPTH_TEST);
    gl.depthFunc(gl.LEQUAL);
    gl.clear(gl.COLOR_BUFFER_BIT | gl.DEPTH_BUFFER_BIT);
    if (!this.program || this.count === 0 || !this.data.colours) return { points: 0, submitMs: performance.now() - started };
    gl.useProgram(this.program);
    gl.uniform2f(this.uniforms.centre, view.cx, view.cy);
    gl.uniform1f(this.uniforms.scale, view.scale * pixelRatio);
    gl.uniform2f(this.uniforms.viewport, width, height);
    gl.uniform1f(this.uniforms.pointSize, pointSize * pixelRatio);
    gl.bindVertexArray(this.vao);
    gl.drawArrays(gl.POINTS, 0, this.count);
    gl.bindVertexArray(null);
    return { points: this.count, submitMs: performance.now() - started };
  }

  destroy(): void {
    const gl = this.gl;
    gl.deleteBuffer(this.positions);
    gl.deleteBuffer(this.colours);
    gl.deleteBuffer(this.states);
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

function upload(gl: WebGL2RenderingContext, buffer: WebGLBuffer | null, data: ArrayBufferView): void {
  gl.bindBuffer(gl.ARRAY_BUFFER, buffer);
  gl.bufferData(gl.ARRAY_BUFFER, data, gl.STATIC_DRAW);
  gl.bindBuffer(gl.ARRAY_BUFFER, null);
}
