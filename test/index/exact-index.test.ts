import { ExactIndex } from '../../src/index/exact-index.js';
import { describeVectorIndex } from './vector-index-suite.js';

describeVectorIndex('ExactIndex', { create: (dim) => ExactIndex.create(dim), load: (dir) => ExactIndex.load(dir) });
