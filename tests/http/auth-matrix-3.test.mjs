// The authorisation matrix, last third of the collections (auth-matrix.test.mjs says
// what it tries).  Both backends.
import { matrix } from './auth-matrix-common.mjs';

matrix({ part: 2, parts: 3 });
