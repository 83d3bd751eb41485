/**
 * Opening the app's database, for every store (datasets, catalogues): upgrade through schema.ts's
 * migrations, leave the database at its old version when a step fails, and step aside when
 * another tab needs a newer version.
 */
import { openDB } from 'idb';
import { DB_VERSION, DEFAULT_DB_NAME, upgradeDatabase } from './schema';
import { abortQuietly, type PatentSpaceDatabase } from './transactions';

export async function openPatentSpaceDatabase(name = DEFAULT_DB_NAME): Promise<PatentSpaceDatabase> {
  let upgradeError: unknown;
  let connection: PatentSpaceDatabase | undefined;
  try {
    connection = await openDB(name, DB_VERSION, {
      upgrade(db, oldVersion, _newVersion, tx) {
        // A failed upgrade reaches the caller through openDB's rejection; observing `done` keeps
        // its AbortError from also being reported as unhandled.
        tx.done.catch(() => undefined);
        upgradeDatabase(db, oldVersion, tx).catch((error: unknown) => {
          upgradeError = error;
          abortQuietly(tx); // leave the database at the old version rather than half-migrated
        });
      },
      // Another tab wants a newer version: step aside, or its upgrade waits for this tab forever.
      // Calls made on the store afterwards fail with InvalidStateError; that tab asks for a reload.
      blocking: () => connection?.close(),
    });
  } catch (error) {
    throw upgradeError ?? error; // the abort's AbortError says less than what made us abort
  }
  return connection;
}
