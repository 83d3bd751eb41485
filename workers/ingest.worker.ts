import * as Comlink from 'comlink';
import { ImportEngine } from '../src/engines/import-engine';
import { installBoundary } from './boundary';

installBoundary();
Comlink.expose(new ImportEngine());
