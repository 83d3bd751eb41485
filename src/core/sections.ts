import { parseCode } from './codes';

/**
 * The IPC section letter (A–H, or Y for CPC's tagging section) of a code in any written form.
 * One definition for the map's colouring and the space's legend, so both agree on odd codes.
 */
export function sectionOf(code: string): string {
  return parseCode(code)?.section ?? code.charAt(0).toUpperCase();
}
