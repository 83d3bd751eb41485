/**
 * The technology space's camera moves: orbit and zoom around the controls' target, and the
 * flight to a code (eased over FLY_MS), which becomes a jump under prefers-reduced-motion.
 */
import * as THREE from 'three';
import type { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import type { Camera } from '../../core/url/view-state';
import { prefersReducedMotion } from '../theme/media';

const FLY_MS = 700;
/** Keeps the camera off the poles, where orbiting flips. */
const POLE_MARGIN = 0.05;

interface Flight {
  from: THREE.Vector3;
  to: THREE.Vector3;
  camFrom: THREE.Vector3;
  camTo: THREE.Vector3;
  start: number;
}

export class SceneCamera {
  private flight: Flight | null = null;

  constructor(private readonly camera: THREE.PerspectiveCamera, private readonly controls: OrbitControls) {}

  /** Moves the orbit target to `to`, the camera to `distance` from it along its current direction. */
  flyTo(to: THREE.Vector3, distance: number): void {
    const direction = this.camera.position.clone().sub(this.controls.target).normalize();
    const camTo = to.clone().add(direction.multiplyScalar(distance));
    if (prefersReducedMotion()) {
      this.controls.target.copy(to);
      this.camera.position.copy(camTo);
      this.camera.lookAt(to);
      this.controls.update();
      return;
    }
    this.flight = { from: this.controls.target.clone(), to, camFrom: this.camera.position.clone(), camTo, start: performance.now() };
  }

  /** Where the camera is and looks (the orbit target), in world units. */
  view(): Camera {
    const p = this.camera.position;
    const t = this.controls.target;
    return { position: [p.x, p.y, p.z], target: [t.x, t.y, t.z] };
  }

  /** Puts the camera at `view` at once (a link, back/forward), ending any flight. */
  jumpTo(view: Camera): void {
    const position = new THREE.Vector3(...view.position);
    const target = new THREE.Vector3(...view.target);
    // A camera on its target has no direction to look in: keep the current view.
    if (position.distanceTo(target) < 1e-3) return;
    this.flight = null;
    this.controls.target.copy(target);
    this.camera.position.copy(position);
    this.camera.lookAt(target);
    this.controls.update();
  }

  orbit(azimuth: number, polar: number): void {
    const offset = this.camera.position.clone().sub(this.controls.target);
    const spherical = new THREE.Spherical().setFromVector3(offset);
    spherical.theta += azimuth;
    spherical.phi = Math.min(Math.PI - POLE_MARGIN, Math.max(POLE_MARGIN, spherical.phi + polar));
    this.camera.position.copy(this.controls.target).add(new THREE.Vector3().setFromSpherical(spherical));
    this.controls.update();
  }

  zoom(factor: number): void {
    const offset = this.camera.position.clone().sub(this.controls.target).multiplyScalar(factor);
    this.camera.position.copy(this.controls.target).add(offset);
    this.controls.update();
  }

  /** Advances a flight to `now`; true while it needs more frames. */
  step(now: number): boolean {
    const flight = this.flight;
    if (!flight) return false;
    const w = Math.min(1, (now - flight.start) / FLY_MS);
    const ease = w < 0.5 ? 2 * w * w : 1 - (-2 * w + 2) ** 2 / 2;
    this.controls.target.lerpVectors(flight.from, flight.to, ease);
    this.camera.position.lerpVectors(flight.camFrom, flight.camTo, ease);
    this.camera.lookAt(this.controls.target);
    if (w >= 1) this.flight = null;
    return this.flight !== null;
  }
}
