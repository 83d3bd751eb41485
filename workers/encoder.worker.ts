import * as Comlink from 'comlink';
import { DatasetEmbedder } from '../src/ml/dataset-embedder';

Comlink.expose(new DatasetEmbedder());
