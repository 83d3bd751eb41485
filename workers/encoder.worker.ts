import * as Comlink from 'comlink';
import { EncoderEngine } from '../src/ml/encoder';

Comlink.expose(new EncoderEngine());
