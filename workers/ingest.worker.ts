import * as Comlink from 'comlink';
import { IngestEngine } from '../src/core/parse/ingest';

Comlink.expose(new IngestEngine());
