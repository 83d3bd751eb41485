import * as Comlink from 'comlink';
import { ImportEngine } from '../src/engines/import-engine';

Comlink.expose(new ImportEngine());
