import * as Comlink from 'comlink';
import { CatalogueEngine } from '../src/engines/catalogue-engine';
import { ImportEngine } from '../src/engines/import-engine';
import { WorkspaceEngine } from '../src/engines/workspace-engine';
import { installBoundary } from './boundary';

// Files are streamed here: patent files into datasets, catalogue text files into catalogues, and
// Patent Space dataset files out of and back into the database.
// Comlink.proxy marks each engine so `remote.patents` is typed as a Remote.
const api = { patents: Comlink.proxy(new ImportEngine()), catalogue: Comlink.proxy(new CatalogueEngine()), workspace: Comlink.proxy(new WorkspaceEngine()) };
export type IngestWorkerApi = typeof api;
installBoundary();
Comlink.expose(api);
