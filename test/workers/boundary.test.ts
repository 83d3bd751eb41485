/**
 * The worker boundary over a real MessageChannel: what a worker throws reaches the caller with
 * its class, name and fields (Comlink alone sends name, message and stack only).
 */
import * as Comlink from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelLoadError, NAMED_ERRORS } from '../../src/core/errors';
import { deserializeError, installBoundary, serializeError } from '../../workers/boundary';
import { DatasetNotFoundError, StorageQuotaError } from '../../src/core/errors';

class Thrower {
  quota(): void {
    throw new StorageQuotaError(900, 1000, [{ id: 'a', name: 'Small', patentCount: 10 }, { id: 'b', name: 'Big', patentCount: 500 }]);
  }
  custom(): void {
    throw Object.assign(new Error('row 7 is bad'), { name: 'ParseError', line: 7, detail: { column: 'year' } });
  }
  notAnError(): void {
    throw 'a string';
  }
}

const ports: MessagePort[] = [];
function connect(): Comlink.Remote<Thrower> {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  Comlink.expose(new Thrower(), port1);
  return Comlink.wrap<Thrower>(port2);
}
afterEach(() => {
  for (const p of ports.splice(0)) p.close();
});

describe('worker boundary errors', () => {
  it('key every named error by the name its class sets, which a minified build keeps', () => {
    // Unminified here, so the class's function name is its real name; the app's build renames
    // functions but not the object's keys the boundary looks errors up by.
    for (const [key, errorClass] of Object.entries(NAMED_ERRORS)) expect((errorClass as unknown as { name: string }).name).toBe(key);
    expect(Object.keys(NAMED_ERRORS)).toContain('WorkspaceFileError');
  });


  it('keep the class and the fields of a StorageQuotaError across Comlink', async () => {
    installBoundary();
    const error = await connect().quota().then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(StorageQuotaError);
    const quota = error as StorageQuotaError;
    expect(quota.name).toBe('StorageQuotaError');
    expect(quota.usage).toBe(900);
    expect(quota.quota).toBe(1000);
    expect(quota.datasets.map((d) => d.name)).toEqual(['Big', 'Small']);
    expect(quota.message).toMatch(/Browser storage for this site is full/);
  });

  it('keep the name and data fields of an error of no registered class', async () => {
    installBoundary();
    const error = await connect().custom().then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'ParseError', message: 'row 7 is bad', line: 7, detail: { column: 'year' } });
  });

  it('pass a thrown non-error value through unchanged', async () => {
    installBoundary();
    await expect(connect().notAnError()).rejects.toBe('a string');
  });

  it('serialise the cause as its name and message, and rebuild registered classes without their constructor', () => {
    const original = new ModelLoadError('bundled:x', new Error('404'));
    const withCause = Object.assign(new DatasetNotFoundError('d1'), { cause: new TypeError('gone') });
    const rebuilt = deserializeError(serializeError(original));
    expect(rebuilt).toBeInstanceOf(ModelLoadError);
    expect(rebuilt.message).toBe(original.message);
    const rebuiltCause = deserializeError(serializeError(withCause));
    expect(rebuiltCause).toBeInstanceOf(DatasetNotFoundError);
    expect(rebuiltCause.cause).toEqual({ name: 'TypeError', message: 'gone' });
  });
});
