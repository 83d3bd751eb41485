/**
 * Opening the app's database, for stores other than DatasetStore (which has the same logic inline):
 * upgrade through schema.ts's migrations, leave the database at its old version when a step fails,
 * and step aside when another tab needs a newer version.
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
        tx.done.catch(() => undefined); // the failure reaches the caller through openDB's rejection
        upgradeDatabase(db, oldVersion, tx).catch((error: unknown) => {
          upgradeError = error;
          abortQuietly(tx);
        });
      },
      // Calls made afterwards fail with InvalidStateError; the other tab asks for a reload.
      blocking: () => connection?.close(),
    });
  } catch (error) {
    throw upgradeError ?? error;
  }
  return connection;
}
