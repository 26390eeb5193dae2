/** Side-effect import: `import '@mirrorball/runtime/pin-tick-maps'` first in a main module. */
import { pinTickMaps } from './tick-maps.ts';

pinTickMaps();
