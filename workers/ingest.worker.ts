import * as Comlink from 'comlink';
import { ImportEngine } from '../src/store/import-engine';

Comlink.expose(new ImportEngine());
