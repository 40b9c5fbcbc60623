// The authorisation matrix, second third of the collections (auth-matrix.test.mjs says
// what it tries).  Both backends.
import { matrix } from './auth-matrix-common.mjs';

matrix({ part: 1, parts: 3 });
