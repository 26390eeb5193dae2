/**
 * Side-effect import for the first line of every long-running app's main module:
 * `import '@mirrorball/runtime/prelude'`. Both adjustments must happen before the hot code runs.
 */
import { raiseInlineBudget } from './inline-budget.ts';
import { pinTickMaps } from './tick-maps.ts';

pinTickMaps();
raiseInlineBudget();
